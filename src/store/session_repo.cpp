#include "store/session_repo.h"

namespace steward::store {

void SessionRepository::insert(const NewSession& s) {
  c_.exec(
      "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent) VALUES "
      "(?,?,?,?,?,?,?)",
      {s.id_hash, s.user_id, s.csrf_token, s.at, s.at, s.ip, s.user_agent});
}

std::optional<SessionRow> SessionRepository::find(const std::string& idHash) {
  auto rows = c_.query(
      "SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, u.disabled FROM sessions s JOIN users u ON u.id = "
      "s.user_id WHERE s.id_hash = ?",
      {idHash});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.one();
  return SessionRow{r.i64("user_id"), r.str("csrf_token"), r.str("created_at"), r.str("last_seen_at"),
                    r.boolean("disabled")};
}

void SessionRepository::touch(const std::string& idHash, const std::string& at) {
  c_.exec("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", {at, idHash});
}

void SessionRepository::remove(const std::string& idHash) {
  c_.exec("DELETE FROM sessions WHERE id_hash = ?", {idHash});
}

std::int64_t SessionRepository::removeAllOfUser(std::int64_t userId) {
  return c_.exec("DELETE FROM sessions WHERE user_id = ?", {userId});
}

std::int64_t SessionRepository::removeOthersOfUser(std::int64_t userId, const std::string& keepIdHash) {
  return c_.exec("DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", {userId, keepIdHash});
}

}  // namespace steward::store
