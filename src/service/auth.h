// Sign-in, server-side sessions (shared by every `steward serve` on one database), lock-out, password change.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <semaphore>
#include <string>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

struct AuthPolicy {
  int max_failed_attempts = 5;
  int lockout_minutes = 15;
  int idle_timeout_minutes = 30;
  int absolute_timeout_hours = 12;  // a session ends after a working day however active it is
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
  explicit AuthService(Env env, AuthPolicy policy = {}) : env_(env), policy_(policy) {}
  SignedIn login(const std::string& username, const std::string& password, const std::string& ip,
                 const std::string& userAgent);
  void logout(const SessionInfo& s);
  // Resolves a session cookie; nullopt when absent, unknown, idle too long, or the user is disabled.
  std::optional<SessionInfo> authenticate(const std::string& token);
  void changePassword(const core::Actor& a, const std::string& oldPassword, const std::string& newPassword);
  nlohmann::json me(const SessionInfo& s);

 private:
  Env env_;
  AuthPolicy policy_;
  // Each argon2id hash takes 64 MiB: bound how many run at once.
  std::counting_semaphore<64> hashing_{2};
};

std::string randomToken(int bytes = 32);
// Loads the user row as the API shows it.
nlohmann::json loadUserJson(store::Connection& c, std::int64_t id);
nlohmann::json userRowJson(const store::Row& r);
extern const char* const kUserSelectSql;
core::Actor loadActor(store::Connection& c, std::int64_t userId);
// The password policy as a field error reason: empty when acceptable.
std::string passwordProblem(const std::string& pw);

}  // namespace steward::service
