// `make bench`: the webhook outbox (service/notify.h, service/webhooks.h) delivering to a local robot — a
// plain-socket HTTP receiver on 127.0.0.1 inside this process answering {"errcode":0} as DingTalk and WeCom
// do — through the server's own transport (http/webhook_client) and WebhookService::deliverDue, as the
// deliver-webhooks job runs it, on SQLite. Two runs: a backlog of 2,000 deliveries drained (deliveries per
// second), then 1,000 notifications enqueued one transaction each at a quarter of that rate while a delivery
// loop runs back to back (the job's interval aside): the latency from the enqueuing transaction's start to
// the robot having the message, p50 and p99.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/webhook_client.h"
#include "service/notify.h"
#include "service/webhooks.h"
#include "store/db.h"
#include "store/migrations.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace steward;
double msOf(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

constexpr const char* kMarker = "outbox-bench-";

// A robot: reads each request on a connection (keep-alive or not), notes the sequence number in its body and
// the time, answers 200 {"errcode":0,"errmsg":"ok"}.
class Receiver {
 public:
  explicit Receiver(std::size_t capacity) : received_(capacity) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 64) != 0)
      throw std::runtime_error("receiver: cannot listen");
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~Receiver() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  std::size_t count() const { return count_; }
  Clock::time_point at(std::size_t seq) const { return received_[seq]; }

 private:
  void run() {
    while (!stop_) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      serve(c);
      ::close(c);
    }
  }
  void serve(int c) {
    std::string buf;
    char chunk[8192];
    for (;;) {
      auto end = buf.find("\r\n\r\n");
      while (end == std::string::npos) {
        const auto n = ::recv(c, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buf.append(chunk, std::size_t(n));
        end = buf.find("\r\n\r\n");
      }
      std::size_t length = 0;
      std::string head = buf.substr(0, end);
      std::transform(head.begin(), head.end(), head.begin(),
                     [](unsigned char ch) { return std::tolower(ch); });
      if (auto p = head.find("content-length:"); p != std::string::npos)
        length = std::stoul(head.substr(p + 15));
      const bool close = head.find("connection: close") != std::string::npos;
      while (buf.size() < end + 4 + length) {
        const auto n = ::recv(c, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buf.append(chunk, std::size_t(n));
      }
      const auto body = buf.substr(end + 4, length);
      buf.erase(0, end + 4 + length);
      if (auto m = body.find(kMarker); m != std::string::npos) {
        const auto seq = std::stoul(body.substr(m + std::strlen(kMarker)));
        if (seq < received_.size()) received_[seq] = Clock::now();
        ++count_;
      }
      static const std::string reply = "{\"errcode\":0,\"errmsg\":\"ok\"}";
      const std::string out = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(reply.size()) + "\r\n" + (close ? "Connection: close\r\n" : "") +
                              "\r\n" + reply;
      if (::send(c, out.data(), out.size(), MSG_NOSIGNAL) < 0) return;
      if (close) return;
    }
  }
  int fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> count_{0};
  std::vector<Clock::time_point> received_;
  std::thread thread_;
};

service::Notification note(std::size_t seq) {
  service::Notification n;
  n.region_code = "430424";
  n.event = "problem_assigned";
  n.title = "交办问题：施工用电增容未落实 " + std::string(kMarker) + std::to_string(seq) + "-";
  n.body = "刘建华：交办（办结期限 2026-12-09）";
  n.link = "/problems/" + std::to_string(seq);
  return n;
}

}  // namespace

