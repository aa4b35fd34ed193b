// The county profile (县情配置), rule kind "profile": the checklist of "ones" (四个一 / 五个一 …), the
// responsibility model (四个一, 五个一, 3456, 1+8+N), the roles a county uses, the ranks of its county head
// and executive vice county head, its industrial chains and the words it uses on screen. Each seed county's
// values come from its report; what a report is silent on is listed in the body's "inherited" array.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/checklist.h"
#include "service/errors.h"
#include "store/project_repo.h"

namespace steward::service {

struct RuleKind;

// The registration for ruleKinds().
RuleKind profileKind();

// Validates and normalises an "inherited" list against the top-level keys of `body`; appends errors under
// "body.inherited[i]…". Returns the normalised list (an empty array when absent).
nlohmann::json normaliseInherited(const nlohmann::json& body, std::vector<FieldError>& errs);
// For a rule kind's normaliser: sets out["inherited"] to `body`'s list checked against the keys of the normalised
// `out` (so an inherited item may name a key the body left to its default). False when it added errors.
bool attachInherited(nlohmann::json& out, const nlohmann::json& body, std::vector<FieldError>& errs);

// How a checklist item is satisfied: a project field, or a manual tick.
inline constexpr const char* kChecklistSources[] = {"project", "leader", "unit", "team", "steward", "manual"};

// The documented default profile (in force while a region has stored none).
const nlohmann::json& defaultProfile();

// The profile in force for a county on a day: the newest stored version effective by then, else the default.
nlohmann::json loadProfile(store::Connection& c, const std::string& region, const std::string& day);
// The checklist of "ones" of a profile body (ones.items), in order.
std::vector<core::ChecklistItem> checklistItems(const nlohmann::json& profile);
// The checklist in force for a county on a day.
std::vector<core::ChecklistItem> loadChecklist(store::Connection& c, const std::string& region, const std::string& day);
// The checklists of the counties whose projects lie in `scope`, grouped by identical checklist, for the
// missing-ones filter and count. With `onlyKey`, each group keeps only that item (groups without it are left out).
store::ChecklistGroups checklistGroups(store::Connection& c, const std::string& scope, const std::string& day,
                                       const std::string& onlyKey = "");

}  // namespace steward::service
