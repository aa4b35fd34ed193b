// Reading the project library: the filtered list, one project, and the form's choices (meta).
#include <map>
#include <set>

#include "service/projects.h"
#include "service/projects_internal.h"

namespace steward::service {

using nlohmann::json;
using namespace projects;

store::ProjectListFilter projects::listFilter(store::Connection& c, const core::Actor& a, const ProjectFilter& f,
                                             const core::Lifecycle& lc, const std::string& day) {
  store::ProjectListFilter s;
  s.region = a.region_code;
  s.q = f.q;
  s.stage = f.stage;
  s.category = f.category;
  s.chain = f.chain;
  s.status = f.status;
  if (!f.light.empty() && f.light != "green" && f.light != "yellow" && f.light != "red") {
    Validator v;
    v.add("light", "invalid");
    v.throwIfAny("查询参数不正确");
  }
  s.light = f.light;
  s.level = f.level;
  s.township_id = f.township_id;
  s.unit_id = f.unit_id;
  s.leader_id = f.leader_id;
  if (!f.missing.empty()) {
    // Each county's projects are checked against its own checklist (a city's list spans several).
    if (f.missing == "1" || f.missing == "any" || f.missing == "true") {
      s.missing = checklistGroups(c, a.region_code, day);
    } else {
      s.missing = checklistGroups(c, a.region_code, day, f.missing);
      bool known = !s.missing->empty();
      for (const auto& it : loadChecklist(c, a.region_code, day)) known = known || it.key == f.missing;
      if (!known) {
        Validator v;
        v.add("missing", "invalid");
        v.throwIfAny("查询参数不正确");
      }
    }
  }
  if (f.mine) {
    s.mine_user = a.user_id;
    if (a.org_unit_id && (a.has("unit") || a.has("liaison"))) s.mine_unit = *a.org_unit_id;
  }
  static const std::map<std::string, store::ProjectSort> sorts = {{"name", store::ProjectSort::Name},
                                                                  {"total_investment", store::ProjectSort::TotalInvestment},
                                                                  {"planned_start", store::ProjectSort::PlannedStart},
                                                                  {"updated_at", store::ProjectSort::UpdatedAt},
                                                                  {"created_at", store::ProjectSort::CreatedAt},
                                                                  {"code", store::ProjectSort::Code},
                                                                  {"stage", store::ProjectSort::Stage}};
  auto sit = sorts.find(f.sort);
  if (sit == sorts.end() || (f.order != "asc" && f.order != "desc")) {
    Validator v;
    if (sit == sorts.end()) v.add("sort", "invalid");
    if (f.order != "asc" && f.order != "desc") v.add("order", "invalid");
    v.throwIfAny("查询参数不正确");
  }
  s.sort = sit->second;
  s.ascending = f.order == "asc";
  if (s.sort == store::ProjectSort::Stage)
    for (const auto& st : lc.stages) s.stage_order.push_back(st.key);
  return s;
}

json ProjectService::list(const core::Actor& a, const ProjectFilter& f) {
  auto c = env_.db->acquire();
  const auto day = core::localDay(env_.now());
  auto lc = loadLifecycle(*c, a.region_code, day);
  auto page = store::ProjectRepo(*c).list(listFilter(*c, a, f, lc, day), f.page, f.page_size);
  json items = json::array();
  std::map<std::string, Checklist> ones;  // per county: a city's list spans several
  for (const auto& r : page.rows) {
    auto region = r.str("region_code");
    auto it = ones.find(region);
    if (it == ones.end()) it = ones.emplace(region, loadChecklist(*c, region, day)).first;
    items.push_back(summaryJson(r, lc, it->second));
  }
  return {{"items", items},
          {"total", page.total},
          {"total_investment", page.total_investment},
          {"page", f.page},
          {"page_size", f.page_size}};
}

json ProjectService::get(const core::Actor& a, std::int64_t id) {
  auto c = env_.db->acquire();
  store::ProjectRepo repo(*c);
  auto r = loadRow(repo, id);
  if (!core::inScope(a, r.str("region_code"))) throw notFound("项目不存在");
  auto today = core::localDay(env_.now());
  auto lc = loadLifecycle(*c, r.str("region_code"), today);
  const auto ones = loadChecklist(*c, r.str("region_code"), today);
  return detailJson(repo, r, lc, ones, today.substr(0, 4), &a);
}

json ProjectService::meta(const core::Actor& a) {
  auto c = env_.db->acquire();
  auto lc = loadLifecycle(*c, a.region_code, core::localDay(env_.now()));
  auto named = [](const auto& arr) {
    json out = json::array();
    for (const auto& n : arr) out.push_back({{"key", n.key}, {"name", n.name}});
    return out;
  };
  auto pairs = [](const auto& keys, const auto& names) {
    json out = json::array();
    for (std::size_t i = 0; i < keys.size(); ++i) out.push_back({{"key", keys[i]}, {"name", names[i]}});
    return out;
  };
  json stages = json::array();
  for (const auto& s : lc.stages) stages.push_back({{"key", s.key}, {"name", s.name}, {"requires", s.requires_fields}});
  json nodes = json::array();
  for (const auto& n : lc.nodes) nodes.push_back({{"key", n.key}, {"name", n.name}, {"unit_hint", n.unit_hint}});
  // The checklist of "ones" of the actor's county (the default for a city or province).
  json ones = json::array();
  for (const auto& it : loadChecklist(*c, a.region_code, core::localDay(env_.now())))
    ones.push_back({{"key", it.key}, {"name", it.name}, {"auto", !core::isManual(it)}});
  store::ProjectRepo repo(*c);
  auto distinct = [&](const char* col, std::vector<std::string> defaults) {
    std::set<std::string> s(defaults.begin(), defaults.end());
    for (auto& v : repo.distinctValues(a.region_code, col)) s.insert(std::move(v));
    return json(std::vector<std::string>(s.begin(), s.end()));
  };
  return {{"roles", named(core::kRoles)},
          {"ranks", named(core::kRanks)},
          {"org_unit_kinds", named(core::kOrgUnitKinds)},
          {"categories", pairs(core::kCategoryKeys, core::kCategoryNames)},
          {"levels", pairs(core::kLevelKeys, core::kLevelNames)},
          {"funding_sources", pairs(core::kFundingKeys, core::kFundingNames)},
          {"stages", stages},
          {"lifecycle_preset", lc.preset},
          {"node_templates", nodes},
          {"missing_ones", ones},
          {"chains", distinct("chain", {"一金", "一药", "两材", "三特", "先进材料"})},
          {"industries", distinct("industry", {"新材料", "生物医药", "装备制造", "有色金属", "交通", "水利", "能源",
                                               "教育", "卫生健康", "文化旅游", "农产品加工"})}};
}

}  // namespace steward::service
