#include "service/demo.h"

#include <map>

#include "core/password.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/org.h"
#include "service/projects.h"
#include "service/rules.h"
#include "store/org_repo.h"
#include "store/region_repo.h"
#include "store/rule_set_repo.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

const char* kCounty = "430424";

const std::vector<std::string> kTownships = {"城关镇", "大浦镇", "吴集镇", "甘溪镇", "杨林镇", "草市镇",
                                             "杨桥镇", "霞流镇", "荣桓镇", "新塘镇", "高湖镇", "石湾镇",
                                             "三樟镇", "蓬源镇", "白莲镇", "南湾乡", "洣水镇"};
const std::vector<std::string> kDepartments = {"县工业和信息化局", "县交通运输局",     "县水利局",
                                               "县农业农村局",     "县文化旅游广电体育局", "县教育局",
                                               "县卫生健康局",     "县城市建设投资有限公司"};
const std::vector<std::string> kApproval = {
    "县发展和改革局",     "县自然资源局",         "县住房和城乡建设局",     "市生态环境局衡东分局",
    "县行政审批服务局",   "县财政局",             "县林业局",               "县应急管理局",
    "县市场监督管理局",   "县人力资源和社会保障局", "国家税务总局衡东县税务局", "国网衡东县供电公司",
    "县消防救援大队",     "县气象局",             "县人民防空办公室",       "县城市管理和综合执法局",
    "县公安局",           "县商务局",             "县统计局",               "县审计局"};

struct DemoUser {
  const char* username;
  const char* name;
  const char* rank;
  const char* roles;
  const char* unit;  // org unit name, "" for none
  const char* region;
};

const DemoUser kLogins[] = {
    {"admin", "系统管理员", "staff", "admin,hq", "县项目建设协调总指挥部办公室", kCounty},
    {"hq", "刘建华", "section_chief", "hq", "县项目建设协调总指挥部办公室", kCounty},
    {"leader", "王志刚", "county_leader", "leader", "", kCounty},
    {"unit", "陈明", "section_chief", "unit", "县工业和信息化局", kCounty},
    {"unit2", "赵磊", "section_chief", "unit", "县交通运输局", kCounty},
    {"liaison", "李娟", "staff", "liaison", "县工业和信息化局", kCounty},
    {"enterprise", "周晓东", "staff", "enterprise", "", kCounty},
    {"inspector", "孙丽", "section_chief", "inspector", "县项目建设协调总指挥部办公室", kCounty},
    {"viewer", "吴芳", "staff", "viewer", "县项目建设协调总指挥部办公室", kCounty},
    {"city", "衡阳市发改委调度员", "staff", "viewer", "", "430400"},
};

// People without a login yet (their password hash "!" never verifies): county leaders and the 3456 chain.
struct Person {
  const char* name;
  const char* rank;
  const char* roles;
  const char* unit;
};
const Person kPeople[] = {
    {"李国平", "county_leader", "leader", ""},       {"张卫东", "county_leader", "leader", ""},
    {"欧阳红", "county_leader", "leader", ""},       {"谭建军", "county_leader", "leader", ""},
    {"罗文斌", "county_leader", "leader", ""},       {"彭海燕", "county_leader", "leader", ""},
    {"邓志勇", "unit_principal", "unit", "县工业和信息化局"},
    {"贺军", "unit_principal", "unit", "县交通运输局"},
    {"曾凡华", "unit_principal", "unit", "衡东经济开发区"},
    {"龙小平", "unit_leader", "unit", "县工业和信息化局"},
    {"肖勇", "unit_leader", "unit", "县交通运输局"},
    {"阳光辉", "unit_leader", "unit", "衡东经济开发区"},
    {"廖静", "section_chief", "unit", "县工业和信息化局"},
    {"颜超", "section_chief", "unit", "衡东经济开发区"},
    {"蒋涛", "staff", "liaison", "衡东经济开发区"},
    {"胡斌", "staff", "liaison", "县交通运输局"},
    {"朱丽华", "staff", "hq", "县项目建设协调总指挥部办公室"},
    {"黄警官", "staff", "viewer", "县公安局"},
    {"段纪委", "staff", "inspector", "县项目建设协调总指挥部办公室"},
};

struct DemoProject {
  const char* name;
  const char* category;
  const char* industry;
  const char* chain;
  const char* enterprise;
  const char* township;
  const char* levels;
  std::int64_t wan;  // total investment in 万元
  const char* stage;
  const char* unit;
  const char* planned_start;
  const char* actual_start;
  const char* content;
};

