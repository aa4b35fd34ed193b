// `steward demo`: last month's factor consultation (每月必商) with its decisions become tasks — one done, one overdue,
// two running — and, when the county has no open factor problem yet, the few problems its agenda needs.
#include <chrono>

#include "core/period.h"
#include "core/time.h"
#include "service/consultations.h"
#include "service/demo.h"
#include "service/problems.h"
#include "service/user_view.h"
#include "service/demo_support.h"
#include "store/consultation_repo.h"
#include "store/org_repo.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;

void loadDemoConsultation(const Env& env, std::ostream& log) {
  const auto today = core::localDay(env.now());
  const auto month = core::addDays(today.substr(0, 8) + "01", -1).substr(0, 7);  // last month
  const auto meetingOn = month + "-15";
  core::Actor hq, unit;
  std::int64_t landUnit = 0, waterUnit = 0, fundsUnit = 0, transportUnit = 0, industryUnit = 0;
  std::vector<std::int64_t> projects;
  bool haveFactor = false;
  std::vector<std::int64_t> existing;
  {
    auto c = env.db->acquire();
    if (store::ConsultationRepo(*c).findByMonth(kDemoCounty, month)) return;
    hq = demoActor(*c, "hq", {"hq"});
    unit = demoActor(*c, "unit", {"unit"});
    store::OrgUnitRepository org(*c);
    landUnit = org.idByName(kDemoCounty, "县自然资源局").value_or(0);
    waterUnit = org.idByName(kDemoCounty, "县水利局").value_or(0);
    fundsUnit = org.idByName(kDemoCounty, "县财政局").value_or(0);
    transportUnit = org.idByName(kDemoCounty, "县交通运输局").value_or(0);
    industryUnit = org.idByName(kDemoCounty, "县工业和信息化局").value_or(0);
    for (const auto& r : c->query("SELECT id FROM projects WHERE region_code = ? AND status = 'active' ORDER BY "
                                  "total_investment DESC, id LIMIT 3",
                                  {std::string(kDemoCounty)})
                             .rows)
      projects.push_back(r.i64("id"));
    for (const auto& r : c->query("SELECT id FROM problems WHERE region_code = ? AND kind IN ('problem', 'demand') "
                                  "AND category IN ('land', 'water', 'energy', 'environment', 'funds') AND status IN "
                                  "('raised', 'accepted', 'assigned', 'in_progress', 'planned') ORDER BY id LIMIT 3",
                                  {std::string(kDemoCounty)})
                             .rows)
      existing.push_back(r.i64("id"));
    haveFactor = !existing.empty();
  }
  if (!hq.user_id || !unit.user_id || !landUnit || !waterUnit || !fundsUnit || !transportUnit || !industryUnit ||
      projects.size() < 3)
    return;
  // The factor problems on the agenda, raised over the month before the meeting when the county has none.
  std::vector<std::int64_t> problems = existing;
  if (!haveFactor) {
    struct P {
      const char* title;
      const char* category;
      int daysBefore;
      std::int64_t lead;
    };
    const P ps[] = {{"新材料产业园二期用地指标缺口约120亩", "land", 40, landUnit},
                    {"电子级金属材料项目生产用水管网未接通", "water", 25, waterUnit},
                    {"配套道路专项债资金尚未拨付到位", "funds", 12, fundsUnit}};
    for (std::size_t i = 0; i < std::size(ps); ++i) {
      ProblemsService svc(envOn(env, core::addDays(meetingOn, -ps[i].daysBefore)));
      auto p = svc.raise(hq, {{"title", ps[i].title}, {"category", ps[i].category}, {"project_id", projects[i]},
                              {"description", "项目调度会提出，需在每月必商会议上协调"}});
      const auto id = p["id"].get<std::int64_t>();
      svc.act(hq, id, "accept", json::object());
      svc.act(hq, id, "assign", {{"lead_unit_id", ps[i].lead}});
      problems.push_back(id);
    }
  }
  // The meeting on the 15th of last month, held, with four decisions.
  const auto meetingEnv = envOn(env, meetingOn);
  ConsultationService cs(meetingEnv);
  auto m = cs.create(hq, {{"month", month},
                          {"meeting_on", meetingOn},
                          {"place", "县政府三楼常务会议室"},
                          {"chair", "常务副县长"},
                          {"attendees", {"县自然资源局", "县水利局", "县财政局", "国网衡东县供电公司",
                                         "市生态环境局衡东分局", "县交通运输局", "县工业和信息化局"}},
                          {"minutes", "会议听取了各项目要素保障情况汇报，逐项研究了用地、用水、用能、环境容量和资金问题，"
                                      "明确了责任单位和完成时限。"}});
  const auto id = m["id"].get<std::int64_t>();
  json notes = json::array();
  if (!problems.empty()) notes.push_back({{"problem_id", problems[0]}, {"note", "自然资源局牵头，从全县增减挂钩指标中统筹解决"}});
  m = cs.update(hq, id, {{"version", m["version"]}, {"status", "held"}, {"items", notes}});
  auto about = [&](std::size_t i) { return i < problems.size() ? json(problems[i]) : json(); };
  struct D {
    const char* text;
    std::int64_t owner;
    int dueAfter;
    std::size_t about;
  };
  const D ds[] = {{"完成新材料产业园二期120亩用地报批", landUnit, 45, 0},
                  {"配合完成电子级金属材料项目供水管网接入方案", industryUnit, 5, 1},
                  {"完成配套道路征地范围内管线迁改", transportUnit, 7, 99},
                  {"拨付配套道路专项债资金首期3000万元", fundsUnit, 40, 2}};
  std::vector<std::int64_t> tasks;
  for (const auto& d : ds) {
    json in = {{"text", d.text}, {"owner_unit_id", d.owner}, {"due_on", core::addDays(meetingOn, d.dueAfter)}};
    if (!about(d.about).is_null()) in["problem_id"] = about(d.about);
    tasks.push_back(cs.decide(hq, id, in)["task"]["id"].get<std::int64_t>());
  }
  // The industry bureau's task was done in four days and closed by headquarters; the transport one is overdue.
  const auto doneOn = core::addDays(meetingOn, 4);
  ProblemsService(envOn(env, doneOn)).act(unit, tasks[1], "start", json::object());
  ProblemsService(envOn(env, doneOn)).act(unit, tasks[1], "solve", {{"note", "供水管网接入方案已经水利局审定"}});
  ProblemsService(envOn(env, core::addDays(doneOn, 1))).act(hq, tasks[1], "close", {{"rating", 5}});
  log << "consultation: " << month << " held on " << meetingOn << " with " << tasks.size() << " decisions as tasks"
      << (haveFactor ? "" : ", " + std::to_string(problems.size()) + " factor problems raised") << std::endl;
}

}  // namespace steward::service
