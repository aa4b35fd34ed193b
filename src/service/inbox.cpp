#include "service/inbox.h"

#include <algorithm>

#include "service/errors.h"
#include "store/inbox_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

json messageJson(const store::InboxMessage& m) {
  return {{"id", m.id},
          {"kind", m.kind},
          {"title", m.title},
          {"body", m.body},
          {"project_id", m.project_id ? json(*m.project_id) : json()},
          {"link", m.link.empty() ? json() : json(m.link)},
          {"created_at", m.created_at},
          {"read_at", m.read_at ? json(*m.read_at) : json()}};
}

}  // namespace

json InboxService::list(const core::Actor& a, std::optional<std::int64_t> before, int limit) {
  limit = std::clamp(limit, 1, kInboxPageMax);
  auto c = env_.db->acquire();
  store::InboxRepo repo(*c);
  auto rows = repo.page(a.user_id, limit + 1, before);
  json items = json::array();
  for (std::size_t i = 0; i < rows.size() && i < std::size_t(limit); ++i) items.push_back(messageJson(rows[i]));
  json next = rows.size() > std::size_t(limit) ? json(rows[limit - 1].id) : json();
  return {{"items", items}, {"next_before", next}, {"unread", repo.unread(a.user_id)}};
}

json InboxService::unread(const core::Actor& a) {
  auto c = env_.db->acquire();
  return {{"unread", store::InboxRepo(*c).unread(a.user_id)}};
}

// Reading a message is the reader's own state, not business data: it is not audited.
json InboxService::markRead(const core::Actor& a, std::int64_t id) {
  const auto now = env_.nowIso();
  return env_.db->transact(true, [&](store::Connection& c) {
    store::InboxRepo repo(c);
    if (!repo.markRead(a.user_id, id, now)) throw notFound("消息不存在");
    return json{{"id", id}, {"unread", repo.unread(a.user_id)}};
  });
}

json InboxService::markAllRead(const core::Actor& a) {
  const auto now = env_.nowIso();
  return env_.db->transact(true, [&](store::Connection& c) {
    store::InboxRepo repo(c);
    auto n = repo.markAllRead(a.user_id, now);
    return json{{"marked", n}, {"unread", repo.unread(a.user_id)}};
  });
}

}  // namespace steward::service
