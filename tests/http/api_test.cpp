// The real route table: every route outside Api::publicRoutes() refuses a caller without a session.
#include "http/api.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "store/migrations.h"

using namespace steward;

namespace {
struct ApiFixture : ::testing::Test {
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("steward-api-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::filesystem::remove(dir / "a.db");
    db = store::Database::open("sqlite:" + (dir / "a.db").string(), 2);
    store::migrate(*db);
    env.db = db.get();
    services = std::make_unique<service::Services>(env);
    api = std::make_unique<http::Api>(*services, http::AppOptions{});
  }
  void TearDown() override {
    api.reset();
    services.reset();
    db.reset();
    std::filesystem::remove_all(dir);
  }
  // A concrete path for a pattern: each {param} becomes 1.
  static std::string pathOf(const std::string& pattern) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] == '{') {
        i = pattern.find('}', i);
        out += "1";
      } else {
        out += pattern[i];
      }
    }
    return out;
  }
  std::filesystem::path dir;
  std::unique_ptr<store::Database> db;
  service::Env env;
  std::unique_ptr<service::Services> services;
  std::unique_ptr<http::Api> api;
};

bool isListedPublic(const std::string& method, const std::string& pattern) {
  const auto& list = http::Api::publicRoutes();
  return std::find(list.begin(), list.end(), std::pair{method, pattern}) != list.end();
}
}  // namespace

TEST_F(ApiFixture, EveryRouteNotListedPublicAnswers401WithoutASession) {
  int protectedRoutes = 0;
  for (const auto& r : api->router().table()) {
    if (isListedPublic(r.method, r.pattern)) continue;
    EXPECT_EQ(r.access, http::Access::Session) << r.method << " " << r.pattern;
    http::Request req;
    req.method = r.method;
    req.path = pathOf(r.pattern);
    req.body = "{}";
    req.headers["cookie"] = "steward_session=not-a-session";
    req.headers["x-csrf-token"] = "whatever";
    auto res = api->handle(req);
    EXPECT_EQ(res.status, 401) << r.method << " " << req.path << ": " << res.body;
    EXPECT_NE(res.body.find("\"unauthenticated\""), std::string::npos) << r.method << " " << req.path;
    ++protectedRoutes;
  }
  EXPECT_GE(protectedRoutes, 25);  // the table was really walked
}

TEST_F(ApiFixture, ThePublicListIsExactlyThePublicRoutesOfTheTable) {
  std::set<std::pair<std::string, std::string>> fromTable;
  for (const auto& r : api->router().table())
    if (r.access == http::Access::Public) fromTable.insert({r.method, r.pattern});
  std::set<std::pair<std::string, std::string>> listed(http::Api::publicRoutes().begin(),
                                                       http::Api::publicRoutes().end());
  EXPECT_EQ(fromTable, listed);
  EXPECT_EQ(listed, (std::set<std::pair<std::string, std::string>>{{"GET", "/api/v1/health"},
                                                                   {"POST", "/api/v1/auth/login"},
                                                                   {"GET", "/api/v1/setup"},
                                                                   {"POST", "/api/v1/setup"},
                                                                   {"GET", "/api/v1/divisions"}}));
}

TEST_F(ApiFixture, HealthReportsTheDatabaseThroughTheServiceLayerWithoutASession) {
  http::Request req;
  req.method = "GET";
  req.path = "/api/v1/health";
  auto res = api->handle(req);
  ASSERT_EQ(res.status, 200) << res.body;
  auto j = nlohmann::json::parse(res.body);
  EXPECT_EQ(j["db"], "sqlite");
  EXPECT_EQ(j["schema_version"], store::latestSchemaVersion());
}

TEST_F(ApiFixture, ASessionOpensAProtectedRouteAndWritesStillNeedItsCsrfToken) {
  db->acquire()->exec("INSERT INTO regions (code, name, level) VALUES ('430424', '衡东县', 'county')");
  service::NewUser u;
  u.username = "hq";
  u.display_name = "刘建华";
  u.password = "Steward@2026";
  u.region_code = "430424";
  u.roles = {"hq"};
  services->org.createUser(nullptr, u);
  auto login = services->auth.login("hq", "Steward@2026", "127.0.0.1", "test");

  http::Request me;
  me.method = "GET";
  me.path = "/api/v1/auth/me";
  me.headers["cookie"] = "steward_session=" + login.session_token;
  auto ok = api->handle(me);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.user, "hq");
  EXPECT_EQ(me.session, nullptr);  // not left pointing at the finished request's session

  http::Request write;
  write.method = "POST";
  write.path = "/api/v1/org-units";
  write.body = R"({"name":"县测试局","kind":"department"})";
  write.headers["cookie"] = "steward_session=" + login.session_token;
  auto refused = api->handle(write);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("\"csrf_failed\""), std::string::npos);
  write.headers["x-csrf-token"] = login.csrf_token;
  auto created = api->handle(write);
  EXPECT_EQ(created.status, 201) << created.body;
}

TEST(ApiLanes, EveryRequestThatHashesAPasswordRunsOnTheHashingLane) {
  auto lane = [](const char* method, const char* path) {
    http::Request r;
    r.method = method;
    r.path = path;
    return http::Api::laneOf(r);
  };
  EXPECT_EQ(lane("POST", "/api/v1/auth/login"), http::Api::kLaneAuth);
  EXPECT_EQ(lane("POST", "/api/v1/auth/password"), http::Api::kLaneAuth);
  EXPECT_EQ(lane("POST", "/api/v1/users"), http::Api::kLaneAuth);
  EXPECT_EQ(lane("PATCH", "/api/v1/users/7"), http::Api::kLaneAuth);
  // The router ignores repeated and trailing slashes; so does the lane.
  EXPECT_EQ(lane("POST", "/api/v1//auth/login/"), http::Api::kLaneAuth);
  EXPECT_EQ(lane("POST", "/api/v1/users/"), http::Api::kLaneAuth);
  EXPECT_EQ(lane("GET", "/api/v1/projects/export.xlsx/"), http::Api::kLaneBulk);
  EXPECT_EQ(lane("GET", "/api/v1/users"), http::Api::kLaneDefault);
  EXPECT_EQ(lane("GET", "/api/v1/projects/1"), http::Api::kLaneDefault);
}
