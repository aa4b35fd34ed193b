#include "http/server.h"

#include <sys/resource.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <set>
#include <unordered_map>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "core/time.h"

namespace steward::http {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::mutex logMu;

class Conn;

struct Lane {
  Lane(int threads, int maxQueue) : pool(static_cast<std::size_t>(std::max(1, threads))), max_queue(maxQueue) {}
  net::thread_pool pool;
  std::atomic<int> queued{0};
  int max_queue;
};

struct Shared {
  ServerOptions opt;
  App app;
  Classifier classify;
  std::vector<std::unique_ptr<Lane>> lanes;
  std::set<std::string> trusted;
  std::size_t max_connections = 0;
  std::atomic<bool> stopping{false};
  std::mutex mu;
  std::unordered_set<Conn*> conns;
  std::unordered_map<std::string, std::size_t> per_client;  // open connections by client address

  // Counts a new connection in, or refuses it when a cap is reached.
  bool admit(const std::string& ip) {
    std::lock_guard g(mu);
    auto& n = per_client[ip];
    if (conns.size() >= max_connections || n >= opt.max_connections_per_client) {
      if (n == 0) per_client.erase(ip);
      return false;
    }
    ++n;
    return true;
  }
};

class Conn : public std::enable_shared_from_this<Conn> {
 public:
  // The caller has admitted the connection (Shared::admit) under the client address `ip`.
  Conn(tcp::socket s, std::shared_ptr<Shared> sh, std::string ip)
      : stream_(std::move(s)), sh_(std::move(sh)), remote_(std::move(ip)) {
    beast::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);
    std::lock_guard g(sh_->mu);
    sh_->conns.insert(this);
  }
  ~Conn() {
    std::lock_guard g(sh_->mu);
    sh_->conns.erase(this);
    auto it = sh_->per_client.find(remote_);
    if (it != sh_->per_client.end() && --it->second == 0) sh_->per_client.erase(it);
  }

