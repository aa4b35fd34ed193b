#include "core/rule_set.h"

namespace steward::core {

std::optional<std::size_t> ruleInForce(const std::vector<RuleVersion>& versions, const std::string& day) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    const auto& v = versions[i];
    if (v.effective_from > day) continue;  // ISO dates order as text
    if (!best) {
      best = i;
      continue;
    }
    const auto& b = versions[*best];
    if (v.effective_from > b.effective_from || (v.effective_from == b.effective_from && v.version > b.version))
      best = i;
  }
  return best;
}

}  // namespace steward::core
