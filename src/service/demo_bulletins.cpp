// `steward demo`: the county's weekly inspection bulletins (督查通报) over the last eight weeks, generated from the
// demo's figures on the Monday after each week, the first seven issued (numbered in the county's sequence) and the
// latest left as a draft for headquarters to edit; and the last 旬's inspection plan (每旬必督) with its visits, one
// finding raised as a problem.
#include "core/period.h"
#include "core/time.h"
#include "service/bulletins.h"
#include "service/demo.h"
#include "service/inspections.h"
#include "store/inspection_repo.h"
#include "service/user_view.h"
#include "service/demo_support.h"
#include "store/bulletin_repo.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

constexpr int kWeeks = 8;

}  // namespace

void loadDemoBulletins(const Env& env, std::ostream& log) {
  core::Actor hq;
  {
    auto c = env.db->acquire();
    if (store::BulletinRepo(*c).count(kDemoCounty, "") > 0) return;
    auto id = store::UserRepository(*c).idByName("hq");
    if (!id) return;
    hq = loadActor(*c, *id);
    hq.region_code = kDemoCounty;
    hq.roles = {"hq"};
  }
  const auto today = core::localDay(env.now());
  // The week before this one, and the seven before it.
  auto week = core::previousPeriod(core::periodOf(core::Cadence::Week, today));
  for (int i = 1; i < kWeeks; ++i) week = core::previousPeriod(week);
  int issued = 0;
  for (int i = 0; i < kWeeks; ++i, week = core::nextPeriod(week)) {
    const auto monday = core::addDays(week.end, 1);
    BulletinsService sv(envOn(env, monday));
    auto b = sv.generate(hq, {{"period_start", week.start}, {"period_end", week.end}});
    if (i + 1 < kWeeks) {
      sv.issue(hq, b["id"].get<std::int64_t>());
      ++issued;
    }
  }
  log << "demo bulletins: " << issued << " issued, 1 draft" << std::endl;
}

void loadDemoInspections(const Env& env, std::ostream& log) {
  core::Actor hq, inspector;
  std::vector<std::int64_t> projects;
  const auto today = core::localDay(env.now());
  const auto tenDay = core::previousPeriod(core::periodOf(core::Cadence::TenDay, today));
  {
    auto c = env.db->acquire();
    if (!store::InspectionRepo(*c).plans(kDemoCounty, "", 1).empty()) return;
    auto users = store::UserRepository(*c);
    auto hqId = users.idByName("hq");
    auto inspId = users.idByName("inspector");
    if (!hqId || !inspId) return;
    hq = loadActor(*c, *hqId);
    hq.region_code = kDemoCounty;
    hq.roles = {"hq"};
    inspector = loadActor(*c, *inspId);
    inspector.region_code = kDemoCounty;
    inspector.roles = {"inspector"};
    projects = store::InspectionRepo(*c).largestProjects(kDemoCounty, 5);
  }
  if (projects.size() < 3) return;
  json targets = json::array();
  for (auto id : projects) targets.push_back({{"project_id", id}, {"inspector_id", inspector.user_id}});
  InspectionsService sv(envOn(env, tenDay.start));
  auto plan = sv.create(hq, {{"period", tenDay.key}, {"targets", targets}, {"note", "重点督查开工准备、安全生产和要素保障"}});
  const auto planId = plan["id"].get<std::int64_t>();
  InspectionsService later(envOn(env, core::addDays(tenDay.start, 3)));
  later.addVisit(inspector, planId,
                 {{"project_id", projects[0]},
                  {"visited_on", core::addDays(tenDay.start, 3)},
                  {"summary", "主体结构施工中，现场作业人员约120人"},
                  {"findings", json::array({{{"text", "塔吊基础验收资料不全，需补办验收手续"}},
                                            {{"text", "渣土运输车辆未全部覆盖"}}})}});
  auto visit = later.addVisit(inspector, planId,
                              {{"project_id", projects[1]},
                               {"visited_on", core::addDays(tenDay.start, 3)},
                               {"summary", "场地平整基本完成"},
                               {"findings", json::array({{{"text", "临时用电容量不足，影响设备进场"}}})}});
  later.toProblem(hq, visit["findings"][0]["id"].get<std::int64_t>(), json::object());
  log << "demo inspections: " << tenDay.label << " plan with " << projects.size() << " projects, 2 visits" << std::endl;
}

}  // namespace steward::service
