// Failed sign-in counts and locks per username (known or not), shared by every server on one database.
#pragma once
#include <optional>
#include <string>

#include "store/db.h"

namespace steward::store {

class LoginGuardRepository {
 public:
  explicit LoginGuardRepository(Connection& c) : c_(c) {}
  // Forgets guards not touched since `olderThan` whose lock (if any) has ended by `now`.
  void prune(const std::string& olderThan, const std::string& now);
  // Counts one attempt in a single atomic step unless a lock is in force at `now` (then returns nullopt with
  // nothing changed); an expired lock starts a fresh count. Returns the attempt's number since the last reset.
  std::optional<std::int64_t> countAttempt(const std::string& username, const std::string& now);
  // When the lock in force ends ("" when there is none).
  std::string lockedUntil(const std::string& username);
  void lock(const std::string& username, const std::string& until);
  // A success: the count starts again.
  void reset(const std::string& username, const std::string& now);
  void remove(const std::string& username);

 private:
  Connection& c_;
};

}  // namespace steward::store
