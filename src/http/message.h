// Transport-neutral request and response: handlers never see Beast.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace steward::service {
struct SessionInfo;
}

namespace steward::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path without the query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // keys lower-case
  std::map<std::string, std::string> params;   // from the route pattern
  std::string body;
  std::string remote;   // the client's address (from X-Forwarded-For when the peer is a trusted proxy)
  bool secure = false;  // arrived over TLS (X-Forwarded-Proto: https from a trusted proxy)
  // The signed-in session, set by Api::handle before it calls the handler of a route that is not public.
  const service::SessionInfo* session = nullptr;
  std::string header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? "" : it->second;
  }
  std::string q(const std::string& k) const {
    auto it = query.find(k);
    return it == query.end() ? "" : it->second;
  }
  std::string cookie(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string user;  // who made the request, for the access log
};

std::string urlDecode(const std::string& s, bool plusIsSpace);
std::map<std::string, std::string> parseQuery(const std::string& qs);

}  // namespace steward::http
