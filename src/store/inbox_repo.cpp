#include "store/inbox_repo.h"

namespace steward::store {
namespace {

const char* kCols =
    "id, region_code, user_id, kind, title, body, project_id, sender_id, dedupe_key, link, created_at, read_at";

InboxMessage messageOf(const Row& r) {
  InboxMessage m;
  m.id = r.i64("id");
  m.region_code = r.str("region_code");
  m.user_id = r.i64("user_id");
  m.kind = r.str("kind");
  m.title = r.str("title");
  m.body = r.str("body");
  m.project_id = r.optI64("project_id");
  m.sender_id = r.optI64("sender_id");
  m.dedupe_key = r.optStr("dedupe_key");
  m.link = r.str("link");
  m.created_at = r.str("created_at");
  m.read_at = r.optStr("read_at");
  return m;
}

Params paramsOf(const InboxMessage& m) {
  return {m.region_code, m.user_id,          m.kind,       m.title, m.body, optParam(m.project_id),
          optParam(m.sender_id), optParam(m.dedupe_key), m.link, m.created_at};
}

const char* kInsert =
    "INSERT INTO inbox_messages (region_code, user_id, kind, title, body, project_id, sender_id, dedupe_key, "
    "link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

}  // namespace

std::int64_t InboxRepo::insert(const InboxMessage& m) { return c_.insert(kInsert, paramsOf(m)); }

bool InboxRepo::insertOnce(const InboxMessage& m) {
  return c_.exec(std::string(kInsert) + " ON CONFLICT (user_id, dedupe_key) DO NOTHING", paramsOf(m)) > 0;
}

std::vector<InboxMessage> InboxRepo::page(std::int64_t userId, int limit, std::optional<std::int64_t> before) {
  Params p{userId};
  std::string sql = std::string("SELECT ") + kCols + " FROM inbox_messages WHERE user_id = ?";
  if (before) {
    sql += " AND id < ?";
    p.push_back(*before);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  p.push_back(std::int64_t(limit));
  std::vector<InboxMessage> out;
  for (const auto& r : c_.query(sql, p).rows) out.push_back(messageOf(r));
  return out;
}

std::int64_t InboxRepo::unread(std::int64_t userId) {
  return c_.query("SELECT COUNT(*) FROM inbox_messages WHERE user_id = ? AND read_at IS NULL", {userId}).one().i64(0);
}

bool InboxRepo::markRead(std::int64_t userId, std::int64_t id, const std::string& now) {
  if (c_.query("SELECT 1 FROM inbox_messages WHERE id = ? AND user_id = ?", {id, userId}).empty()) return false;
  c_.exec("UPDATE inbox_messages SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL", {now, id, userId});
  return true;
}

std::int64_t InboxRepo::markAllRead(std::int64_t userId, const std::string& now) {
  return c_.exec("UPDATE inbox_messages SET read_at = ? WHERE user_id = ? AND read_at IS NULL", {now, userId});
}

}  // namespace steward::store
