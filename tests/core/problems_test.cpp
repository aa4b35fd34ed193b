#include "core/problems.h"

#include <gtest/gtest.h>

#include "support/case_file.h"

using namespace steward::core;
using steward::testing::CaseRow;

namespace {

ProblemState state(const CaseRow& row) {
  auto s = problemStateFromKey(row["state"]);
  if (!s) throw std::runtime_error("unknown state " + row["state"]);
  return *s;
}

ProblemRules workingRules() {
  auto r = defaultProblemRules();
  r.feedback = {3, DayUnit::WorkingDays};
  r.solve_ordinary = {7, DayUnit::WorkingDays};
  return r;
}

}  // namespace

TEST(Problems, TransitionsFromTable) {
  int legal = 0;
  int n = steward::testing::runCases("tests/core/cases/problem_transitions.txt", [&](const CaseRow& row) {
    auto action = problemActionFromKey(row["action"]);
    ASSERT_TRUE(action) << row["action"];
    std::set<ProblemRole> roles;
    for (const auto& k : row.list("roles")) {
      auto r = problemRoleFromKey(k);
      ASSERT_TRUE(r) << k;
      roles.insert(*r);
    }
    const std::string note = row["note"] == "-" ? "" : row["note"];
    auto out = checkTransition(state(row), *action, roles, note);
    if (row["result"] == "ok") {
      ++legal;
      EXPECT_TRUE(out.ok) << out.message;
      EXPECT_EQ(problemStateKey(out.next), row["next_or_message"]);
      EXPECT_EQ(out.code, "");
    } else {
      EXPECT_FALSE(out.ok);
      EXPECT_EQ(out.code, row["result"]);
      EXPECT_EQ(out.message, row["next_or_message"]);
    }
  });
  EXPECT_GE(n, 30);
  // Every legal transition of the table is in the case file.
  EXPECT_EQ(legal, static_cast<int>(problemTransitions().size()));
}

TEST(Problems, EveryIllegalPairIsRefusedWithAChineseMessage) {
  const std::set<ProblemRole> everyone = {ProblemRole::Raiser,       ProblemRole::Headquarters,
                                          ProblemRole::LeadUnit,     ProblemRole::HelperUnit,
                                          ProblemRole::LeadingLeader, ProblemRole::EscalationTarget};
  for (auto s : {ProblemState::Raised, ProblemState::Accepted, ProblemState::Assigned, ProblemState::InProgress,
                 ProblemState::Planned, ProblemState::Solved, ProblemState::Closed, ProblemState::Merged})
    for (auto a : {ProblemAction::Accept, ProblemAction::Assign, ProblemAction::Start, ProblemAction::Feedback,
                   ProblemAction::Plan, ProblemAction::Solve, ProblemAction::Close, ProblemAction::Reject,
                   ProblemAction::Merge, ProblemAction::Escalate}) {
      bool legal = false;
      for (const auto& t : problemTransitions()) legal = legal || (t.from == s && t.action == a);
      auto out = checkTransition(s, a, everyone, "说明");
      EXPECT_EQ(out.ok, legal) << problemStateKey(s) << " " << problemActionKey(a);
      if (!legal) {
        EXPECT_EQ(out.code, "illegal_transition");
        EXPECT_EQ(out.message.rfind("问题", 0), 0u) << out.message;
        EXPECT_NE(out.message.find(problemActionLabel(a)), std::string::npos) << out.message;
      }
      // Nothing leaves a closed or merged problem.
      if (!isOpen(s)) EXPECT_FALSE(out.ok);
    }
}

TEST(Problems, DeadlinesFromTable) {
  const auto& cal = embeddedWorkCalendar();
  int n = steward::testing::runCases("tests/core/cases/problem_deadlines.txt", [&](const CaseRow& row) {
    auto rules = row["rules"] == "working" ? workingRules() : defaultProblemRules();
    ProblemFacts f;
    f.state = row["assigned"] == "-" ? ProblemState::Raised : ProblemState::InProgress;
    f.severity = *severityFromKey(row["severity"]);
    f.raised_on = row["raised"];
    if (row["assigned"] != "-") f.assigned_on = row["assigned"];
    auto d = problemDeadlines(rules, cal, f);
    EXPECT_EQ(d.feedback_due, row["feedback_due"]);
    EXPECT_EQ(d.solve_due.value_or("-"), row["solve_due"]);
    EXPECT_EQ(d.current.value_or("-"), f.state == ProblemState::Raised ? row["feedback_due"] : row["solve_due"]);
  });
  EXPECT_GE(n, 8);
}

TEST(Problems, ThePlansFeedbackIsMonthlyFromTheLastOne) {
  const auto& cal = embeddedWorkCalendar();
  ProblemFacts f;
  f.state = ProblemState::Planned;
  f.raised_on = "2026-01-05";
  f.assigned_on = "2026-01-06";
  f.planned_on = "2026-01-31";
  auto d = problemDeadlines(defaultProblemRules(), cal, f);
  EXPECT_EQ(d.next_feedback_due.value_or("-"), "2026-02-28");
  EXPECT_EQ(d.current, d.next_feedback_due);
  f.last_feedback_on = "2026-03-10";
  EXPECT_EQ(problemDeadlines(defaultProblemRules(), cal, f).next_feedback_due.value_or("-"), "2026-04-10");
  f.state = ProblemState::Solved;
  EXPECT_FALSE(problemDeadlines(defaultProblemRules(), cal, f).current);
}

