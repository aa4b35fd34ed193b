#include "service/webhooks.h"

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <netdb.h>
#include <set>
#include <sys/socket.h>

#include "core/webhook.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "store/webhook_repo.h"

namespace steward::service {

using nlohmann::json;

const std::vector<std::string>& webhookEvents() {
  static const std::vector<std::string> events = {
      "problem_raised",  "problem_assigned", "problem_solved",  "problem_rejected", "deadline_near",  "overdue",
      "escalated",       "letter_received",  "letter_answered", "report_returned",  "report_reminder"};
  return events;
}

namespace {

std::vector<std::string> systemResolve(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::vector<std::string> out;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0) return out;
  for (auto* p = res; p; p = p->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (p->ai_family == AF_INET)
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(p->ai_addr)->sin_addr, buf, sizeof buf);
    else if (p->ai_family == AF_INET6)
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(p->ai_addr)->sin6_addr, buf, sizeof buf);
    if (buf[0]) out.push_back(buf);
  }
  freeaddrinfo(res);
  return out;
}

// Whether an address in text form is one a webhook may reach; false for text that is no address.
bool publicAddressText(const std::string& ip) {
  unsigned char b[16];
  if (inet_pton(AF_INET, ip.c_str(), b) == 1) return core::isPublicAddress(std::span<const unsigned char>(b, 4));
  if (inet_pton(AF_INET6, ip.c_str(), b) == 1) return core::isPublicAddress(std::span<const unsigned char>(b, 16));
  return false;
}

bool isAddressLiteral(const std::string& host) {
  unsigned char b[16];
  return inet_pton(AF_INET, host.c_str(), b) == 1 || inet_pton(AF_INET6, host.c_str(), b) == 1;
}

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string cutUtf8(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "…";
}

void requireAdmin(const core::Actor& a) {
  if (!a.has("admin") || !core::canWrite(a, core::WriteKind::Business, a.region_code))
    throw forbidden("只有本县系统管理员可以管理消息推送");
}

json hookJson(const store::Webhook& w) {
  return {{"id", w.id},
          {"name", w.name},
          {"kind", w.kind},
          {"url", w.url},
          {"has_secret", !w.secret.empty()},
          {"events", json::parse(w.events, nullptr, false)},
          {"enabled", w.enabled},
          {"created_at", w.created_at},
          {"updated_at", w.updated_at},
          {"version", w.version}};
}

// The audit image: the secret is never written, only whether there is one.
json auditImage(const store::Webhook& w) {
  auto j = hookJson(w);
  j.erase("created_at");
  j.erase("updated_at");
  j.erase("version");
  return j;
}

store::Webhook load(store::Connection& c, const core::Actor& a, std::int64_t id) {
  auto w = store::WebhookRepo(c).find(id);
  if (!w || w->region_code != a.region_code) throw notFound("推送地址不存在");
  return *w;
}

std::string isoAfter(core::TimePoint t, std::chrono::seconds s) { return core::formatTimestamp(t + s); }

}  // namespace

bool WebhookPolicy::allowsHost(const std::string& host) const {
  for (const auto& h : allow_http_hosts)
    if (h == host) return true;
  return false;
}

std::string webhookPayload(const std::string& kind, const std::string& title, const std::string& body) {
  const auto t = cutUtf8(title, 200);
  auto text = cutUtf8("### " + t + "\n\n" + body, kWebhookTextMaxBytes);
  json j;
  if (kind == "dingtalk")
    j = {{"msgtype", "markdown"}, {"markdown", {{"title", t}, {"text", text}}}};
  else
    j = {{"msgtype", "markdown"}, {"markdown", {{"content", text}}}};
  return j.dump();
}

bool webhookAccepted(const WebhookReply& r, std::string& why) {
  if (!r.error.empty()) {
    why = r.error;
    return false;
  }
  if (r.status < 200 || r.status > 299) {
    why = "HTTP " + std::to_string(r.status);
    return false;
  }
  auto j = json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j.contains("errcode") || !j["errcode"].is_number_integer()) {
    why = "应答不是 {\"errcode\":…}";
    return false;
  }
  if (j["errcode"].get<std::int64_t>() != 0) {
    why = "errcode " + std::to_string(j["errcode"].get<std::int64_t>());
    if (j.contains("errmsg") && j["errmsg"].is_string()) why += ": " + cutUtf8(j["errmsg"].get<std::string>(), 200);
    return false;
  }
  return true;
}

