// Regions (GB/T 2260 codes) and the region a row belongs to.
#pragma once
#include <optional>
#include <string>
#include <vector>

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
  // Regions are reference data from the national region list (core/region_list.h). Creates `code` and every
  // region above it that is not stored yet, names and parents from the list, the province first; returns the
  // codes it created. DbError for a code the list does not know (services refuse those first, with a message).
  std::vector<std::string> ensureFromList(const std::string& code);
  // "Upgraded with the list": renames every stored region whose name the list spells differently; returns how
  // many were renamed. Codes the list no longer knows are kept as they are (rows still point at them).
  int refreshNamesFromList();
  // Whether any region holds a user: the database has been set up (by `steward init`, the first-run page or
  // the demo), so the public first-run setup is closed.
  bool anyRegionConfigured();
  // The county-level regions that hold users, in code order.
  std::vector<std::string> configuredCounties();
  // A raw insert for tests and fixtures; the product creates regions through ensureFromList.
  void insert(const std::string& code, const std::string& name, const std::string& level,
              const std::optional<std::string>& parentCode);
  // The region_code of row `id` of `table` (one of org_units, users, projects, letters, summons); nullopt when there is none.
  std::optional<std::string> regionOfRow(const std::string& table, std::int64_t id);

 private:
  Connection& c_;
};

}  // namespace steward::store
