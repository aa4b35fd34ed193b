// The county's ranking rules (rule kind "rankings"): the weighted factors of the monthly ranking (挂榜排名), the
// grades 优/中/差, yellow cards and their summons, and the quarterly awards. Parsed from a rule set body; members
// left out keep the defaults, so a county states only what its report says.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/rankings.h"
#include "service/errors.h"
#include "store/db.h"

namespace steward::service {

struct RuleKind;

// The registration for ruleKinds() (rules.cpp): normaliser (field errors "body.…"), the five seed counties'
// presets with their "inherited" markers, and the defaults as the fallback.
RuleKind rankingsKind();
// The documented defaults: six factors (investment, start, reports, visits, problems, letters), grades by
// thresholds 90/60, yellow cards below 60 with a summons after three in a row, and Hengdong's five awards.
core::rankings::RankingRules defaultRankingRules();
// The ranking rules in force for a county on a day (the newest stored version effective by then), else the defaults;
// `version` (when given) is the stored version used, or empty for the defaults.
core::rankings::RankingRules loadRankingRules(store::Connection& c, const std::string& region, const std::string& day,
                                              std::optional<std::int64_t>* version = nullptr);
// A rankings body as core rules; nullopt (with field errors when `errs` is given) when it is not one.
std::optional<core::rankings::RankingRules> rankingRulesFromJson(const nlohmann::json& body,
                                                                 std::vector<FieldError>* errs = nullptr);
// The full body of a rule set (every member), without preset or inherited markers.
nlohmann::json rankingRulesToJson(const core::rankings::RankingRules& r);
// A ranking and award candidates as canonical JSON (fixed member order, integers only): what a recomputation
// compares byte for byte.
nlohmann::json rankingToJson(const core::rankings::Ranking& r);
nlohmann::json awardCandidatesToJson(const std::vector<core::rankings::AwardCandidate>& c);

}  // namespace steward::service
