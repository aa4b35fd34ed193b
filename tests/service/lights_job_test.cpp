// The nightly lights job (LightsService::evaluateDue) against a real SQLite database with an injected clock: it
// evaluates a county once a day, only after 00:30 county time, and a second run the same day does nothing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "service/lights.h"
#include "store/migrations.h"

using namespace steward;

namespace {
struct LightsJobFixture : ::testing::Test {
  void SetUp() override {
    auto dir = std::filesystem::temp_directory_path() / ("steward-lights-job-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::filesystem::remove(dir / "j.db");
    db = store::Database::open("sqlite:" + (dir / "j.db").string(), 2);
    store::migrate(*db);
    env.db = db.get();
    env.now = [this] { return now; };
    auto c = db->acquire();
    c->exec("INSERT INTO regions (code, name, level) VALUES ('430400', '衡阳市', 'city')");
    c->exec("INSERT INTO regions (code, name, level, parent_code) VALUES ('430424', '衡东县', 'county', '430400')");
    project = c->insert("INSERT INTO projects (region_code, name, category, stage, planned_start, created_at, updated_at) "
                        "VALUES ('430424', '衡东县智能制造产业园', 'industrial', 'preparing', '2026-01-05', 'x', 'x')");
  }
  int runAt(const char* iso) {
    core::parseTimestamp(iso, now);
    return service::LightsService(env).evaluateDue(now);
  }
  std::string lightDay() {
    auto r = db->acquire()->query("SELECT light_day FROM projects WHERE id = ?", {project}).one();
    return r.isNull("light_day") ? "" : r.str("light_day");
  }
  std::int64_t historyRows() {
    return db->acquire()->query("SELECT COUNT(*) FROM light_history WHERE project_id = ?", {project}).one().i64(0);
  }
  std::unique_ptr<store::Database> db;
  core::TimePoint now;
  service::Env env;
  std::int64_t project = 0;
};
}  // namespace

TEST_F(LightsJobFixture, RunsOnceADayAfterHalfPastMidnightCountyTime) {
  EXPECT_EQ(runAt("2026-03-15T16:29:00Z"), 0) << "00:29 on 16 March in the county: not yet";
  EXPECT_EQ(lightDay(), "");
  EXPECT_EQ(runAt("2026-03-15T16:31:00Z"), 1) << "00:31: the county is evaluated";
  EXPECT_EQ(lightDay(), "2026-03-16");
  auto c = db->acquire();
  EXPECT_EQ(c->query("SELECT light FROM projects WHERE id = ?", {project}).one().str(0), "yellow")
      << "planned for January, not started by mid-March";
  const auto rows = historyRows();
  EXPECT_GE(rows, 1);
  EXPECT_EQ(runAt("2026-03-16T03:00:00Z"), 0) << "a second run the same county day does nothing";
  EXPECT_EQ(runAt("2026-03-16T15:59:00Z"), 0) << "23:59 is still the same day";
  EXPECT_EQ(historyRows(), rows);
  EXPECT_EQ(runAt("2026-03-16T16:20:00Z"), 0) << "the next day, before 00:30";
  EXPECT_EQ(runAt("2026-03-16T16:45:00Z"), 1) << "the next day after 00:30";
  EXPECT_EQ(lightDay(), "2026-03-17");
}

TEST_F(LightsJobFixture, ACountyWithoutActiveProjectsIsNotEvaluated) {
  db->acquire()->exec("UPDATE projects SET status = 'cancelled'");
  EXPECT_EQ(runAt("2026-03-15T16:31:00Z"), 0);
  EXPECT_EQ(lightDay(), "");
}