TEST(Problems, AConsultationTaskKeepsTheMeetingsDueDay) {
  const auto& cal = embeddedWorkCalendar();
  ProblemFacts f;
  f.state = ProblemState::Assigned;
  f.raised_on = "2026-11-16";
  f.assigned_on = "2026-11-16";
  EXPECT_EQ(problemDeadlines(defaultProblemRules(), cal, f).solve_due.value_or("-"), "2026-11-23");  // the severity's time
  f.fixed_solve_due = "2026-12-31";
  auto d = problemDeadlines(defaultProblemRules(), cal, f);
  EXPECT_EQ(d.solve_due.value_or("-"), "2026-12-31");
  EXPECT_EQ(d.current.value_or("-"), "2026-12-31");
  f.severity = Severity::Complex;  // the severity's time does not apply either
  EXPECT_EQ(problemDeadlines(defaultProblemRules(), cal, f).solve_due.value_or("-"), "2026-12-31");
}

TEST(Problems, OverdueAndNearAcrossTheSpringFestival) {
  const auto& cal = embeddedWorkCalendar();
  const DayCount oneWorkingDay{1, DayUnit::WorkingDays};
  const std::optional<std::string> due = "2026-02-24";  // the first working day after 春节
  EXPECT_EQ(dueStatusAt(cal, oneWorkingDay, due, "2026-02-13"), DueStatus::OnTime);
  EXPECT_EQ(dueStatusAt(cal, oneWorkingDay, due, "2026-02-14"), DueStatus::Near);  // worked Saturday, then due
  EXPECT_EQ(dueStatusAt(cal, oneWorkingDay, due, "2026-02-20"), DueStatus::Near);  // holiday
  EXPECT_EQ(dueStatusAt(cal, oneWorkingDay, due, "2026-02-24"), DueStatus::Near);
  EXPECT_EQ(dueStatusAt(cal, oneWorkingDay, due, "2026-02-25"), DueStatus::Overdue);
  EXPECT_EQ(dueStatusAt(cal, {2, DayUnit::CalendarDays}, due, "2026-02-21"), DueStatus::OnTime);
  EXPECT_EQ(dueStatusAt(cal, {2, DayUnit::CalendarDays}, due, "2026-02-22"), DueStatus::Near);
  EXPECT_EQ(dueStatusAt(cal, oneWorkingDay, std::nullopt, "2026-02-25"), DueStatus::None);
}

TEST(Problems, EscalationAsDaysPass) {
  const auto& cal = embeddedWorkCalendar();
  auto rules = workingRules();
  rules.auto_escalate_after = DayCount{3, DayUnit::WorkingDays};
  int n = steward::testing::runCases("tests/core/cases/problem_escalation.txt", [&](const CaseRow& row) {
    ProblemFacts f;
    f.state = state(row);
    f.raised_on = "2026-02-10";
    f.assigned_on = "2026-02-12";
    f.manual_level = static_cast<int>(row.integer("manual"));
    auto e = escalationAt(rules, cal, f, row["day"]);
    EXPECT_EQ(e.level, row.integer("level"));
    EXPECT_EQ(e.automatic_level, row.integer("automatic"));
    EXPECT_EQ(e.next_step_on.value_or("-"), row["next"]);
  });
  EXPECT_GE(n, 12);
  rules.auto_escalate_after.reset();
  ProblemFacts f;
  f.state = ProblemState::InProgress;
  f.raised_on = "2026-02-10";
  f.assigned_on = "2026-02-12";
  EXPECT_EQ(escalationAt(rules, cal, f, "2027-01-01").level, 0);  // no automatic escalation configured
}

TEST(Problems, ManualEscalationTargetByCategoryThenSeverity) {
  auto r = defaultProblemRules();
  EXPECT_EQ(manualEscalationTarget(r, "land", Severity::Complex), EscalationLevel::ExecutiveViceHead);
  r.escalate_by_severity[Severity::Complex] = EscalationLevel::CountyHead;
  r.escalate_by_category["funds"] = EscalationLevel::ExecutiveViceHead;
  EXPECT_EQ(manualEscalationTarget(r, "land", Severity::Complex), EscalationLevel::CountyHead);
  EXPECT_EQ(manualEscalationTarget(r, "land", Severity::Ordinary), EscalationLevel::ExecutiveViceHead);
  EXPECT_EQ(manualEscalationTarget(r, "funds", Severity::Complex), EscalationLevel::ExecutiveViceHead);
  EXPECT_STREQ(escalationLevelLabel(EscalationLevel::CountyHead), "县长");
}

TEST(Problems, CategoriesAreStableAndFiveAreFactors) {
  auto r = defaultProblemRules();
  std::string keys, factors;
  for (const auto& c : r.categories) {
    keys += c.key + ",";
    if (c.factor) factors += c.key + ",";
  }
  EXPECT_EQ(keys, "land,land_acquisition,approval,funds,energy,water,labour,environment,other,");
  EXPECT_EQ(factors, "land,funds,energy,water,environment,");
  ASSERT_TRUE(r.category("environment"));
  EXPECT_EQ(r.category("environment")->name, "环评");
  EXPECT_EQ(r.enterprise_answer_hours, 48);
}
