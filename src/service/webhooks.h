// Outgoing webhooks of a county (DingTalk and WeCom group robots): their administration, the JSON payloads in
// each service's shape, and the delivery of the outbox that notify() fills. The posting itself is a transport
// handed in by the caller (http/webhook_client: HTTPS with timeouts, a response cap and the address checks),
// run by the delivery job (src/jobs) off the request path.
#pragma once
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

inline constexpr int kWebhooksPerCounty = 20;
inline constexpr std::size_t kWebhookEventsMax = 16;
inline constexpr std::size_t kWebhookUrlMax = 1000;
inline constexpr std::size_t kWebhookSecretMax = 200;
inline constexpr std::size_t kWebhookTextMaxBytes = 4000;     // WeCom's markdown content takes 4096 bytes
inline constexpr std::size_t kWebhookPayloadMaxBytes = 8192;  // what one delivery may post
inline constexpr int kWebhookDeliveriesPage = 20;

// The events a webhook may subscribe to (notify()'s Notification::event).
const std::vector<std::string>& webhookEvents();

// What the operator allows (config [webhooks]).
struct WebhookPolicy {
  // Hosts (as written in the URL) that may be reached over plain http and may resolve to loopback or private
  // addresses: a test receiver, an intranet relay. Everything else must be https to a public address.
  std::vector<std::string> allow_http_hosts;
  // The addresses a host name resolves to (text form); the default asks the system resolver. Empty: not known.
  std::function<std::vector<std::string>(const std::string& host)> resolve;
  bool allowsHost(const std::string& host) const;
};

// One post of a delivery, and what came back.
struct WebhookPost {
  std::string url;  // signed already for DingTalk
  std::string body;
  bool allow_private = false;  // the host is in allow_http_hosts
};
struct WebhookReply {
  int status = 0;       // the HTTP status; 0 when none came back
  std::string body;     // at most 64 KiB of it
  std::string error;    // a transport failure (refused address, timeout, TLS, …); empty when a response came
};
using WebhookTransport = std::function<WebhookReply(const WebhookPost&)>;

// The payload each service expects for a markdown message: DingTalk {"msgtype":"markdown","markdown":{"title",
// "text"}}, WeCom {"msgtype":"markdown","markdown":{"content"}}. The text is cut (on a UTF-8 boundary) to fit.
std::string webhookPayload(const std::string& kind, const std::string& title, const std::string& body);
// Whether a reply means delivered: a 2xx with {"errcode":0} (both services answer errors with 200 and a code).
// Otherwise the reason, for the log.
bool webhookAccepted(const WebhookReply& r, std::string& why);

class WebhookService {
 public:
  WebhookService(Env env, WebhookPolicy policy) : env_(env), policy_(std::move(policy)) {}
  nlohmann::json list(const core::Actor& a);
  nlohmann::json create(const core::Actor& a, const nlohmann::json& in);
  nlohmann::json update(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  nlohmann::json remove(const core::Actor& a, std::int64_t id);
  // Enqueues a test message to the webhook (whatever its events), delivered by the job like any other.
  nlohmann::json sendTest(const core::Actor& a, std::int64_t id);
  // A page (1-based) of the webhook's deliveries, newest first, each with its attempts.
  nlohmann::json deliveries(const core::Actor& a, std::int64_t id, int page);
  // The delivery job: claims up to `limit` due deliveries, posts each and records the attempt; {"claimed",
  // "delivered", "retrying", "failed"}.
  nlohmann::json deliverDue(const WebhookTransport& post, int limit = 50);

 private:
  Env env_;
  WebhookPolicy policy_;
};

}  // namespace steward::service
