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

namespace {

// No username is longer; a longer name is unknown by definition and is neither looked up nor counted.
constexpr std::size_t kMaxUsernameBytes = 64;
// Guards of names not tried for this long are forgotten (a lock lasts minutes).
constexpr auto kGuardRetention = std::chrono::hours(24);

ServiceError invalidCredentials() {
  return ServiceError(ErrorKind::Unauthenticated, "invalid_credentials", "用户名或密码错误");
}

ServiceError tooManyRequests(int retryAfter) {
  return ServiceError(ErrorKind::TooManyRequests, "too_many_requests", "登录尝试过于频繁，请稍后再试", {},
                      {{"retry_after", retryAfter}});
}

// An unknown user, or one without a password, costs the same hash as a known one: timing reveals nothing.
const std::string& dummyHash() {
  static const std::string h = core::hashPassword("steward-dummy-password");
  return h;
}

}  // namespace

AuthService::AuthService(Env env, AuthPolicy policy)
    : env_(env),
      policy_(policy),
      byClient_(policy.login_per_client_per_minute),
      byUser_(policy.login_per_user_per_minute) {}

std::int64_t AuthService::reserveAttempt(const std::string& username, core::TimePoint now) {
  const auto nowIso = core::formatTimestamp(now);
  std::optional<std::string> lockedUntil;
  const bool prune = (pruneCounter_.fetch_add(1) % 256) == 0;
  auto n = env_.db->transact(true, [&](store::Connection& c) -> std::int64_t {
    if (prune)
      c.exec("DELETE FROM login_guards WHERE updated_at < ? AND (locked_until IS NULL OR locked_until < ?)",
             {core::formatTimestamp(now - kGuardRetention), nowIso});
    c.exec("INSERT INTO login_guards (username, failed_attempts, updated_at) VALUES (?, 0, ?) "
           "ON CONFLICT (username) DO NOTHING",
           {username, nowIso});
    // One atomic step counts the attempt, unless a lock is in force; an expired lock starts a fresh count.
    auto counted = c.exec(
        "UPDATE login_guards SET failed_attempts = CASE WHEN locked_until IS NULL THEN failed_attempts + 1 ELSE 1 "
        "END, locked_until = NULL, updated_at = ? WHERE username = ? AND (locked_until IS NULL OR locked_until <= ?)",
        {nowIso, username, nowIso});
    if (counted == 0) {
      lockedUntil = c.query("SELECT locked_until FROM login_guards WHERE username = ?", {username}).one().str(0);
      return 0;
    }
    auto attempts = c.query("SELECT failed_attempts FROM login_guards WHERE username = ?", {username}).one().i64(0);
    // The attempt that reaches the limit is still checked, but every later one is refused unchecked.
    if (attempts >= policy_.max_failed_attempts)
      c.exec("UPDATE login_guards SET locked_until = ? WHERE username = ?",
             {core::formatTimestamp(now + std::chrono::minutes(policy_.lockout_minutes)), username});
    return attempts;
  });
  if (lockedUntil)
    throw ServiceError(ErrorKind::Locked, "account_locked", "连续登录失败次数过多，账号已锁定，请15分钟后再试", {},
                       {{"locked_until", *lockedUntil}});
  return n;
}

bool AuthService::checkPassword(const std::string& hash, const std::string& password) {
  hashing_.acquire();
  struct Release {
    std::counting_semaphore<64>& s;
    ~Release() { s.release(); }
  } rel{hashing_};
  return core::verifyPassword(hash.empty() ? dummyHash() : hash, password) && !hash.empty();
}

