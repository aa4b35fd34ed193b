// The migrations the binary carries are exactly the files of src/store/migrations/, in order.
#include "store/migrations.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <unistd.h>
#include <set>

using namespace steward;

TEST(Migrations, EveryFileIsEmbeddedInVersionOrder) {
  std::set<int> versions;
  for (const auto& f : std::filesystem::directory_iterator(std::string(STEWARD_SOURCE_DIR) + "/src/store/migrations"))
    if (f.path().extension() == ".sql") versions.insert(std::stoi(f.path().filename().string().substr(0, 4)));
  const auto& all = store::migrations();
  ASSERT_EQ(all.size(), versions.size());
  int expect = 1;
  for (const auto& m : all) {
    EXPECT_EQ(m.version, expect++);
    EXPECT_FALSE(m.name.empty()) << m.version << ": the first line names the migration";
    EXPECT_FALSE(m.sql.empty());
  }
  EXPECT_EQ(store::latestSchemaVersion(), *versions.rbegin());
}

TEST(Migrations, TokensRenderPerDialect) {
  const std::string sql = "CREATE TABLE t (id {{ID}}, n {{BIGINT}});\n--pg-only CREATE SEQUENCE s;\n";
  auto lite = store::renderMigration(sql, store::Dialect::Sqlite);
  auto pg = store::renderMigration(sql, store::Dialect::Postgres);
  EXPECT_NE(lite.find("INTEGER PRIMARY KEY AUTOINCREMENT"), std::string::npos);
  EXPECT_NE(lite.find("--pg-only CREATE SEQUENCE"), std::string::npos);  // a comment to SQLite
  EXPECT_NE(pg.find("BIGSERIAL PRIMARY KEY"), std::string::npos);
  EXPECT_NE(pg.find("\nCREATE SEQUENCE s;"), std::string::npos);
}

// 0009 carries the fixed has_plan / has_schedule flags into the checklist ticks (project_checks) and drops them.
namespace {
void checkChecklistMigration(const std::string& url) {
  auto db = store::Database::open(url, 1);
  {
    auto c = db->acquire();
    c->execScript("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', "
                  "applied_at TEXT NOT NULL)");
    for (const auto& m : store::migrations()) {
      if (m.version >= 9) break;
      const bool pg = c->dialect() == store::Dialect::Postgres;
      c->execScript(store::renderMigration(pg && !m.sql_postgres.empty() ? m.sql_postgres : m.sql, c->dialect()));
      c->exec("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, 'x')",
              {std::int64_t(m.version), m.name});
    }
    c->exec("INSERT INTO regions (code, name, level) VALUES ('430424', '衡东县', 'county')");
    const char* ins = "INSERT INTO projects (region_code, name, category, stage, has_plan, has_schedule, created_at, "
                      "updated_at) VALUES ('430424', ?, 'industrial', 'reserve', ?, ?, 'x', 'x')";
    c->exec(ins, {std::string("both"), std::int64_t(1), std::int64_t(1)});
    c->exec(ins, {std::string("plan"), std::int64_t(1), std::int64_t(0)});
    c->exec(ins, {std::string("schedule"), std::int64_t(0), std::int64_t(1)});
    c->exec(ins, {std::string("none"), std::int64_t(0), std::int64_t(0)});
  }
  EXPECT_EQ(store::migrate(*db), store::latestSchemaVersion() - 8);
  auto c = db->acquire();
  std::vector<std::string> ticks;
  for (auto& r : c->query("SELECT p.name, pc.item_key FROM project_checks pc JOIN projects p ON p.id = pc.project_id "
                          "ORDER BY p.name, pc.item_key")
                     .rows)
    ticks.push_back(r.str(0) + ":" + r.str(1));
  EXPECT_EQ(ticks, (std::vector<std::string>{"both:plan", "both:schedule", "plan:plan", "schedule:schedule"}));
  EXPECT_THROW(c->query("SELECT has_plan FROM projects"), store::DbError);
}
}  // namespace

TEST(Migrations, ChecklistTicksCarryTheOldFlagsSqlite) {
  auto dir = std::filesystem::temp_directory_path() / ("steward-mig7-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::remove(dir / "m.db");
  checkChecklistMigration("sqlite:" + (dir / "m.db").string());
  std::filesystem::remove_all(dir);
}

TEST(Migrations, ChecklistTicksCarryTheOldFlagsPostgres) {
  const char* url = std::getenv("STEWARD_TEST_PG");
  if (!url || !*url) GTEST_SKIP() << "STEWARD_TEST_PG is not set";
  // A throwaway database of its own, so the older schema can be built from scratch.
  const std::string name = "steward_mig7_" + std::to_string(::getpid());
  std::string base(url);
  auto slash = base.rfind('/');
  ASSERT_NE(slash, std::string::npos);
  {
    auto admin = store::Database::open(base, 1);
    auto c = admin->acquire();
    c->execScript("DROP DATABASE IF EXISTS " + name);
    c->execScript("CREATE DATABASE " + name);
  }
  checkChecklistMigration(base.substr(0, slash + 1) + name);
  auto admin = store::Database::open(base, 1);
  admin->acquire()->execScript("DROP DATABASE IF EXISTS " + name);
}
