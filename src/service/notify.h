// Notifications: one call puts a message in each recipient's in-app inbox and, for every webhook of the county
// subscribed to the event, a delivery in the outbox — in the caller's transaction, so a notification exists
// exactly when the action that caused it committed, and nothing is lost when the server stops with deliveries
// pending. The outbox is delivered off the request path (src/jobs).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::service {

struct Notification {
  std::string region_code;
  std::string event;  // problem_assigned | deadline_near | overdue | escalated | letter_received | report_returned | …
  std::string title;  // one line, Chinese
  std::string body;
  std::optional<std::int64_t> project_id, sender_id;
  std::string link;   // the UI path it is about: "/letters/12", "/problems/7"
  std::optional<std::string> dedupe_key;  // per recipient: a second notification with the same key is dropped
};

// Inbox messages for `userIds` (each once) and outbox deliveries for the county's subscribed webhooks.
// Returns the number of inbox messages written.
int notify(store::Connection& c, const Notification& n, const std::vector<std::int64_t>& userIds,
           const std::string& nowIso);
// The outbox half alone: one delivery per enabled webhook of n.region_code subscribed to n.event; how many.
int enqueueWebhooks(store::Connection& c, const Notification& n, const std::string& nowIso);

}  // namespace steward::service
