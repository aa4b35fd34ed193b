// The problem list's closed loop (问题清单, MECHANISMS.md §6): a problem is raised (from a report's problems, a
// visit's findings, directly by a liaison, a unit, a leader, an inspector or headquarters, or as an enterprise's
// demand), accepted and assigned (交办) by headquarters to a lead unit with helpers, started, solved (办结) and rated
// and closed by its raiser — or rejected back with a reason, or turned into a plan with monthly feedback when it
// cannot be solved now; headquarters merges duplicates; the leading county leader escalates a cross-domain problem
// to the holder the county's rules name. Every step goes through core/problems' transition table (illegal: 409
// with its Chinese message; not the actor's to take: 403), is audited and written to the problem's timeline, and
// notifies the people it concerns (service/notify.h). The daily job (runDaily) warns of near and past deadlines,
// escalates overdue problems when the rules say so, and re-evaluates the lights of the projects concerned.
#pragma once
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/access.h"
#include "core/time.h"
#include "service/context.h"

namespace steward::service {

inline constexpr int kProblemPageMax = 200;
inline constexpr std::size_t kProblemTitleMax = 200;
inline constexpr std::size_t kProblemTextMax = 4000;
inline constexpr std::size_t kProblemNoteMax = 2000;
inline constexpr std::size_t kProblemEvidenceMax = 9;
inline constexpr std::size_t kProblemHelpersMax = 10;
inline constexpr int kDemandWarnHours = 6;

struct ProblemQuery {
  bool mine = false;     // raised by the actor
  bool my_unit = false;  // led or helped by the actor's unit
  bool overdue = false;
  std::string status;  // a state, or "open": neither closed nor merged
  std::string kind, category;
  std::string text;    // words in the title or description (at most kProblemSearchMax characters)
  std::optional<std::int64_t> project_id, unit_id;
  int page = 1, page_size = 20;
};
inline constexpr std::size_t kProblemSearchMax = 100;

struct ProblemReply {
  std::string body, content_type, filename;  // filename: ASCII, reply-<id>.pdf|docx
};

// A task decided at the monthly consultation (每月必商) or the quarterly dispatch-and-review meeting (调度讲评会,
// source "review", consultation_id then the review meeting's id): inserted already assigned to its owner unit with
// the meeting's due day, inside the caller's transaction `c`, audited, on the timeline and notified to the owner
// unit's users; from then on it goes through the same loop as any problem. Returns the new problem's id.
struct ConsultationTask {
  std::string region_code, title, description, category, due_on;
  std::int64_t owner_unit_id = 0, consultation_id = 0;
  std::optional<std::int64_t> project_id;
  std::string source = "consultation";          // consultation | review
  std::string origin_label = "每月必商决定事项";  // the timeline's and the notice's words
};
std::int64_t createConsultationTask(store::Connection& c, const Env& env, const core::Actor& a,
                                    const ConsultationTask& t);

class ProblemsService {
 public:
  explicit ProblemsService(Env env) : env_(env) {}
  nlohmann::json list(const core::Actor& a, const ProblemQuery& q);
  // The problem with its units and whole timeline, and the actions the actor may take now.
  nlohmann::json get(const core::Actor& a, std::int64_t id);
  // {title, description?, category?, severity?, project_id?, kind? (problem|demand), source? (direct|report|visit|
  //  enterprise), source_id?, evidence? [photo hashes]}.
  // `alsoIn` (when given) runs inside the raise's transaction with the new problem's id: a caller that links the
  // problem to its origin (an inspection finding) commits both or neither.
  nlohmann::json raise(const core::Actor& a, const nlohmann::json& in,
                       const std::function<void(store::Connection&, std::int64_t)>& alsoIn = {});
  // One step of the loop: accept, assign {lead_unit_id, helper_unit_ids?, severity?}, start, feedback {note},
  // plan {note}, solve {note}, close {rating 1–5, comment?}, reject {note}, merge {into, note}, escalate {note};
  // every body may carry the version the actor saw (409 version_conflict when stale) and a note.
  nlohmann::json act(const core::Actor& a, std::int64_t id, const std::string& action, const nlohmann::json& in);

  // An enterprise demand's stamped reply letter (答复函), in the layout of the three letters: 409 before the demand is
  // answered (solved), 404 for a problem that is not a demand.
  ProblemReply reply(const core::Actor& a, std::int64_t id, bool pdf);

  // Figures by lead unit and by category for those who see the county (headquarters, inspectors, viewers, cities):
  // raised, solved (solved or closed), solving_rate_bp, avg_days_to_solve (raised to solved, one decimal), overdue
  // (open past its current deadline), avg_rating (of the rated, two decimals); merged problems are not counted.
  // `kind` filters (problem|demand|task, empty for all).
  nlohmann::json figures(const core::Actor& a, const std::string& kind);
  // The same as an .xlsx workbook: a sheet by unit and a sheet by category.
  std::string figuresXlsx(const core::Actor& a, const std::string& kind);

  // The daily job: every open problem not yet looked at on its county's day — "deadline near" and "overdue"
  // notices (one per problem and day), automatic escalation per the rules, and the lights of projects with overdue
  // problems re-evaluated. {checked, near, overdue, escalated, lights}.
  nlohmann::json runDaily(core::TimePoint now);

  // The enterprise demands' answer clock, run every few minutes (job demand-clock): for each unanswered open demand
  // a "demand expiring" notice (event deadline_near) once it is within kDemandWarnHours of its answer_due_at, and a
  // "demand expired" notice (event overdue) once that has passed (within a week of it), each once per demand, to the lead unit (or, before it is
  // assigned, headquarters) and headquarters. {expiring, expired}: the notices sent now.
  nlohmann::json runDemandClock(core::TimePoint now);

 private:
  Env env_;
};

}  // namespace steward::service
