#include "http/webhook_client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>
#include <vector>

#include "core/webhook.h"

namespace steward::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

bool allowedEndpoint(const tcp::endpoint& ep, bool allowPrivate) {
  if (allowPrivate) return true;
  const auto a = ep.address();
  if (a.is_v4()) {
    const auto b = a.to_v4().to_bytes();
    return core::isPublicAddress(std::span<const unsigned char>(b.data(), b.size()));
  }
  const auto b = a.to_v6().to_bytes();
  return core::isPublicAddress(std::span<const unsigned char>(b.data(), b.size()));
}

template <class Stream>
asio::awaitable<void> exchange(Stream& stream, const core::WebhookUrl& u, const std::string& body,
                               const WebhookClientOptions& o, service::WebhookReply& out) {
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, u.target, 11};
  const bool defaultPort = (u.scheme == "https" && u.port == 443) || (u.scheme == "http" && u.port == 80);
  const auto hostHeader = (u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host) +
                          (defaultPort ? "" : ":" + std::to_string(u.port));
  req.set(bhttp::field::host, hostHeader);
  req.set(bhttp::field::user_agent, "steward-webhook/1");
  req.set(bhttp::field::content_type, "application/json; charset=utf-8");
  req.keep_alive(false);
  req.body() = body;
  req.prepare_payload();
  co_await bhttp::async_write(stream, req, asio::use_awaitable);
  beast::flat_buffer buf;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(o.max_response_bytes);
  co_await bhttp::async_read(stream, buf, parser, asio::use_awaitable);
  out.status = static_cast<int>(parser.get().result_int());
  out.body = parser.get().body();
}

asio::awaitable<void> run(asio::io_context& ioc, asio::ssl::context& tls, const core::WebhookUrl& u,
                          const service::WebhookPost& p, const WebhookClientOptions& o,
                          std::optional<beast::tcp_stream>& plain,
                          std::optional<beast::ssl_stream<beast::tcp_stream>>& secure, service::WebhookReply& out,
                          bool& refused) {
  tcp::resolver resolver(ioc);
  auto results = co_await resolver.async_resolve(u.host, std::to_string(u.port), asio::use_awaitable);
  std::vector<tcp::endpoint> endpoints;
  for (const auto& r : results)
    if (allowedEndpoint(r.endpoint(), p.allow_private)) endpoints.push_back(r.endpoint());
  if (endpoints.empty()) {
    refused = true;
    co_return;
  }
  if (u.scheme == "https") {
    secure.emplace(ioc, tls);
    auto& lower = beast::get_lowest_layer(*secure);
    lower.expires_after(o.connect_timeout);
    co_await lower.async_connect(endpoints, asio::use_awaitable);
    lower.expires_never();
    if (!SSL_set_tlsext_host_name(secure->native_handle(), u.host.c_str()))
      throw beast::system_error(beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()));
    secure->set_verify_callback(asio::ssl::host_name_verification(u.host));
    co_await secure->async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
    co_await exchange(*secure, u, p.body, o, out);
  } else {
    plain.emplace(ioc);
    plain->expires_after(o.connect_timeout);
    co_await plain->async_connect(endpoints, asio::use_awaitable);
    plain->expires_never();
    co_await exchange(*plain, u, p.body, o, out);
  }
}

// The client's TLS context, made once: loading the system's trust store costs about 40 ms, which every post paid
// (bench/outbox_bench.cpp: 18 deliveries/s). Its streams are made per post; OpenSSL shares a context across threads.
asio::ssl::context& clientTls() {
  static asio::ssl::context tls = [] {
    asio::ssl::context t(asio::ssl::context::tls_client);
    t.set_default_verify_paths();
    t.set_verify_mode(asio::ssl::verify_peer);
    return t;
  }();
  return tls;
}

}  // namespace

service::WebhookReply postWebhook(const service::WebhookPost& p, const WebhookClientOptions& o) {
  service::WebhookReply out;
  auto u = core::parseWebhookUrl(p.url);
  if (!u) {
    out.error = "网址无效";
    return out;
  }
  asio::io_context ioc;
  auto& tls = clientTls();
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  bool refused = false, done = false;
  std::string failure;
  asio::co_spawn(ioc, run(ioc, tls, *u, p, o, plain, secure, out, refused), [&](std::exception_ptr e) {
    done = true;
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const beast::system_error& se) {
      if (se.code() == bhttp::error::body_limit)
        failure = "应答超过 " + std::to_string(o.max_response_bytes / 1024) + " KiB";
      else if (se.code() == beast::error::timeout)
        failure = "连接超时";
      else
        failure = "连接失败: " + se.code().message();
    } catch (const std::exception& ex) {
      failure = std::string("连接失败: ") + ex.what();
    }
  });
  // One deadline over everything: whatever is still running then is closed and its handlers run out.
  ioc.run_for(o.total_timeout);
  if (!done) {
    beast::error_code ignored;
    if (plain) plain->socket().close(ignored);
    if (secure) beast::get_lowest_layer(*secure).socket().close(ignored);
    ioc.restart();
    ioc.run();
    out = {};
    failure = "超时（" + std::to_string(o.total_timeout.count()) + " ms）";
  }
  if (refused) {
    out = {};
    out.error = "地址不允许：解析到本机、内网或元数据地址";
  } else if (!failure.empty()) {
    out.status = 0;
    out.body.clear();
    out.error = failure;
  }
  return out;
}

service::WebhookTransport webhookTransport(WebhookClientOptions o) {
  return [o](const service::WebhookPost& p) { return postWebhook(p, o); };
}

}  // namespace steward::http
