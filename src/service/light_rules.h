// The county's light rules (rule kind "lights"): thresholds per dimension and the letters' triggers, numbering,
// recipients and step deadlines. Parsed from the rule set in force on a day; the defaults while none is stored.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/lights.h"
#include "service/errors.h"
#include "store/db.h"

namespace steward::service {

struct RuleKind;

// The light rules in force for `region` on `day` (ISO), else core::lights::LightRules{}.
core::lights::LightRules loadLightRules(store::Connection& c, const std::string& region, const std::string& day);

// The registration for ruleKinds() (rules.cpp): normaliser (field errors "body.…"), the five seed counties'
// presets with their "inherited" markers, and the defaults as the fallback.
RuleKind lightsKind();
// A lights body as core rules; nullopt (with field errors when `errs` is given) when it is not one. Members left
// out keep the defaults, so a county states only what its report says.
std::optional<core::lights::LightRules> lightRulesFromJson(const nlohmann::json& body,
                                                           std::vector<FieldError>* errs = nullptr);
// The full body of a rule set (every member), without preset or inherited markers.
nlohmann::json lightRulesToJson(const core::lights::LightRules& r);

}  // namespace steward::service
