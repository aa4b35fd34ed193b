#include "core/webhook.h"

#include <algorithm>
#include <cctype>
#include <sodium.h>

namespace steward::core {

std::string dingtalkSignature(std::string_view secret, std::int64_t timestampMs) {
  const std::string message = std::to_string(timestampMs) + "\n" + std::string(secret);
  // HMAC-SHA256 with a key of any length (crypto_auth_hmacsha256_init hashes a long key, as RFC 2104 says).
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char b64[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  return b64;
}

std::string urlEncode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}

std::string dingtalkSignedUrl(std::string_view url, std::string_view secret, std::int64_t timestampMs) {
  std::string out(url);
  out += url.find('?') == std::string_view::npos ? '?' : '&';
  out += "timestamp=" + std::to_string(timestampMs) + "&sign=" + urlEncode(dingtalkSignature(secret, timestampMs));
  return out;
}

std::optional<std::chrono::seconds> webhookRetryDelay(int attempts) {
  static constexpr std::int64_t delays[] = {30, 120, 600, 3600, 21600};
  if (attempts < 1 || attempts >= kWebhookMaxAttempts) return std::nullopt;
  return std::chrono::seconds(delays[attempts - 1]);
}

std::optional<WebhookUrl> parseWebhookUrl(std::string_view url) {
  WebhookUrl u;
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  for (char ch : url.substr(0, sep)) u.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (u.scheme != "https" && u.scheme != "http") return std::nullopt;
  for (unsigned char ch : url)
    if (ch <= 0x20 || ch == 0x7f || ch == '\\' || ch == '#') return std::nullopt;  // no spaces, controls, fragments
  auto rest = url.substr(sep + 3);
  const auto slash = std::min(rest.find('/'), rest.find('?'));
  auto authority = rest.substr(0, slash);
  u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (u.target[0] == '?') u.target = "/" + u.target;
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view host = authority, port;
  if (authority[0] == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return std::nullopt;
      port = after.substr(1);
    }
    if (host.empty() || host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos)
      return std::nullopt;
  } else {
    const auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    if (host.empty() || host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") !=
                            std::string_view::npos)
      return std::nullopt;
  }
  for (char ch : host) u.host += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (!port.empty() || authority.back() == ':') {
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    const int p = std::stoi(std::string(port));
    if (p < 1 || p > 65535) return std::nullopt;
    u.port = static_cast<unsigned short>(p);
  } else {
    u.port = u.scheme == "https" ? 443 : 80;
  }
  return u;
}

namespace {

bool publicV4(const unsigned char* a) {
  const unsigned b0 = a[0], b1 = a[1], b2 = a[2];
  if (b0 == 0 || b0 == 10 || b0 == 127) return false;         // this network, private, loopback
  if (b0 == 100 && (b1 & 0xC0) == 64) return false;          // 100.64/10 carrier-grade NAT (Alibaba metadata)
  if (b0 == 169 && b1 == 254) return false;                  // link-local, cloud metadata
  if (b0 == 172 && (b1 & 0xF0) == 16) return false;          // 172.16/12
  if (b0 == 192 && b1 == 168) return false;                  // 192.168/16
  if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) return false;  // IETF protocol assignments, TEST-NET-1
  if (b0 == 198 && (b1 & 0xFE) == 18) return false;          // 198.18/15 benchmarking
  if (b0 == 198 && b1 == 51 && b2 == 100) return false;      // TEST-NET-2
  if (b0 == 203 && b1 == 0 && b2 == 113) return false;       // TEST-NET-3
  if (b0 >= 224) return false;                               // multicast, reserved, broadcast
  return true;
}

}  // namespace

bool isPublicAddress(std::span<const unsigned char> addr) {
  if (addr.size() == 4) return publicV4(addr.data());
  if (addr.size() != 16) return false;
  const unsigned char* a = addr.data();
  auto zeros = [&](int from, int to) {
    for (int k = from; k < to; ++k)
      if (a[k]) return false;
    return true;
  };
  if (zeros(0, 15) && (a[15] == 0 || a[15] == 1)) return false;  // :: and ::1
  if (zeros(0, 10) && a[10] == 0xFF && a[11] == 0xFF) return publicV4(a + 12);  // ::ffff:a.b.c.d
  if (zeros(0, 12)) return publicV4(a + 12);                                    // ::a.b.c.d (deprecated)
  if (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B) return publicV4(a + 12);  // 64:ff9b::/96 NAT64
  if (a[0] == 0x20 && a[1] == 0x02) return publicV4(a + 2);                     // 2002::/16 6to4
  if ((a[0] & 0xFE) == 0xFC) return false;                                      // fc00::/7 unique local
  if (a[0] == 0xFE && (a[1] & 0xC0) == 0x80) return false;                      // fe80::/10 link-local
  if (a[0] == 0xFE && (a[1] & 0xC0) == 0xC0) return false;                      // fec0::/10 site-local
  if (a[0] == 0xFF) return false;                                               // multicast
  if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8) return false;  // documentation
  if (a[0] == 0x01 && zeros(1, 8)) return false;                                // 100::/64 discard
  return true;
}

}  // namespace steward::core
