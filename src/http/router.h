// The route table: method + pattern ("/api/v1/projects/{id}") → handler. Read top to bottom in api.cpp.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "http/message.h"

namespace steward::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  void add(std::string method, std::string pattern, Handler h);
  // Fills req.params. Returns nullptr and sets methodNotAllowed when only the method is wrong.
  const Handler* match(Request& req, bool& methodNotAllowed) const;
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Route {
    std::string method, pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace steward::http
