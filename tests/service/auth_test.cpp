// Session and lock-out logic against a real SQLite database with an injected clock.
#include "service/auth.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "service/audit.h"
#include "service/errors.h"
#include "service/org.h"
#include "store/migrations.h"

using namespace steward;
using namespace std::chrono_literals;

namespace {
struct Fixture : ::testing::Test {
  void SetUp() override {
    auto dir = std::filesystem::temp_directory_path() / ("steward-auth-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::filesystem::remove(dir / "a.db");
    db = store::Database::open("sqlite:" + (dir / "a.db").string(), 2);
    store::migrate(*db);
    core::parseTimestamp("2026-11-23T02:00:00Z", now);
    env.db = db.get();
    env.now = [this] { return now; };
    db->acquire()->exec("INSERT INTO regions (code, name, level) VALUES ('430424', '衡东县', 'county')");
    service::OrgService org(env);
    service::NewUser u;
    u.username = "hq";
    u.display_name = "刘建华";
    u.password = "Steward@2026";
    u.region_code = "430424";
    u.roles = {"hq"};
    org.createUser(nullptr, u);
  }
  std::unique_ptr<store::Database> db;
  core::TimePoint now;
  service::Env env;
};

int errorStatusCode(const std::function<void()>& f, std::string& code) {
  try {
    f();
  } catch (const service::ServiceError& e) {
    code = e.code;
    return static_cast<int>(e.kind);
  }
  code = "";
  return -1;
}
}  // namespace

using AuthFixture = Fixture;

TEST_F(AuthFixture, SignInCreatesASessionThatIdlesOutAfterThirtyMinutes) {
  service::AuthService auth(env);
  auto s = auth.login("hq", "Steward@2026", "127.0.0.1", "test");
  EXPECT_EQ(s.session_token.size(), 64u);
  EXPECT_EQ(s.user["username"], "hq");
  auto info = auth.authenticate(s.session_token);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->actor.username, "hq");
  EXPECT_EQ(info->csrf_token, s.csrf_token);
  now += 29min;
  EXPECT_TRUE(auth.authenticate(s.session_token));  // activity refreshes the idle clock
  now += 29min;
  EXPECT_TRUE(auth.authenticate(s.session_token));
  now += 31min;
  EXPECT_FALSE(auth.authenticate(s.session_token));
  EXPECT_FALSE(auth.authenticate(s.session_token));  // and it is gone for good
}

TEST_F(AuthFixture, AnActiveSessionStillEndsAfterTwelveHours) {
  service::AuthService auth(env);
  auto s = auth.login("hq", "Steward@2026", "", "");
  for (int i = 0; i < 23; ++i) {
    now += 30min;
    ASSERT_TRUE(auth.authenticate(s.session_token)) << i;  // busy all day: 11.5 hours
  }
  now += 31min;
  EXPECT_FALSE(auth.authenticate(s.session_token));
}

TEST_F(AuthFixture, FiveFailuresLockForFifteenMinutes) {
  service::AuthService auth(env);
  std::string code;
  for (int i = 0; i < 5; ++i) {
    errorStatusCode([&] { auth.login("hq", "wrong-password", "", ""); }, code);
    EXPECT_EQ(code, "invalid_credentials") << i;
  }
  errorStatusCode([&] { auth.login("hq", "Steward@2026", "", ""); }, code);
  EXPECT_EQ(code, "account_locked");
  now += 14min;
  errorStatusCode([&] { auth.login("hq", "Steward@2026", "", ""); }, code);
  EXPECT_EQ(code, "account_locked");
  now += 2min;
  EXPECT_NO_THROW(auth.login("hq", "Steward@2026", "", ""));
}

TEST_F(AuthFixture, UnknownUserAndWrongPasswordLookTheSame) {
  service::AuthService auth(env);
  std::string a, b;
  errorStatusCode([&] { auth.login("nobody", "Steward@2026", "", ""); }, a);
  errorStatusCode([&] { auth.login("hq", "nope-nope", "", ""); }, b);
  EXPECT_EQ(a, "invalid_credentials");
  EXPECT_EQ(a, b);
}

