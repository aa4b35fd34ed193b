#include "store/region_repo.h"

#include "store/scope.h"

namespace steward::store {

bool RegionRepository::exists(const std::string& code) {
  return !c_.query("SELECT 1 FROM regions WHERE code = ?", {code}).empty();
}

std::optional<std::string> RegionRepository::name(const std::string& code) {
  auto r = c_.query("SELECT name FROM regions WHERE code = ?", {code});
  if (r.empty()) return std::nullopt;
  return r.one().str(0);
}

Result RegionRepository::visibleFrom(const std::string& code) {
  Params p;
  auto below = scopeSql(code, "code", p);
  p.push_back(code);
  p.push_back(code);
  return c_.query("SELECT code, name, level, parent_code FROM regions WHERE " + below +
                      " OR code IN (SELECT parent_code FROM regions WHERE code = ?) OR code IN (SELECT r2.parent_code "
                      "FROM regions r1 JOIN regions r2 ON r2.code = r1.parent_code WHERE r1.code = ?) ORDER BY code",
                  p);
}

void RegionRepository::insert(const std::string& code, const std::string& name, const std::string& level,
                              const std::optional<std::string>& parentCode) {
  c_.exec("INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?)",
          {code, name, level, optParam(parentCode)});
}

std::optional<std::string> RegionRepository::regionOfRow(const std::string& table, std::int64_t id) {
  // The table name is spliced, so only these constant names are accepted.
  const char* sql = table == "org_units" ? "SELECT region_code FROM org_units WHERE id = ?"
                    : table == "users"   ? "SELECT region_code FROM users WHERE id = ?"
                    : table == "projects" ? "SELECT region_code FROM projects WHERE id = ?"
                                          : nullptr;
  if (!sql) throw DbError("regionOfRow: unknown table " + table);
  auto r = c_.query(sql, {id});
  if (r.empty()) return std::nullopt;
  return r.one().str(0);
}

}  // namespace steward::store
