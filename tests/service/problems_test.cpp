// The problem service against a real SQLite database with an injected clock: the daily job looks at each open
// problem once a county day (its notices deduped), steps the escalation up automatically one level per the rules'
// delay, and a step refused by the transition table writes nothing.
#include "service/problems.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "service/errors.h"
#include "service/problem_rules.h"
#include "store/migrations.h"

using namespace steward;
using nlohmann::json;

namespace {
struct ProblemsFixture : ::testing::Test {
  void SetUp() override {
    auto dir = std::filesystem::temp_directory_path() / ("steward-problems-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::filesystem::remove(dir / "p.db");
    db = store::Database::open("sqlite:" + (dir / "p.db").string(), 2);
    store::migrate(*db);
    setNow("2026-11-02T02:00:00Z");
    env.db = db.get();
    env.now = [this] { return now; };
    auto c = db->acquire();
    c->exec("INSERT INTO regions (code, name, level) VALUES ('430424', '衡东县', 'county')");
    unit = c->insert("INSERT INTO org_units (region_code, name, kind, created_at, updated_at) "
                     "VALUES ('430424', '县工业和信息化局', 'department', 'x', 'x')");
    c->exec("INSERT INTO users (region_code, username, display_name, roles, password_hash, created_at, updated_at) "
            "VALUES ('430424', 'hq', '刘建华', 'hq', 'x', 'x', 'x')");
    c->exec("INSERT INTO users (region_code, username, display_name, roles, org_unit_id, password_hash, created_at, "
            "updated_at) VALUES ('430424', 'unit', '张三', 'unit', ?, 'x', 'x', 'x')",
            {unit});
    c->exec("INSERT INTO users (region_code, username, display_name, roles, password_hash, created_at, updated_at) "
            "VALUES ('430424', 'evh', '常务副县长', 'leader', 'x', 'x', 'x')");
    // Lianshui's rules, with automatic escalation every 3 days and the executive vice county head named.
    json body;
    for (const auto& [name, b] : service::problemsKind().presets)
      if (name == "lianshui") body = b;
    ASSERT_TRUE(body.is_object());
    body["escalation"]["auto_after"] = {{"amount", 3}, {"unit", "calendar_days"}};
    body["escalation"]["holders"] = {{"executive_vice_head", "evh"}, {"county_head", nullptr}};
    ASSERT_TRUE(service::problemRulesFromJson(body).has_value());
    c->exec("INSERT INTO rule_sets (region_code, kind, version, body, effective_from, created_at) "
            "VALUES ('430424', 'problems', 1, ?, '2026-01-01', 'x')",
            {body.dump()});
    hq = actor(1, "hq", {"hq"}, std::nullopt);
    unitActor = actor(2, "unit", {"unit"}, unit);
  }
  static core::Actor actor(std::int64_t id, const char* name, std::vector<std::string> roles,
                           std::optional<std::int64_t> orgUnit) {
    core::Actor a;
    a.user_id = id;
    a.username = name;
    a.display_name = name;
    a.region_code = "430424";
    a.org_unit_id = orgUnit;
    a.roles = std::move(roles);
    return a;
  }
  void setNow(const char* iso) { core::parseTimestamp(iso, now); }
  std::int64_t count(const std::string& sql) { return db->acquire()->query(sql).one().i64(0); }
  std::unique_ptr<store::Database> db;
  core::TimePoint now;
  service::Env env;
  std::int64_t unit = 0;
  core::Actor hq, unitActor;
};

TEST_F(ProblemsFixture, TheDailyJobNotifiesOnceADayAndEscalatesOneLevelPerDelay) {
  service::ProblemsService s(env);
  auto p = s.raise(hq, {{"title", "用电增容"}, {"category", "energy"}});
  const auto id = p["id"].get<std::int64_t>();
  s.act(hq, id, "accept", json::object());
  auto a = s.act(hq, id, "assign", {{"lead_unit_id", unit}});
  EXPECT_EQ(a["solve_due"], "2026-11-09");
  s.act(unitActor, id, "start", json::object());

  setNow("2026-11-10T02:00:00Z");  // the day after the due day
  auto out = s.runDaily(now);
  EXPECT_EQ(out["checked"], 1);
  EXPECT_EQ(out["overdue"], 1);
  EXPECT_EQ(out["escalated"], 0);
  EXPECT_EQ(s.runDaily(now)["checked"], 0) << "once a county day";
  const auto overdueNotices = "SELECT COUNT(*) FROM inbox_messages WHERE title LIKE '问题已超期%'";
  const auto first = count(overdueNotices);
  EXPECT_GE(first, 1);

  setNow("2026-11-12T02:00:00Z");  // due day + 3: one level up, to the holder the rules name
  out = s.runDaily(now);
  EXPECT_EQ(out["escalated"], 1);
  auto g = s.get(hq, id);
  EXPECT_EQ(g["escalation"]["level"], 1);
  EXPECT_EQ(g["escalation"]["target"]["name"], "常务副县长");
  EXPECT_GT(count(overdueNotices), first) << "a new day, a new notice";

  setNow("2026-11-15T02:00:00Z");  // + 3 more: the county head, whom the rules do not name yet
  s.runDaily(now);
  g = s.get(hq, id);
  EXPECT_EQ(g["escalation"]["level"], 2);
  EXPECT_TRUE(g["escalation"]["target"].is_null());
  EXPECT_EQ(count("SELECT COUNT(*) FROM problem_events WHERE action = 'escalate' AND actor_id IS NULL"), 2);
}

TEST_F(ProblemsFixture, ARefusedStepWritesNothing) {
  service::ProblemsService s(env);
  auto p = s.raise(hq, {{"title", "道路"}});
  const auto id = p["id"].get<std::int64_t>();
  const auto events = count("SELECT COUNT(*) FROM problem_events");
  const auto audit = count("SELECT COUNT(*) FROM audit_log");
  try {
    s.act(hq, id, "solve", {{"note", "办结"}});
    FAIL() << "solving a raised problem must be refused";
  } catch (const service::ServiceError& e) {
    EXPECT_EQ(e.kind, service::ErrorKind::Conflict);
    EXPECT_EQ(e.code, "illegal_transition");
  }
  try {
    s.act(unitActor, id, "accept", json::object());
    FAIL() << "a unit does not see another's problem";
  } catch (const service::ServiceError& e) {
    EXPECT_EQ(e.kind, service::ErrorKind::NotFound);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM problem_events"), events);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log"), audit);
  EXPECT_EQ(s.get(hq, id)["version"], 1);
}

}  // namespace