  void start() { net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->readHeader(); }); }

  // Called on shutdown: an idle connection closes now, a busy one after its response.
  void shutdownIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.socket().close(ec);
      }
    });
  }

 private:
  void readHeader() {
    if (sh_->stopping) return close();
    busy_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(sh_->opt.header_limit));
    parser_->body_limit(sh_->opt.body_limit);
    stream_.expires_after(std::chrono::seconds(first_ ? sh_->opt.header_timeout_seconds : sh_->opt.idle_timeout_seconds));
    bhttp::async_read_header(stream_, buf_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onHeader(ec); });
  }

  void onHeader(beast::error_code ec) {
    first_ = false;
    if (ec) {
      if (ec == bhttp::error::header_limit) return replyError(431, "request_header_too_large", "请求头过大");
      // A declared Content-Length over the limit is refused while the header is parsed.
      if (ec == bhttp::error::body_limit) return replyError(413, "payload_too_large", "请求体过大");
      return close();
    }
    busy_ = true;
    started_ = std::chrono::steady_clock::now();
    auto& h = parser_->get();
    auto len = parser_->content_length();
    if (len && *len > sh_->opt.body_limit) return replyError(413, "payload_too_large", "请求体过大");
    if (beast::iequals(h[bhttp::field::expect], "100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      bhttp::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code ec, std::size_t) {
        if (ec) return self->close();
        self->readBody();
      });
      return;
    }
    readBody();
  }

  void readBody() {
    stream_.expires_after(std::chrono::seconds(sh_->opt.body_timeout_seconds));
    bhttp::async_read(stream_, buf_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec == bhttp::error::body_limit) return self->replyError(413, "payload_too_large", "请求体过大");
      if (ec) return self->close();
      self->handle();
    });
  }

  void handle() {
    auto msg = parser_->release();
    Request req;
    req.method = std::string(msg.method_string());
    std::string target(msg.target());
    auto qpos = target.find('?');
    req.path = urlDecode(target.substr(0, qpos), false);
    if (qpos != std::string::npos) req.query = parseQuery(target.substr(qpos + 1));
    for (const auto& f : msg) {
      std::string k(f.name_string());
      for (auto& ch : k) ch = static_cast<char>(std::tolower((unsigned char)ch));
      auto [it, fresh] = req.headers.emplace(k, std::string(f.value()));
      if (!fresh && (k == "x-forwarded-for")) it->second += ", " + std::string(f.value());
    }
    req.body = std::move(msg.body());
    req.remote = remote_;
    if (sh_->trusted.count(remote_)) applyForwarded(req, sh_->trusted);
    keepAlive_ = msg.keep_alive() && !sh_->stopping;
    std::string what = req.method + " " + target;

    int laneNo = sh_->classify ? sh_->classify(req) : 0;
    if (laneNo < 0 || laneNo >= static_cast<int>(sh_->lanes.size())) laneNo = 0;
    Lane& lane = *sh_->lanes[laneNo];
    if (lane.queued.fetch_add(1) >= lane.max_queue) {
      lane.queued.fetch_sub(1);
      Response busy;
      busy.status = 503;
      busy.body = R"({"error":{"code":"busy","message":"服务器繁忙，请稍后重试"}})";
      busy.headers.emplace_back("Retry-After", "1");
      return send(std::move(busy), what);
    }
    // The request runs on the lane's pool; the guard keeps the I/O context alive until the answer is posted back.
    net::post(lane.pool, [self = shared_from_this(), req = std::move(req), what = std::move(what), &lane,
                          guard = net::make_work_guard(stream_.get_executor())]() mutable {
      Response res;
      try {
        res = self->sh_->app(req);
      } catch (const std::exception& e) {
        logLine(std::string("error: unhandled exception: ") + e.what());
        res = Response{};
        res.status = 500;
        res.body = R"({"error":{"code":"internal","message":"服务器内部错误"}})";
      }
      lane.queued.fetch_sub(1);
      auto ex = self->stream_.get_executor();
      net::post(ex, [self, res = std::move(res), what = std::move(what)]() mutable {
        self->send(std::move(res), what);
      });
    });
  }

  // Behind a trusted proxy: the client is the right-most X-Forwarded-For address that is not itself a trusted
  // proxy, and X-Forwarded-Proto tells whether the client connected over TLS.
  static void applyForwarded(Request& req, const std::set<std::string>& trusted) {
    auto xff = req.header("x-forwarded-for");
    std::vector<std::string> hops;
    std::string cur;
    for (char ch : xff + ",") {
      if (ch == ',') {
        while (!cur.empty() && cur.back() == ' ') cur.pop_back();
        std::size_t b = cur.find_first_not_of(' ');
        if (b != std::string::npos) hops.push_back(cur.substr(b));
        cur.clear();
      } else {
        cur += ch;
      }
    }
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
      beast::error_code ec;
      auto addr = net::ip::make_address(*it, ec);
      if (ec) break;  // a malformed hop: keep the last address we could trust
      req.remote = addr.to_string();
      if (!trusted.count(req.remote)) break;
    }
    auto proto = req.header("x-forwarded-proto");
    auto comma = proto.find(',');
    if (comma != std::string::npos) proto = proto.substr(0, comma);
    for (auto& ch : proto) ch = static_cast<char>(std::tolower((unsigned char)ch));
    req.secure = proto == "https";
  }

  void send(Response res, const std::string& what) {
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(res.status), 11);
    out->set(bhttp::field::server, "steward");
    if (!res.content_type.empty()) out->set(bhttp::field::content_type, res.content_type);
    out->set("X-Content-Type-Options", "nosniff");
    out->set("X-Frame-Options", "DENY");
    out->set("Referrer-Policy", "same-origin");
    for (auto& [k, v] : res.headers) out->insert(k, v);
    out->body() = std::move(res.body);
    out->keep_alive(keepAlive_);
    out->prepare_payload();
    if (sh_->opt.access_log) {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_);
      char ms[32];
      std::snprintf(ms, sizeof ms, "%.1fms", us.count() / 1000.0);
      logLine(core::formatTimestamp(core::systemNow()) + " " + remote_ + " " + what + " " +
              std::to_string(res.status) + " " + std::to_string(out->body().size()) + "B " + ms +
              (res.user.empty() ? "" : " " + res.user));
    }
    stream_.expires_after(std::chrono::seconds(sh_->opt.body_timeout_seconds));
    bhttp::async_write(stream_, *out, [self = shared_from_this(), out](beast::error_code ec, std::size_t) {
      if (ec || !self->keepAlive_ || self->sh_->stopping) return self->close();
      self->readHeader();
    });
  }

  // An error before the body was read: answer, then drain what the client still sends so it reads the answer.
  void replyError(int status, const char* code, const char* message) {
    Response res;
    res.status = status;
    res.body = std::string(R"({"error":{"code":")") + code + R"(","message":")" + message + "\"}}";
    keepAlive_ = false;
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(status), 11);
    out->set(bhttp::field::server, "steward");
    out->set(bhttp::field::content_type, res.content_type);
    out->body() = res.body;
    out->keep_alive(false);
    out->prepare_payload();
    if (sh_->opt.access_log) logLine(core::formatTimestamp(core::systemNow()) + " " + remote_ + " - " + std::to_string(status));
    stream_.expires_after(std::chrono::seconds(10));
    bhttp::async_write(stream_, *out, [self = shared_from_this(), out](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      beast::error_code e2;
      self->stream_.socket().shutdown(tcp::socket::shutdown_send, e2);
      self->drain();
    });
  }

  void drain() {
    if (sink_.empty()) sink_.resize(4096);  // only connections being drained pay for a buffer
    stream_.async_read_some(net::buffer(sink_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->drain();
    });
  }

  void close() {
    busy_ = false;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  static void logLine(const std::string& s) {
    std::lock_guard g(logMu);
    std::cerr << s << '\n';
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Shared> sh_;
  beast::flat_buffer buf_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  bool keepAlive_ = true;
  bool first_ = true;
  std::atomic<bool> busy_{false};
  std::chrono::steady_clock::time_point started_;
  std::vector<char> sink_;
};

void accept(tcp::acceptor& acc, net::io_context& ioc, std::shared_ptr<Shared> sh) {
  acc.async_accept(net::make_strand(ioc), [&acc, &ioc, sh](beast::error_code ec, tcp::socket s) {
    if (sh->stopping) return;
    if (ec) {
      // Out of descriptors or memory: back off instead of spinning on a failing accept().
      static std::atomic<std::int64_t> lastLog{0};
      auto now = std::chrono::steady_clock::now().time_since_epoch() / std::chrono::seconds(1);
      if (lastLog.exchange(now) != now) std::cerr << "warning: accept: " << ec.message() << std::endl;
      auto t = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(50));
      t->async_wait([&acc, &ioc, sh, t](beast::error_code) { accept(acc, ioc, sh); });
      return;
    }
    beast::error_code e2;
    auto ep = s.remote_endpoint(e2);
    std::string ip = e2 ? std::string("?") : ep.address().to_string();
    if (sh->admit(ip)) {
      std::make_shared<Conn>(std::move(s), sh, std::move(ip))->start();
    } else {
      s.close(e2);  // over a cap: refuse at once, before any buffer is allocated
    }
    accept(acc, ioc, sh);
  });
}

