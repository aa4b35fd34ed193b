#include "store/login_guard_repo.h"

namespace steward::store {

void LoginGuardRepository::prune(const std::string& olderThan, const std::string& now) {
  c_.exec("DELETE FROM login_guards WHERE updated_at < ? AND (locked_until IS NULL OR locked_until < ?)",
          {olderThan, now});
}

std::optional<std::int64_t> LoginGuardRepository::countAttempt(const std::string& username, const std::string& now) {
  c_.exec("INSERT INTO login_guards (username, failed_attempts, updated_at) VALUES (?, 0, ?) "
          "ON CONFLICT (username) DO NOTHING",
          {username, now});
  auto counted = c_.exec(
      "UPDATE login_guards SET failed_attempts = CASE WHEN locked_until IS NULL THEN failed_attempts + 1 ELSE 1 "
      "END, locked_until = NULL, updated_at = ? WHERE username = ? AND (locked_until IS NULL OR locked_until <= ?)",
      {now, username, now});
  if (counted == 0) return std::nullopt;
  return c_.query("SELECT failed_attempts FROM login_guards WHERE username = ?", {username}).one().i64(0);
}

std::string LoginGuardRepository::lockedUntil(const std::string& username) {
  auto r = c_.query("SELECT locked_until FROM login_guards WHERE username = ?", {username});
  return r.empty() ? std::string() : r.one().str(0);
}

void LoginGuardRepository::lock(const std::string& username, const std::string& until) {
  c_.exec("UPDATE login_guards SET locked_until = ? WHERE username = ?", {until, username});
}

void LoginGuardRepository::reset(const std::string& username, const std::string& now) {
  c_.exec("UPDATE login_guards SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE username = ?",
          {now, username});
}

void LoginGuardRepository::remove(const std::string& username) {
  c_.exec("DELETE FROM login_guards WHERE username = ?", {username});
}

}  // namespace steward::store
