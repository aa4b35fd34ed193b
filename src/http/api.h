// The JSON API under /api/v1 and the web UI's static files.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/message.h"
#include "http/router.h"
#include "http/static_files.h"
#include "service/services.h"

namespace steward::http {

struct AppOptions {
  std::shared_ptr<const StaticFiles> web;  // the built UI (web/dist), read at start-up; null: API only
  bool secure_cookie = false;  // always set Secure on the session cookie (also set per request behind TLS)
};

class Api {
 public:
  Api(service::Services& s, AppOptions opt);
  Response handle(Request& req);
  // The worker lane a request runs on: kLaneDefault, kLaneAuth (password hashing) or kLaneBulk (xlsx import and
  // export), so a flood of one kind cannot starve the others.
  static constexpr int kLaneDefault = 0, kLaneAuth = 1, kLaneBulk = 2;
  static int laneOf(const Request& req);
  const Router& router() const { return router_; }
  // The routes anyone may call (method, pattern), all of them; every other route needs a session.
  static const std::vector<std::pair<std::string, std::string>>& publicRoutes();

 private:
  // A handler given the signed-in session (Api::handle has checked it, and the CSRF token on writes).
  using Authed = std::function<Response(Request&, const service::SessionInfo&)>;
  void routes();
  void route(std::string method, std::string pattern, Authed h);               // needs a session
  void publicRoute(std::string method, std::string pattern, Handler h);  // only those in kPublicRoutes
  Response serveStatic(const Request& req);
  service::Services& s_;
  AppOptions opt_;
  Router router_;
};

}  // namespace steward::http
