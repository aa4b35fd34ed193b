// DingTalk's signature, the retry schedule, webhook URLs and the addresses a webhook may never reach.
#include "core/webhook.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

using namespace steward::core;

namespace {
bool publicText(const char* ip) {
  unsigned char b[16];
  if (inet_pton(AF_INET, ip, b) == 1) return isPublicAddress(std::span<const unsigned char>(b, 4));
  if (inet_pton(AF_INET6, ip, b) == 1) return isPublicAddress(std::span<const unsigned char>(b, 16));
  ADD_FAILURE() << "not an address: " << ip;
  return false;
}
}  // namespace

// The vector was computed with Python's hmac/hashlib/base64 (DingTalk's documented Python sample).
TEST(Webhook, DingtalkSignatureMatchesTheDocumentedAlgorithm) {
  EXPECT_EQ(dingtalkSignature("SEC1234567890abcdef", 1577262236757), "f7qQ1A8KagEZ45y1gasTtKsEq5ERTeDXP9T+WkIqzDk=");
  EXPECT_EQ(dingtalkSignedUrl("https://oapi.dingtalk.com/robot/send?access_token=abc", "SEC1234567890abcdef",
                              1577262236757),
            "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1577262236757"
            "&sign=f7qQ1A8KagEZ45y1gasTtKsEq5ERTeDXP9T%2BWkIqzDk%3D");
  EXPECT_EQ(dingtalkSignedUrl("http://127.0.0.1:9/hook", "s", 1).substr(0, 35), "http://127.0.0.1:9/hook?timestamp=1");
  EXPECT_NE(dingtalkSignature("SEC1234567890abcdef", 1577262236758), dingtalkSignature("SEC1234567890abcdef", 1577262236757));
}

TEST(Webhook, UrlEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(urlEncode("a+b/c=d e~_.-"), "a%2Bb%2Fc%3Dd%20e~_.-");
}

TEST(Webhook, RetriesBackOffThenGiveUp) {
  ASSERT_EQ(kWebhookMaxAttempts, 6);
  EXPECT_EQ(webhookRetryDelay(1), std::chrono::seconds(30));
  EXPECT_EQ(webhookRetryDelay(2), std::chrono::seconds(120));
  EXPECT_EQ(webhookRetryDelay(3), std::chrono::seconds(600));
  EXPECT_EQ(webhookRetryDelay(4), std::chrono::seconds(3600));
  EXPECT_EQ(webhookRetryDelay(5), std::chrono::seconds(21600));
  EXPECT_FALSE(webhookRetryDelay(6));
  EXPECT_FALSE(webhookRetryDelay(0));
}

TEST(Webhook, ParsesHttpsUrlsAndRefusesTheRest) {
  auto u = parseWebhookUrl("https://oapi.dingtalk.com/robot/send?access_token=x");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "oapi.dingtalk.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(u->target, "/robot/send?access_token=x");
  u = parseWebhookUrl("HTTP://127.0.0.1:8123");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->port, 8123);
  EXPECT_EQ(u->target, "/");
  u = parseWebhookUrl("https://[::1]:8443/x");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8443);
  for (const char* bad : {"ftp://x.com/", "https://", "https://user@x.com/", "https://x.com:0/", "https://x.com:99999/",
                          "https://x.com/a b", "https://x.com/#f", "//x.com/", "https://x.com:/", "https://[::1/",
                          "https://exa mple.com/", "file:///etc/passwd", "https://x.com\\@evil.com/"})
    EXPECT_FALSE(parseWebhookUrl(bad)) << bad;
}

TEST(Webhook, PrivateLoopbackLinkLocalAndMetadataAddressesAreRefused) {
  for (const char* ip : {"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                         "169.254.169.254", "100.100.100.200", "100.64.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1",
                         "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                         "64:ff9b::a9fe:a9fe", "2002:7f00:0001::1", "ff02::1"})
    EXPECT_FALSE(publicText(ip)) << ip;
  for (const char* ip : {"8.8.8.8", "203.119.1.1", "172.32.0.1", "100.128.0.1", "2400:3200::1", "::ffff:8.8.8.8"})
    EXPECT_TRUE(publicText(ip)) << ip;
}
