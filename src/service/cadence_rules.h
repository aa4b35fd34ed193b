// The rule kind `cadence`: which projects report on which cadence (by stage), each cadence's deadline, and the
// share by which reported investment may run ahead of what the statistics office registered. Registered in
// ruleKinds() (rules.cpp); read by the reporting service through loadCadenceRules().
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/reporting.h"
#include "service/errors.h"
#include "service/rules.h"
#include "store/db.h"

namespace steward::service {

RuleKind cadenceKind();
// A stored or preset cadence body as core rules; nullopt when it is not one (see the kind's normaliser).
std::optional<core::CadenceRules> cadenceRulesFromJson(const nlohmann::json& body);
// The cadence rules in force for a region on a day (the newest version effective by then), else the fallback.
core::CadenceRules loadCadenceRules(store::Connection& c, const std::string& region, const std::string& day);

}  // namespace steward::service