TEST_F(AuthFixture, TokensAreStoredOnlyAsHashes) {
  service::AuthService auth(env);
  auto s = auth.login("hq", "Steward@2026", "", "");
  auto c = db->acquire();
  EXPECT_TRUE(c->query("SELECT 1 FROM sessions WHERE id_hash = ?", {s.session_token}).empty());
  EXPECT_FALSE(c->query("SELECT 1 FROM sessions WHERE id_hash = ?", {core::sha256Hex(s.session_token)}).empty());
}

TEST_F(AuthFixture, PasswordChangeEnforcesThePolicy) {
  service::AuthService auth(env);
  auto s = auth.login("hq", "Steward@2026", "", "");
  auto actor = *auth.authenticate(s.session_token);
  std::string code;
  errorStatusCode([&] { auth.changePassword(actor, "Steward@2026", "short1A"); }, code);
  EXPECT_EQ(code, "validation_failed");
  errorStatusCode([&] { auth.changePassword(actor, "Steward@2026", "alllowercase"); }, code);
  EXPECT_EQ(code, "validation_failed");
  errorStatusCode([&] { auth.changePassword(actor, "wrong-old-pw", "Better#2027"); }, code);
  EXPECT_EQ(code, "validation_failed");
  auth.changePassword(actor, "Steward@2026", "Better#2027");
  EXPECT_NO_THROW(auth.login("hq", "Better#2027", "", ""));
  errorStatusCode([&] { auth.login("hq", "Steward@2026", "", ""); }, code);
  EXPECT_EQ(code, "invalid_credentials");
}

TEST_F(AuthFixture, EveryAttemptIsAuditedAndTheChainHolds) {
  service::AuthService auth(env);
  std::string code;
  errorStatusCode([&] { auth.login("hq", "wrong-password", "", ""); }, code);
  auth.login("hq", "Steward@2026", "", "");
  service::AuditService audit(env);
  auto c = db->acquire();
  auto actions = c->query("SELECT action FROM audit_log ORDER BY id");
  std::vector<std::string> got;
  for (auto& r : actions.rows) got.push_back(r.str(0));
  EXPECT_EQ(got, (std::vector<std::string>{"create", "login_failed", "login"}));
  EXPECT_TRUE(audit.verify().ok);
}