SignedIn AuthService::login(const std::string& username, const std::string& password, const std::string& ip,
                            const std::string& userAgent) {
  Validator v;
  if (username.empty()) v.add("username", "required");
  if (password.empty()) v.add("password", "required");
  v.throwIfAny("请输入用户名和密码");
  const auto now = env_.now();
  const auto nowIso = core::formatTimestamp(now);
  int retry = 0;
  if (!byClient_.take(ip, now, retry)) throw tooManyRequests(retry);
  if (!byUser_.take(username.substr(0, kMaxUsernameBytes), now, retry)) throw tooManyRequests(retry);
  if (username.size() > kMaxUsernameBytes || password.size() > 1024) {
    checkPassword(dummyHash(), password.substr(0, 1024));
    throw invalidCredentials();
  }

  std::optional<store::Row> user;
  {
    auto c = env_.db->acquire();
    auto rows = c->query("SELECT id, region_code, password_hash, disabled FROM users WHERE username = ?", {username});
    if (!rows.empty()) user = rows.rows.front();
  }
  const auto attempt = reserveAttempt(username, now);
  const bool ok = checkPassword(user ? user->str("password_hash") : std::string(), password);
  if (!user) throw invalidCredentials();
  const auto userId = user->i64("id");
  const auto region = user->str("region_code");
  if (!ok || user->boolean("disabled")) {
    const bool locked = attempt >= policy_.max_failed_attempts;
    writeTransaction(env_, region, [&](store::Connection& c) {
      appendAudit(c, env_, nullptr,
                  {region, locked ? "account_locked" : "login_failed", "user", std::to_string(userId), nullptr,
                   {{"username", username}, {"ip", ip}, {"attempts", attempt}}});
    });
    throw invalidCredentials();
  }
  SignedIn out;
  out.session_token = randomToken();
  out.csrf_token = randomToken();
  writeTransaction(env_, region, [&](store::Connection& c) {
    c.exec("UPDATE login_guards SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE username = ?",
           {nowIso, username});
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

void AuthService::changePassword(const SessionInfo& s, const std::string& oldPassword,
                                 const std::string& newPassword) {
  const auto& a = s.actor;
  Validator v;
  if (oldPassword.empty()) v.add("old_password", "required");
  else if (oldPassword.size() > 1024) v.add("old_password", "too_long");
  if (newPassword.size() > 1024) v.add("new_password", "too_long");
  else if (auto p = passwordProblem(newPassword); !p.empty()) v.add("new_password", p);
  v.throwIfAny("新密码至少8位，且包含大写字母、小写字母、数字、符号中的至少3类");
  const auto now = env_.now();
  int retry = 0;
  if (!byUser_.take(a.username, now, retry)) throw tooManyRequests(retry);
  std::string hash;
  {
    auto c = env_.db->acquire();
    hash = c->query("SELECT password_hash FROM users WHERE id = ?", {a.user_id}).one().str(0);
  }
  // A wrong old password is a failed sign-in: it counts towards the same lock.
  const auto attempt = reserveAttempt(a.username, now);
  if (!checkPassword(hash, oldPassword)) {
    writeTransaction(env_, a.region_code, [&](store::Connection& c) {
      appendAudit(c, env_, &a,
                  {a.region_code, attempt >= policy_.max_failed_attempts ? "account_locked" : "password_change_failed",
                   "user", std::to_string(a.user_id), nullptr, {{"attempts", attempt}}});
    });
    Validator w;
    w.add("old_password", "incorrect");
    w.throwIfAny("原密码不正确");
  }
  auto newHash = core::hashPassword(newPassword);
  writeTransaction(env_, a.region_code, [&](store::Connection& c) {
    c.exec("UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?",
           {newHash, env_.nowIso(), env_.nowIso(), a.user_id});
    c.exec("UPDATE login_guards SET failed_attempts = 0, locked_until = NULL WHERE username = ?", {a.username});
    // Whoever else held a session of this user (a stolen cookie, a forgotten browser) is signed out.
    auto ended = c.exec("DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", {a.user_id, s.token_hash});
    appendAudit(c, env_, &a,
                {a.region_code, "password_change", "user", std::to_string(a.user_id), nullptr,
                 {{"other_sessions_ended", ended}}});
  });
}

}  // namespace steward::service
