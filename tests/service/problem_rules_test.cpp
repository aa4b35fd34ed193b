#include "service/problem_rules.h"

#include <gtest/gtest.h>

#include "support/case_file.h"

using namespace steward;
using nlohmann::json;
using steward::testing::CaseRow;

namespace {

const json& presetBody(const std::string& name) {
  static const auto kind = service::problemsKind();
  if (name == "-") return kind.fallback;
  for (const auto& [n, b] : kind.presets)
    if (n == name) return b;
  throw std::runtime_error("no preset " + name);
}

std::vector<service::FieldError> errorsOf(const json& body) {
  std::vector<service::FieldError> errs;
  service::problemsKind().normalise(body, errs);
  return errs;
}

std::string fields(const std::vector<service::FieldError>& errs) {
  std::string s;
  for (const auto& e : errs) s += e.field + ":" + e.reason + " ";
  return s;
}

}  // namespace

TEST(ProblemRules, EachPresetsDeadlinesAndEscalation) {
  int n = steward::testing::runCases("tests/service/cases/problem_presets.txt", [](const CaseRow& row) {
    const auto& body = presetBody(row["preset"]);
    auto set = service::problemRulesFromJson(body);
    ASSERT_TRUE(set) << body.dump();
    const auto& r = set->rules;
    EXPECT_EQ(core::describeDayCount(r.feedback), row["feedback"]);
    EXPECT_EQ(core::describeDayCount(r.solve_ordinary), row["ordinary"]);
    EXPECT_EQ(core::describeDayCount(r.solve_complex), row["complex"]);
    EXPECT_EQ(core::describeDayCount(r.plan_feedback), row["plan_feedback"]);
    EXPECT_EQ(r.enterprise_answer_hours, row.integer("hours"));
    EXPECT_EQ(core::escalationLevelKey(r.escalate_to), row["default"]);
    EXPECT_EQ(core::escalationLevelKey(core::manualEscalationTarget(r, "land", core::Severity::Complex)),
              row["complex_to"]);
    EXPECT_EQ(core::escalationLevelKey(core::manualEscalationTarget(r, "land_acquisition", core::Severity::Ordinary)),
              row["land_acquisition_to"]);
    EXPECT_EQ(r.auto_escalate_after ? core::describeDayCount(*r.auto_escalate_after) : "-", row["auto_after"]);
    std::vector<std::string> paths;
    for (const auto& i : body["inherited"]) paths.push_back(i["path"]);
    EXPECT_EQ(paths, row.list("inherited"));
    for (const auto& i : body["inherited"]) EXPECT_EQ(i["note"].get<std::string>().rfind("本县报告未涉及", 0), 0u);
    EXPECT_EQ(r.categories.size(), 9u);
    EXPECT_FALSE(set->county_head);
    EXPECT_EQ(body["preset"], row["preset"] == "-" ? "" : row["preset"]);
  });
  EXPECT_EQ(n, 6);
}

TEST(ProblemRules, ACountysOwnRulesRoundTripWithWorkingDaysAndHolders) {
  json b = presetBody("hengdong");
  b["deadlines"]["solve_ordinary"] = {{"amount", 7}, {"unit", "working_days"}};
  b["escalation"]["auto_after"] = {{"amount", 3}, {"unit", "working_days"}};
  b["escalation"]["holders"] = {{"executive_vice_head", "zhang_cw"}, {"county_head", "li_xz"}};
  std::vector<service::FieldError> errs;
  auto norm = service::problemsKind().normalise(b, errs);
  ASSERT_TRUE(errs.empty()) << fields(errs);
  EXPECT_EQ(norm, b);
  auto set = service::problemRulesFromJson(norm);
  ASSERT_TRUE(set);
  EXPECT_EQ(set->rules.solve_ordinary, (core::DayCount{7, core::DayUnit::WorkingDays}));
  EXPECT_EQ(set->rules.auto_escalate_after, (core::DayCount{3, core::DayUnit::WorkingDays}));
  EXPECT_EQ(set->executive_vice_head.value_or(""), "zhang_cw");
  EXPECT_EQ(set->county_head.value_or(""), "li_xz");
}

TEST(ProblemRules, BadBodiesNameTheirFields) {
  json b = presetBody("lianshui");
  b["deadlines"]["feedback"] = {{"amount", 0}, {"unit", "calendar_days"}};
  b["deadlines"]["solve_complex"] = {{"amount", 13}, {"unit", "months"}};
  b["deadlines"]["plan_feedback"] = {{"amount", 1}, {"unit", "fortnights"}};
  b["deadlines"].erase("near");
  b["deadlines"]["whenever"] = {{"amount", 1}, {"unit", "months"}};
  b["enterprise_answer_hours"] = 0;
  b["categories"][1]["key"] = "land";
  b["categories"][2]["name"] = "";
  b["escalation"]["default"] = "leading_leader";
  b["escalation"]["by_category"] = {{"moon", "county_head"}};
  b["escalation"]["by_severity"] = {{"complex", "mayor"}, {"urgent", "county_head"}};
  b["escalation"]["holders"] = {{"county_head", 7}, {"party_secretary", "x"}};
  EXPECT_EQ(fields(errorsOf(b)),
            "body.deadlines.whenever:unknown_deadline body.deadlines.feedback.amount:out_of_range "
            "body.deadlines.solve_complex.amount:out_of_range body.deadlines.plan_feedback.unit:unknown_unit "
            "body.deadlines.near:required body.enterprise_answer_hours:out_of_range "
            "body.categories[1].key:duplicate body.categories[2].name:required "
            "body.escalation.default:unknown_level body.escalation.by_category.moon:unknown_category "
            "body.escalation.by_severity.complex:unknown_level body.escalation.by_severity.urgent:unknown_severity "
            "body.escalation.holders.county_head:invalid body.escalation.holders.party_secretary:unknown_level ");
  EXPECT_EQ(fields(errorsOf(json::array())), "body:invalid ");
  EXPECT_EQ(fields(errorsOf(json::object())),
            "body.deadlines:required body.enterprise_answer_hours:required body.categories:required "
            "body.escalation:required ");
  EXPECT_FALSE(service::problemRulesFromJson(b));
}
