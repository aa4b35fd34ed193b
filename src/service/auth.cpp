#include "service/auth.h"

#include <sodium.h>

#include "core/audit_chain.h"
#include "core/password.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/hasher.h"
#include "service/errors.h"
#include "store/login_guard_repo.h"
#include "store/session_repo.h"
#include "store/user_repo.h"

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
    store::LoginGuardRepository guards(c);
    if (prune) guards.prune(core::formatTimestamp(now - kGuardRetention), nowIso);
    // One atomic step counts the attempt, unless a lock is in force; an expired lock starts a fresh count.
    auto attempts = guards.countAttempt(username, nowIso);
    if (!attempts) {
      lockedUntil = guards.lockedUntil(username);
      return 0;
    }
    // The attempt that reaches the limit is still checked, but every later one is refused unchecked.
    if (*attempts >= policy_.max_failed_attempts)
      guards.lock(username, core::formatTimestamp(now + std::chrono::minutes(policy_.lockout_minutes)));
    return *attempts;
  });
  if (lockedUntil)
    throw ServiceError(ErrorKind::Locked, "account_locked", "连续登录失败次数过多，账号已锁定，请15分钟后再试", {},
                       {{"locked_until", *lockedUntil}});
  return n;
}

bool AuthService::checkPassword(const std::string& hash, const std::string& password) {
  return verifyPasswordBounded(hash.empty() ? dummyHash() : hash, password) && !hash.empty();
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

  std::optional<store::UserCredentials> user;
  {
    auto c = env_.db->acquire();
    user = store::UserRepository(*c).credentials(username);
  }
  const auto attempt = reserveAttempt(username, now);
  const bool ok = checkPassword(user ? user->password_hash : std::string(), password);
  if (!user) throw invalidCredentials();
  const auto userId = user->id;
  const auto region = user->region_code;
  if (!ok || user->disabled) {
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
    store::LoginGuardRepository(c).reset(username, nowIso);
    store::SessionRepository(c).insert(
        {core::sha256Hex(out.session_token), userId, out.csrf_token, nowIso, ip, userAgent.substr(0, 300)});
    auto actor = loadActor(c, userId);
    appendAudit(c, env_, &actor, {region, "login", "user", std::to_string(userId), nullptr, {{"ip", ip}}});
    out.user = loadUserJson(c, userId);
  });
  return out;
}

void AuthService::logout(const SessionInfo& s) {
  writeTransaction(env_, s.actor.region_code, [&](store::Connection& c) {
    store::SessionRepository(c).remove(s.token_hash);
    appendAudit(c, env_, &s.actor,
                {s.actor.region_code, "logout", "user", std::to_string(s.actor.user_id), nullptr, nullptr});
  });
}

std::optional<SessionInfo> AuthService::authenticate(const std::string& token) {
  if (token.size() != 64) return std::nullopt;
  const auto hash = core::sha256Hex(token);
  const auto now = env_.now();
  auto c = env_.db->acquire();
  store::SessionRepository sessions(*c);
  auto r = sessions.find(hash);
  if (!r) return std::nullopt;
  core::TimePoint seen, created;
  if (!core::parseTimestamp(r->last_seen_at, seen) || !core::parseTimestamp(r->created_at, created) ||
      now - seen > std::chrono::minutes(policy_.idle_timeout_minutes) ||
      now - created > std::chrono::hours(policy_.absolute_timeout_hours) || r->user_disabled) {
    sessions.remove(hash);
    return std::nullopt;
  }
  // Touch at most once a minute, so reads do not turn into writes.
  if (now - seen > std::chrono::seconds(60)) sessions.touch(hash, core::formatTimestamp(now));
  SessionInfo s;
  s.actor = loadActor(*c, r->user_id);
  s.csrf_token = r->csrf_token;
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
    auto stored = store::UserRepository(*c).passwordHash(a.user_id);
    if (!stored) throw notFound("用户不存在");
    hash = *stored;
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
  auto newHash = hashPasswordBounded(newPassword);
  writeTransaction(env_, a.region_code, [&](store::Connection& c) {
    store::UserRepository(c).setPassword(a.user_id, newHash, env_.nowIso());
    store::LoginGuardRepository(c).reset(a.username, env_.nowIso());
    // Whoever else held a session of this user (a stolen cookie, a forgotten browser) is signed out.
    auto ended = store::SessionRepository(c).removeOthersOfUser(a.user_id, s.token_hash);
    appendAudit(c, env_, &a,
                {a.region_code, "password_change", "user", std::to_string(a.user_id), nullptr,
                 {{"other_sessions_ended", ended}}});
  });
}

}  // namespace steward::service
