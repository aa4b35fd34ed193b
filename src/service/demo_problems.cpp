// `steward demo`: the county's problem list (问题清单) over the last seven weeks, taken through
// ProblemsService step by step on the days they happened (the clock set back as the letters' demo does), so
// each problem's timeline, the audit chain and everyone's inbox are the real ones: 60 problems in every state
// and category, some overdue, one escalated by hand to the executive vice county head (常务副县长) and one
// automatically, and three enterprise demands (answered within 48 hours, running late, just in).
// Deterministic: everything is chosen by position over rows read in id order.
#include <array>
#include <chrono>
#include <map>
#include <sstream>

#include "service/audit.h"
#include "service/demo.h"
#include "service/notify.h"
#include "service/problems.h"
#include "service/rules.h"
#include "service/user_view.h"
#include "store/db.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

const char* kProblemCounty = "430424";

// One demo user as the services see them.
std::optional<core::Actor> actorNamed(store::Connection& c, const std::string& username) {
  auto id = store::UserRepository(c).idByName(username);
  if (!id) return std::nullopt;
  return loadActor(c, *id);
}

struct DemoProject {
  std::int64_t id = 0;
  std::optional<std::int64_t> unit_id, leader_id;
};

// Titles and details by category, the way liaisons write them.
const std::map<std::string, std::array<std::array<const char*, 2>, 3>> kTitles = {
    {"land",
     {{{"项目用地指标未落实", "二期用地约36亩新增建设用地指标尚未下达，影响厂房开工"},
       {"用地报批卡在省厅审核", "农转用材料已上报省自然资源厅，补正意见未及时回复"},
       {"用地红线与规划不一致", "红线东侧与控规道路冲突约2亩，需调整规划"}}}},
    {"land_acquisition",
     {{{"三户拆迁户未签协议", "进场道路沿线三户对安置方式有异议，至今未签订拆迁协议"},
       {"青苗补偿标准有争议", "村民认为青苗补偿标准偏低，阻止施工队进场"},
       {"迁坟工作未完成", "用地范围内尚有7座坟墓未迁移"}}}},
    {"approval",
     {{{"施工许可证办理滞后", "施工图审查合格书已出具，施工许可证仍未核发"},
       {"消防设计审查退回", "消防设计审查两次退回，需明确整改要求"},
       {"规划许可证待核发", "建设工程规划许可证资料齐全，等待审批"}}}},
    {"funds",
     {{{"专项债资金未到位", "年度专项债额度已下达，资金尚未拨付到项目"},
       {"工程款拨付滞后", "已完成产值约2800万元，按合同应拨付的进度款未拨付"},
       {"配套资金缺口", "县级配套资金缺口约1500万元"}}}},
    {"energy",
     {{{"施工用电增容未落实", "需要10千伏专线，供电方案尚未批复"},
       {"天然气管道接入延迟", "燃气公司管道接入工程未排期，影响设备调试"},
       {"110千伏变电站配套滞后", "园区110千伏变电站间隔扩建未开工"}}}},
    {"water",
     {{{"施工用水管网未接通", "市政供水管网距项目约800米，接入工程未启动"},
       {"取水许可未批复", "取水许可申请已受理，尚未批复"},
       {"排水管网对接困难", "雨污水管网与园区主管网标高不一致"}}}},
    {"labour",
     {{{"熟练焊工短缺", "钢结构安装阶段缺熟练焊工约30人"},
       {"农民工工资专户未开设", "总包单位农民工工资专用账户尚未开设"},
       {"投产招工缺口较大", "一期投产需招聘普工约200人，目前到岗不足一半"}}}},
    {"environment",
     {{{"环评批复滞后", "环境影响报告书已完成技术评估，批复未出"},
       {"扬尘治理整改通知", "工地扬尘在线监测超标，需限期整改"},
       {"排污许可证未办理", "试生产前需取得排污许可证"}}}},
    {"other",
     {{{"进场道路被占用", "进场道路被周边商户占用堆放货物"},
       {"周边群众反映施工噪音", "夜间施工噪音影响周边小区，群众多次投诉"},
       {"临时设施选址有争议", "项目部临时用房选址与村集体意见不一致"}}}}};

const char* kCategoryOrder[] = {"land",  "land_acquisition", "approval",    "funds", "energy",
                                "water", "labour",           "environment", "other"};

// Where each problem ends up, and when (days before now) its story begins.
enum class End {
  Raised,
  Accepted,
  Assigned,
  InProgress,
  Overdue,
  Planned,
  Solved,
  Closed,
  Reopened,
  Merged,
  HandEscalated,
  AutoEscalated
};

struct Plan {
  End end;
  double raisedAgo;
};

