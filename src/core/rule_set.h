// Which version of a versioned rule set is in force on a day: the one with the latest effective date on or
// before that day; of versions effective the same day, the newest (highest version). Nothing before the first.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace steward::core {

struct RuleVersion {
  int version = 0;
  std::string effective_from;  // YYYY-MM-DD, the county's local day
};

// Index into `versions` (any order) of the version in force on `day`; nullopt when none is in force yet.
std::optional<std::size_t> ruleInForce(const std::vector<RuleVersion>& versions, const std::string& day);

}  // namespace steward::core
