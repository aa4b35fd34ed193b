#include "store/org_repo.h"

#include "store/scope.h"

namespace steward::store {

namespace {
const char* kCols = "SELECT id, region_code, name, short_name, kind, sort FROM org_units";
}

Result OrgUnitRepository::listInScope(const std::string& scopeRegion, const std::string& kind, std::int64_t limit) {
  Params p;
  std::string sql = std::string(kCols) + " WHERE " + scopeSql(scopeRegion, "region_code", p);
  if (!kind.empty()) sql += " AND kind = ?", p.push_back(kind);
  sql += " ORDER BY region_code, sort, id LIMIT ?";
  p.push_back(limit);
  return c_.query(sql, p);
}

std::optional<Row> OrgUnitRepository::find(std::int64_t id) {
  auto r = c_.query(std::string(kCols) + " WHERE id = ?", {id});
  if (r.empty()) return std::nullopt;
  return r.one();
}

std::int64_t OrgUnitRepository::insert(const std::string& regionCode, const OrgUnitFields& f, const std::string& at) {
  return c_.insert(
      "INSERT INTO org_units (region_code, name, short_name, kind, sort, created_at, updated_at) VALUES "
      "(?,?,?,?,?,?,?)",
      {regionCode, f.name, f.short_name, f.kind, f.sort, at, at});
}

void OrgUnitRepository::update(std::int64_t id, const OrgUnitFields& f, const std::string& at) {
  c_.exec("UPDATE org_units SET name = ?, short_name = ?, kind = ?, sort = ?, updated_at = ? WHERE id = ?",
          {f.name, f.short_name, f.kind, f.sort, at, id});
}

bool OrgUnitRepository::existsInRegion(std::int64_t id, const std::string& regionCode) {
  return !c_.query("SELECT 1 FROM org_units WHERE id = ? AND region_code = ?", {id, regionCode}).empty();
}

std::optional<std::int64_t> OrgUnitRepository::idByName(const std::string& regionCode, const std::string& name) {
  auto r = c_.query("SELECT id FROM org_units WHERE region_code = ? AND name = ?", {regionCode, name});
  if (r.empty()) return std::nullopt;
  return r.one().i64(0);
}

std::int64_t OrgUnitRepository::countOfKinds(const std::string& scopeRegion, const std::vector<std::string>& kinds) {
  if (kinds.empty()) return 0;
  Params p;
  std::string sql = "SELECT COUNT(*) FROM org_units WHERE " + scopeSql(scopeRegion, "region_code", p) + " AND kind IN (";
  for (std::size_t i = 0; i < kinds.size(); ++i) sql += i ? ", ?" : "?", p.push_back(kinds[i]);
  return c_.query(sql + ")", p).one().i64(0);
}

}  // namespace steward::store
