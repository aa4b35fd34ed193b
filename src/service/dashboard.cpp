#include "service/dashboard.h"

#include "core/lifecycle.h"
#include "core/money.h"
#include "core/project.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/projects.h"
#include "service/rules.h"
#include "store/org_repo.h"
#include "store/region_repo.h"
#include "store/scope.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;

json DashboardService::summary(const core::Actor& a) {
  auto [lo, hi] = core::scopeRange(a.region_code);
  auto c = env_.db->acquire();
  json out;
  out["region_code"] = a.region_code;
  out["region_name"] = store::RegionRepository(*c).name(a.region_code).value_or("");

  store::Params scope;
  // The project queries below wait for the project repository.
  const std::string live = " FROM projects WHERE " + store::scopeSql(a.region_code, "region_code", scope) +
                           " AND status <> 'cancelled'";
  auto totals = c->query("SELECT COUNT(*) AS n, " + moneySumColumns("total_investment") + ", "
                         "COALESCE(SUM(CASE WHEN actual_start IS NOT NULL THEN 1 ELSE 0 END), 0) AS started, "
                         "COALESCE(SUM(CASE WHEN actual_completion IS NOT NULL THEN 1 ELSE 0 END), 0) AS completed" +
                             live,
                         scope)
                    .one();
  json projects;
  projects["total"] = totals.i64("n");
  projects["total_investment"] = core::joinSplitSum(totals.i64(1), totals.i64(2));
  projects["started"] = totals.i64("started");
  projects["completed"] = totals.i64("completed");

  auto stages = loadLifecycle(*c, a.region_code, core::localDay(env_.now()));
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> byStage;
  for (auto& r : c->query("SELECT stage, COUNT(*) AS n, " + moneySumColumns("total_investment") + live +
                              " GROUP BY stage",
                          scope)
                     .rows)
    byStage[r.str("stage")] = {r.i64("n"), core::joinSplitSum(r.i64(2), r.i64(3))};
  json st = json::array();
  for (const auto& s : stages.stages)
    st.push_back({{"key", s.key}, {"name", s.name}, {"count", byStage[s.key].first},
                  {"total_investment", byStage[s.key].second}});
  projects["by_stage"] = st;

  std::map<std::string, std::pair<std::int64_t, std::int64_t>> byCat;
  for (auto& r : c->query("SELECT category, COUNT(*) AS n, " + moneySumColumns("total_investment") + live +
                              " GROUP BY category",
                          scope)
                     .rows)
    byCat[r.str("category")] = {r.i64("n"), core::joinSplitSum(r.i64(2), r.i64(3))};
  json cat = json::array();
  for (std::size_t i = 0; i < core::kCategoryKeys.size(); ++i) {
    auto& v = byCat[core::kCategoryKeys[i]];
    cat.push_back({{"key", core::kCategoryKeys[i]}, {"name", core::kCategoryNames[i]}, {"count", v.first},
                   {"total_investment", v.second}});
  }
  projects["by_category"] = cat;

  json lv = json::array();
  for (std::size_t i = 0; i < core::kLevelKeys.size(); ++i) {
    store::Params lp = scope;
    lp.push_back("%," + core::escapeLike(core::kLevelKeys[i]) + ",%");
    auto n = c->query("SELECT COUNT(*)" + live + " AND (',' || levels || ',') LIKE ? ESCAPE '\\'", lp)
                 .one()
                 .i64(0);
    lv.push_back({{"key", core::kLevelKeys[i]}, {"name", core::kLevelNames[i]}, {"count", n}});
  }
  projects["by_level"] = lv;

  auto year = core::localDay(env_.now()).substr(0, 4);
  auto plan = c->query("SELECT " + moneySumColumns("pp.annual") +
                           " FROM project_plans pp JOIN projects p ON p.id = pp.project_id "
                           "WHERE p.region_code BETWEEN ? AND ? AND p.status <> 'cancelled' AND pp.year = ?",
                       {lo, hi, std::int64_t(std::stoi(year))})
                  .one();
  projects["annual_plan"] = core::joinSplitSum(plan.i64(0), plan.i64(1));
  projects["plan_year"] = std::stoi(year);
  projects["missing_ones"] = c->query("SELECT COUNT(*)" + live + " AND " + missingOnesSql(), scope).one().i64(0);
  out["projects"] = projects;

  json org;
  store::OrgUnitRepository units(*c);
  org["units"] = units.countOfKinds(a.region_code, {"department", "township", "park"});
  org["townships"] = units.countOfKinds(a.region_code, {"township"});
  org["approval"] = units.countOfKinds(a.region_code, {"approval"});
  org["users"] = store::UserRepository(*c).countEnabled(a.region_code);
  out["org"] = org;
  out["recent_audit"] = recentAudit(*c, a, !core::canReadAudit(a), std::nullopt, 8)["items"];
  return out;
}

}  // namespace steward::service
