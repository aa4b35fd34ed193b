// Names of org units a project sheet gives: the kind a name suggests, and which names probably mean the same unit.
// Both read tables kept as data (src/core/data/unit_kinds.tsv, unit_aliases.tsv), so a county's naming habits
// are fixed there, not here.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace steward::core {

// The kind the name suggests by the first rule of unit_kinds.tsv that matches: township, park, approval,
// department, or "hq" for a name that looks like the headquarters office (which an import never creates).
// Empty when no rule matches.
std::string inferUnitKind(std::string_view name);

// What a name compares as: without whitespace and punctuation, the county's name (衡东县, 衡东), a leading 县,
// and a trailing word that does not change the unit (人民政府); a short form (发改局) becomes its full form.
// `countyName` may be empty.
std::string unitNameKey(std::string_view name, std::string_view countyName);

struct NearDuplicate {
  std::string name;    // a new name
  std::string other;   // the existing unit, or the other new name, it probably is
  bool other_exists;   // other is an existing unit (else another new name)
};

// For each new name, the existing units and the other new names that compare the same (unitNameKey); each pair
// of new names is reported once, in the order the new names are given. Exact repeats are not near-duplicates.
std::vector<NearDuplicate> findNearDuplicates(const std::vector<std::string>& newNames,
                                              const std::vector<std::string>& existing, std::string_view countyName);

}  // namespace steward::core
