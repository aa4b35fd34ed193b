#include "service/auth.h"

#include <sodium.h>

#include "core/audit_chain.h"
#include "core/password.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/errors.h"

namespace steward::service {

using nlohmann::json;

std::string randomToken(int bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char ch : raw) s += hex[ch >> 4], s += hex[ch & 15];
  return s;
}

std::string passwordProblem(const std::string& pw) {
  auto r = core::checkPassword(pw);
  switch (r) {
    case core::PasswordCheck::Ok: return "";
    default: return "too_weak";  // too short or too few character classes: one rule, one reason
  }
}

const char* const kUserSelectSql =
    "SELECT u.id, u.username, u.display_name, u.phone, u.region_code, r.name AS region_name, u.org_unit_id, "
    "o.name AS org_unit_name, u.rank, u.roles, u.disabled, u.created_at FROM users u JOIN regions r ON r.code = "
    "u.region_code LEFT JOIN org_units o ON o.id = u.org_unit_id";

namespace {

std::vector<std::string> splitRoles(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s + ",") {
    if (ch == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  return out;
}
}  // namespace

json userRowJson(const store::Row& r) {
  return {{"id", r.i64("id")},
          {"username", r.str("username")},
          {"display_name", r.str("display_name")},
          {"phone", r.str("phone")},
          {"region_code", r.str("region_code")},
          {"region_name", r.str("region_name")},
          {"org_unit_id", r.isNull("org_unit_id") ? json() : json(r.i64("org_unit_id"))},
          {"org_unit_name", r.str("org_unit_name")},
          {"rank", r.str("rank")},
          {"roles", splitRoles(r.str("roles"))},
          {"disabled", r.boolean("disabled")},
          {"created_at", r.str("created_at")}};
}

json loadUserJson(store::Connection& c, std::int64_t id) {
  auto rows = c.query(std::string(kUserSelectSql) + " WHERE u.id = ?", {id});
  if (rows.empty()) throw notFound("用户不存在");
  return userRowJson(rows.one());
}

core::Actor loadActor(store::Connection& c, std::int64_t userId) {
  auto r = c.query("SELECT id, username, display_name, region_code, org_unit_id, rank, roles FROM users WHERE id = ?",
                   {userId});
  if (r.empty()) throw notFound("用户不存在");
  const auto& row = r.one();
  core::Actor a;
  a.user_id = row.i64("id");
  a.username = row.str("username");
  a.display_name = row.str("display_name");
  a.region_code = row.str("region_code");
  a.org_unit_id = row.optI64("org_unit_id");
  a.rank = row.str("rank");
  a.roles = splitRoles(row.str("roles"));
  return a;
}

SignedIn AuthService::login(const std::string& username, const std::string& password, const std::string& ip,
                            const std::string& userAgent) {
  Validator v;
  if (username.empty()) v.add("username", "required");
  if (password.empty()) v.add("password", "required");
  v.throwIfAny("请输入用户名和密码");
  const auto now = env_.now();
  const auto nowIso = core::formatTimestamp(now);

  std::optional<store::Row> user;
  {
    auto c = env_.db->acquire();
    auto rows = c->query(
        "SELECT id, region_code, password_hash, disabled, failed_attempts, locked_until FROM users WHERE username = ?",
        {username});
    if (!rows.empty()) user = rows.rows.front();
  }
  auto invalid = [] { return ServiceError(ErrorKind::Unauthenticated, "invalid_credentials", "用户名或密码错误"); };
  // An unknown user costs the same hash as a known one, so timing does not reveal which names exist.
  static const std::string dummy = core::hashPassword("steward-dummy-password");
  if (user && !user->isNull("locked_until")) {
    core::TimePoint until;
    if (core::parseTimestamp(user->str("locked_until"), until) && until > now)
      throw ServiceError(ErrorKind::Locked, "account_locked", "连续登录失败次数过多，账号已锁定，请15分钟后再试", {},
                         {{"locked_until", user->str("locked_until")}});
  }
  bool ok;
  {
    hashing_.acquire();
    struct Release {
      std::counting_semaphore<64>& s;
      ~Release() { s.release(); }
    } rel{hashing_};
    ok = core::verifyPassword(user ? user->str("password_hash") : dummy, password);
  }
  if (!user) throw invalid();
  const auto userId = user->i64("id");
  const auto region = user->str("region_code");
  if (!ok || user->boolean("disabled")) {
    bool locked = writeTransaction(env_, region, [&](store::Connection& c) {
      auto r = c.query("SELECT failed_attempts, locked_until FROM users WHERE id = ?", {userId}).one();
      // An expired lock starts a fresh count.
      std::int64_t attempts = r.isNull("locked_until") ? r.i64("failed_attempts") : 0;
      attempts += 1;
      bool lock = attempts >= policy_.max_failed_attempts;
      std::optional<std::string> until;
      if (lock) until = core::formatTimestamp(now + std::chrono::minutes(policy_.lockout_minutes));
      c.exec("UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?",
             {lock ? std::int64_t(0) : attempts, store::optParam(until), userId});
      appendAudit(c, env_, nullptr,
                  {region, lock ? "account_locked" : "login_failed", "user", std::to_string(userId), nullptr,
                   {{"username", username}, {"ip", ip}, {"attempts", attempts}}});
      return lock;
    });
    (void)locked;  // the attempt that reaches the limit still reads as a failure; the next one sees the lock
    throw invalid();
  }
  SignedIn out;
  out.session_token = randomToken();
  out.csrf_token = randomToken();
  writeTransaction(env_, region, [&](store::Connection& c) {
    c.exec("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?", {userId});
    c.exec(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent) VALUES "
        "(?,?,?,?,?,?,?)",
        {core::sha256Hex(out.session_token), userId, out.csrf_token, nowIso, nowIso, ip,
         userAgent.substr(0, 300)});
    auto actor = loadActor(c, userId);
    appendAudit(c, env_, &actor, {region, "login", "user", std::to_string(userId), nullptr, {{"ip", ip}}});
    out.user = loadUserJson(c, userId);
  });
  return out;
}