std::vector<Plan> demoPlans() {
  std::vector<Plan> p;
  for (int i = 0; i < 16; ++i) p.push_back({End::Closed, 48.0 - i * 2});  // closed with ratings 3–5
  for (int i = 0; i < 6; ++i) p.push_back({End::Solved, 14.0 - i});       // solved, awaiting the rating
  for (int i = 0; i < 6; ++i)
    p.push_back({End::InProgress, 6.0 - i * 0.5});                        // in progress, within the deadline
  for (int i = 0; i < 4; ++i) p.push_back({End::Overdue, 12.0 + i * 2});  // in progress past the deadline
  for (int i = 0; i < 4; ++i) p.push_back({End::Planned, 40.0 - i * 3});  // a plan with monthly feedback
  for (int i = 0; i < 7; ++i) p.push_back({End::Assigned, 4.0 - i * 0.5});  // assigned, not started
  for (int i = 0; i < 5; ++i) p.push_back({End::Accepted, 2.5 - i * 0.4});  // accepted, not yet assigned
  for (int i = 0; i < 6; ++i) p.push_back({End::Raised, 1.5 - i * 0.25});   // just raised
  p.back().raisedAgo = 6.0;                                                 // one left unaccepted too long
  p.push_back({End::Reopened, 18.0});
  p.push_back({End::Merged, 3.0});
  p.push_back({End::HandEscalated, 12.0});
  p.push_back({End::AutoEscalated, 34.0});
  return p;  // 57; the three demands make 60
}

}  // namespace

