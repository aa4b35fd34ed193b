// The county profile (县情配置), rule kind "profile": the checklist of "ones" (四个一 / 五个一 …), the
// responsibility model (四个一, 五个一, 3456, 1+8+N), the roles a county uses, the ranks of its county head
// and executive vice county head, its industrial chains and the words it uses on screen. Each seed county's
// values come from its report; what a report is silent on is listed in the body's "inherited" array.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "service/errors.h"

namespace steward::service {

struct RuleKind;

// The registration for ruleKinds().
RuleKind profileKind();

// Validates and normalises an "inherited" list against the top-level keys of `body`; appends errors under
// "body.inherited[i]…". Returns the normalised list (an empty array when absent).
nlohmann::json normaliseInherited(const nlohmann::json& body, std::vector<FieldError>& errs);

// How a checklist item is satisfied: a project field, or a manual tick.
inline constexpr const char* kChecklistSources[] = {"project", "leader", "unit", "team", "steward", "manual"};

// The documented default profile (in force while a region has stored none).
const nlohmann::json& defaultProfile();

}  // namespace steward::service
