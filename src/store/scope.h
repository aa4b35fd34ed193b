// The region-scope condition of a query, written in one place: a county is an equality (so an index on
// (region_code, x) also gives the order of x), a city or province a range over the codes below it.
#pragma once
#include <string>

#include "core/access.h"
#include "store/db.h"

namespace steward::store {

// Returns "<column> = ?" or "<column> BETWEEN ? AND ?" and appends its parameters to p.
inline std::string scopeSql(const std::string& regionCode, const std::string& column, Params& p) {
  auto [lo, hi] = core::scopeRange(regionCode);
  if (lo == hi) {
    p.push_back(lo);
    return column + " = ?";
  }
  p.push_back(lo);
  p.push_back(hi);
  return column + " BETWEEN ? AND ?";
}

}  // namespace steward::store