void loadDemoProblems(const Env& env, std::ostream& log) {
  const std::string county = kProblemCounty;
  const auto now = env.now();
  auto at = [&](double daysAgo) {
    Env e = env;
    const auto t = now - std::chrono::minutes(static_cast<std::int64_t>(daysAgo * 24 * 60));
    e.now = [t] { return t; };
    return e;
  };
  std::map<std::string, core::Actor> who;
  std::vector<DemoProject> projects;
  std::map<std::int64_t, std::string>
      unitActor;  // unit id → username of a unit user there (sign-in users first)
  std::map<std::string, std::int64_t> unitByName;
  std::string leadingLeader;  // a county leader (not the demo "leader") who leads a project
  {
    auto c = env.db->acquire();
    for (const char* u :
         {"hq", "leader", "unit", "unit2", "liaison", "enterprise", "inspector", "viewer", "city", "admin"})
      if (auto a = actorNamed(*c, u)) who[u] = *a;
    for (const auto& r : c->query("SELECT id, unit_id, leader_id FROM projects WHERE region_code = ? AND "
                                  "status = 'active' ORDER BY id",
                                  {county})
                             .rows)
      projects.push_back({r.i64("id"), r.optI64("unit_id"), r.optI64("leader_id")});
    for (const auto& r :
         c->query("SELECT username, org_unit_id FROM users WHERE region_code = ? AND org_unit_id IS "
                  "NOT NULL AND (',' || roles || ',') LIKE '%,unit,%' AND disabled = 0 ORDER BY "
                  "CASE WHEN password_hash = '!' THEN 1 ELSE 0 END, id",
                  {county})
             .rows)
      unitActor.emplace(r.i64("org_unit_id"), r.str("username"));
    for (const auto& r :
         c->query("SELECT id, name FROM org_units WHERE region_code = ? ORDER BY id", {county}).rows)
      unitByName.emplace(r.str("name"), r.i64("id"));
    for (const auto& r :
         c->query("SELECT u.username FROM projects p JOIN users u ON u.id = p.leader_id WHERE "
                  "p.region_code = ? AND p.status = 'active' AND u.username <> 'leader' AND "
                  "(',' || u.roles || ',') LIKE '%,leader,%' ORDER BY p.id LIMIT 1",
                  {county})
             .rows)
      leadingLeader = r.str("username");
  }
  if (projects.empty() || !who.count("hq") || !who.count("unit") || !who.count("unit2") ||
      !who.count("liaison") || !who.count("enterprise") || !who.count("leader")) {
    log << "demo: no problems (the demo county is incomplete)" << std::endl;
    return;
  }
  auto actorOf = [&](const std::string& username) {
    auto it = who.find(username);
    if (it != who.end()) return it->second;
    auto c = env.db->acquire();
    auto a = actorNamed(*c, username);
    who[username] = a.value_or(who["hq"]);
    return who[username];
  };

  // The county's problem rules from seven weeks ago: 王志刚 (the demo "leader") is the executive vice county
  // head who takes escalated problems, and problems 15 days past their deadline go up a level by themselves.
  {
    const auto since = core::localDay(now - std::chrono::hours(24 * 60));
    auto rec = RulesService(env).inForce(who["hq"], "problems", county, since);
    json body = rec.contains("body") ? rec["body"] : rec;
    body["escalation"]["holders"]["executive_vice_head"] = "leader";
    body["escalation"]["auto_after"] = {{"amount", 15}, {"unit", "calendar_days"}};
    RulesService(at(60)).store(nullptr, "problems", county, body, since);
  }

  // The helper unit each category usually brings in.
  const std::map<std::string, const char*> helperOf = {{"land", "县自然资源局"},
                                                       {"land_acquisition", "县自然资源局"},
                                                       {"approval", "县行政审批服务局"},
                                                       {"funds", "县财政局"},
                                                       {"energy", "国网衡东县供电公司"},
                                                       {"water", "县水利局"},
                                                       {"labour", "县人力资源和社会保障局"},
                                                       {"environment", "市生态环境局衡东分局"},
                                                       {"other", "县城市管理和综合执法局"}};
  const char* raisers[] = {"liaison", "inspector", "leader", "unit2", "hq", "unit"};
  const int ratings[] = {5, 4, 5, 3, 4, 5, 4};
  std::map<End, int> tally;
  std::int64_t raised = 0, mergeTarget = 0;
  const auto plans = demoPlans();
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const auto& plan = plans[i];
    const std::string cat = kCategoryOrder[i % std::size(kCategoryOrder)];
    const auto& text = kTitles.at(cat)[(i / std::size(kCategoryOrder)) % 3];
    // The project: the hand escalation needs one led by a county leader other than the demo "leader".
    DemoProject project = projects[(i * 7) % projects.size()];
    std::string raiser = raisers[i % std::size(raisers)];
    if (plan.end == End::HandEscalated && !leadingLeader.empty()) {
      auto c = env.db->acquire();
      auto id = c->query(
          "SELECT p.id FROM projects p JOIN users u ON u.id = p.leader_id WHERE u.username = ? AND "
          "p.status = 'active' ORDER BY p.id LIMIT 1",
          {leadingLeader});
      if (!id.empty())
        for (const auto& p : projects)
          if (p.id == id.one().i64("id")) project = p;
    }
    // The lead unit: the project's responsible unit when someone there can act for it, else 工信局 or 交通局.
    std::int64_t lead;
    std::string leadUser;
    if (project.unit_id && unitActor.count(*project.unit_id)) {
      lead = *project.unit_id;
      leadUser = unitActor[lead];
    } else {
      const auto& u = who[i % 2 ? "unit2" : "unit"];
      lead = *u.org_unit_id;
      leadUser = u.username;
    }
    // Most problems land on the two units with sign-in users, so their inboxes and lists are full.
    if (i % 3 != 2) {
      const auto& u = who[i % 2 ? "unit2" : "unit"];
      lead = *u.org_unit_id;
      leadUser = u.username;
    }
    json helpers = json::array();
    if (auto h = unitByName.find(helperOf.at(cat)); h != unitByName.end() && h->second != lead)
      helpers.push_back(h->second);
    const auto lu = actorOf(leadUser);
    const auto rs = actorOf(raiser);
    const auto hq = who["hq"];
    const bool complex = plan.end == End::Planned || i % 5 == 4;
    const double r0 = plan.raisedAgo;
    auto step = [&](const core::Actor& a, double ago, std::int64_t id, const char* action,
                    json body = json::object()) { return ProblemsService(at(ago)).act(a, id, action, body); };
    auto p = ProblemsService(at(r0)).raise(rs, {{"title", text[0]},
                                                {"description", text[1]},
                                                {"category", cat},
                                                {"severity", complex ? "complex" : "ordinary"},
                                                {"project_id", project.id}});
    const auto id = p["id"].get<std::int64_t>();
    ++raised;
    ++tally[plan.end];
    if (plan.end == End::Raised) continue;
    if (plan.end == End::Merged) {
      step(hq, r0 - 0.1, id, "merge", {{"into", mergeTarget}, {"note", "与已受理的同类问题重复，合并办理"}});
      continue;
    }
    step(hq, r0 - 0.1, id, "accept", {{"note", "已受理，转相关单位研究"}});
    if (plan.end == End::Accepted) {
      mergeTarget = id;
      continue;
    }
    step(hq, r0 - 0.2, id, "assign", {{"lead_unit_id", lead}, {"helper_unit_ids", helpers}});
    if (plan.end == End::Assigned) continue;
    step(lu, r0 - 0.9, id, "start", {{"note", "已成立专班，明确专人负责"}});
    if (plan.end == End::HandEscalated) {
      step(lu, r0 - 3, id, "feedback", {{"note", "涉及多个部门职能交叉，单位层面协调未果"}});
      const auto head = leadingLeader.empty() ? who["leader"] : actorOf(leadingLeader);
      step(head, r0 - 5, id, "escalate", {{"note", "跨领域问题，分管县领导协调未果，提请常务副县长调度"}});
      continue;
    }
    if (plan.end == End::InProgress || plan.end == End::Overdue || plan.end == End::AutoEscalated) {
      if (i % 2 == 0)
        step(lu, r0 - 1.5 > 0.05 ? r0 - 1.5 : 0.05, id, "feedback", {{"note", "正在对接，预计本周拿出方案"}});
      continue;
    }
    if (plan.end == End::Planned) {
      step(lu, r0 - 8, id, "plan",
           {{"note", "短期内无法解决：已制定分步推进计划，每月反馈进展，力争三个月内办结"}});
      if (i % 2 == 0)
        step(lu, r0 - 30 > 1 ? r0 - 30 : 1, id, "feedback", {{"note", "按计划推进，已完成第一阶段"}});
      continue;
    }
    // Solved: three to five days after it was assigned.
    const double solvedAgo = plan.end == End::Solved ? 1.0 + (i % 2) * 0.5 : r0 - 3 - double(i % 3);
    step(lu, solvedAgo, id, "solve", {{"note", "已协调解决：" + std::string(text[1]) + "的问题已落实"}});
    if (plan.end == End::Solved) continue;
    if (plan.end == End::Reopened) {
      step(rs, solvedAgo - 1, id, "reject", {{"note", "现场核实问题仍未解决，退回重办"}});
      continue;
    }
    step(rs, solvedAgo - 1, id, "close",
         {{"rating", ratings[i % std::size(ratings)]},
          {"comment", i % 2 ? "办理及时，满意" : "基本解决，希望加快进度"}});
  }

  // Enterprise demands (企业诉求): one answered within 48 hours and rated, one running late, one just in.
  const auto& ent = who["enterprise"];
  const auto& hq = who["hq"];
  const auto& unit = who["unit"];
  auto demand = [&](double ago, const char* title, const char* detail, const char* cat) {
    ++raised;
    return ProblemsService(at(ago))
        .raise(ent, {{"title", title}, {"description", detail}, {"category", cat}})["id"]
        .get<std::int64_t>();
  };
  {
    const auto d = demand(9, "申请协调天然气管道接入", "新建生产线调试需天然气，管道接入尚未排期", "energy");
    ProblemsService(at(8.9)).act(hq, d, "accept", json::object());
    ProblemsService(at(8.8)).act(hq, d, "assign", {{"lead_unit_id", *unit.org_unit_id}});
    ProblemsService(at(8.5)).act(unit, d, "start", json::object());
    ProblemsService(at(7.8)).act(unit, d, "solve",
                                 {{"note", "已协调燃气公司将接入工程列入本月计划，11月底前通气"}});
    ProblemsService(at(7.5)).act(ent, d, "close", {{"rating", 5}, {"comment", "答复及时"}});
  }
  {
    const auto d =
        demand(3.5, "申请办理施工许可加急", "厂房主体已具备开工条件，施工许可尚未核发", "approval");
    ProblemsService(at(3.4)).act(hq, d, "accept", json::object());
    ProblemsService(at(3.3)).act(hq, d, "assign", {{"lead_unit_id", *unit.org_unit_id}});
  }
  demand(0.4, "申请协调招聘普工", "投产在即，需招聘普工约200人", "labour");

  // The day's checks as the jobs would make them: near and overdue notices, the automatic escalation, the
  // demands' clock.
  auto daily = ProblemsService(env).runDaily(now);
  auto clock = ProblemsService(env).runDemandClock(now);

  // Headquarters' weekly circular of the problem list to the county leaders, inspectors, viewers and the
  // city.
  const auto figures = ProblemsService(env).figures(hq, "");
  const auto& t = figures["total"];
  writeTransaction(env, county, [&](store::Connection& c) {
    Notification n;
    n.region_code = county;
    n.event = "problem_digest";
    n.title = "问题清单办理情况通报（截至 " + figures["as_of"].get<std::string>() + "）";
    n.body = "累计提出 " + std::to_string(t["raised"].get<std::int64_t>()) + " 个，已办结 " +
             std::to_string(t["solved"].get<std::int64_t>()) + " 个，超期 " +
             std::to_string(t["overdue"].get<std::int64_t>()) + " 个，请各单位加快办理。";
    n.sender_id = hq.user_id;
    n.link = "/problems";
    n.dedupe_key = "problem-digest:" + figures["as_of"].get<std::string>();
    std::vector<std::int64_t> to;
    for (const char* u : {"leader", "inspector", "viewer", "city", "admin"})
      if (who.count(u)) to.push_back(who[u].user_id);
    notify(c, n, to, env.nowIso());
    return 0;
  });
  log << "demo: " << raised << " problems (" << tally[End::Closed] << " closed, " << tally[End::Solved]
      << " awaiting rating, " << daily["overdue"].get<std::int64_t>() << " overdue notices, "
      << daily["escalated"].get<std::int64_t>() << " escalated automatically, "
      << clock["expired"].get<std::int64_t>() << " demands past 48 hours)" << std::endl;
}

}  // namespace steward::service
