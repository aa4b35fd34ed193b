// The HTTP/1.1 server: Boost.Beast over Asio, a pool of I/O threads, keep-alive, body and header limits,
// timeouts, an access log, and graceful shutdown on SIGTERM/SIGINT (in-flight requests finish first).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "http/message.h"

namespace steward::http {

// Requests run on worker pools ("lanes"), never on the I/O threads. A lane has its own threads and a bounded
// queue; a full queue answers 503 at once. Lane 0 serves ordinary requests; the classifier sends slow kinds
// (password hashing, bulk imports and exports) to their own lanes so they cannot starve the rest.
struct LaneOptions {
  int threads = 1;
  int max_queue = 64;  // requests waiting or running in the lane
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  int threads = 8;     // lane 0 (ordinary requests) worker threads
  int io_threads = 2;  // network threads: accept, read, write; no request handling
  std::vector<LaneOptions> extra_lanes;  // lanes 1..n
  int max_queue = 1024;                  // lane 0
  // Connection caps. The total is further limited by the process's file-descriptor limit.
  std::size_t max_connections = 10000;
  std::size_t max_connections_per_client = 256;
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For / X-Forwarded-Proto are believed
  std::size_t body_limit = 10 * 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  int header_timeout_seconds = 30;
  int body_timeout_seconds = 120;
  int idle_timeout_seconds = 60;
  int shutdown_grace_seconds = 20;
  bool access_log = true;
};

using App = std::function<Response(Request&)>;
// Which lane a request runs on (0 when null or out of range).
using Classifier = std::function<int(const Request&)>;

// Blocks until shut down by a signal. `onListening` gets the bound port (useful with port 0).
void runServer(const ServerOptions& opt, App app, std::function<void(unsigned short)> onListening,
               Classifier classify = nullptr);

}  // namespace steward::http
