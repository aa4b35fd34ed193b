// The inbox half of notify(); the outbox half lands with the webhooks.
#include "service/notify.h"

#include <set>

#include "store/inbox_repo.h"

namespace steward::service {

int notify(store::Connection& c, const Notification& n, const std::vector<std::int64_t>& userIds,
           const std::string& nowIso) {
  store::InboxRepo inbox(c);
  std::set<std::int64_t> seen;
  int written = 0;
  for (auto u : userIds) {
    if (!seen.insert(u).second) continue;
    store::InboxMessage m;
    m.region_code = n.region_code;
    m.user_id = u;
    m.kind = n.event;
    m.title = n.title;
    m.body = n.body;
    m.project_id = n.project_id;
    m.sender_id = n.sender_id;
    m.dedupe_key = n.dedupe_key;
    m.created_at = nowIso;
    if (n.dedupe_key) {
      if (inbox.insertOnce(m)) ++written;
    } else {
      inbox.insert(m);
      ++written;
    }
  }
  return written;
}

}  // namespace steward::service
