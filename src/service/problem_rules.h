// The rule kind `problems` (问题清单): deadlines (feedback, ordinary and complex solving, the unsolvable plan's
// feedback interval, "deadline near"), each a DayCount in calendar days, working days or months; the categories
// with the factor ones for the monthly consultation (每月必商); escalation of cross-domain problems to the
// executive vice county head (常务副县长) or the county head (县长) by category or severity, optional automatic
// escalation of overdue problems one level per delay, and who holds the two posts; the enterprise demand's answer
// window. Registered in ruleKinds() (rules.cpp); read by the problem service through loadProblemRules().
//
// Who holds 常务副县长 and 县长: the rule set names them by username (escalation.holders), null until the county
// says. A change of post is then a new version with the day it comes into force, audited like any rule set.
//
// Body:
//   {"preset": "lianshui",
//    "deadlines": {"feedback": {"amount": 3, "unit": "calendar_days"}, "solve_ordinary": {…7 days},
//                  "solve_complex": {"amount": 1, "unit": "months"}, "plan_feedback": {…1 month},
//                  "near": {"amount": 1, "unit": "working_days"}},
//    "enterprise_answer_hours": 48,
//    "categories": [{"key": "land", "name": "用地", "factor": true}, …],
//    "escalation": {"default": "executive_vice_head", "by_category": {"land_acquisition": "county_head"},
//                   "by_severity": {"complex": "county_head"}, "auto_after": null | {amount, unit},
//                   "holders": {"executive_vice_head": null | "username", "county_head": null | "username"}},
//    "inherited": [{"path", "from", "note"}]}
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/problems.h"
#include "service/rules.h"
#include "store/db.h"

namespace steward::service {

struct ProblemRuleSet {
  core::ProblemRules rules;
  std::optional<std::string> executive_vice_head;  // username
  std::optional<std::string> county_head;          // username
};

RuleKind problemsKind();
// A stored or preset body as rules; nullopt when it is not one (see the kind's normaliser).
std::optional<ProblemRuleSet> problemRulesFromJson(const nlohmann::json& body);
// The problem rules in force for a region on a day (the newest version effective by then), else the fallback.
ProblemRuleSet loadProblemRules(store::Connection& c, const std::string& region, const std::string& day);

}  // namespace steward::service
