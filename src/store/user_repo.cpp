#include "store/user_repo.h"

#include "core/validate.h"
#include "store/scope.h"

namespace steward::store {

namespace {
const char* kViewSql =
    "SELECT u.id, u.username, u.display_name, u.phone, u.region_code, r.name AS region_name, u.org_unit_id, "
    "o.name AS org_unit_name, u.rank, u.roles, u.disabled, u.created_at, "
    "CASE WHEN u.password_changed_at IS NULL THEN 0 ELSE 1 END AS has_login FROM users u JOIN regions r ON r.code = "
    "u.region_code LEFT JOIN org_units o ON o.id = u.org_unit_id";

// One role among the comma-separated ones.
std::string hasRoleSql(Params& p, const std::string& role) {
  p.push_back("%," + core::escapeLike(role) + ",%");
  return " AND (',' || u.roles || ',') LIKE ? ESCAPE '\\'";
}

std::string matchingWhere(const std::string& scopeRegion, const UserFilter& f, Params& p) {
  std::string where = " WHERE " + scopeSql(scopeRegion, "u.region_code", p);
  if (!f.text.empty()) {
    where += " AND (u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\' OR u.phone LIKE ? ESCAPE '\\')";
    auto like = "%" + core::escapeLike(f.text) + "%";
    p.insert(p.end(), {like, like, like});
  }
  if (!f.role.empty()) where += hasRoleSql(p, f.role);
  if (f.org_unit_id) where += " AND u.org_unit_id = ?", p.push_back(*f.org_unit_id);
  return where;
}

std::optional<Row> first(Result r) {
  if (r.empty()) return std::nullopt;
  return r.rows.front();
}
}  // namespace

std::optional<Row> UserRepository::findView(std::int64_t id) {
  return first(c_.query(std::string(kViewSql) + " WHERE u.id = ?", {id}));
}

std::optional<Row> UserRepository::findActor(std::int64_t id) {
  return first(c_.query(
      "SELECT id, username, display_name, region_code, org_unit_id, rank, roles FROM users WHERE id = ?", {id}));
}

std::optional<UserCredentials> UserRepository::credentials(const std::string& username) {
  auto r = first(c_.query("SELECT id, region_code, password_hash, disabled FROM users WHERE username = ?", {username}));
  if (!r) return std::nullopt;
  return UserCredentials{r->i64("id"), r->str("region_code"), r->str("password_hash"), r->boolean("disabled")};
}

std::optional<std::string> UserRepository::passwordHash(std::int64_t id) {
  auto r = first(c_.query("SELECT password_hash FROM users WHERE id = ?", {id}));
  if (!r) return std::nullopt;
  return r->str(0);
}

std::optional<std::int64_t> UserRepository::idByName(const std::string& username) {
  auto r = first(c_.query("SELECT id FROM users WHERE username = ?", {username}));
  if (!r) return std::nullopt;
  return r->i64(0);
}

std::optional<std::int64_t> UserRepository::enabledIdByName(const std::string& username, const std::string& region) {
  auto r = first(c_.query("SELECT id FROM users WHERE username = ? AND region_code = ? AND disabled = 0", {username, region}));
  if (!r) return std::nullopt;
  return r->i64(0);
}

std::vector<std::int64_t> UserRepository::unitUserIds(std::int64_t unitId) {
  std::vector<std::int64_t> out;
  for (const auto& r :
       c_.query("SELECT id FROM users WHERE org_unit_id = ? AND disabled = 0 ORDER BY id LIMIT 500", {unitId}).rows)
    out.push_back(r.i64("id"));
  return out;
}

std::vector<std::int64_t> UserRepository::headquartersUserIds(const std::string& region) {
  std::vector<std::int64_t> out;
  for (const auto& r : c_.query("SELECT id FROM users WHERE region_code = ? AND disabled = 0 AND "
                                "(',' || roles || ',') LIKE '%,hq,%' ORDER BY id LIMIT 500",
                                {region})
                           .rows)
    out.push_back(r.i64("id"));
  return out;
}

std::optional<std::int64_t> UserRepository::firstEnabledAdmin() {
  auto r = c_.query(
      "SELECT id FROM users WHERE (',' || roles || ',') LIKE '%,admin,%' AND disabled = 0 ORDER BY id LIMIT 1");
  if (r.empty()) return std::nullopt;
  return r.one().i64(0);
}

bool UserRepository::any() { return !c_.query("SELECT 1 FROM users LIMIT 1").empty(); }

std::int64_t UserRepository::countMatching(const std::string& scopeRegion, const UserFilter& f) {
  Params p;
  auto where = matchingWhere(scopeRegion, f, p);
  return c_.query("SELECT COUNT(*) FROM users u" + where, p).one().i64(0);
}

Result UserRepository::pageMatching(const std::string& scopeRegion, const UserFilter& f, std::int64_t limit,
                                    std::int64_t offset) {
  Params p;
  auto where = matchingWhere(scopeRegion, f, p);
  p.push_back(limit);
  p.push_back(offset);
  return c_.query(std::string(kViewSql) + where + " ORDER BY u.id LIMIT ? OFFSET ?", p);
}

Result UserRepository::enabledPeople(const std::string& scopeRegion, const std::string& rank, const std::string& role,
                                     std::int64_t limit) {
  Params p;
  std::string sql =
      "SELECT u.id, u.display_name, u.rank, u.org_unit_id, o.name AS org_unit_name FROM users u LEFT JOIN org_units "
      "o ON o.id = u.org_unit_id WHERE " +
      scopeSql(scopeRegion, "u.region_code", p) + " AND u.disabled = 0";
  if (!rank.empty()) sql += " AND u.rank = ?", p.push_back(rank);
  if (!role.empty()) sql += hasRoleSql(p, role);
  sql += " ORDER BY u.id LIMIT ?";
  p.push_back(limit);
  return c_.query(sql, p);
}

std::int64_t UserRepository::countEnabled(const std::string& scopeRegion) {
  Params p;
  auto where = scopeSql(scopeRegion, "region_code", p);
  return c_.query("SELECT COUNT(*) FROM users WHERE " + where + " AND disabled = 0", p).one().i64(0);
}

std::int64_t UserRepository::insert(const NewUserRow& u) {
  return c_.insert(
      "INSERT INTO users (region_code, username, display_name, phone, org_unit_id, rank, roles, password_hash, "
      "password_changed_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
      {u.region_code, u.username, u.display_name, u.phone, optParam(u.org_unit_id), u.rank, u.roles, u.password_hash,
       optParam(u.password_changed_at), u.at, u.at});
}

void UserRepository::setDisplayName(std::int64_t id, const std::string& v) {
  c_.exec("UPDATE users SET display_name = ? WHERE id = ?", {v, id});
}
void UserRepository::setRank(std::int64_t id, const std::string& v) {
  c_.exec("UPDATE users SET rank = ? WHERE id = ?", {v, id});
}
void UserRepository::setRoles(std::int64_t id, const std::string& v) {
  c_.exec("UPDATE users SET roles = ? WHERE id = ?", {v, id});
}
void UserRepository::setPhone(std::int64_t id, const std::string& v) {
  c_.exec("UPDATE users SET phone = ? WHERE id = ?", {v, id});
}
void UserRepository::setDisabled(std::int64_t id, bool disabled) {
  c_.exec("UPDATE users SET disabled = ? WHERE id = ?", {std::int64_t(disabled), id});
}
void UserRepository::setOrgUnit(std::int64_t id, std::optional<std::int64_t> unitId) {
  c_.exec("UPDATE users SET org_unit_id = ? WHERE id = ?", {optParam(unitId), id});
}
void UserRepository::setPassword(std::int64_t id, const std::string& hash, const std::string& at) {
  // The users table's own failure columns predate login_guards; cleared so nothing stale survives a reset.
  c_.exec("UPDATE users SET password_hash = ?, password_changed_at = ?, failed_attempts = 0, locked_until = NULL, "
          "updated_at = ? WHERE id = ?",
          {hash, at, at, id});
}
void UserRepository::touch(std::int64_t id, const std::string& at) {
  c_.exec("UPDATE users SET updated_at = ? WHERE id = ?", {at, id});
}

}  // namespace steward::store
