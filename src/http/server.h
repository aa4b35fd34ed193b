// The HTTP/1.1 server: Boost.Beast over Asio, a pool of I/O threads, keep-alive, body and header limits,
// timeouts, an access log, and graceful shutdown on SIGTERM/SIGINT (in-flight requests finish first).
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "http/message.h"

namespace steward::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int threads = 8;
  std::size_t body_limit = 10 * 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  int header_timeout_seconds = 30;
  int body_timeout_seconds = 120;
  int idle_timeout_seconds = 60;
  int shutdown_grace_seconds = 20;
  bool access_log = true;
};

using App = std::function<Response(Request&)>;

// Blocks until shut down by a signal. `onListening` gets the bound port (useful with port 0).
void runServer(const ServerOptions& opt, App app, std::function<void(unsigned short)> onListening);

}  // namespace steward::http