void AuthService::logout(const SessionInfo& s) {
  writeTransaction(env_, s.actor.region_code, [&](store::Connection& c) {
    c.exec("DELETE FROM sessions WHERE id_hash = ?", {s.token_hash});
    appendAudit(c, env_, &s.actor,
                {s.actor.region_code, "logout", "user", std::to_string(s.actor.user_id), nullptr, nullptr});
  });
}

std::optional<SessionInfo> AuthService::authenticate(const std::string& token) {
  if (token.size() != 64) return std::nullopt;
  const auto hash = core::sha256Hex(token);
  const auto now = env_.now();
  auto c = env_.db->acquire();
  auto rows = c->query(
      "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.disabled FROM sessions s JOIN users u ON u.id = "
      "s.user_id "
      "WHERE s.id_hash = ?",
      {hash});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.one();
  core::TimePoint seen, created;
  if (!core::parseTimestamp(r.str("last_seen_at"), seen) || !core::parseTimestamp(r.str("created_at"), created) ||
      now - seen > std::chrono::minutes(policy_.idle_timeout_minutes) ||
      now - created > std::chrono::hours(policy_.absolute_timeout_hours) || r.boolean("disabled")) {
    c->exec("DELETE FROM sessions WHERE id_hash = ?", {hash});
    return std::nullopt;
  }
  // Touch at most once a minute, so reads do not turn into writes.
  if (now - seen > std::chrono::seconds(60))
    c->exec("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", {core::formatTimestamp(now), hash});
  SessionInfo s;
  s.actor = loadActor(*c, r.i64("user_id"));
  s.csrf_token = r.str("csrf_token");
  s.token_hash = hash;
  return s;
}

json AuthService::me(const SessionInfo& s) {
  auto c = env_.db->acquire();
  return {{"user", loadUserJson(*c, s.actor.user_id)}, {"csrf_token", s.csrf_token}};
}

void AuthService::changePassword(const core::Actor& a, const std::string& oldPassword,
                                 const std::string& newPassword) {
  Validator v;
  if (oldPassword.empty()) v.add("old_password", "required");
  if (auto p = passwordProblem(newPassword); !p.empty()) v.add("new_password", p);
  v.throwIfAny("新密码至少8位，且包含大写字母、小写字母、数字、符号中的至少3类");
  std::string hash;
  {
    auto c = env_.db->acquire();
    hash = c->query("SELECT password_hash FROM users WHERE id = ?", {a.user_id}).one().str(0);
  }
  if (!core::verifyPassword(hash, oldPassword)) {
    Validator w;
    w.add("old_password", "incorrect");
    w.throwIfAny("原密码不正确");
  }
  auto newHash = core::hashPassword(newPassword);
  writeTransaction(env_, a.region_code, [&](store::Connection& c) {
    c.exec("UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?",
           {newHash, env_.nowIso(), env_.nowIso(), a.user_id});
    appendAudit(c, env_, &a,
                {a.region_code, "password_change", "user", std::to_string(a.user_id), nullptr, nullptr});
  });
}

}  // namespace steward::service
