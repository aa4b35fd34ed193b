// The JSON API under /api/v1 and the web UI's static files.
#pragma once
#include <memory>
#include <string>

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

 private:
  void routes();
  Response serveStatic(const Request& req);
  service::Services& s_;
  AppOptions opt_;
  Router router_;
};

}  // namespace steward::http
