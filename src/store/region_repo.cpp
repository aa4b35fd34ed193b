#include "store/region_repo.h"

#include "core/region_list.h"
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

std::vector<std::string> RegionRepository::ensureFromList(const std::string& code) {
  auto chain = core::divisionChain(code);
  if (chain.empty() || chain.front()->level == core::DivisionLevel::Township)
    throw DbError("region " + code + " is not in the national region list");
  std::vector<std::string> created;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const auto* d = *it;
    std::string c(d->code);
    if (exists(c)) continue;
    insert(c, std::string(d->name), std::string(core::divisionLevelName(d->level)),
           d->parent.empty() ? std::nullopt : std::optional<std::string>(std::string(d->parent)));
    created.push_back(c);
  }
  return created;
}

int RegionRepository::refreshNamesFromList() {
  int renamed = 0;
  auto rows = c_.query("SELECT code, name FROM regions ORDER BY code", {});
  for (const auto& row : rows.rows) {
    const auto* d = core::findDivision(row.str(0));
    if (!d || d->name == row.str(1)) continue;
    c_.exec("UPDATE regions SET name = ? WHERE code = ?", {std::string(d->name), row.str(0)});
    ++renamed;
  }
  return renamed;
}

bool RegionRepository::anyRegionConfigured() { return !c_.query("SELECT 1 FROM users LIMIT 1", {}).empty(); }

std::vector<std::string> RegionRepository::configuredCounties() {
  auto rows = c_.query(
      "SELECT DISTINCT r.code FROM regions r JOIN users u ON u.region_code = r.code WHERE r.level = 'county' "
      "ORDER BY r.code",
      {});
  std::vector<std::string> out;
  for (const auto& row : rows.rows) out.push_back(row.str(0));
  return out;
}

std::optional<std::string> RegionRepository::regionOfRow(const std::string& table, std::int64_t id) {
  // The table name is spliced, so only these constant names are accepted.
  const char* sql = table == "org_units" ? "SELECT region_code FROM org_units WHERE id = ?"
                    : table == "users"   ? "SELECT region_code FROM users WHERE id = ?"
                    : table == "projects" ? "SELECT region_code FROM projects WHERE id = ?"
                    : table == "letters"  ? "SELECT region_code FROM letters WHERE id = ?"
                    : table == "summons"  ? "SELECT region_code FROM summons WHERE id = ?"
                    : table == "problems" ? "SELECT region_code FROM problems WHERE id = ?"
                    : table == "consultations" ? "SELECT region_code FROM consultations WHERE id = ?"
                    : table == "bulletins" ? "SELECT region_code FROM bulletins WHERE id = ?"
                    : table == "inspection_plans" ? "SELECT region_code FROM inspection_plans WHERE id = ?"
                    : table == "commitments" ? "SELECT region_code FROM commitments WHERE id = ?"
                    : table == "attack_items" ? "SELECT region_code FROM attack_items WHERE id = ?"
                    : table == "review_meetings" ? "SELECT region_code FROM review_meetings WHERE id = ?"
                                          : nullptr;
  if (!sql) throw DbError("regionOfRow: unknown table " + table);
  auto r = c_.query(sql, {id});
  if (r.empty()) return std::nullopt;
  return r.one().str(0);
}

}  // namespace steward::store
