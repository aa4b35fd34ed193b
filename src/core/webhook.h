// Outgoing webhooks as pure functions: DingTalk's 加签 signature, the retry schedule, a webhook URL's parts and
// which addresses a webhook may never reach (SSRF). The JSON payloads are built in service/webhooks.cpp.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace steward::core {

// DingTalk group robot, 加签: base64(HMAC-SHA256(key = secret, message = timestampMs + "\n" + secret)).
std::string dingtalkSignature(std::string_view secret, std::int64_t timestampMs);
// Percent-encodes everything except RFC 3986's unreserved characters.
std::string urlEncode(std::string_view s);
// `url` with "&timestamp=…&sign=…" appended ("?" when it has no query yet).
std::string dingtalkSignedUrl(std::string_view url, std::string_view secret, std::int64_t timestampMs);

// Attempts a delivery gets before it is marked failed.
inline constexpr int kWebhookMaxAttempts = 6;
// How long after failed attempt number `attempts` (1-based) the next one is due: 30 s, 2 min, 10 min, 1 h, 6 h;
// nullopt after the last attempt (the delivery has failed).
std::optional<std::chrono::seconds> webhookRetryDelay(int attempts);

struct WebhookUrl {
  std::string scheme;  // "https" or "http"
  std::string host;    // lower case; an IPv6 literal without its brackets
  unsigned short port = 0;
  std::string target;  // path and query, at least "/"
};
// Parses an absolute http(s) URL without user info or fragment; nullopt when it is anything else.
std::optional<WebhookUrl> parseWebhookUrl(std::string_view url);

// Whether a webhook may connect to this address (4 or 16 bytes, network order): false for loopback, private
// (RFC 1918, fc00::/7), link-local (169.254/16, fe80::/10, cloud metadata among them), carrier-grade NAT
// (100.64/10: Alibaba Cloud's metadata is 100.100.100.200), unspecified, multicast, broadcast and reserved
// ranges, and for IPv4 mapped or translated into IPv6 when the IPv4 address is one of those.
bool isPublicAddress(std::span<const unsigned char> addr);

}  // namespace steward::core
