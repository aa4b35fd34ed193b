// Sign-in, server-side sessions (shared by every `steward serve` on one database), lock-out, password change.
#pragma once
#include <nlohmann/json.hpp>
#include <atomic>
#include <optional>
#include <semaphore>
#include <string>

#include "core/access.h"
#include "core/rate_limit.h"
#include "service/context.h"
#include "service/user_view.h"

namespace steward::service {

struct AuthPolicy {
  int max_failed_attempts = 5;
  int lockout_minutes = 15;
  int idle_timeout_minutes = 30;
  int absolute_timeout_hours = 12;  // a session ends after a working day however active it is
  // Sign-in attempts a minute (burst of the same size); 0 turns a limit off. One office behind one NAT address
  // signs in together at 8:30, so the per-client limit is generous; the per-name one stops guessing floods.
  int login_per_client_per_minute = 120;
  int login_per_user_per_minute = 10;
};

struct SignedIn {
  std::string session_token;  // goes into the cookie; only its hash is stored
  std::string csrf_token;
  nlohmann::json user;
};

struct SessionInfo {
  core::Actor actor;
  std::string csrf_token;
  std::string token_hash;
};

class AuthService {
 public:
  explicit AuthService(Env env, AuthPolicy policy = {});
  SignedIn login(const std::string& username, const std::string& password, const std::string& ip,
                 const std::string& userAgent);
  void logout(const SessionInfo& s);
  // Resolves a session cookie; nullopt when absent, unknown, idle too long, or the user is disabled.
  std::optional<SessionInfo> authenticate(const std::string& token);
  // Checks the old password (a wrong one counts towards the lock-out), stores the new one and ends every other
  // session of the user.
  void changePassword(const SessionInfo& s, const std::string& oldPassword, const std::string& newPassword);
  nlohmann::json me(const SessionInfo& s);

 private:
  // Counts an attempt for `username` before its password is checked; throws Locked while a lock is in force.
  // Returns the attempt's number since the last success.
  std::int64_t reserveAttempt(const std::string& username, core::TimePoint now);
  bool checkPassword(const std::string& hash, const std::string& password);
  Env env_;
  AuthPolicy policy_;
  core::RateLimiter byClient_, byUser_;
  std::atomic<std::uint64_t> pruneCounter_{0};
};

std::string randomToken(int bytes = 32);
// The password policy as a field error reason: empty when acceptable.
std::string passwordProblem(const std::string& pw);

}  // namespace steward::service
