// The router: an arbitrary method and path matched against the real route table, built by http::Api over an
// unopened database as `steward routes` does. Input: METHOD, a space, then the path (already decoded).
#include <cstdint>
#include <string>

#include "http/api.h"
#include "service/services.h"

namespace {
steward::service::Services& services() {
  static steward::service::Services s(steward::service::Env{nullptr});
  return s;
}
steward::http::Api& api() {
  static steward::http::Api a(services(), {});
  return a;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto space = input.find(' ');
  steward::http::Request req;
  req.method = input.substr(0, space);
  req.path = space == std::string::npos ? "/api/v1/" : input.substr(space + 1);
  bool wrongMethod = false;
  const auto* handler = api().router().match(req, wrongMethod).handler;
  // A match binds every parameter of its pattern, and only a match does.
  if (handler == nullptr && !req.params.empty()) __builtin_trap();
  return 0;
}
