// Org units: headquarters, departments, townships, parks and approval departments of a region.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct OrgUnitFields {
  std::string name, short_name, kind;
  std::int64_t sort = 0;
};

// Rows carry the columns id, region_code, name, short_name, kind, sort.
class OrgUnitRepository {
 public:
  explicit OrgUnitRepository(Connection& c) : c_(c) {}
  // Units in the scope of `scopeRegion` (of `kind` unless empty), by region, sort and id; at most `limit`.
  Result listInScope(const std::string& scopeRegion, const std::string& kind, std::int64_t limit);
  std::optional<Row> find(std::int64_t id);
  // Throws ConstraintError when the region already has a unit of that name.
  std::int64_t insert(const std::string& regionCode, const OrgUnitFields& f, const std::string& at);
  void update(std::int64_t id, const OrgUnitFields& f, const std::string& at);
  bool existsInRegion(std::int64_t id, const std::string& regionCode);
  std::optional<std::int64_t> idByName(const std::string& regionCode, const std::string& name);
  std::int64_t countOfKinds(const std::string& scopeRegion, const std::vector<std::string>& kinds);

 private:
  Connection& c_;
};

}  // namespace steward::store