namespace {

// Reads and checks the fields of a create (all required) or an update (those present) into `w`.
void readHook(const json& in, bool creating, const WebhookPolicy& policy, store::Webhook& w) {
  Validator v;
  JsonInput i(in, v);
  if (auto name = i.str("name", creating, 60)) {
    if (name->empty()) v.add("name", "required");
    w.name = *name;
  }
  if (auto kind = i.str("kind", creating, 20)) {
    if (*kind != "dingtalk" && *kind != "wecom") v.add("kind", "unknown_kind");
    w.kind = *kind;
  }
  if (auto url = i.str("url", creating, kWebhookUrlMax)) {
    w.url = *url;
    auto u = core::parseWebhookUrl(*url);
    if (!u) {
      v.add("url", "invalid_url");
    } else if (!policy.allowsHost(u->host)) {
      if (u->scheme != "https") {
        v.add("url", "https_required");
      } else if (isAddressLiteral(u->host)) {
        if (!publicAddressText(u->host)) v.add("url", "private_address");
      } else if (u->host == "localhost" || u->host.ends_with(".localhost") || u->host.ends_with(".local") ||
                 u->host.ends_with(".internal") || u->host.find('.') == std::string::npos) {
        v.add("url", "private_address");
      } else {
        // A name that resolves to a private address now is refused now; the delivery checks again (DNS changes).
        const auto addrs = policy.resolve ? policy.resolve(u->host) : systemResolve(u->host);
        for (const auto& ip : addrs)
          if (!publicAddressText(ip)) {
            v.add("url", "private_address");
            break;
          }
      }
    }
  }
  if (i.has("secret")) {
    if (auto secret = i.strOrEmpty("secret", kWebhookSecretMax)) w.secret = *secret;
  }
  if (i.has("events") || creating) {
    if (!in.contains("events") || !in["events"].is_array()) {
      v.addType("events", "must_be_array");
    } else if (in["events"].size() > kWebhookEventsMax) {
      v.add("events", "too_many");
    } else {
      std::set<std::string> seen;
      json events = json::array();
      const auto& known = webhookEvents();
      for (std::size_t k = 0; k < in["events"].size(); ++k) {
        const auto& e = in["events"][k];
        const auto field = "events[" + std::to_string(k) + "]";
        if (!e.is_string()) {
          v.addType(field, "must_be_string");
        } else if (std::find(known.begin(), known.end(), e.get<std::string>()) == known.end()) {
          v.add(field, "unknown_event");
        } else if (seen.insert(e.get<std::string>()).second) {
          events.push_back(e);
        }
      }
      w.events = events.dump();
    }
  }
  if (i.has("enabled")) {
    if (!in["enabled"].is_boolean()) v.addType("enabled", "must_be_boolean");
    else w.enabled = in["enabled"].get<bool>();
  }
  v.throwIfAny("请检查推送地址的名称、类型、网址和订阅事件");
}

}  // namespace

json WebhookService::list(const core::Actor& a) {
  requireAdmin(a);
  auto c = env_.db->acquire();
  json items = json::array();
  for (const auto& w : store::WebhookRepo(*c).list(a.region_code)) items.push_back(hookJson(w));
  return {{"items", items}, {"events", webhookEvents()}, {"max", kWebhooksPerCounty}};
}

json WebhookService::create(const core::Actor& a, const json& in) {
  requireAdmin(a);
  store::Webhook w;
  readHook(in, true, policy_, w);
  const auto now = env_.nowIso();
  return writeTransaction(env_, a.region_code, [&](store::Connection& c) {
    store::WebhookRepo repo(c);
    if (repo.count(a.region_code) >= kWebhooksPerCounty)
      throw ServiceError(ErrorKind::Conflict, "webhook_limit",
                         "每个县最多 " + std::to_string(kWebhooksPerCounty) + " 个推送地址", {{"url", "too_many"}});
    auto row = w;
    row.region_code = a.region_code;
    row.created_by = a.user_id ? std::optional(a.user_id) : std::nullopt;
    row.created_at = row.updated_at = now;
    row.id = repo.insert(row);
    appendAudit(c, env_, &a, {a.region_code, "create", "webhook", std::to_string(row.id), nullptr, auditImage(row)});
    return hookJson(row);
  });
}

json WebhookService::update(const core::Actor& a, std::int64_t id, const json& in) {
  requireAdmin(a);
  const auto now = env_.nowIso();
  return writeTransaction(env_, a.region_code, [&](store::Connection& c) {
    const auto before = load(c, a, id);
    auto after = before;
    readHook(in, false, policy_, after);
    after.updated_at = now;
    store::WebhookRepo(c).update(after);
    ++after.version;
    json b, af;
    diffJson(auditImage(before), auditImage(after), b, af);
    appendAudit(c, env_, &a, {a.region_code, "update", "webhook", std::to_string(id), b, af});
    return hookJson(after);
  });
}

json WebhookService::remove(const core::Actor& a, std::int64_t id) {
  requireAdmin(a);
  return writeTransaction(env_, a.region_code, [&](store::Connection& c) {
    const auto w = load(c, a, id);
    store::WebhookRepo(c).remove(id);
    appendAudit(c, env_, &a, {a.region_code, "delete", "webhook", std::to_string(id), auditImage(w), nullptr});
    return json{{"id", id}, {"deleted", true}};
  });
}

