// The county's light rules (rule kind "lights"): thresholds per dimension and the letters' triggers, numbering,
// recipients and step deadlines. Parsed from the rule set in force on a day; the defaults while none is stored.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/lights.h"
#include "service/errors.h"
#include "store/db.h"

namespace steward::service {

// The light rules in force for `region` on `day` (ISO), else core::lights::LightRules{}.
core::lights::LightRules loadLightRules(store::Connection& c, const std::string& region, const std::string& day);

}  // namespace steward::service
