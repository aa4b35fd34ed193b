// Regions (GB/T 2260 codes) and the region a row belongs to.
#pragma once
#include <optional>
#include <string>

#include "store/db.h"

namespace steward::store {

class RegionRepository {
 public:
  explicit RegionRepository(Connection& c) : c_(c) {}
  bool exists(const std::string& code);
  std::optional<std::string> name(const std::string& code);
  // The region itself, those below it, and the two above it (for breadcrumbs), by code; columns code, name,
  // level, parent_code.
  Result visibleFrom(const std::string& code);
  void insert(const std::string& code, const std::string& name, const std::string& level,
              const std::optional<std::string>& parentCode);
  // The region_code of row `id` of `table` (one of org_units, users, projects); nullopt when there is none.
  std::optional<std::string> regionOfRow(const std::string& table, std::int64_t id);

 private:
  Connection& c_;
};

}  // namespace steward::store
