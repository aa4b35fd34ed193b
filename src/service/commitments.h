// Commitments and quarterly lists (issue 12: "Commitments and quarterly lists", "Quarterly assessment").
//
// Commitment letters (承诺书, Hengdong): per unit, year and kind — `target` (目标管理承诺书) or `land`
// (征地拆迁承诺书) — with targets [{key, label?, target}], each key at most once:
//   investment   yuan of investment done, the sum of the submitted progress reports' `investment` of the unit's
//                projects whose period ends in the month (returned reports not counted);
//   starts       the unit's projects with actual_start in the month;
//   completions  the unit's projects with actual_completion in the month;
//   land         land and land-acquisition problems (categories land, land_acquisition) led by the unit and solved
//                in the month (by the solved timestamp's month) — the data tracks these, not 亩.
// Tracking gives, per target, the cumulative actual at the end of each month from January to the current month
// (the last month of a past year) and percent_bp = actual × 10000 / target (integer, null when the target is 0).
// Headquarters creates and edits (at a version); the county's readers (headquarters, inspectors, viewers, leaders,
// cities above) see all; a unit's users see their own unit's letters only.
//
// Attack lists (攻坚清单, Lianshui): per quarter (YYYY-Qn), items {project_id?, owner_unit_id, owner_person, goal,
// deadline}; headquarters adds; the owner unit or headquarters marks an item done with a note; an open item is
// overdue once the county's day is past its deadline. Units read their own items.
//
// The quarterly dispatch-and-review meeting (调度讲评会): one per county and quarter {held_on, place, chair,
// attendees, minutes}, edited at a version by headquarters; each decision {text, owner_unit_id, due_on} becomes a
// task (problems.kind = 'task', source 'review') tracked through the problem loop.
//
// The quarterly assessment (每季必考) workbook: sheet 单位考核 — each unit with its three months' rank, total and
// grade from the latest ranking revision of each month ("未发布" while a month is not closed), its yellow cards of
// the quarter and its commitments' average progress; sheet 领导考核 — each county leader with the projects led, the
// quarter's visit rate (distinct project-weeks visited ÷ (projects led × ISO weeks of the quarter so far)) and the
// open problems of the projects led.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

inline constexpr std::size_t kCommitmentTargetsMax = 8;
inline constexpr std::size_t kTargetLabelMax = 50;
inline constexpr std::int64_t kTargetCountMax = 1'000'000;
inline constexpr std::size_t kAttackGoalMax = 500;
inline constexpr std::size_t kAttackNoteMax = 2000;
inline constexpr std::int64_t kAttackItemsMax = 200;  // items of one county's quarter
inline constexpr std::size_t kReviewDecisionsMax = 50;
inline constexpr std::size_t kReviewAttendeesMax = 100;
inline constexpr std::size_t kReviewMinutesMax = 20000;
inline constexpr std::size_t kReviewDecisionTextMax = 500;

class CommitmentsService {
 public:
  explicit CommitmentsService(Env env) : env_(env) {}
  // {year, through (YYYY-MM), items: [commitment with targets' months, actual, percent_bp], can_edit}.
  nlohmann::json list(const core::Actor& a, const std::string& year);
  // {unit_id, year, kind, targets, signed_on?, signed_by?}: 409 when the unit already has that letter for the year.
  nlohmann::json create(const core::Actor& a, const nlohmann::json& in);
  // {version, targets?, signed_on?, signed_by?}.
  nlohmann::json update(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  std::string xlsx(const core::Actor& a, const std::string& year);

  // {quarter, today, items: [... overdue], can_edit}.
  nlohmann::json attackList(const core::Actor& a, const std::string& quarter);
  // {quarter, project_id?, owner_unit_id, owner_person?, goal, deadline}.
  nlohmann::json addAttackItem(const core::Actor& a, const nlohmann::json& in);
  // {version, note}.
  nlohmann::json markAttackDone(const core::Actor& a, std::int64_t id, const nlohmann::json& in);

  // {quarter, meeting (or null) with decisions and their tasks, can_edit}.
  nlohmann::json review(const core::Actor& a, const std::string& quarter);
  // {quarter, held_on?, place?, chair?, attendees?, minutes?}: 409 when the quarter already has one.
  nlohmann::json createReview(const core::Actor& a, const nlohmann::json& in);
  // {version, held_on?, place?, chair?, attendees?, minutes?}.
  nlohmann::json updateReview(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  // {text, owner_unit_id, due_on}: the decision and its task (409 before held_on is set).
  nlohmann::json decideReview(const core::Actor& a, std::int64_t id, const nlohmann::json& in);

  std::string assessmentXlsx(const core::Actor& a, const std::string& quarter);

 private:
  Env env_;
};

}  // namespace steward::service
