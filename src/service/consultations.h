// The monthly factor consultation (每月必商, MECHANISMS.md §4) and Hengdong's four lists (清单化管理, §5).
//
// Consultation: one meeting a month per county. Its agenda is the county's open problems and demands in the factor
// categories of the county's problem rules (land, water, energy, environment, funds: `factor: true`), overdue first
// then by the day raised. Headquarters creates the month's meeting, edits its date, place, chair, attendees, minutes
// and the note per agenda problem (at a version), and marks it held, which snapshots the agenda. Each decision
// {text, owner_unit_id, due_on, problem_id?} becomes a task (problems.kind = 'task', source 'consultation') assigned
// at once to the owner unit with solve_due = due_on, tracked through the problem loop (service/problems.h).
// Headquarters writes; the county's headquarters, viewers, inspectors and leaders (and cities above) read; another
// county's meeting is 404.
//
// Lists, each paged and filtered by unit (unit_id: lead or helper unit, a project's lead unit, a letter's recipient):
//   problems         the open problems and demands: unit, category, due day, status, overdue;
//   tasks            every task (consultation decisions and others): owner unit, deadline, status, overdue;
//   responsibilities each active project with its leading county leader, lead unit, the unit's principal and
//                    section chief, and its open problems and open tasks;
//   deadlines        every open deadline of the county — problems' and tasks' current due days, project nodes planned
//                    and not done, letters' sign and answer dues — by day, overdue marked.
// Each also as an .xlsx workbook with Chinese headers (at most kListXlsxMax rows).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

inline constexpr int kConsultationPageMax = 100;
inline constexpr int kAgendaMax = 200;             // problems on one agenda
inline constexpr std::size_t kDecisionsMax = 50;   // decisions of one meeting
inline constexpr std::size_t kAttendeesMax = 100;
inline constexpr std::size_t kMinutesMax = 20000;  // characters
inline constexpr std::size_t kDecisionTextMax = 500;
inline constexpr std::size_t kItemNoteMax = 2000;
inline constexpr int kListPageMax = 200;
inline constexpr int kListXlsxMax = 5000;

struct ListQuery {
  std::optional<std::int64_t> unit_id;
  int page = 1, page_size = 50;
};

class ConsultationService {
 public:
  explicit ConsultationService(Env env) : env_(env) {}
  nlohmann::json list(const core::Actor& a, const std::string& month, int page, int pageSize);
  nlohmann::json get(const core::Actor& a, std::int64_t id);
  nlohmann::json agenda(const core::Actor& a, const std::string& month);
  // {month, meeting_on?, place?, chair?, attendees? [names], minutes?}: 409 when the month already has one.
  nlohmann::json create(const core::Actor& a, const nlohmann::json& in);
  // {version, meeting_on?, place?, chair?, attendees?, minutes?, items? [{problem_id, note}], status? "held"}.
  nlohmann::json update(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  // {text, owner_unit_id, due_on, problem_id?}: the decision and the task it became (409 before the meeting is held).
  nlohmann::json decide(const core::Actor& a, std::int64_t id, const nlohmann::json& in);

  // kind: problems | tasks | responsibilities | deadlines (404 otherwise).
  nlohmann::json lists(const core::Actor& a, const std::string& kind, const ListQuery& q);
  std::string listsXlsx(const core::Actor& a, const std::string& kind, const ListQuery& q);

 private:
  Env env_;
};

}  // namespace steward::service
