// Webhooks of a county, their outbox (one delivery per webhook and notification) and the log of attempts.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct Webhook {
  std::int64_t id = 0;
  std::string region_code, name, kind, url, secret;
  std::string events = "[]";  // JSON array text
  bool enabled = true;
  std::optional<std::int64_t> created_by;
  std::string created_at, updated_at;
  std::int64_t version = 1;
};

struct WebhookDelivery {
  std::int64_t id = 0;
  std::string region_code;
  std::int64_t webhook_id = 0;
  std::string event, payload, status = "pending";
  std::int64_t attempts = 0;
  std::optional<std::string> next_attempt_at;
  std::string last_error, created_at;
  std::optional<std::string> delivered_at;
};

struct WebhookAttempt {
  std::int64_t id = 0, delivery_id = 0;
  std::string attempted_at;
  std::optional<std::int64_t> http_status;
  std::string error;
  std::int64_t ms = 0;
};

class WebhookRepo {
 public:
  explicit WebhookRepo(Connection& c) : c_(c) {}
  std::vector<Webhook> list(const std::string& region);
  std::int64_t count(const std::string& region);
  std::optional<Webhook> find(std::int64_t id);
  std::int64_t insert(const Webhook& w);
  void update(const Webhook& w);  // name, kind, url, secret, events, enabled, updated_at; version + 1
  void remove(std::int64_t id);
  // The county's enabled webhooks (the caller filters by event).
  std::vector<Webhook> enabled(const std::string& region);

  std::int64_t enqueue(const WebhookDelivery& d);
  // Pending deliveries due at `now`, oldest due first.
  std::vector<WebhookDelivery> due(const std::string& now, int limit);
  // Takes a due delivery for one attempt by pushing its due time to `leaseUntil`; false when another worker
  // took it first (its due time is no longer `dueAt`).
  bool claim(std::int64_t id, const std::string& dueAt, const std::string& leaseUntil);
  std::optional<WebhookDelivery> findDelivery(std::int64_t id);
  // Records the outcome of an attempt: status, attempts, next due time, last error, delivered time.
  void finishAttempt(const WebhookDelivery& d);
  void logAttempt(const WebhookAttempt& a);
  // The webhook's deliveries newest first, a page of `limit` after skipping `offset`, and their attempts.
  std::vector<WebhookDelivery> deliveries(std::int64_t webhookId, int limit, int offset);
  std::int64_t deliveryCount(std::int64_t webhookId);
  std::vector<WebhookAttempt> attempts(std::int64_t deliveryId);

 private:
  Connection& c_;
};

}  // namespace steward::store
