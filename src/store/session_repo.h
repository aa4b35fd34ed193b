// Server-side sessions, keyed by the SHA-256 of the cookie token (the token itself is never stored).
#pragma once
#include <optional>
#include <string>

#include "store/db.h"

namespace steward::store {

struct NewSession {
  std::string id_hash;
  std::int64_t user_id = 0;
  std::string csrf_token, at, ip, user_agent;
};

struct SessionRow {
  std::int64_t user_id = 0;
  std::string csrf_token, created_at, last_seen_at;
  bool user_disabled = false;
};

class SessionRepository {
 public:
  explicit SessionRepository(Connection& c) : c_(c) {}
  void insert(const NewSession& s);
  // The session with its user's disabled flag; nullopt when unknown.
  std::optional<SessionRow> find(const std::string& idHash);
  void touch(const std::string& idHash, const std::string& at);
  void remove(const std::string& idHash);
  // Ends every session of the user; returns how many.
  std::int64_t removeAllOfUser(std::int64_t userId);
  // Ends every session of the user but `keepIdHash`; returns how many.
  std::int64_t removeOthersOfUser(std::int64_t userId, const std::string& keepIdHash);

 private:
  Connection& c_;
};

}  // namespace steward::store
