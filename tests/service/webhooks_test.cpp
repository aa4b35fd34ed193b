// Webhook payloads in each service's shape, what counts as delivered, and the outbox's retry schedule driven by
// an injected clock and a fake transport, on a real SQLite database.
#include "service/webhooks.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/webhook.h"
#include "service/errors.h"
#include "service/notify.h"
#include "store/migrations.h"

using namespace steward;
using nlohmann::json;

TEST(WebhookPayload, DingtalkAndWecomMarkdownShapes) {
  auto d = json::parse(service::webhookPayload("dingtalk", "进度报告被退回", "原因：缺照片"));
  EXPECT_EQ(d["msgtype"], "markdown");
  EXPECT_EQ(d["markdown"]["title"], "进度报告被退回");
  EXPECT_EQ(d["markdown"]["text"], "### 进度报告被退回\n\n原因：缺照片");
  EXPECT_EQ(d["markdown"].size(), 2u);
  auto w = json::parse(service::webhookPayload("wecom", "进度报告被退回", "原因：缺照片"));
  EXPECT_EQ(w["msgtype"], "markdown");
  EXPECT_EQ(w["markdown"]["content"], "### 进度报告被退回\n\n原因：缺照片");
  EXPECT_EQ(w["markdown"].size(), 1u);
}

TEST(WebhookPayload, LongTextIsCutOnACharacterBoundary) {
  std::string body;
  for (int k = 0; k < 3000; ++k) body += "报";  // 9,000 bytes
  auto w = json::parse(service::webhookPayload("wecom", "t", body));  // parses: no split UTF-8 sequence
  const auto content = w["markdown"]["content"].get<std::string>();
  EXPECT_LE(content.size(), service::kWebhookTextMaxBytes + 3);
  EXPECT_LE(service::webhookPayload("dingtalk", body, body).size(), service::kWebhookPayloadMaxBytes);
}

TEST(WebhookReplyCheck, OnlyA2xxWithErrcodeZeroIsDelivered) {
  std::string why;
  EXPECT_TRUE(service::webhookAccepted({200, R"({"errcode":0,"errmsg":"ok"})", ""}, why));
  EXPECT_FALSE(service::webhookAccepted({200, R"({"errcode":310000,"errmsg":"sign not match"})", ""}, why));
  EXPECT_EQ(why, "errcode 310000: sign not match");
  EXPECT_FALSE(service::webhookAccepted({500, R"({"errcode":0})", ""}, why));
  EXPECT_EQ(why, "HTTP 500");
  EXPECT_FALSE(service::webhookAccepted({302, "", ""}, why));  // redirects are not followed
  EXPECT_FALSE(service::webhookAccepted({200, "ok", ""}, why));
  EXPECT_FALSE(service::webhookAccepted({0, "", "连接超时"}, why));
  EXPECT_EQ(why, "连接超时");
}