// Names, amounts and dates shaped like the county reports' key projects.
const DemoProject kProjects[] = {
    {"衡东经开区新材料产业园二期", "industrial", "新材料", "先进材料", "湖南衡东新材料科技有限公司", "大浦镇",
     "province,city,county", 320000, "construction", "衡东经济开发区", "2026-03-18", "2026-03-28",
     "新建标准厂房12万平方米及配套设施，年产高性能碳基材料5万吨"},
    {"年产2万吨电子级金属材料项目", "industrial", "有色金属", "一金", "衡东华鑫金属材料有限公司", "大浦镇",
     "city,county", 86000, "construction", "衡东经济开发区", "2026-02-20", "2026-03-06",
     "建设熔铸、精炼车间及研发中心，形成年产2万吨电子级金属材料能力"},
    {"中药材精深加工产业园", "industrial", "生物医药", "一药", "湖南衡岳药业有限公司", "吴集镇", "city,county",
     58000, "siting", "县工业和信息化局", "2026-12-15", "", "建设中药饮片、提取物生产线及仓储物流中心"},
    {"高性能陶瓷新材料项目", "industrial", "新材料", "两材", "衡东瓷谷新材料有限公司", "新塘镇", "county", 45000,
     "signing", "县工业和信息化局", "2027-03-01", "", "建设特种陶瓷生产线6条"},
    {"G240衡东段改扩建工程", "infrastructure", "交通", "", "衡东县交通建设投资有限公司", "城关镇",
     "province,city,county", 156000, "construction", "县交通运输局", "2025-10-10", "2025-10-26",
     "改扩建一级公路28.6公里"},
    {"洣水河综合治理工程", "ecology", "水利", "", "衡东县水利投资开发有限公司", "草市镇", "city,county", 42000,
     "construction", "县水利局", "2026-04-01", "2026-04-16", "治理河道32公里，新建堤防护岸18公里"},
    {"县人民医院医技综合楼", "social", "卫生健康", "", "衡东县人民医院", "城关镇", "county", 38000,
     "construction", "县卫生健康局", "2026-05-08", "2026-05-20", "新建医技综合楼5.2万平方米，床位600张"},
    {"城区学校扩容提质工程", "social", "教育", "", "衡东县城市建设投资有限公司", "城关镇", "county", 26000,
     "review", "县教育局", "2025-08-01", "2025-08-15", "新建、改扩建中小学4所，新增学位5400个"},
    {"黄花菜产业园冷链物流中心", "agriculture", "农产品加工", "三特", "衡东县鑫源农业发展有限公司", "杨林镇",
     "county", 18000, "planning", "县农业农村局", "2027-04-01", "", "建设冷库3万立方米、分拣加工中心及电商平台"},
    {"洣水风光带文旅综合体", "social", "文化旅游", "", "湖南洣水文旅发展有限公司", "霞流镇", "city,county",
     65000, "prereview", "县文化旅游广电体育局", "2027-06-01", "", "建设滨水步道、游客中心、民宿集群"},
    {"220千伏变电站及配套线路工程", "infrastructure", "能源", "", "国网衡东县供电公司", "甘溪镇", "city,county",
     24000, "construction", "县工业和信息化局", "2026-06-01", "2026-06-12", "新建220千伏变电站1座，线路46公里"},
    {"农光互补光伏发电项目", "industrial", "新能源", "", "衡东县新能源开发有限公司", "高湖镇", "county", 52000,
     "siting", "县工业和信息化局", "2027-01-10", "", "装机容量100兆瓦，配套储能20兆瓦时"},
    {"高标准农田建设项目", "agriculture", "农业", "", "衡东县农业农村局", "荣桓镇", "county", 15000,
     "construction", "县农业农村局", "2026-03-01", "2026-03-10", "建设高标准农田5万亩"},
    {"城区污水处理厂提标扩容", "ecology", "环保", "", "衡东县城市建设投资有限公司", "城关镇", "city,county",
     21000, "operation", "县城市建设投资有限公司", "2025-03-01", "2025-03-15", "扩容至日处理6万吨，出水一级A"},
    {"智能装备制造产业园", "industrial", "装备制造", "三特", "湖南衡机智能装备有限公司", "大浦镇", "county",
     75000, "signing", "衡东经济开发区", "2027-02-15", "", "建设数控机床及智能装备生产基地"},
    {"土菜小镇产业融合项目", "agriculture", "农产品加工", "三特", "衡东土菜餐饮管理有限公司", "杨桥镇", "county",
     12000, "planning", "县农业农村局", "", "", "建设土菜原料基地、中央厨房与展示中心"},
    {"年产5万吨锂电池正极材料前驱体项目", "industrial", "新材料", "两材", "湖南衡锂新能源材料有限公司", "大浦镇",
     "province,city,county", 260000, "construction", "衡东经济开发区", "2026-01-18", "2026-02-08",
     "建设前驱体生产线4条及配套环保设施"},
    {"高纯氧化铝粉体材料项目", "industrial", "新材料", "两材", "衡东晶瓷新材料有限公司", "新塘镇", "county", 36000,
     "construction", "县工业和信息化局", "2026-04-10", "2026-04-28", "年产高纯氧化铝粉体8000吨"},
    {"铜基新材料精深加工项目", "industrial", "有色金属", "一金", "衡东铜业精密材料有限公司", "大浦镇", "city,county",
     68000, "review", "衡东经济开发区", "2025-09-01", "2025-09-20", "建设铜杆、铜带精深加工生产线"},
    {"中药配方颗粒生产线建设项目", "industrial", "生物医药", "一药", "湖南衡岳药业有限公司", "吴集镇", "county",
     22000, "construction", "县工业和信息化局", "2026-05-15", "2026-06-01", "建设配方颗粒提取、制粒车间"},
    {"特种电缆智能制造项目", "industrial", "装备制造", "三特", "衡东金缆电气有限公司", "大浦镇", "county", 30000,
     "siting", "衡东经济开发区", "2027-01-05", "", "建设特种电缆智能生产线10条"},
    {"新型墙体材料产业园", "industrial", "建材", "两材", "衡东绿建新材有限公司", "石湾镇", "county", 18000,
     "signing", "县工业和信息化局", "2027-03-20", "", "年产蒸压加气混凝土砌块60万立方米"},
    {"再生资源综合利用项目", "industrial", "环保", "", "衡东循环经济发展有限公司", "蓬源镇", "county", 15000,
     "prereview", "县工业和信息化局", "", "", "废旧金属、塑料分拣加工及交易中心"},
    {"衡东县城区道路提质改造工程", "infrastructure", "市政", "", "衡东县城市建设投资有限公司", "城关镇", "county",
     28000, "construction", "县城市建设投资有限公司", "2026-03-01", "2026-03-12", "改造城区主次干道11条共23公里"},
    {"县城供水管网改造工程", "infrastructure", "市政", "", "衡东县自来水有限公司", "城关镇", "county", 9600,
     "operation", "县城市建设投资有限公司", "2025-04-01", "2025-04-10", "改造供水管网56公里，新建加压泵站2座"},
    {"洣水大桥新建工程", "infrastructure", "交通", "", "衡东县交通建设投资有限公司", "霞流镇", "province,city,county",
     72000, "siting", "县交通运输局", "2027-02-01", "", "新建跨洣水大桥1座，全长1.2公里，双向四车道"},
    {"农村公路安全生命防护工程", "infrastructure", "交通", "", "衡东县交通运输局", "白莲镇", "county", 6500,
     "construction", "县交通运输局", "2026-03-15", "2026-03-25", "实施农村公路安防工程320公里"},
    {"天然气管网延伸工程", "infrastructure", "能源", "", "衡东县新奥燃气有限公司", "甘溪镇", "county", 12000,
     "construction", "县工业和信息化局", "2026-06-20", "2026-07-05", "敷设中压燃气管道68公里，覆盖6个乡镇"},
    {"县中医医院整体搬迁项目", "social", "卫生健康", "", "衡东县中医医院", "城关镇", "city,county", 46000,
     "signing", "县卫生健康局", "2027-04-01", "", "新建医院4.8万平方米，床位500张"},
    {"县职业中专实训基地", "social", "教育", "", "衡东县职业中等专业学校", "城关镇", "county", 14000,
     "construction", "县教育局", "2026-02-20", "2026-03-03", "新建实训楼、实训车间2.6万平方米"},
    {"城镇老旧小区改造项目", "social", "市政", "", "衡东县城市建设投资有限公司", "城关镇", "county", 19000,
     "construction", "县城市建设投资有限公司", "2026-04-01", "2026-04-08", "改造老旧小区42个，惠及居民6800户"},
    {"县养老服务中心", "social", "民政", "", "衡东县民政事务中心", "杨桥镇", "county", 8800, "planning",
     "县卫生健康局", "", "", "建设养老床位400张及医养结合服务设施"},
    {"全民健身中心", "social", "文化旅游", "", "衡东县文化旅游投资有限公司", "城关镇", "county", 11000, "prereview",
     "县文化旅游广电体育局", "2027-05-01", "", "建设体育馆、游泳馆及室外运动场"},
    {"农村生活污水治理项目", "ecology", "环保", "", "衡东县水利投资开发有限公司", "三樟镇", "county", 13000,
     "construction", "县水利局", "2026-05-01", "2026-05-18", "建设集中式污水处理设施28处"},
    {"生活垃圾焚烧发电项目", "ecology", "环保", "", "衡东绿能环保发电有限公司", "南湾乡", "city,county", 55000,
     "siting", "县城市建设投资有限公司", "2027-01-15", "", "日处理生活垃圾600吨，装机12兆瓦"},
    {"油茶低产林改造项目", "agriculture", "林业", "三特", "衡东县油茶产业发展有限公司", "洣水镇", "county", 7600,
     "construction", "县农业农村局", "2026-02-25", "2026-03-05", "改造油茶低产林3万亩，建设油茶加工厂"},
    {"生猪标准化养殖基地", "agriculture", "畜牧", "", "衡东牧原农牧有限公司", "高湖镇", "county", 25000, "review",
     "县农业农村局", "2025-07-01", "2025-07-15", "年出栏生猪20万头，配套粪污资源化利用"},
    {"电子信息产业园标准厂房", "infrastructure", "园区", "", "衡东经开区建设开发有限公司", "大浦镇", "city,county",
     40000, "construction", "衡东经济开发区", "2026-03-08", "2026-03-20", "建设标准厂房15万平方米"},
    {"黄花菜精深加工项目", "agriculture", "农产品加工", "三特", "衡东县金针菜食品有限公司", "杨林镇", "county",
     9000, "signing", "县农业农村局", "2027-03-10", "", "年加工黄花菜干品5000吨及休闲食品生产线"},
    {"县城停车场及充电设施建设项目", "infrastructure", "市政", "", "衡东县城市建设投资有限公司", "城关镇", "county",
     7200, "planning", "县城市建设投资有限公司", "", "", "建设公共停车泊位2600个、充电桩400个"},
};

