// The problem list's pure rules (问题清单, MECHANISMS.md §6): states and the transition table with who may act,
// a Chinese message for every refusal, deadlines from the county's rules on the working-day calendar, "overdue"
// and "deadline near" at a day, and the escalation level at a day. No I/O: the service supplies the facts.
//
//   raised ─accept→ accepted ─assign→ assigned ─start→ in_progress ─solve→ solved ─close (rate)→ closed
//                                                        │    ↑ reject (raiser, with a reason) ┘
//                                                        └plan→ planned (cannot be solved now: a concrete plan,
//                                                               monthly feedback, next_feedback_due) ─solve→ solved
//   merge (headquarters, a duplicate into another) from any open state → merged (terminal).
//   feedback keeps in_progress / planned; escalate keeps the state and raises the level (0 leading county leader,
//   1 executive vice county head 常务副县长, 2 county head 县长).
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/workdays.h"

namespace steward::core {

enum class ProblemState { Raised, Accepted, Assigned, InProgress, Planned, Solved, Closed, Merged };
enum class ProblemAction { Accept, Assign, Start, Feedback, Plan, Solve, Close, Reject, Merge, Escalate };
// The parts a person plays toward one problem (a person may play several).
enum class ProblemRole { Raiser, Headquarters, LeadUnit, HelperUnit, LeadingLeader, EscalationTarget };
enum class Severity { Ordinary, Complex };

std::optional<ProblemState> problemStateFromKey(std::string_view k);
const char* problemStateKey(ProblemState s);  // "raised", "in_progress", …
const char* problemStateLabel(ProblemState s);  // "已提出", "办理中", …
std::optional<ProblemAction> problemActionFromKey(std::string_view k);
const char* problemActionKey(ProblemAction a);
const char* problemActionLabel(ProblemAction a);  // "交办", …
std::optional<ProblemRole> problemRoleFromKey(std::string_view k);
const char* problemRoleKey(ProblemRole r);
const char* problemRoleLabel(ProblemRole r);  // "提出人", "总指挥部办公室", …
std::optional<Severity> severityFromKey(std::string_view k);  // "ordinary", "complex"
const char* severityKey(Severity s);

struct ProblemTransition {
  ProblemState from;
  ProblemAction action;
  ProblemState to;
  std::vector<ProblemRole> who;
  bool needs_note = false;  // reject (the reason), plan (the plan itself)
};
// Every legal (state, action), in a fixed order.
const std::vector<ProblemTransition>& problemTransitions();

struct TransitionOutcome {
  bool ok = false;
  ProblemState next = ProblemState::Raised;
  std::string code;     // "" when ok; "illegal_transition", "not_allowed", "note_required"
  std::string message;  // Chinese, for people: "问题已办结，不能再交办"
};
// Whether someone playing `roles` may take `action` on a problem in `state` with `note`.
TransitionOutcome checkTransition(ProblemState state, ProblemAction action, const std::set<ProblemRole>& roles,
                                  std::string_view note);
bool isOpen(ProblemState s);  // neither closed nor merged (solved is open: waiting for the raiser)

// The county's rules for problems (the rule kind `problems`, service/problem_rules.h).
struct ProblemCategory {
  std::string key;   // stable: "land", "land_acquisition", …
  std::string name;  // "用地"
  bool factor = false;  // on the monthly factor consultation's agenda (每月必商)
};
enum class EscalationLevel { LeadingLeader = 0, ExecutiveViceHead = 1, CountyHead = 2 };
const char* escalationLevelKey(EscalationLevel l);  // "leading_leader", "executive_vice_head", "county_head"
const char* escalationLevelLabel(EscalationLevel l);  // "分管县级领导", "常务副县长", "县长"
std::optional<EscalationLevel> escalationLevelFromKey(std::string_view k);

struct ProblemRules {
  DayCount feedback{3, DayUnit::CalendarDays};          // first feedback to the raiser, from raised
  DayCount solve_ordinary{7, DayUnit::CalendarDays};    // from assigned
  DayCount solve_complex{1, DayUnit::Months};           // from assigned
  DayCount plan_feedback{1, DayUnit::Months};           // the unsolvable plan's feedback interval
  DayCount near{1, DayUnit::WorkingDays};               // "deadline near" this long before a due day
  int enterprise_answer_hours = 48;                     // an enterprise demand's answer window
  std::vector<ProblemCategory> categories;
  // Manual escalation of a cross-domain problem: the target by category, else by severity, else the default.
  EscalationLevel escalate_to = EscalationLevel::ExecutiveViceHead;
  std::map<std::string, EscalationLevel> escalate_by_category;
  std::map<Severity, EscalationLevel> escalate_by_severity;
  // Automatic escalation of an overdue problem, one level per this delay after the solve deadline; none when unset.
  std::optional<DayCount> auto_escalate_after;
  const ProblemCategory* category(std::string_view key) const;
};
// Lianshui's deadlines (3 days, 7 days, 1 month, monthly plan feedback, 48 hours) and the nine categories.
ProblemRules defaultProblemRules();
std::vector<ProblemCategory> defaultProblemCategories();

// What the rules need to know of one problem.
struct ProblemFacts {
  ProblemState state = ProblemState::Raised;
  Severity severity = Severity::Ordinary;
  std::string category;
  std::string raised_on;                    // ISO day
  std::optional<std::string> assigned_on;   // the day it was assigned (交办)
  std::optional<std::string> planned_on;    // the day the plan was made
  std::optional<std::string> last_feedback_on;  // the plan's last feedback
  int manual_level = 0;                     // 0..2, escalations made by hand
  // A task decided at the monthly consultation keeps the due day the meeting set instead of the severity's.
  std::optional<std::string> fixed_solve_due;
};

struct ProblemDeadlines {
  std::string feedback_due;                      // raised_on + feedback
  std::optional<std::string> solve_due;          // assigned_on + the severity's solve time
  std::optional<std::string> next_feedback_due;  // planned: (last feedback or the plan's day) + plan_feedback
  // The deadline the problem is held to now: feedback while raised, solve while accepted/assigned/in progress,
  // the next feedback while planned; none once solved, closed or merged.
  std::optional<std::string> current;
};
ProblemDeadlines problemDeadlines(const ProblemRules& r, const WorkCalendar& cal, const ProblemFacts& f);

enum class DueStatus { None, OnTime, Near, Overdue };
const char* dueStatusKey(DueStatus s);  // "none", "on_time", "near", "overdue"
// A due day as seen on `day`: overdue after it; near when the due day is at most `near` away (working days
// counted as workingDaysBetween, so with 1 working day the last working day before it and the day itself are
// near); on time otherwise.
DueStatus dueStatusAt(const WorkCalendar& cal, const DayCount& near, const std::optional<std::string>& due,
                      std::string_view day);

// The manual escalation target of a cross-domain problem: by category, else by severity, else the default.
EscalationLevel manualEscalationTarget(const ProblemRules& r, std::string_view category, Severity s);

struct EscalationState {
  int level = 0;                            // max(manual, automatic), 0..2
  int automatic_level = 0;                  // from overdue days alone
  std::optional<std::string> next_step_on;  // the day the next automatic step happens, if any
};
// The escalation level of an open problem on `day`: automatic steps happen on solve_due + delay, + 2×delay, …
// (each delay counted from the previous step's day), up to the county head. Closed, merged, solved or never
// assigned problems do not escalate automatically.
EscalationState escalationAt(const ProblemRules& r, const WorkCalendar& cal, const ProblemFacts& f,
                             std::string_view day);

}  // namespace steward::core