namespace {
struct OutboxFixture : ::testing::Test {
  void SetUp() override {
    auto dir = std::filesystem::temp_directory_path() / ("steward-webhooks-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::filesystem::remove(dir / "w.db");
    db = store::Database::open("sqlite:" + (dir / "w.db").string(), 2);
    store::migrate(*db);
    core::parseTimestamp("2026-03-15T02:00:00Z", now);
    env.db = db.get();
    env.now = [this] { return now; };
    auto c = db->acquire();
    c->exec("INSERT INTO regions (code, name, level) VALUES ('430400', '衡阳市', 'city')");
    c->exec("INSERT INTO regions (code, name, level, parent_code) VALUES ('430424', '衡东县', 'county', '430400')");
    admin.username = "admin";
    admin.display_name = "管理员";
    admin.region_code = "430424";
    admin.roles = {"admin"};
    policy.allow_http_hosts = {"127.0.0.1"};
  }
  service::WebhookService hooks() { return service::WebhookService(env, policy); }
  std::unique_ptr<store::Database> db;
  core::TimePoint now;
  service::Env env;
  core::Actor admin;
  service::WebhookPolicy policy;
};
}  // namespace

TEST_F(OutboxFixture, AFailingReceiverIsRetriedOnTheBackoffScheduleThenGivenUp) {
  auto h = hooks().create(admin, {{"name", "群"}, {"kind", "dingtalk"}, {"url", "http://127.0.0.1:1/hook"},
                                  {"secret", "SECabc"}, {"events", {"report_returned"}}});
  EXPECT_FALSE(h.contains("secret"));
  EXPECT_EQ(h["has_secret"], true);
  {
    auto c = db->acquire();
    service::Notification n{"430424", "report_returned", "进度报告被退回：A", "原因", std::nullopt, std::nullopt, "", {}};
    service::notify(*c, n, {}, env.nowIso());
    n.event = "overdue";  // not subscribed
    service::notify(*c, n, {}, env.nowIso());
  }
  std::vector<service::WebhookPost> posts;
  service::WebhookTransport failing = [&](const service::WebhookPost& p) {
    posts.push_back(p);
    return service::WebhookReply{500, "", ""};
  };
  auto out = hooks().deliverDue(failing);
  EXPECT_EQ(out["claimed"], 1);
  EXPECT_EQ(out["retrying"], 1);
  ASSERT_EQ(posts.size(), 1u);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  EXPECT_EQ(posts[0].url, core::dingtalkSignedUrl("http://127.0.0.1:1/hook", "SECabc", ms));
  EXPECT_TRUE(posts[0].allow_private);
  EXPECT_EQ(json::parse(posts[0].body)["markdown"]["title"], "进度报告被退回：A");
  // Not due again before its delay; due after it; each delay longer than the last.
  const int delays[] = {30, 120, 600, 3600, 21600};
  for (int k = 0; k < 5; ++k) {
    now += std::chrono::seconds(delays[k] - 1);
    EXPECT_EQ(hooks().deliverDue(failing)["claimed"], 0) << k;
    now += std::chrono::seconds(1);
    auto r = hooks().deliverDue(failing);
    EXPECT_EQ(r["claimed"], 1) << k;
    EXPECT_EQ(r[k < 4 ? "retrying" : "failed"], 1) << k;
  }
  EXPECT_EQ(posts.size(), 6u);
  now += std::chrono::hours(24);
  EXPECT_EQ(hooks().deliverDue(failing)["claimed"], 0);
  auto log = hooks().deliveries(admin, h["id"], 1);
  ASSERT_EQ(log["items"].size(), 1u);
  EXPECT_EQ(log["items"][0]["status"], "failed");
  EXPECT_EQ(log["items"][0]["attempts"], 6);
  EXPECT_EQ(log["items"][0]["log"].size(), 6u);
  EXPECT_EQ(log["items"][0]["log"][0]["http_status"], 500);
}

TEST_F(OutboxFixture, ARecoveredReceiverGetsTheDeliveryOnTheNextAttempt) {
  auto h = hooks().create(admin, {{"name", "企微群"}, {"kind", "wecom"}, {"url", "http://127.0.0.1:1/wecom"},
                                  {"events", json::array()}});
  hooks().sendTest(admin, h["id"]);
  int calls = 0;
  service::WebhookTransport flaky = [&](const service::WebhookPost&) {
    ++calls;
    if (calls == 1) return service::WebhookReply{200, R"({"errcode":93000,"errmsg":"invalid webhook url"})", ""};
    return service::WebhookReply{200, R"({"errcode":0,"errmsg":"ok"})", ""};
  };
  EXPECT_EQ(hooks().deliverDue(flaky)["retrying"], 1);
  now += std::chrono::seconds(30);
  EXPECT_EQ(hooks().deliverDue(flaky)["delivered"], 1);
  auto log = hooks().deliveries(admin, h["id"], 1)["items"][0];
  EXPECT_EQ(log["status"], "delivered");
  EXPECT_EQ(log["log"][0]["error"], "errcode 93000: invalid webhook url");
  EXPECT_EQ(log["log"][1]["error"], "");
}

TEST_F(OutboxFixture, UrlsAreCheckedAndTheCountyCapHolds) {
  auto code = [&](const json& in) {
    try {
      hooks().create(admin, in);
    } catch (const service::ServiceError& e) {
      return e.fields.empty() ? e.code : e.fields[0].reason;
    }
    return std::string("ok");
  };
  json base = {{"name", "n"}, {"kind", "wecom"}, {"events", json::array()}};
  auto with = [&](const char* url) {
    auto j = base;
    j["url"] = url;
    return j;
  };
  EXPECT_EQ(code(with("http://example.com/hook")), "https_required");
  EXPECT_EQ(code(with("https://10.0.0.1/hook")), "private_address");
  EXPECT_EQ(code(with("https://169.254.169.254/latest")), "private_address");
  EXPECT_EQ(code(with("https://[::1]/x")), "private_address");
  EXPECT_EQ(code(with("https://localhost/x")), "private_address");
  policy.resolve = [](const std::string&) { return std::vector<std::string>{"192.168.0.10"}; };
  EXPECT_EQ(code(with("https://intranet.example.cn/x")), "private_address");
  policy.resolve = [](const std::string&) { return std::vector<std::string>{"203.119.1.1"}; };
  EXPECT_EQ(code(with("https://oapi.dingtalk.com/robot/send?access_token=x")), "ok");
  auto bad = with("https://oapi.dingtalk.com/x");
  bad["events"] = {"nope"};
  EXPECT_EQ(code(bad), "unknown_event");
  for (int k = 1; k < service::kWebhooksPerCounty; ++k) EXPECT_EQ(code(with("http://127.0.0.1:1/x")), "ok");
  EXPECT_EQ(code(with("http://127.0.0.1:1/x")), "too_many");
}