// Raises the soft descriptor limit to the hard one; returns how many descriptors the process may hold.
std::size_t descriptorLimit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  return rl.rlim_cur == RLIM_INFINITY ? 1 << 20 : static_cast<std::size_t>(rl.rlim_cur);
}

}  // namespace

void runServer(const ServerOptions& opt, App app, std::function<void(unsigned short)> onListening,
               Classifier classify) {
  const int ioThreads = std::max(1, opt.io_threads);
  auto iocPtr = std::make_shared<net::io_context>(ioThreads);
  auto& ioc = *iocPtr;
  auto sh = std::make_shared<Shared>();
  sh->opt = opt;
  sh->app = std::move(app);
  sh->classify = std::move(classify);
  sh->lanes.push_back(std::make_unique<Lane>(opt.threads, opt.max_queue));
  for (const auto& l : opt.extra_lanes) sh->lanes.push_back(std::make_unique<Lane>(l.threads, l.max_queue));
  sh->trusted.insert(opt.trusted_proxies.begin(), opt.trusted_proxies.end());
  // Keep descriptors for the database, logs and the listening socket.
  const std::size_t fds = descriptorLimit();
  sh->max_connections = std::min(opt.max_connections, fds > 256 ? fds - 128 : fds / 2);
  tcp::endpoint ep(net::ip::make_address(opt.host), opt.port);
  tcp::acceptor acc(ioc);
  acc.open(ep.protocol());
  acc.set_option(net::socket_base::reuse_address(true));
  acc.bind(ep);
  acc.listen(net::socket_base::max_listen_connections);
  accept(acc, ioc, sh);

  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code ec, int) {
    if (ec) return;
    sh->stopping = true;
    beast::error_code e;
    acc.close(e);
    // Take references under the lock, act outside it: dropping the last reference runs ~Conn, which locks too.
    std::vector<std::shared_ptr<Conn>> live;
    {
      std::lock_guard g(sh->mu);
      for (auto* c : sh->conns)
        if (auto p = c->weak_from_this().lock()) live.push_back(std::move(p));  // skips ones mid-destruction
    }
    for (auto& p : live) p->shutdownIfIdle();
    live.clear();
    // Whatever has not finished within the grace period is cut off.
    std::thread([iocPtr, grace = opt.shutdown_grace_seconds] {
      std::this_thread::sleep_for(std::chrono::seconds(grace));
      iocPtr->stop();
    }).detach();
  });

  onListening(acc.local_endpoint().port());
  std::vector<std::thread> pool;
  for (int i = 1; i < ioThreads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  for (auto& l : sh->lanes) l->pool.join();
}

}  // namespace steward::http
