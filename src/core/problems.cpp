#include "core/problems.h"

#include <algorithm>
#include <stdexcept>

namespace steward::core {

namespace {

template <class E>
struct Entry {
  E value;
  const char* key;
  const char* label;
};

constexpr Entry<ProblemState> kStates[] = {
    {ProblemState::Raised, "raised", "已提出"},        {ProblemState::Accepted, "accepted", "已受理"},
    {ProblemState::Assigned, "assigned", "已交办"},    {ProblemState::InProgress, "in_progress", "办理中"},
    {ProblemState::Planned, "planned", "计划推进中"},  {ProblemState::Solved, "solved", "已办结"},
    {ProblemState::Closed, "closed", "已评价关闭"},    {ProblemState::Merged, "merged", "已合并"}};
constexpr Entry<ProblemAction> kActions[] = {
    {ProblemAction::Accept, "accept", "受理"},     {ProblemAction::Assign, "assign", "交办"},
    {ProblemAction::Start, "start", "开始办理"},   {ProblemAction::Feedback, "feedback", "反馈进展"},
    {ProblemAction::Plan, "plan", "转为计划推进"}, {ProblemAction::Solve, "solve", "办结"},
    {ProblemAction::Close, "close", "评价关闭"},   {ProblemAction::Reject, "reject", "退回重办"},
    {ProblemAction::Merge, "merge", "合并"},       {ProblemAction::Escalate, "escalate", "提级"}};
constexpr Entry<ProblemRole> kRoles[] = {{ProblemRole::Raiser, "raiser", "提出人"},
                                         {ProblemRole::Headquarters, "headquarters", "总指挥部办公室"},
                                         {ProblemRole::LeadUnit, "lead_unit", "牵头单位"},
                                         {ProblemRole::HelperUnit, "helper_unit", "配合单位"},
                                         {ProblemRole::LeadingLeader, "leading_leader", "分管县级领导"},
                                         {ProblemRole::EscalationTarget, "escalation_target", "提级后的县领导"}};
constexpr Entry<EscalationLevel> kLevels[] = {
    {EscalationLevel::LeadingLeader, "leading_leader", "分管县级领导"},
    {EscalationLevel::ExecutiveViceHead, "executive_vice_head", "常务副县长"},
    {EscalationLevel::CountyHead, "county_head", "县长"}};

template <class E, std::size_t N>
std::optional<E> fromKey(const Entry<E> (&t)[N], std::string_view k) {
  for (const auto& e : t)
    if (k == e.key) return e.value;
  return std::nullopt;
}
template <class E, std::size_t N>
const Entry<E>& entry(const Entry<E> (&t)[N], E v) {
  for (const auto& e : t)
    if (e.value == v) return e;
  throw std::logic_error("unknown enum value");
}

// How the refusal reads in each state: "问题已办结".
const char* stateSentence(ProblemState s) {
  switch (s) {
    case ProblemState::Raised: return "问题尚未受理";
    case ProblemState::Accepted: return "问题已受理、尚未交办";
    case ProblemState::Assigned: return "问题已交办、尚未开始办理";
    case ProblemState::InProgress: return "问题正在办理中";
    case ProblemState::Planned: return "问题已转为计划推进";
    case ProblemState::Solved: return "问题已办结";
    case ProblemState::Closed: return "问题已评价关闭";
    case ProblemState::Merged: return "问题已并入另一问题";
  }
  return "";
}
// The order of the main line, to say "不能再…" (past it) or "还不能…" (before it).
int rank(ProblemState s) {
  switch (s) {
    case ProblemState::Raised: return 0;
    case ProblemState::Accepted: return 1;
    case ProblemState::Assigned: return 2;
    case ProblemState::InProgress: return 3;
    case ProblemState::Planned: return 4;
    case ProblemState::Solved: return 5;
    case ProblemState::Closed: return 6;
    case ProblemState::Merged: return 7;
  }
  return 0;
}

using R = ProblemRole;
using S = ProblemState;
using A = ProblemAction;

}  // namespace

std::optional<ProblemState> problemStateFromKey(std::string_view k) { return fromKey(kStates, k); }
const char* problemStateKey(ProblemState s) { return entry(kStates, s).key; }
const char* problemStateLabel(ProblemState s) { return entry(kStates, s).label; }
std::optional<ProblemAction> problemActionFromKey(std::string_view k) { return fromKey(kActions, k); }
const char* problemActionKey(ProblemAction a) { return entry(kActions, a).key; }
const char* problemActionLabel(ProblemAction a) { return entry(kActions, a).label; }
std::optional<ProblemRole> problemRoleFromKey(std::string_view k) { return fromKey(kRoles, k); }
const char* problemRoleKey(ProblemRole r) { return entry(kRoles, r).key; }
const char* problemRoleLabel(ProblemRole r) { return entry(kRoles, r).label; }
std::optional<Severity> severityFromKey(std::string_view k) {
  if (k == "ordinary") return Severity::Ordinary;
  if (k == "complex") return Severity::Complex;
  return std::nullopt;
}
const char* severityKey(Severity s) { return s == Severity::Complex ? "complex" : "ordinary"; }
const char* escalationLevelKey(EscalationLevel l) { return entry(kLevels, l).key; }
const char* escalationLevelLabel(EscalationLevel l) { return entry(kLevels, l).label; }
std::optional<EscalationLevel> escalationLevelFromKey(std::string_view k) { return fromKey(kLevels, k); }

const std::vector<ProblemTransition>& problemTransitions() {
  static const std::vector<ProblemTransition> t = {
      {S::Raised, A::Accept, S::Accepted, {R::Headquarters}},
      {S::Raised, A::Merge, S::Merged, {R::Headquarters}, true},
      {S::Accepted, A::Assign, S::Assigned, {R::Headquarters}},
      {S::Accepted, A::Merge, S::Merged, {R::Headquarters}, true},
      {S::Accepted, A::Escalate, S::Accepted, {R::LeadingLeader, R::EscalationTarget}, true},
      {S::Assigned, A::Assign, S::Assigned, {R::Headquarters}},  // handed to another unit
      {S::Assigned, A::Start, S::InProgress, {R::LeadUnit}},
      {S::Assigned, A::Merge, S::Merged, {R::Headquarters}, true},
      {S::Assigned, A::Escalate, S::Assigned, {R::LeadingLeader, R::EscalationTarget}, true},
      {S::InProgress, A::Feedback, S::InProgress, {R::LeadUnit, R::HelperUnit}, true},
      {S::InProgress, A::Plan, S::Planned, {R::LeadUnit}, true},
      {S::InProgress, A::Solve, S::Solved, {R::LeadUnit}, true},
      {S::InProgress, A::Merge, S::Merged, {R::Headquarters}, true},
      {S::InProgress, A::Escalate, S::InProgress, {R::LeadingLeader, R::EscalationTarget}, true},
      {S::Planned, A::Feedback, S::Planned, {R::LeadUnit, R::HelperUnit}, true},
      {S::Planned, A::Solve, S::Solved, {R::LeadUnit}, true},
      {S::Planned, A::Escalate, S::Planned, {R::LeadingLeader, R::EscalationTarget}, true},
      {S::Solved, A::Close, S::Closed, {R::Raiser}},
      {S::Solved, A::Reject, S::InProgress, {R::Raiser}, true},
  };
  return t;
}

bool isOpen(ProblemState s) { return s != ProblemState::Closed && s != ProblemState::Merged; }

TransitionOutcome checkTransition(ProblemState state, ProblemAction action, const std::set<ProblemRole>& roles,
                                  std::string_view note) {
  TransitionOutcome out;
  const ProblemTransition* hit = nullptr;
  int maxFrom = -1;
  for (const auto& t : problemTransitions()) {
    if (t.action != action) continue;
    maxFrom = std::max(maxFrom, rank(t.from));
    if (t.from == state) hit = &t;
  }
  const std::string verb = problemActionLabel(action);
  if (!hit) {
    out.code = "illegal_transition";
    const bool past = !isOpen(state) || rank(state) > maxFrom;
    out.message = std::string(stateSentence(state)) + (past ? "，不能再" : "，还不能") + verb;
    return out;
  }
  bool allowed = false;
  for (auto r : hit->who) allowed = allowed || roles.count(r);
  if (!allowed) {
    out.code = "not_allowed";
    std::string who;
    for (auto r : hit->who) who += (who.empty() ? "" : "或") + std::string(problemRoleLabel(r));
    out.message = "只有" + who + "可以" + verb + "此问题";
    return out;
  }
  bool blank = true;
  for (char ch : note) blank = blank && (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r');
  if (hit->needs_note && blank) {
    out.code = "note_required";
    out.message = verb + "须写明" + (action == A::Reject ? "理由" : action == A::Plan ? "具体推进计划" : "说明");
    return out;
  }
  out.ok = true;
  out.next = hit->to;
  return out;
}

std::vector<ProblemCategory> defaultProblemCategories() {
  return {{"land", "用地", true},           {"land_acquisition", "征拆", false}, {"approval", "审批", false},
          {"funds", "资金", true},          {"energy", "用能", true},            {"water", "用水", true},
          {"labour", "用工", false},        {"environment", "环评", true},       {"other", "其他", false}};
}

ProblemRules defaultProblemRules() {
  ProblemRules r;
  r.categories = defaultProblemCategories();
  return r;
}

const ProblemCategory* ProblemRules::category(std::string_view key) const {
  for (const auto& c : categories)
    if (c.key == key) return &c;
  return nullptr;
}

ProblemDeadlines problemDeadlines(const ProblemRules& r, const WorkCalendar& cal, const ProblemFacts& f) {
  ProblemDeadlines d;
  d.feedback_due = dueDay(cal, f.raised_on, r.feedback);
  if (f.fixed_solve_due)
    d.solve_due = f.fixed_solve_due;
  else if (f.assigned_on)
    d.solve_due = dueDay(cal, *f.assigned_on, f.severity == Severity::Complex ? r.solve_complex : r.solve_ordinary);
  if (f.state == ProblemState::Planned) {
    const auto& from = f.last_feedback_on ? f.last_feedback_on : f.planned_on;
    if (from) d.next_feedback_due = dueDay(cal, *from, r.plan_feedback);
  }
  switch (f.state) {
    case ProblemState::Raised: d.current = d.feedback_due; break;
    case ProblemState::Accepted:
    case ProblemState::Assigned:
    case ProblemState::InProgress: d.current = d.solve_due; break;
    case ProblemState::Planned: d.current = d.next_feedback_due; break;
    default: break;
  }
  return d;
}

const char* dueStatusKey(DueStatus s) {
  switch (s) {
    case DueStatus::None: return "none";
    case DueStatus::OnTime: return "on_time";
    case DueStatus::Near: return "near";
    case DueStatus::Overdue: return "overdue";
  }
  return "";
}

DueStatus dueStatusAt(const WorkCalendar& cal, const DayCount& near, const std::optional<std::string>& due,
                      std::string_view day) {
  if (!due) return DueStatus::None;
  const auto d = parseIsoDay(day), u = parseIsoDay(*due);
  if (!d || !u) throw std::invalid_argument("not an ISO day");
  if (*d > *u) return DueStatus::Overdue;
  bool isNear = false;
  switch (near.unit) {
    case DayUnit::CalendarDays: isNear = *u - *d <= near.amount; break;
    case DayUnit::WorkingDays: isNear = cal.workingDaysBetween(day, *due) <= near.amount; break;
    case DayUnit::Months: isNear = *parseIsoDay(addMonths(day, near.amount)) >= *u; break;
  }
  return isNear ? DueStatus::Near : DueStatus::OnTime;
}

EscalationLevel manualEscalationTarget(const ProblemRules& r, std::string_view category, Severity s) {
  if (auto it = r.escalate_by_category.find(std::string(category)); it != r.escalate_by_category.end())
    return it->second;
  if (auto it = r.escalate_by_severity.find(s); it != r.escalate_by_severity.end()) return it->second;
  return r.escalate_to;
}

EscalationState escalationAt(const ProblemRules& r, const WorkCalendar& cal, const ProblemFacts& f,
                             std::string_view day) {
  EscalationState out;
  out.level = std::clamp(f.manual_level, 0, 2);
  const bool open = f.state == ProblemState::Accepted || f.state == ProblemState::Assigned ||
                    f.state == ProblemState::InProgress || f.state == ProblemState::Planned;
  if (!open || !r.auto_escalate_after || r.auto_escalate_after->amount <= 0 || !f.assigned_on) return out;
  const auto today = parseIsoDay(day);
  if (!today) throw std::invalid_argument("not an ISO day");
  auto step = dueDay(cal, *f.assigned_on, f.severity == Severity::Complex ? r.solve_complex : r.solve_ordinary);
  std::vector<std::string> steps;  // the days of the automatic steps to level 1 and 2
  for (int level = 1; level <= 2; ++level) steps.push_back(step = dueDay(cal, step, *r.auto_escalate_after));
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (*parseIsoDay(steps[i]) <= *today) out.automatic_level = static_cast<int>(i) + 1;
  out.level = std::max(out.level, out.automatic_level);
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (static_cast<int>(i) + 1 > out.level && *parseIsoDay(steps[i]) > *today) {
      out.next_step_on = steps[i];
      break;
    }
  return out;
}

}  // namespace steward::core
