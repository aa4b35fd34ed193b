// The JSON API under /api/v1 and the web UI's static files.
#pragma once
#include <memory>
#include <string>

#include "http/message.h"
#include "http/router.h"
#include "service/services.h"

namespace steward::http {

struct AppOptions {
  std::string web_dir;  // built UI (web/dist); empty: API only
  bool secure_cookie = false;  // set Secure on the session cookie when served over TLS by a proxy
};

class Api {
 public:
  Api(service::Services& s, AppOptions opt);
  Response handle(Request& req);
  const Router& router() const { return router_; }

 private:
  void routes();
  Response serveStatic(const Request& req);
  service::Services& s_;
  AppOptions opt_;
  Router router_;
};

}  // namespace steward::http
