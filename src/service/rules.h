// County rules as a platform: versioned rule sets of registered kinds (lifecycle now; lights, letters,
// deadlines and rankings later), stored per region with the day each version comes into force, audited.
// Adding a kind is one entry in ruleKinds() (rules.cpp): its name, a validator that normalises a body,
// named presets, the body in force before a region stores one, and an optional "may this replace the
// current rules" check.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.h"
#include "core/lifecycle.h"
#include "service/context.h"
#include "service/errors.h"
#include "store/rule_set_repo.h"

namespace steward::service {

struct RuleKind {
  std::string name;   // the kind in URLs, the CLI and storage: "lifecycle"
  std::string title;  // for people: "项目生命周期"
  // Validates `body` and returns its normalised form; on a problem appends errors (field "body.…") instead.
  std::function<nlohmann::json(const nlohmann::json& body, std::vector<FieldError>& errors)> normalise;
  // Named presets, each a body the normaliser accepts.
  std::vector<std::pair<std::string, nlohmann::json>> presets;
  // The body in force while a region has stored no version; null when the kind has none.
  nlohmann::json fallback;
  // Optional: throws a ServiceError (409) when `body` may not replace the region's rules now.
  std::function<void(store::RuleSetRepository&, const std::string& region, const nlohmann::json& body)> canReplace;
  // Optional: a few words describing a body for the command line ("7 stages").
  std::function<std::string(const nlohmann::json& body)> describe;
};

// Every registered kind, in a fixed order.
const std::vector<RuleKind>& ruleKinds();
const RuleKind* findRuleKind(std::string_view name);
// "lifecycle, ..." for messages.
std::string ruleKindNames();

// A rule set body larger than this is refused (413-free: 422 body/too_large); real ones are a few KiB.
inline constexpr std::size_t kRuleSetMaxBytes = 64 * 1024;
// The most versions one listing returns.
inline constexpr int kRuleVersionsMax = 100;

class RulesService {
 public:
  explicit RulesService(Env env) : env_(env) {}
  // Stores a new version of `kind` for `region`, in force from `effectiveFrom`; `a` null is the command line.
  // 404 unknown kind or region, 403 not the region's rule setter, 422 bad date or body (code invalid_rule_set
  // for the body), 409 when the kind's replace check refuses. Returns the stored record.
  nlohmann::json store(const core::Actor* a, const std::string& kind, const std::string& region,
                       const nlohmann::json& body, const std::string& effectiveFrom);
  // The same inside a write transaction the caller holds (the region's audit head locked), so several kinds are
  // stored in one go.
  nlohmann::json storeIn(store::Connection& c, const core::Actor* a, const std::string& kind,
                         const std::string& region, const nlohmann::json& body, const std::string& effectiveFrom);
  // The body of a named preset; 404 unknown kind, 422 unknown preset naming the known ones.
  nlohmann::json preset(const std::string& kind, const std::string& name) const;
  // The rule set in force on `asOf` (empty: the county's today) for `region` (empty: the actor's own).
  // Version 0 with null dates is the kind's fallback, in force while nothing is stored.
  nlohmann::json inForce(const core::Actor& a, const std::string& kind, const std::string& region,
                         const std::string& asOf);
  // Stored versions newest first, at most `limit`, below `before` when given: {"items", "next_before"}.
  nlohmann::json versions(const core::Actor& a, const std::string& kind, const std::string& region, int limit,
                          std::optional<int> before);
  // Every registered kind with its versions for `region` (the command line): {"region_code", "today", "kinds"}.
  nlohmann::json list(const std::string& region);

 private:
  Env env_;
};

// The lifecycle in force for a region on a day (the newest version effective by then), else the default.
core::Lifecycle loadLifecycle(store::Connection& c, const std::string& region, const std::string& day);
std::string lifecycleToJson(const core::Lifecycle& lc);
// Parses a rule-set body; nullopt when it is not a usable lifecycle (see the lifecycle kind's validator).
std::optional<core::Lifecycle> lifecycleFromJson(const std::string& body);

}  // namespace steward::service
