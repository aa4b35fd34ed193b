// The route table: method + pattern ("/api/v1/projects/{id}") → handler. Read top to bottom in api.cpp.
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "http/message.h"

namespace steward::http {

using Handler = std::function<Response(Request&)>;

// Who may call a route. Session is the default: the caller needs a signed-in session (and a CSRF token on writes),
// checked by Api::handle before the handler runs. Public routes are the few named in api.cpp's kPublicRoutes.
enum class Access { Session, Public };

struct RouteInfo {
  std::string method, pattern;
  Access access;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler h, Access access = Access::Session);
  struct Match {
    const Handler* handler = nullptr;  // null: no route (methodNotAllowed tells a wrong method from a wrong path)
    Access access = Access::Session;
  };
  // Fills req.params. Returns no handler and sets methodNotAllowed when only the method is wrong.
  Match match(Request& req, bool& methodNotAllowed) const;
  std::vector<std::pair<std::string, std::string>> routes() const;  // method, pattern
  std::vector<RouteInfo> table() const;

 private:
  struct Route {
    std::string method, pattern;
    std::vector<std::string> segments;
    Handler handler;
    Access access;
  };
  std::vector<Route> routes_;
};

}  // namespace steward::http
