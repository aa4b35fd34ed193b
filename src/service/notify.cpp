// notify(): the inbox half writes each recipient's message, the outbox half one delivery per enabled webhook of
// the county subscribed to the event, both in the caller's transaction.
#include "service/notify.h"

#include <nlohmann/json.hpp>
#include <set>

#include "service/webhooks.h"
#include "store/inbox_repo.h"
#include "store/webhook_repo.h"

namespace steward::service {

namespace {

bool subscribed(const store::Webhook& w, const std::string& event) {
  auto events = nlohmann::json::parse(w.events, nullptr, false);
  if (!events.is_array()) return false;
  for (const auto& e : events)
    if (e.is_string() && e.get<std::string>() == event) return true;
  return false;
}

}  // namespace

int enqueueWebhooks(store::Connection& c, const Notification& n, const std::string& nowIso) {
  store::WebhookRepo repo(c);
  int queued = 0;
  for (const auto& w : repo.enabled(n.region_code)) {
    if (!subscribed(w, n.event)) continue;
    store::WebhookDelivery d;
    d.region_code = n.region_code;
    d.webhook_id = w.id;
    d.event = n.event;
    d.payload = webhookPayload(w.kind, n.title, n.body.empty() ? n.title : n.body);
    d.next_attempt_at = nowIso;
    d.created_at = nowIso;
    repo.enqueue(d);
    ++queued;
  }
  return queued;
}

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
    m.link = n.link;
    m.created_at = nowIso;
    if (n.dedupe_key) {
      if (inbox.insertOnce(m)) ++written;
    } else {
      inbox.insert(m);
      ++written;
    }
  }
  // A notification whose every inbox message was a duplicate (dedupe_key) is not pushed again.
  if (written > 0 || userIds.empty()) enqueueWebhooks(c, n, nowIso);
  return written;
}

}  // namespace steward::service
