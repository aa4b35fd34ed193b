// `steward demo`: this year's commitment letters of three units, last quarter's attack list (one item done, one
// overdue) and last quarter's dispatch-and-review meeting with its decisions become tasks.
#include "core/period.h"
#include "core/time.h"
#include "service/commitments.h"
#include "service/demo.h"
#include "service/user_view.h"
#include "service/demo_support.h"
#include "store/commitment_repo.h"
#include "store/org_repo.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;

void loadDemoCommitments(const Env& env, std::ostream& log) {
  const auto today = core::localDay(env.now());
  const auto year = std::stoll(today.substr(0, 4));
  const auto last = core::previousPeriod(core::periodOf(core::Cadence::Quarter, today));
  core::Actor hq, unit;
  std::int64_t industry = 0, transport = 0, land = 0, energy = 0;
  std::vector<std::int64_t> projects;
  {
    auto c = env.db->acquire();
    if (store::CommitmentRepo(*c).meetingOf(kDemoCounty, last.key)) return;
    hq = demoActor(*c, "hq", {"hq"});
    unit = demoActor(*c, "unit", {"unit"});
    store::OrgUnitRepository org(*c);
    industry = org.idByName(kDemoCounty, "县工业和信息化局").value_or(0);
    transport = org.idByName(kDemoCounty, "县交通运输局").value_or(0);
    land = org.idByName(kDemoCounty, "县自然资源局").value_or(0);
    energy = org.idByName(kDemoCounty, "县发展和改革局").value_or(industry);
    for (const auto& r : c->query("SELECT id FROM projects WHERE region_code = ? AND status = 'active' ORDER BY "
                                  "total_investment DESC, id LIMIT 4",
                                  {std::string(kDemoCounty)})
                             .rows)
      projects.push_back(r.i64("id"));
  }
  if (!hq.user_id || !unit.user_id || !industry || !transport || !land || projects.size() < 4) return;
  const std::string y = std::to_string(year);
  // The letters, signed at the year's mobilisation meeting.
  CommitmentsService cs(envOn(env, y + "-02-20"));
  cs.create(hq, {{"unit_id", industry}, {"year", year}, {"kind", "target"}, {"signed_on", y + "-02-18"},
                 {"signed_by", "县工业和信息化局局长"},
                 {"targets", {{{"key", "investment"}, {"target", 3'000'000'000}},
                              {{"key", "starts"}, {"target", 6}},
                              {{"key", "completions"}, {"target", 4}}}}});
  cs.create(hq, {{"unit_id", transport}, {"year", year}, {"kind", "target"}, {"signed_on", y + "-02-18"},
                 {"signed_by", "县交通运输局局长"},
                 {"targets", {{{"key", "investment"}, {"target", 1'200'000'000}}, {{"key", "starts"}, {"target", 3}}}}});
  cs.create(hq, {{"unit_id", land}, {"year", year}, {"kind", "land"}, {"signed_on", y + "-02-18"},
                 {"signed_by", "县自然资源局局长"},
                 {"targets", {{{"key", "land"}, {"target", 12}}}}});
  // Last quarter's attack list, drawn up on its first day.
  CommitmentsService first(envOn(env, last.start));
  struct I {
    std::size_t project;
    std::int64_t owner;
    const char* person;
    const char* goal;
    int dueAfter;
  };
  const I items[] = {{0, industry, "张科长", "完成主体厂房封顶", 60},
                     {1, land, "李股长", "完成项目红线内征地拆迁交地", 45},
                     {2, transport, "王局长", "配套道路路基贯通", 80},
                     {3, energy, "刘主任", "完成能评批复", 30}};
  std::vector<json> made;
  for (const auto& i : items)
    made.push_back(first.addAttackItem(hq, {{"quarter", last.key}, {"project_id", projects[i.project]},
                                            {"owner_unit_id", i.owner}, {"owner_person", i.person}, {"goal", i.goal},
                                            {"deadline", core::addDays(last.start, i.dueAfter)}}));
  CommitmentsService(envOn(env, core::addDays(last.start, 55)))
      .markAttackDone(unit, made[0]["id"].get<std::int64_t>(), {{"version", made[0]["version"]}, {"note", "主体厂房已于本周封顶"}});
  CommitmentsService(envOn(env, core::addDays(last.start, 28)))
      .markAttackDone(hq, made[3]["id"].get<std::int64_t>(), {{"version", made[3]["version"]}, {"note", "能评已批复"}});
  // The meeting in the quarter's last month, with two decisions.
  const auto heldOn = core::addDays(last.end, -10);
  CommitmentsService meeting(envOn(env, heldOn));
  auto m = meeting.createReview(hq, {{"quarter", last.key},
                                     {"held_on", heldOn},
                                     {"place", "县政府三楼常务会议室"},
                                     {"chair", "县长"},
                                     {"attendees", {"县发展和改革局", "县工业和信息化局", "县自然资源局", "县交通运输局"}},
                                     {"minutes", "会议通报了本季度攻坚清单完成情况和各单位挂榜排名，点评了进度滞后的项目，"
                                                 "部署了下季度攻坚任务。"}});
  const auto id = m["id"].get<std::int64_t>();
  meeting.decideReview(hq, id, {{"text", "征地拆迁交地事项限期完成并报总指挥部"}, {"owner_unit_id", land},
                                {"due_on", core::addDays(heldOn, 20)}});
  meeting.decideReview(hq, id, {{"text", "配套道路路基施工倒排工期，每周报进度"}, {"owner_unit_id", transport},
                                {"due_on", core::addDays(heldOn, 45)}});
  log << "commitments: 3 letters for " << year << ", " << last.key << " attack list of " << made.size()
      << " items and its review meeting with 2 decisions" << std::endl;
}

}  // namespace steward::service
