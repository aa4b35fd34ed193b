// The HTTP(S) client that posts webhook deliveries (service::WebhookTransport): TLS with the system's trust store
// and host name verification, connect and total timeouts, the response read capped, no redirects followed, and
// the addresses a host resolves to checked at connect time (loopback, private, link-local and metadata addresses
// refused unless the post allows them), so a name that changes its address after the check cannot reach inside.
#pragma once
#include <chrono>
#include <cstddef>

#include "service/webhooks.h"

namespace steward::http {

struct WebhookClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{10000};  // resolve, connect, TLS, write and read together
  std::size_t max_response_bytes = 64 * 1024;
};

service::WebhookReply postWebhook(const service::WebhookPost& post, const WebhookClientOptions& o = {});

// A transport bound to `o`.
service::WebhookTransport webhookTransport(WebhookClientOptions o = {});

}  // namespace steward::http