std::int64_t unitId(store::Connection& c, const std::string& name) {
  auto id = store::OrgUnitRepository(c).idByName(kCounty, name);
  if (!id) throw std::runtime_error("demo: unknown org unit " + name);
  return *id;
}

}  // namespace

bool databaseIsEmpty(const Env& env) {
  auto c = env.db->acquire();
  return !store::UserRepository(*c).any();
}

void loadDemo(const Env& env, std::ostream& log) {
  core::Actor system;  // the loader acts as the system; audit rows say "system"
  system.user_id = 0;
  system.username = "system";
  system.display_name = "system";
  system.region_code = kCounty;
  system.roles = {"admin", "hq"};

  writeTransaction(env, kCounty, [&](store::Connection& c) {
    store::RegionRepository regions(c);
    if (regions.exists(kCounty)) return;
    // From the national region list, like every region: names and parents are the list's.
    std::vector<std::string> created = regions.ensureFromList(kCounty);
    for (auto& code : regions.ensureFromList("430421")) created.push_back(code);
    store::RuleSetRepository(c).insert(
        {kCounty, "lifecycle", 1, "2023-01-01", lifecycleToJson(core::defaultLifecycle()), env.nowIso(), "demo"});
    for (const auto& code : created)
      appendAudit(c, env, nullptr, {code, "create", "region", code, nullptr, {{"code", code}}});
  });

  OrgService org(env);
  int sort = 0;
  auto addUnit = [&](const std::string& name, const char* kind) {
    org.createOrgUnit(system, {{"name", name}, {"kind", kind}, {"sort", ++sort}});
  };
  addUnit("县项目建设协调总指挥部办公室", "hq");
  addUnit("衡东经济开发区", "park");
  for (const auto& n : kDepartments) addUnit(n, "department");
  for (const auto& n : kTownships) addUnit(n, "township");
  for (const auto& n : kApproval) addUnit(n, "approval");
  log << "demo: 1 headquarters office, " << 1 + kDepartments.size() + kTownships.size() << " responsible units, "
      << kApproval.size() << " approval departments" << std::endl;

  std::map<std::string, std::int64_t> people;
  for (const auto& u : kLogins) {
    NewUser n;
    n.username = u.username;
    n.display_name = u.name;
    n.password = kDemoPassword;
    n.rank = u.rank;
    n.region_code = u.region;
    for (std::string r : {std::string(u.roles)}) {
      std::size_t p = 0;
      while (p <= r.size()) {
        auto q = r.find(',', p);
        n.roles.push_back(r.substr(p, q == std::string::npos ? std::string::npos : q - p));
        if (q == std::string::npos) break;
        p = q + 1;
      }
    }
    if (*u.unit) {
      auto c = env.db->acquire();
      n.org_unit_id = unitId(*c, u.unit);
    }
    people[u.name] = org.createUser(nullptr, n)["id"].get<std::int64_t>();
  }
  // Unlinked people: inserted with a password hash that never verifies until an admin sets one.
  writeTransaction(env, kCounty, [&](store::Connection& c) {
    int i = 0;
    for (const auto& p : kPeople) {
      auto now = env.nowIso();
      std::optional<std::int64_t> unit;
      if (*p.unit) unit = unitId(c, p.unit);
      store::NewUserRow row;
      row.region_code = kCounty;
      row.username = "p" + std::to_string(++i);
      row.display_name = p.name;
      row.org_unit_id = unit;
      row.rank = p.rank;
      row.roles = p.roles;
      row.password_hash = "!";
      row.at = now;
      auto id = store::UserRepository(c).insert(row);
      people[p.name] = id;
      appendAudit(c, env, nullptr, {kCounty, "create", "user", std::to_string(id), nullptr,
                                    {{"display_name", p.name}, {"rank", p.rank}}});
    }
  });
  log << "demo: " << std::size(kLogins) << " sign-in users and " << std::size(kPeople) << " other people"
      << std::endl;

  ProjectService projects(env);
  const char* leaders[] = {"王志刚", "李国平", "张卫东", "欧阳红", "谭建军", "罗文斌", "彭海燕"};
  int n = 0;
  for (const auto& d : kProjects) {
    std::int64_t township, unit;
    {
      auto c = env.db->acquire();
      township = unitId(*c, d.township);
      unit = unitId(*c, d.unit);
    }
    json in = {{"name", d.name},
               {"category", d.category},
               {"industry", d.industry},
               {"chain", d.chain},
               {"enterprise_name", d.enterprise},
               {"township_id", township},
               {"total_investment", d.wan * 10000},
               {"content", d.content},
               {"unit_id", unit},
               {"leader_id", people[leaders[n % std::size(leaders)]]}};
    json levels = json::array();
    std::string lv = d.levels;
    for (std::size_t p = 0; p < lv.size();) {
      auto q = lv.find(',', p);
      levels.push_back(lv.substr(p, q == std::string::npos ? std::string::npos : q - p));
      p = q == std::string::npos ? lv.size() : q + 1;
    }
    in["levels"] = levels;
    // Funding mix: a typical split between self-raised money, loans and public funds.
    std::int64_t total = d.wan * 10000;
    std::int64_t pub = std::string(d.category) == "industrial" ? 0 : total * 3 / 10;
    std::int64_t loans = total * 3 / 10;
    in["funding"] = {{"central_budget", pub / 3},
                     {"special_bonds", pub - pub / 3},
                     {"bank_loans", loans},
                     {"self_raised", total - pub - loans},
                     {"other", 0}};
    if (*d.planned_start) {
      in["planned_start"] = d.planned_start;
      int y = std::stoi(std::string(d.planned_start).substr(0, 4));
      in["planned_completion"] = std::to_string(y + 2) + std::string(d.planned_start).substr(4);
    }
    if (*d.actual_start) in["actual_start"] = d.actual_start;
    std::string stage = d.stage;
    if (stage != "planning" && stage != "prereview") in["signed_date"] = "2025-11-2" + std::to_string(n % 9);
    if (stage == "operation") in["actual_completion"] = "2026-09-30";
    auto p = projects.create(system, in);
    auto id = p["id"].get<std::int64_t>();
    if (stage != "planning") projects.changeStage(system, id, {{"stage", stage}, {"date", "2026-06-30"}});
    // Most projects have their team and plan; a few are left incomplete so the "five ones" check shows them.
    if (n % 5 != 3) {
      projects.setTeam(system, id,
                       {{"leader_id", people[leaders[n % std::size(leaders)]]},
                        {"unit_id", p["unit_id"]},
                        {"steward_id", people["朱丽华"]},
                        {"police_id", people["黄警官"]},
                        {"inspector_id", people["段纪委"]},
                        {"liaison_id", people[n % 2 ? "蒋涛" : "胡斌"]},
                        {"team", {people["龙小平"], people["廖静"]}},
                        {"levels_3456",
                         {{"county_leader", people[leaders[n % std::size(leaders)]]},
                          {"unit_principal", people["邓志勇"]},
                          {"unit_leader", people["龙小平"]},
                          {"section_chief", people["廖静"]}}},
                        {"has_plan", n % 4 != 1}});
    }
    if (*d.planned_start) {
      auto tpl = core::defaultLifecycle().nodes;
      json nodes = json::array();
      int y = std::stoi(std::string(d.planned_start).substr(0, 4));
      int m = std::stoi(std::string(d.planned_start).substr(5, 2));
      const bool started = *d.actual_start != '\0';
      for (std::size_t k = 0; k < tpl.size(); ++k) {
        // Approvals lead up to the start node (index 6) two months apart; works follow it.
        int off = (static_cast<int>(k) - 6) * 2;
        int mm = m + off, yy = y;
        while (mm < 1) mm += 12, --yy;
        while (mm > 12) mm -= 12, ++yy;
        char date[16];
        std::snprintf(date, sizeof date, "%04d-%02d-%s", yy, mm, std::string(d.planned_start).substr(8, 2).c_str());
        json node = {{"key", tpl[k].key}, {"name", tpl[k].name}, {"planned_date", date}};
        if (tpl[k].key == "start" && started) node["actual_date"] = d.actual_start;
        else if (std::string(date) < "2026-11-01" && (k < 6 ? stage != "planning" && stage != "prereview" : started))
          node["actual_date"] = date;
        nodes.push_back(node);
      }
      projects.setNodes(system, id, {{"nodes", nodes}});
    }
    // This year's plan: a share of the total, spread with more in the building season.
    std::int64_t annual = total / 3 / 1000000 * 1000000;  // this year's third, in whole 百万元
    static const int weights[12] = {4, 5, 8, 9, 10, 10, 9, 9, 10, 10, 9, 7};
    json months = json::array();
    std::int64_t acc = 0;
    for (int k = 0; k < 12; ++k) {
      std::int64_t v = k == 11 ? annual - acc : annual * weights[k] / 100;
      acc += v;
      months.push_back(v);
    }
    projects.setPlan(system, id, {{"year", 2026}, {"annual", annual}, {"months", months}});
    ++n;
  }
  log << "demo: " << n << " key projects" << std::endl;
}