void benchOutbox(const std::string& dir) {
  const std::size_t backlog =
      std::getenv("STEWARD_BENCH_OUTBOX") ? std::stoul(std::getenv("STEWARD_BENCH_OUTBOX")) : 2000;
  const std::size_t steady = backlog / 2;
  Receiver robot(backlog + steady);
  auto db = store::Database::open("sqlite:" + dir + "/outbox.db", 4);
  store::migrate(*db);
  db->transact(true, [&](store::Connection& c) {
    const std::string t = "2026-01-01T00:00:00Z";
    c.exec("INSERT INTO regions (code, name, level) VALUES ('430424', '衡东县', 'county')");
    c.exec(
        "INSERT INTO users (id, region_code, username, display_name, rank, roles, password_hash, created_at, "
        "updated_at) VALUES (1, '430424', 'admin', '管理员', 'staff', 'admin', '!', ?, ?)",
        {t, t});
  });
  service::Env env;
  env.db = db.get();
  env.now = [] { return std::chrono::system_clock::now(); };
  service::WebhookPolicy policy;
  policy.allow_http_hosts = {"127.0.0.1"};
  service::WebhookService hooks(env, policy);
  core::Actor admin{1, "admin", "管理员", "430424", std::nullopt, "staff", {"admin"}};
  hooks.create(admin,
               {{"name", "指挥部企业微信群"},
                {"kind", "wecom"},
                {"url", "http://127.0.0.1:" + std::to_string(robot.port()) + "/cgi-bin/webhook/send?key=k"},
                {"events", {"problem_assigned"}}});
  const auto post = http::webhookTransport();
  auto drain = [&] {
    std::int64_t n = 0;
    for (;;) {
      auto out = hooks.deliverDue(post, 50);
      n += out["delivered"].get<std::int64_t>();
      if (out["claimed"].get<std::int64_t>() == 0) return n;
    }
  };

  // 1. A backlog, enqueued in one transaction, drained as the job drains it.
  std::vector<Clock::time_point> enqueued(backlog + steady);
  db->transact(true, [&](store::Connection& c) {
    const auto now = env.nowIso();
    for (std::size_t i = 0; i < backlog; ++i) service::enqueueWebhooks(c, note(i), now);
  });
  auto t0 = Clock::now();
  const auto delivered = drain();
  const double secs = msOf(Clock::now() - t0) / 1000;
  const double rate = delivered / secs;
  std::printf("\n== webhook outbox (sqlite, local robot over http)\n");
  std::printf("  backlog of %zu: %lld delivered in %.2f s, %.0f deliveries/s (robot received %zu)\n", backlog,
              (long long)delivered, secs, rate, robot.count());

  // 2. Notifications one transaction each at half that rate, the delivery loop running back to back.
  const auto gap =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(4.0 / std::max(rate, 1.0)));
  std::atomic<bool> producing{true};
  std::thread producer([&] {
    auto next = Clock::now();
    for (std::size_t i = backlog; i < backlog + steady; ++i) {
      std::this_thread::sleep_until(next);
      next += gap;
      enqueued[i] = Clock::now();
      db->transact(true, [&](store::Connection& c) { service::enqueueWebhooks(c, note(i), env.nowIso()); });
    }
    producing = false;
  });
  std::int64_t more = 0;
  while (producing || robot.count() < backlog + steady) {
    auto out = hooks.deliverDue(post, 50);
    more += out["delivered"].get<std::int64_t>();
    if (out["claimed"].get<std::int64_t>() == 0) {
      if (!producing) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  producer.join();
  more += drain();
  std::vector<double> lat;
  for (std::size_t i = backlog; i < backlog + steady; ++i)
    if (robot.at(i) != Clock::time_point{}) lat.push_back(std::max(0.0, msOf(robot.at(i) - enqueued[i])));
  std::sort(lat.begin(), lat.end());
  if (lat.empty()) throw std::runtime_error("outbox bench: nothing delivered");
  std::printf(
      "  steady %zu at %.0f/s: %lld delivered, enqueue to robot p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
      steady, 1.0 / std::chrono::duration<double>(gap).count(), (long long)more, lat[lat.size() / 2],
      lat[std::min(lat.size() - 1, lat.size() * 99 / 100)], lat.back());
}
