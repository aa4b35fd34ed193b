#include "service/dashboard.h"

#include "core/lifecycle.h"
#include "core/money.h"
#include "core/project.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/profile.h"
#include "service/projects.h"
#include "service/rules.h"
#include "store/org_repo.h"
#include "store/project_repo.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;

json DashboardService::summary(const core::Actor& a) {
  auto [lo, hi] = core::scopeRange(a.region_code);
  auto c = env_.db->acquire();
  json out;
  out["region_code"] = a.region_code;
  store::ProjectRepo repo(*c);
  out["region_name"] = repo.regionName(a.region_code).value_or("");

  const auto totals = repo.liveTotals(a.region_code);
  json projects;
  projects["total"] = totals.count;
  projects["total_investment"] = totals.total_investment;
  projects["started"] = totals.started;
  projects["completed"] = totals.completed;

  auto stages = loadLifecycle(*c, a.region_code, core::localDay(env_.now()));
  auto byStage = repo.liveByStage(a.region_code);
  json st = json::array();
  for (const auto& s : stages.stages)
    st.push_back({{"key", s.key}, {"name", s.name}, {"count", byStage[s.key].count},
                  {"total_investment", byStage[s.key].total_investment}});
  projects["by_stage"] = st;

  auto byCat = repo.liveByCategory(a.region_code);
  json cat = json::array();
  for (std::size_t i = 0; i < core::kCategoryKeys.size(); ++i) {
    auto& v = byCat[core::kCategoryKeys[i]];
    cat.push_back({{"key", core::kCategoryKeys[i]}, {"name", core::kCategoryNames[i]}, {"count", v.count},
                   {"total_investment", v.total_investment}});
  }
  projects["by_category"] = cat;

  json lv = json::array();
  for (std::size_t i = 0; i < core::kLevelKeys.size(); ++i)
    lv.push_back({{"key", core::kLevelKeys[i]},
                  {"name", core::kLevelNames[i]},
                  {"count", repo.liveWithLevel(a.region_code, core::kLevelKeys[i])}});
  projects["by_level"] = lv;

  auto year = core::localDay(env_.now()).substr(0, 4);
  projects["annual_plan"] = repo.liveAnnualPlan(a.region_code, std::stoi(year));
  projects["plan_year"] = std::stoi(year);
  projects["missing_ones"] = repo.liveMissingOnes(a.region_code, checklistGroups(*c, a.region_code, core::localDay(env_.now())));
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