TEST_F(AuthFixture, ParallelGuessesAreCheckedAtMostFiveTimesAndLeaveTheAccountLocked) {
  service::AuthPolicy p;
  p.login_per_user_per_minute = 0;
  p.login_per_client_per_minute = 0;
  service::AuthService auth(env, p);
  std::atomic<int> checked{0}, locked{0}, other{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 40; ++i)
    ts.emplace_back([&] {
      std::string code;
      errorStatusCode([&] { auth.login("hq", "wrong-password", "", ""); }, code);
      if (code == "invalid_credentials") ++checked;
      else if (code == "account_locked") ++locked;
      else ++other;
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(checked.load(), 5);
  EXPECT_EQ(locked.load(), 35);
  EXPECT_EQ(other.load(), 0);
  std::string code;
  errorStatusCode([&] { auth.login("hq", "Steward@2026", "", ""); }, code);
  EXPECT_EQ(code, "account_locked");  // even the right password waits out the lock
}

TEST_F(AuthFixture, LateFailuresNeitherExtendNorResetALock) {
  service::AuthService auth(env);
  std::string code;
  for (int i = 0; i < 5; ++i) errorStatusCode([&] { auth.login("hq", "wrong-password", "", ""); }, code);
  auto until = db->acquire()->query("SELECT locked_until FROM login_guards WHERE username = 'hq'").one().str(0);
  now += 5min;
  for (int i = 0; i < 3; ++i) {
    errorStatusCode([&] { auth.login("hq", "wrong-password", "", ""); }, code);
    EXPECT_EQ(code, "account_locked");
  }
  EXPECT_EQ(db->acquire()->query("SELECT locked_until FROM login_guards WHERE username = 'hq'").one().str(0), until);
  now += 11min;
  errorStatusCode([&] { auth.login("hq", "wrong-password", "", ""); }, code);
  EXPECT_EQ(code, "invalid_credentials");  // an expired lock starts a fresh count of one
  EXPECT_EQ(db->acquire()->query("SELECT failed_attempts FROM login_guards WHERE username = 'hq'").one().i64(0), 1);
}

TEST_F(AuthFixture, AnUnknownNameLocksExactlyLikeAKnownOne) {
  service::AuthService auth(env);
  for (const std::string name : {"hq", "nobody-here"}) {
    std::vector<std::string> codes;
    for (int i = 0; i < 6; ++i) {
      std::string code;
      errorStatusCode([&] { auth.login(name, "wrong-password", "", ""); }, code);
      codes.push_back(code);
    }
    EXPECT_EQ(codes, (std::vector<std::string>{"invalid_credentials", "invalid_credentials", "invalid_credentials",
                                               "invalid_credentials", "invalid_credentials", "account_locked"}))
        << name;
  }
}

TEST_F(AuthFixture, SignInsAreRateLimitedPerNameAndPerClient) {
  service::AuthPolicy p;
  p.login_per_user_per_minute = 10;
  p.login_per_client_per_minute = 11;
  p.max_failed_attempts = 1000;
  service::AuthService auth(env, p);
  std::string code;
  for (int i = 0; i < 10; ++i) {
    errorStatusCode([&] { auth.login("hq", "wrong-password", "10.0.0.1", ""); }, code);
    EXPECT_EQ(code, "invalid_credentials") << i;
  }
  errorStatusCode([&] { auth.login("hq", "wrong-password", "10.0.0.1", ""); }, code);
  EXPECT_EQ(code, "too_many_requests");
  now += 6s;  // one token back for the name
  errorStatusCode([&] { auth.login("hq", "wrong-password", "10.0.0.1", ""); }, code);
  EXPECT_EQ(code, "invalid_credentials");
  // The client address has used its 11 and the 1.1 refilled (the refused try counts): other names wait too.
  errorStatusCode([&] { auth.login("someone", "x", "10.0.0.1", ""); }, code);
  EXPECT_EQ(code, "too_many_requests");
  errorStatusCode([&] { auth.login("someone", "x", "10.0.0.2", ""); }, code);
  EXPECT_EQ(code, "invalid_credentials");
}

TEST_F(AuthFixture, WrongOldPasswordsCountTowardsTheLock) {
  service::AuthService auth(env);
  auto s = auth.login("hq", "Steward@2026", "", "");
  auto info = *auth.authenticate(s.session_token);
  std::string code;
  for (int i = 0; i < 5; ++i) {
    errorStatusCode([&] { auth.changePassword(info, "guess-" + std::to_string(i), "Better#2027"); }, code);
    EXPECT_EQ(code, "validation_failed") << i;
  }
  errorStatusCode([&] { auth.changePassword(info, "Steward@2026", "Better#2027"); }, code);
  EXPECT_EQ(code, "account_locked");
  errorStatusCode([&] { auth.login("hq", "Steward@2026", "", ""); }, code);
  EXPECT_EQ(code, "account_locked");
}

TEST_F(AuthFixture, ChangingThePasswordEndsEveryOtherSession) {
  service::AuthService auth(env);
  auto mine = auth.login("hq", "Steward@2026", "", "");
  auto other = auth.login("hq", "Steward@2026", "", "");
  auto third = auth.login("hq", "Steward@2026", "", "");
  auth.changePassword(*auth.authenticate(mine.session_token), "Steward@2026", "Better#2027");
  EXPECT_TRUE(auth.authenticate(mine.session_token));
  EXPECT_FALSE(auth.authenticate(other.session_token));
  EXPECT_FALSE(auth.authenticate(third.session_token));
}