json WebhookService::sendTest(const core::Actor& a, std::int64_t id) {
  requireAdmin(a);
  const auto now = env_.nowIso();
  return env_.db->transact(true, [&](store::Connection& c) {
    const auto w = load(c, a, id);
    store::WebhookDelivery d;
    d.region_code = w.region_code;
    d.webhook_id = w.id;
    d.event = "test";
    d.payload = webhookPayload(w.kind, "项目管家测试消息", "推送地址「" + w.name + "」已连通。发送人：" + a.display_name);
    d.next_attempt_at = now;
    d.created_at = now;
    d.id = store::WebhookRepo(c).enqueue(d);
    return json{{"delivery_id", d.id}, {"status", "pending"}};
  });
}

json WebhookService::deliveries(const core::Actor& a, std::int64_t id, int page) {
  requireAdmin(a);
  page = std::clamp(page, 1, 100000);
  auto c = env_.db->acquire();
  load(*c, a, id);
  store::WebhookRepo repo(*c);
  json items = json::array();
  for (const auto& d : repo.deliveries(id, kWebhookDeliveriesPage, (page - 1) * kWebhookDeliveriesPage)) {
    json attempts = json::array();
    for (const auto& t : repo.attempts(d.id))
      attempts.push_back({{"at", t.attempted_at},
                          {"http_status", t.http_status ? json(*t.http_status) : json()},
                          {"error", t.error},
                          {"ms", t.ms}});
    items.push_back({{"id", d.id},
                     {"event", d.event},
                     {"status", d.status},
                     {"attempts", d.attempts},
                     {"next_attempt_at", d.status == "pending" && d.next_attempt_at ? json(*d.next_attempt_at) : json()},
                     {"last_error", d.last_error},
                     {"created_at", d.created_at},
                     {"delivered_at", d.delivered_at ? json(*d.delivered_at) : json()},
                     {"payload", json::parse(d.payload, nullptr, false)},
                     {"log", attempts}});
  }
  return {{"items", items}, {"page", page}, {"page_size", kWebhookDeliveriesPage}, {"total", repo.deliveryCount(id)}};
}

json WebhookService::deliverDue(const WebhookTransport& post, int limit) {
  // A claimed delivery is due again after this lease: a server stopped mid-post retries it then.
  constexpr std::chrono::seconds kLease{300};
  struct Claimed {
    store::WebhookDelivery d;
    std::optional<store::Webhook> hook;
  };
  const auto start = env_.now();
  const auto nowIso = core::formatTimestamp(start);
  auto claimed = env_.db->transact(true, [&](store::Connection& c) {
    std::vector<Claimed> out;
    store::WebhookRepo repo(c);
    for (auto& d : repo.due(nowIso, limit))
      if (repo.claim(d.id, *d.next_attempt_at, isoAfter(start, kLease))) out.push_back({d, repo.find(d.webhook_id)});
    return out;
  });
  int delivered = 0, retrying = 0, failed = 0;
  for (auto& [d, hook] : claimed) {
    const auto at = env_.now();
    store::WebhookAttempt attempt;
    attempt.delivery_id = d.id;
    attempt.attempted_at = core::formatTimestamp(at);
    std::string why;
    bool ok = false;
    if (!hook || !hook->enabled) {
      why = "推送地址已停用";
    } else {
      auto u = core::parseWebhookUrl(hook->url);
      const bool allowed = u && policy_.allowsHost(u->host);
      if (!u || (u->scheme != "https" && !allowed)) {
        why = "网址须为 https";
      } else if (d.payload.size() > kWebhookPayloadMaxBytes) {
        why = "消息过大";
      } else {
        WebhookPost p;
        p.url = hook->url;
        if (hook->kind == "dingtalk" && !hook->secret.empty()) {
          const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
          p.url = core::dingtalkSignedUrl(hook->url, hook->secret, ms);
        }
        p.body = d.payload;
        p.allow_private = allowed;
        const auto t0 = std::chrono::steady_clock::now();
        WebhookReply r;
        try {
          r = post(p);
        } catch (const std::exception& e) {
          r.error = std::string("发送失败: ") + e.what();
        }
        attempt.ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
        if (r.status) attempt.http_status = r.status;
        ok = webhookAccepted(r, why);
      }
    }
    attempt.error = ok ? "" : cutUtf8(why, 500);
    d.attempts += 1;
    if (ok) {
      d.status = "delivered";
      d.delivered_at = attempt.attempted_at;
      d.next_attempt_at.reset();
      d.last_error.clear();
      ++delivered;
    } else {
      d.last_error = attempt.error;
      auto delay = (hook && hook->enabled) ? core::webhookRetryDelay(static_cast<int>(d.attempts)) : std::nullopt;
      if (delay) {
        d.next_attempt_at = isoAfter(at, *delay);
        ++retrying;
      } else {
        d.status = "failed";
        d.next_attempt_at.reset();
        ++failed;
      }
    }
    env_.db->transact(true, [&](store::Connection& c) {
      store::WebhookRepo repo(c);
      if (!repo.findDelivery(d.id)) return;  // the webhook was deleted meanwhile, its deliveries with it
      repo.finishAttempt(d);
      repo.logAttempt(attempt);
    });
  }
  return {{"claimed", claimed.size()}, {"delivered", delivered}, {"retrying", retrying}, {"failed", failed}};
}

}  // namespace steward::service