std::string demoLoginsText() {
  std::string s = "demo logins (password " + std::string(kDemoPassword) + "):\n";
  for (const auto& u : kLogins)
    s += "  " + std::string(u.username) + std::string(12 - std::string(u.username).size(), ' ') + u.name + " (" +
         u.roles + ")\n";
  return s;
}

}  // namespace steward::service

// ---------------------------------------------------------------------------------------------------------------
// The demo's activity: reports, periods, visits, inbox.

#include <random>

#include "core/reporting.h"
#include "service/cadence_rules.h"
#include "media/photo_codec.h"
#include "service/photos.h"
#include "service/reports.h"
#include "store/inbox_repo.h"
#include "store/project_repo.h"
#include "store/report_repo.h"
#include "store/visit_repo.h"

namespace steward::service {
namespace {

// 形象进度 as the county reports word it, by share of the works done.
const char* progressText(const std::string& category, std::int64_t percent, std::mt19937_64& rng) {
  static const char* early[] = {"场地平整完成，三通一平到位", "桩基施工中，已完成桩基", "基础开挖及垫层施工"};
  static const char* structure[] = {"主体结构施工，钢筋绑扎及模板安装", "主体结构施工至第三层", "主体结构封顶"};
  static const char* fitting[] = {"砌体及二次结构施工", "设备采购合同签订，主要设备进场", "钢结构厂房吊装完成"};
  static const char* late[] = {"设备安装调试", "室外配套及绿化工程施工", "消防、环保设施安装"};
  static const char* done[] = {"竣工验收准备", "试生产，设备联动调试", "完成竣工验收资料整理"};
  static const char* road[] = {"路基土石方施工", "桥涵下部结构施工", "水稳层摊铺", "沥青面层摊铺", "交安设施施工"};
  static const char* water[] = {"河道清淤疏浚", "堤防护岸砌筑", "管网敷设及闭水试验", "泵站设备安装"};
  auto pick = [&](const char* const* a, std::size_t n) { return a[rng() % n]; };
  if (category == "infrastructure") return pick(road, std::size(road));
  if (category == "ecology") return pick(water, std::size(water));
  if (percent < 15) return pick(early, std::size(early));
  if (percent < 40) return pick(structure, std::size(structure));
  if (percent < 65) return pick(fitting, std::size(fitting));
  if (percent < 90) return pick(late, std::size(late));
  return pick(done, std::size(done));
}

const char* kPreparation[] = {"项目签约完成，开展前期工作", "可行性研究报告编制中", "用地预审与选址意见书办理中",
                              "环评报告公示中", "初步设计评审中", "施工图设计及审查中"};
const char* kNextPlans[] = {"加快主体施工，确保节点按期完成", "推进设备招标采购", "完成剩余工程量，准备阶段验收",
                            "增加作业面，抢抓晴好天气施工", "配合完成要素保障事项办理"};
const char* kProblems[] = {"临时用电容量不足，需协调供电公司增容", "部分地块征拆尚未完成",
                           "砂石材料价格上涨，供应偏紧", "环评批复待办理"};
const char* kFindings[] = {"现场施工有序，安全文明措施到位",
                           "主体结构封顶，督促加快设备安装调试",
                           "施工用电容量不足，现场协调供电公司限期增容",
                           "征拆遗留问题影响施工，责成乡镇一周内解决",
                           "工人数量偏少，要求企业增加作业面",
                           "环保措施落实到位，渣土车辆冲洗规范"};

// "2026-11" → the month's index (year × 12 + month − 1), and back.
int monthIndex(const std::string& ym) { return std::stoi(ym.substr(0, 4)) * 12 + std::stoi(ym.substr(5, 2)) - 1; }
std::string monthKey(int idx) {
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d", idx / 12, idx % 12 + 1);
  return b;
}

}  // namespace

void loadDemoActivity(const Env& env, std::ostream& log) {
  const auto now = env.now();
  const auto nowIso = core::formatTimestamp(now);
  const auto today = core::localDay(now);
  std::mt19937_64 rng(20260424);  // fixed: the same county every time for the same day
  auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  std::int64_t monthly = 0, daily = 0, returned = 0, visits = 0, messages = 0, missing = 0;
  std::vector<std::pair<std::string, std::string>> toClose;  // cadence, key
  std::string dueLabel;

  writeTransaction(env, kCounty, [&](store::Connection& c) {
    const auto rules = loadCadenceRules(c, kCounty, today);
    store::ReportRepo reports(c);
    store::ProjectRepo projects(c);
    store::VisitRepo visitRepo(c);
    store::InboxRepo inbox(c);
    auto reporterOfUnit = store::UserRepository(c).idByName("liaison");
    auto hqId = store::UserRepository(c).idByName("hq");
    const auto monthRule = core::deadlineRuleOf(rules, core::Cadence::Month);
    const auto dueMonth = core::reportingPeriod(core::Cadence::Month, monthRule, today);
    const int lastMonth = monthIndex(dueMonth.key);
    dueLabel = dueMonth.label;
    const int firstMonth = lastMonth - 11;
    std::map<std::string, store::PeriodRecord> periods;
    auto period = [&](const core::Period& p) -> const store::PeriodRecord& {
      const std::string k = std::string(core::cadenceKey(p.cadence)) + "/" + p.key;
      auto it = periods.find(k);
      if (it == periods.end())
        it = periods.emplace(k, reports.ensurePeriod(kCounty, core::cadenceKey(p.cadence), p.key, p.start, p.end, nowIso))
                 .first;
      return it->second;
    };
    static const int weights[12] = {4, 5, 8, 9, 10, 10, 9, 9, 10, 10, 9, 7};
    int returnedLeft = 3;
    for (const auto& row : projects.inCounty(kCounty)) {
      const auto id = row.i64("id");
      const auto status = row.str("status");
      const auto start = row.str("actual_start");
      if (status == "cancelled") continue;
      // Projects not started report their preparation (前期工作) monthly for the last quarter, with no investment.
      const bool started = !start.empty() && start <= today;
      const auto stage = row.str("stage");
      const auto category = row.str("category");
      const auto total = row.i64("total_investment");
      const auto completion = row.str("actual_completion");
      const bool ownUnit = row.str("unit_name") == "县工业和信息化局";
      std::optional<std::int64_t> reporter = ownUnit && reporterOfUnit ? reporterOfUnit : row.optI64("liaison_id");
      // A third of the total a year, spread over the building season, with ±25 % noise, in whole 万元.
      const std::int64_t annual = total / 3;
      std::int64_t running = 0;
      const int from = started ? std::max(firstMonth, monthIndex(start.substr(0, 7))) : lastMonth - 2;
      const int to = lastMonth;
      // Investment until the month of completion; afterwards the project reports operation only.
      const int investUntil = !started ? from - 1
                              : completion.empty() || completion > today ? lastMonth
                                                                         : monthIndex(completion.substr(0, 7));
      const bool skipDue = chance(25);  // this one has not reported yet: the missing list is alive
      for (int m = from; m <= to; ++m) {
        if (m == lastMonth && skipDue) {
          ++missing;
          if (auto l = row.optI64("liaison_id")) {
            store::InboxMessage msg;
            msg.region_code = kCounty;
            msg.user_id = *l;
            msg.kind = "report_reminder";
            msg.title = "请及时填报项目进度：" + row.str("name");
            msg.body = dueMonth.label + "进度报告截止时间为次月5日18:00";
            msg.project_id = id;
            msg.sender_id = hqId;
            msg.link = "/projects/" + std::to_string(id) + "?tab=report";
            msg.created_at = nowIso;
            inbox.insert(msg);
            ++messages;
          }
          continue;
        }
        const auto p = *core::periodFromKey(monthKey(m));
        std::int64_t amount = annual * weights[m % 12] / 100 * (75 + static_cast<std::int64_t>(rng() % 51)) / 100;
        amount = amount / 10000 * 10000;
        amount = std::min(amount, total * 95 / 100 - running);  // never past the total: the last 5 % is for handover
        if (amount < 0 || m > investUntil) amount = 0;
        running += amount;
        store::ReportRecord r;
        r.region_code = kCounty;
        r.project_id = id;
        r.period_id = period(p).id;
        r.period_end = p.end;
        r.investment = amount;
        r.percent = total > 0 ? std::min<std::int64_t>(100, running * 100 / total) : 0;
        r.progress = progressText(category, r.percent, rng);
        r.workers = 40 + static_cast<std::int64_t>(rng() % 260);
        r.machines = 3 + static_cast<std::int64_t>(rng() % 25);
        if (!started) {
          r.progress = kPreparation[rng() % std::size(kPreparation)];
          r.workers = r.machines = 0;
        } else if (m > investUntil) {
          r.progress = "已竣工投产，运营正常";
          r.workers = 20 + static_cast<std::int64_t>(rng() % 40);
          r.machines = 0;
        }
        r.next_plan = kNextPlans[rng() % std::size(kNextPlans)];
        r.problems = chance(20) ? json::array({kProblems[rng() % std::size(kProblems)]}).dump() : "[]";
        r.reporter_id = reporter;
        r.submitted_at = core::formatTimestamp(core::deadlineOf(p, monthRule) - std::chrono::hours(24 * (rng() % 4) + 3));
        r.updated_at = r.submitted_at;
        if (m == lastMonth && (returnedLeft == 3 ? ownUnit : chance(20)) && returnedLeft > 0) {
          --returnedLeft;
          r.status = "returned";
          r.return_reason = "本月完成投资与现场形象进度不符，请核实后重新填报";
          r.updated_at = nowIso;
        }
        r.id = reports.insertReport(r);
        ++monthly;
        if (r.status == "returned") {
          ++returned;
          if (reporter) {
            store::InboxMessage msg;
            msg.region_code = kCounty;
            msg.user_id = *reporter;
            msg.kind = "report_returned";
            msg.title = "进度报告被退回：" + row.str("name");
            msg.body = "期次 " + p.key + "，退回原因：" + r.return_reason;
            msg.project_id = id;
            msg.sender_id = hqId;
            msg.link = "/projects/" + std::to_string(id) + "?tab=report";
            msg.created_at = nowIso;
            inbox.insert(msg);
            ++messages;
          }
        }
      }
      // Daily site reports over the last three weeks for the projects under construction: who and what was on
      // site; the investment is the monthly report's (0 here, so the running total counts it once).
      const auto cad = core::cadenceOfStage(rules, stage);
      if (stage == "construction" || cad == core::Cadence::Day) {
        const auto dayRule = core::deadlineRuleOf(rules, core::Cadence::Day);
        const auto dueDay = core::reportingPeriod(core::Cadence::Day, dayRule, today);
        const bool skipToday = chance(30);
        for (int k = 20; k >= 0; --k) {
          const auto day = core::addDays(dueDay.start, -k);
          if (day < start) continue;
          if (k == 0 && skipToday) continue;
          if (k > 0 && chance(5)) continue;  // the odd forgotten day
          const auto p = core::periodOf(core::Cadence::Day, day);
          store::ReportRecord r;
          r.region_code = kCounty;
          r.project_id = id;
          r.period_id = period(p).id;
          r.period_end = p.end;
          r.investment = 0;
          r.percent = total > 0 ? std::min<std::int64_t>(100, running * 100 / total) : 0;
          r.progress = progressText(category, r.percent, rng);
          r.workers = 60 + static_cast<std::int64_t>(rng() % 240);
          r.machines = 4 + static_cast<std::int64_t>(rng() % 22);
          r.next_plan = kNextPlans[rng() % std::size(kNextPlans)];
          r.reporter_id = reporter;
          r.submitted_at = day + "T09:" + std::to_string(10 + rng() % 50) + ":00Z";
          if (r.submitted_at > nowIso) r.submitted_at = nowIso;
          r.updated_at = r.submitted_at;
          reports.insertReport(r);
          ++daily;
        }
      }
    }
    // Two months closed by headquarters (the third and fourth before the one due now), frozen as ReportService
    // freezes them.
    toClose = {{"month", monthKey(lastMonth - 3)}, {"month", monthKey(lastMonth - 2)}};

    // The leaders' weekly visits over the last eight weeks; this week only partly done.
    const auto thisWeek = core::periodOf(core::Cadence::Week, today);
    for (const auto& row : projects.inCounty(kCounty)) {
      const auto leader = row.optI64("leader_id");
      if (!leader || row.str("status") == "cancelled") continue;
      for (int w = 8; w >= 0; --w) {
        const auto week = core::periodOf(core::Cadence::Week, core::addDays(thisWeek.start, -7 * w));
        if (!chance(w == 0 ? 35 : 80)) continue;
        auto date = core::addDays(week.start, static_cast<std::int64_t>(rng() % 5));
        if (date > today) date = today;
        store::VisitRecord v;
        v.region_code = kCounty;
        v.project_id = row.i64("id");
        v.leader_id = leader;
        v.visit_date = date;
        v.week_key = week.key;
        v.visitors = json::array({row.str("leader_name"), row.str("unit_name") + "负责同志"}).dump();
        v.findings = kFindings[rng() % std::size(kFindings)];
        v.recorded_by = hqId;
        v.created_at = nowIso;
        visitRepo.insert(v);
        ++visits;
      }
    }
    appendAudit(c, env, nullptr,
                {kCounty, "create", "demo_activity", kCounty, nullptr,
                 {{"monthly_reports", monthly}, {"daily_reports", daily}, {"returned", returned}, {"visits", visits},
                  {"messages", messages}}});
  });

  // Headquarters' 刘建华 closes them, as they would.
  core::Actor hq;
  {
    auto c = env.db->acquire();
    hq.user_id = store::UserRepository(*c).idByName("hq").value_or(0);
  }
  hq.username = "hq";
  hq.display_name = "刘建华";
  hq.region_code = kCounty;
  hq.roles = {"hq"};
  ReportService reportService(env);
  for (const auto& [cadence, key] : toClose) reportService.closePeriod(hq, cadence, key);

  // Site photos (drawn, seeded) on the newest monthly reports of a dozen projects under construction, uploaded
  // and cited as a liaison's phone would: stored by hash with their copies, audited.
  int photos = 0;
  {
    std::vector<std::pair<std::int64_t, std::int64_t>> targets;  // project, report
    {
      auto c = env.db->acquire();
      store::ReportRepo repo(*c);
      std::optional<store::PeriodRecord> newest;
      for (const auto& per : repo.periods(kCounty, "month", 24))
        if (!newest || per.end_day > newest->end_day) newest = per;
      if (newest)
        for (const auto& pr : repo.liveProjects(kCounty, 500)) {
          if (pr.stage != "construction" || targets.size() >= 12) continue;
          if (auto r = repo.findReport(pr.id, newest->id)) targets.emplace_back(pr.id, r->id);
        }
    }
    PhotoService photoService(env);
    std::uint32_t seed = 1;
    for (const auto& [projectId, reportId] : targets) {
      std::vector<std::string> hashes;
      for (int k = 0; k < 2; ++k)
        hashes.push_back(photoService.upload(hq, projectId, media::drawSitePhoto(seed++))["hash"].get<std::string>());
      writeTransaction(env, kCounty, [&](store::Connection& c) {
        attachReportPhotos(c, projectId, reportId, hashes);
        return 0;
      });
      photos += 2;
    }
  }
  log << "demo: " << monthly << " monthly and " << daily << " daily reports (" << returned << " returned, " << missing
      << " missing for " << dueLabel << "), " << toClose.size() << " closed months, " << visits << " leader visits, " << messages << " inbox messages, " << photos << " site photos"
      << std::endl;
}

}  // namespace steward::service

