#include "store/webhook_repo.h"

namespace steward::store {
namespace {

const char* kHookCols =
    "id, region_code, name, kind, url, secret, events, enabled, created_by, created_at, updated_at, version";
const char* kDeliveryCols =
    "id, region_code, webhook_id, event, payload, status, attempts, next_attempt_at, last_error, created_at, "
    "delivered_at";

Webhook hookOf(const Row& r) {
  Webhook w;
  w.id = r.i64("id");
  w.region_code = r.str("region_code");
  w.name = r.str("name");
  w.kind = r.str("kind");
  w.url = r.str("url");
  w.secret = r.str("secret");
  w.events = r.str("events");
  w.enabled = r.boolean("enabled");
  w.created_by = r.optI64("created_by");
  w.created_at = r.str("created_at");
  w.updated_at = r.str("updated_at");
  w.version = r.i64("version");
  return w;
}

WebhookDelivery deliveryOf(const Row& r) {
  WebhookDelivery d;
  d.id = r.i64("id");
  d.region_code = r.str("region_code");
  d.webhook_id = r.i64("webhook_id");
  d.event = r.str("event");
  d.payload = r.str("payload");
  d.status = r.str("status");
  d.attempts = r.i64("attempts");
  d.next_attempt_at = r.optStr("next_attempt_at");
  d.last_error = r.str("last_error");
  d.created_at = r.str("created_at");
  d.delivered_at = r.optStr("delivered_at");
  return d;
}

}  // namespace

std::vector<Webhook> WebhookRepo::list(const std::string& region) {
  std::vector<Webhook> out;
  for (const auto& r :
       c_.query(std::string("SELECT ") + kHookCols + " FROM webhooks WHERE region_code = ? ORDER BY id", {region}).rows)
    out.push_back(hookOf(r));
  return out;
}

std::int64_t WebhookRepo::count(const std::string& region) {
  return c_.query("SELECT COUNT(*) FROM webhooks WHERE region_code = ?", {region}).one().i64(0);
}

std::optional<Webhook> WebhookRepo::find(std::int64_t id) {
  auto res = c_.query(std::string("SELECT ") + kHookCols + " FROM webhooks WHERE id = ?", {id});
  if (res.empty()) return std::nullopt;
  return hookOf(res.one());
}

std::int64_t WebhookRepo::insert(const Webhook& w) {
  return c_.insert(
      "INSERT INTO webhooks (region_code, name, kind, url, secret, events, enabled, created_by, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {w.region_code, w.name, w.kind, w.url, w.secret, w.events, std::int64_t(w.enabled ? 1 : 0),
       optParam(w.created_by), w.created_at, w.updated_at});
}

void WebhookRepo::update(const Webhook& w) {
  c_.exec(
      "UPDATE webhooks SET name = ?, kind = ?, url = ?, secret = ?, events = ?, enabled = ?, updated_at = ?, "
      "version = version + 1 WHERE id = ?",
      {w.name, w.kind, w.url, w.secret, w.events, std::int64_t(w.enabled ? 1 : 0), w.updated_at, w.id});
}

void WebhookRepo::remove(std::int64_t id) {
  // The attempts and deliveries go with it (ON DELETE CASCADE needs SQLite's foreign_keys; be explicit).
  c_.exec("DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE webhook_id = ?)",
          {id});
  c_.exec("DELETE FROM webhook_deliveries WHERE webhook_id = ?", {id});
  c_.exec("DELETE FROM webhooks WHERE id = ?", {id});
}

std::vector<Webhook> WebhookRepo::enabled(const std::string& region) {
  std::vector<Webhook> out;
  for (const auto& r : c_.query(std::string("SELECT ") + kHookCols +
                                    " FROM webhooks WHERE region_code = ? AND enabled = 1 ORDER BY id",
                                {region})
                           .rows)
    out.push_back(hookOf(r));
  return out;
}

std::int64_t WebhookRepo::enqueue(const WebhookDelivery& d) {
  return c_.insert(
      "INSERT INTO webhook_deliveries (region_code, webhook_id, event, payload, status, attempts, next_attempt_at, "
      "created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)",
      {d.region_code, d.webhook_id, d.event, d.payload, optParam(d.next_attempt_at), d.created_at});
}

std::vector<WebhookDelivery> WebhookRepo::due(const std::string& now, int limit) {
  std::vector<WebhookDelivery> out;
  for (const auto& r : c_.query(std::string("SELECT ") + kDeliveryCols +
                                    " FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? "
                                    "ORDER BY next_attempt_at, id LIMIT ?",
                                {now, std::int64_t(limit)})
                           .rows)
    out.push_back(deliveryOf(r));
  return out;
}

bool WebhookRepo::claim(std::int64_t id, const std::string& dueAt, const std::string& leaseUntil) {
  return c_.exec(
             "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND "
             "next_attempt_at = ?",
             {leaseUntil, id, dueAt}) > 0;
}

std::optional<WebhookDelivery> WebhookRepo::findDelivery(std::int64_t id) {
  auto res = c_.query(std::string("SELECT ") + kDeliveryCols + " FROM webhook_deliveries WHERE id = ?", {id});
  if (res.empty()) return std::nullopt;
  return deliveryOf(res.one());
}

void WebhookRepo::finishAttempt(const WebhookDelivery& d) {
  c_.exec(
      "UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, delivered_at = ? "
      "WHERE id = ?",
      {d.status, d.attempts, optParam(d.next_attempt_at), d.last_error, optParam(d.delivered_at), d.id});
}

void WebhookRepo::logAttempt(const WebhookAttempt& a) {
  c_.insert("INSERT INTO webhook_attempts (delivery_id, attempted_at, http_status, error, ms) VALUES (?, ?, ?, ?, ?)",
            {a.delivery_id, a.attempted_at, optParam(a.http_status), a.error, a.ms});
}

std::vector<WebhookDelivery> WebhookRepo::deliveries(std::int64_t webhookId, int limit, int offset) {
  std::vector<WebhookDelivery> out;
  for (const auto& r : c_.query(std::string("SELECT ") + kDeliveryCols +
                                    " FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
                                {webhookId, std::int64_t(limit), std::int64_t(offset)})
                           .rows)
    out.push_back(deliveryOf(r));
  return out;
}

std::int64_t WebhookRepo::deliveryCount(std::int64_t webhookId) {
  return c_.query("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ?", {webhookId}).one().i64(0);
}

std::vector<WebhookAttempt> WebhookRepo::attempts(std::int64_t deliveryId) {
  std::vector<WebhookAttempt> out;
  for (const auto& r : c_.query("SELECT id, delivery_id, attempted_at, http_status, error, ms FROM webhook_attempts "
                                "WHERE delivery_id = ? ORDER BY id",
                                {deliveryId})
                           .rows) {
    WebhookAttempt a;
    a.id = r.i64("id");
    a.delivery_id = r.i64("delivery_id");
    a.attempted_at = r.str("attempted_at");
    a.http_status = r.optI64("http_status");
    a.error = r.str("error");
    a.ms = r.i64("ms");
    out.push_back(a);
  }
  return out;
}

}  // namespace steward::store
