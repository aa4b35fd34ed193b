// The HTTP request parser with the server's limits, then the path and query decoding the server applies
// (src/http/server.cpp). Bytes may arrive in pieces: the first byte chooses the split.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

#include "http/message.h"
#include "http/server.h"

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const steward::http::ServerOptions options;
  const std::size_t piece = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
  parser.body_limit(options.body_limit);
  parser.eager(true);
  boost::beast::error_code ec;
  std::string pending;
  while (!input.empty() && !parser.is_done()) {
    pending.append(input.substr(0, piece));
    input.remove_prefix(std::min(piece, input.size()));
    const std::size_t used = parser.put(boost::asio::buffer(pending), ec);
    if (ec == bhttp::error::need_more) {
      ec = {};
      continue;
    }
    if (ec) return 0;
    pending.erase(0, used);
  }
  if (!parser.is_header_done()) return 0;
  auto msg = parser.release();
  std::string target(msg.target());
  const auto qpos = target.find('?');
  steward::http::Request req;
  req.path = steward::http::urlDecode(target.substr(0, qpos), false);
  if (qpos != std::string::npos) req.query = steward::http::parseQuery(target.substr(qpos + 1));
  for (const auto& f : msg) {
    std::string k(f.name_string());
    for (auto& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    req.headers[k] = std::string(f.value());
  }
  (void)req.cookie("steward_session");
  return 0;
}