// ---- the demo's letters and summons ------------------------------------------------------------------------------
#include "service/letters.h"
#include "store/letter_repo.h"

namespace steward::service {

void loadDemoLetters(const Env& env, std::ostream& log) {
  const std::string county = "430424";
  const auto now = env.now();
  // The letters went out twenty days ago, so some steps are done, some late (the clock of each step is its own).
  auto at = [&](int daysAgo) {
    Env e = env;
    e.now = [now, daysAgo] { return now - std::chrono::hours(24 * daysAgo); };
    return e;
  };
  core::Actor hq;
  std::vector<std::int64_t> drafts;
  std::vector<store::Row> lagging;
  {
    auto c = env.db->acquire();
    hq.user_id = store::UserRepository(*c).idByName("hq").value_or(0);
    drafts = store::LetterRepo(*c).draftIds(county, 100);
    for (auto& r : store::ProjectRepo(*c).inCounty(county))
      if (r.str("status") == "active" && !r.isNull("unit_id") && !r.isNull("leader_id") && r.str("stage") != "completed")
        lagging.push_back(r);
  }
  hq.username = "hq";
  hq.display_name = "刘建华";
  hq.region_code = county;
  hq.roles = {"hq"};
  // Fewer than six drafts (no lights evaluated yet): headquarters drafts by hand for the first lagging projects,
  // every kind represented.
  static const char* kKinds[] = {"supervision", "assignment", "reminder", "work_reminder"};
  static const char* kFacts[] = {
      "经县重点项目建设指挥部办公室调度，该项目投资完成率低于时序进度30个百分点以上，亮红灯预警。",
      "该项目计划开工时间已过半个月，至今未开工，施工许可等前期手续尚未办结。",
      "该项目计划于下月开工，用地、环评、施工许可等开工前手续仍在办理中。",
      "该项目本月亮黄灯：形象进度滞后于节点计划，请县级领导关注。"};
  LettersService early(at(kDemoLettersDaysAgo));
  const bool byHand = drafts.size() < 6;
  for (std::size_t k = 0; byHand && k < lagging.size() && k < 8; ++k) {
    const auto kind = kKinds[k % 4];
    auto d = early.create(hq, {{"project_id", lagging[k].i64("id")}, {"kind", kind}, {"facts", kFacts[k % 4]}});
    drafts.push_back(d["id"].get<std::int64_t>());
  }
  // Walk them: all but the last issued twenty days ago; the first five signed, the first three answered, the
  // first two closed; the rest late for signing or answering.
  int issued = 0, signedN = 0, answered = 0, closed = 0;
  auto recipientOf = [&](std::int64_t id) {
    auto c = env.db->acquire();
    auto l = store::LetterRepo(*c).find(id);
    core::Actor a;
    a.region_code = county;
    a.roles = {"unit"};
    if (l && l->recipient_user_id) {
      a.user_id = *l->recipient_user_id;
    } else if (l && l->recipient_unit_id) {
      a.org_unit_id = l->recipient_unit_id;
      auto users = store::UserRepository(*c).unitUserIds(*l->recipient_unit_id);
      a.user_id = users.empty() ? hq.user_id : users.front();
    }
    a.username = "demo";
    a.display_name = "责任单位";
    return a;
  };
  for (std::size_t k = 0; k + 1 < drafts.size(); ++k) {
    const auto id = drafts[k];
    try {
      early.issue(hq, id);
    } catch (const ServiceError&) {
      continue;  // no recipient: left as a draft
    }
    ++issued;
    if (k >= 5) continue;
    auto who = recipientOf(id);
    LettersService(at(19)).sign(who, id);
    ++signedN;
    if (k >= 3) continue;
    LettersService(at(14)).answer(who, id, {{"answer", "已成立工作专班，倒排工期，逐项销号推进，预计下月赶上计划进度。"}});
    ++answered;
    if (k >= 2) continue;
    LettersService(at(12)).close(hq, id, {{"note", "整改措施具体，同意办结，持续跟踪。"}});
    ++closed;
  }
  // Two summons: one followed up, one waiting for its follow-up.
  int summons = 0;
  for (std::size_t k = 0; k < 2 && k < lagging.size(); ++k) {
    const int heldAgo = k == 0 ? 30 : 10;
    LettersService s(at(heldAgo));
    const auto day = core::localDay(now - std::chrono::hours(24 * heldAgo));
    auto made = s.createSummons(
        hq, {{"project_id", lagging[k].i64("id")},
             {"unit_id", lagging[k].i64("unit_id")},
             {"principal", "单位主要负责人"},
             {"held_on", day},
             {"attendees", {"县委常委、常务副县长", "县重点项目建设指挥部办公室主任", "责任单位主要负责人"}},
             {"reason", "项目进度严重滞后，督办函答复后仍未明显改观"},
             {"commitments", "一个月内完成施工许可办理并全面复工，每周向县重点办报告进展"},
             {"follow_up_due", core::addDays(day, 20)}});
    ++summons;
    if (k == 0) LettersService(at(5)).followUpSummons(hq, made["id"].get<std::int64_t>(), {{"note", "已全面复工，现场施工人员120人。"}});
  }
  log << "demo: " << drafts.size() << " letters (" << issued << " issued, " << signedN << " signed, " << answered
      << " answered, " << closed << " closed), " << summons << " summons" << std::endl;
}

}  // namespace steward::service
