#include "http/router.h"

#include <gtest/gtest.h>

#include "http/message.h"

using namespace steward::http;

namespace {
Response tag(const char* t) {
  Response r;
  r.body = t;
  return r;
}
Request req(const char* method, const char* path) {
  Request r;
  r.method = method;
  r.path = path;
  return r;
}
}  // namespace

TEST(Router, LiteralRoutesWinOverParametersWhenListedFirst) {
  Router r;
  r.add("GET", "/api/v1/projects/export.xlsx", [](Request&) { return tag("export"); });
  r.add("GET", "/api/v1/projects/{id}", [](Request&) { return tag("one"); });
  r.add("PATCH", "/api/v1/projects/{id}", [](Request&) { return tag("patch"); });
  bool wrong = false;
  auto a = req("GET", "/api/v1/projects/export.xlsx");
  ASSERT_NE(r.match(a, wrong).handler, nullptr);
  EXPECT_EQ((*r.match(a, wrong).handler)(a).body, "export");
  auto b = req("GET", "/api/v1/projects/42");
  const Handler* h = r.match(b, wrong).handler;
  ASSERT_NE(h, nullptr);
  EXPECT_EQ((*h)(b).body, "one");
  EXPECT_EQ(b.params.at("id"), "42");
}

TEST(Router, WrongMethodIsToldApartFromUnknownPath) {
  Router r;
  r.add("GET", "/api/v1/health", [](Request&) { return tag("h"); });
  bool wrong = false;
  auto a = req("DELETE", "/api/v1/health");
  EXPECT_EQ(r.match(a, wrong).handler, nullptr);
  EXPECT_TRUE(wrong);
  auto b = req("GET", "/api/v1/nothing");
  EXPECT_EQ(r.match(b, wrong).handler, nullptr);
  EXPECT_FALSE(wrong);
  auto c = req("GET", "/api/v1/health/extra");
  EXPECT_EQ(r.match(c, wrong).handler, nullptr);
}

TEST(Router, TrailingAndDoubleSlashesDoNotMatter) {
  Router r;
  r.add("GET", "/api/v1/projects/{id}/history", [](Request&) { return tag("hist"); });
  bool wrong = false;
  auto a = req("GET", "/api/v1/projects/7/history/");
  ASSERT_NE(r.match(a, wrong).handler, nullptr);
  EXPECT_EQ(a.params.at("id"), "7");
  EXPECT_EQ(r.routes().size(), 1u);
  EXPECT_EQ(r.routes()[0].second, "/api/v1/projects/{id}/history");
}

TEST(Router, RoutesNeedASessionUnlessRegisteredPublic) {
  Router r;
  r.add("GET", "/api/v1/things", [](Request&) { return tag("things"); });
  r.add("GET", "/api/v1/health", [](Request&) { return tag("h"); }, Access::Public);
  bool wrong = false;
  auto a = req("GET", "/api/v1/things");
  EXPECT_EQ(r.match(a, wrong).access, Access::Session);
  auto b = req("GET", "/api/v1/health");
  EXPECT_EQ(r.match(b, wrong).access, Access::Public);
  ASSERT_EQ(r.table().size(), 2u);
  EXPECT_EQ(r.table()[0].access, Access::Session);
  EXPECT_EQ(r.table()[1].access, Access::Public);
}

TEST(Message, QueryStringsDecodePercentAndPlus) {
  auto q = parseQuery("q=%E6%96%B0%E6%9D%90%E6%96%99&page=2&flag&sort=name+asc&empty=");
  EXPECT_EQ(q.at("q"), "新材料");
  EXPECT_EQ(q.at("page"), "2");
  EXPECT_EQ(q.at("flag"), "");
  EXPECT_EQ(q.at("sort"), "name asc");
  EXPECT_EQ(q.at("empty"), "");
  EXPECT_EQ(urlDecode("/a%2Fb+c", false), "/a/b+c");
  EXPECT_EQ(urlDecode("bad%zzescape%4", false), "bad%zzescape%4");
}

TEST(Message, CookiesAreFoundByName) {
  Request r;
  r.headers["cookie"] = "theme=dark; steward_session=abc123;other=1";
  EXPECT_EQ(r.cookie("steward_session"), "abc123");
  EXPECT_EQ(r.cookie("other"), "1");
  EXPECT_EQ(r.cookie("missing"), "");
  EXPECT_EQ(r.cookie("steward"), "");
}
