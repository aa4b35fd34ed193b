#include "store/db.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "store/migrations.h"

using namespace steward::store;

namespace {
// SQLite always; PostgreSQL too when STEWARD_TEST_PG names a server (make test sets it for the API suites).
std::vector<std::string> databases() {
  std::vector<std::string> out;
  auto dir = std::filesystem::temp_directory_path() / ("steward-store-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::remove(dir / "t.db");
  out.push_back("sqlite:" + (dir / "t.db").string());
  return out;
}
}  // namespace

TEST(Placeholders, DollarRewriteLeavesQuotedTextAlone) {
  EXPECT_EQ(toDollarParams("SELECT ? , '?' , \"a?\" , ?"), "SELECT $1 , '?' , \"a?\" , $2");
  EXPECT_EQ(toDollarParams("no params"), "no params");
}

TEST(Sqlite, MigrateIsIdempotentAndRecordsVersions) {
  for (const auto& url : databases()) {
    auto db = Database::open(url, 2);
    EXPECT_EQ(migrate(*db), static_cast<int>(migrations().size()));
    EXPECT_EQ(migrate(*db), 0);
    auto c = db->acquire();
    EXPECT_EQ(schemaVersion(*c), latestSchemaVersion());
    EXPECT_NO_THROW(requireCurrentSchema(*db));
  }
}

TEST(Sqlite, RefusesANewerSchema) {
  for (const auto& url : databases()) {
    auto db = Database::open(url, 2);
    migrate(*db);
    {
      auto c = db->acquire();
      c->exec("INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', 'x')",
              {std::int64_t(latestSchemaVersion() + 1)});
    }
    EXPECT_THROW(requireCurrentSchema(*db), DbError);
    EXPECT_THROW(migrate(*db), DbError);
  }
}

TEST(Sqlite, TransactionsRollBackOnException) {
  for (const auto& url : databases()) {
    auto db = Database::open(url, 2);
    migrate(*db);
    EXPECT_THROW(db->transact(true,
                              [](Connection& c) {
                                c.exec("INSERT INTO regions (code, name, level) VALUES ('430424', '衡东县', 'county')");
                                throw std::runtime_error("boom");
                              }),
                 std::runtime_error);
    auto c = db->acquire();
    EXPECT_EQ(c->query("SELECT COUNT(*) FROM regions").one().i64(0), 0);
  }
}

TEST(Sqlite, ConstraintViolationsAreTyped) {
  for (const auto& url : databases()) {
    auto db = Database::open(url, 2);
    migrate(*db);
    auto c = db->acquire();
    c->exec("INSERT INTO regions (code, name, level) VALUES ('430424', '衡东县', 'county')");
    EXPECT_THROW(c->exec("INSERT INTO regions (code, name, level) VALUES ('430424', 'x', 'county')"), ConstraintError);
    auto r = c->query("SELECT code, name, parent_code FROM regions WHERE code = ?", {std::string("430424")});
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.one().str("name"), "衡东县");
    EXPECT_TRUE(r.one().isNull("parent_code"));
  }
}

TEST(Sqlite, CopyRowsBulkInserts) {
  for (const auto& url : databases()) {
    auto db = Database::open(url, 2);
    migrate(*db);
    auto c = db->acquire();
    std::vector<Params> rows;
    for (int i = 0; i < 100; ++i) rows.push_back({std::string("4304") + (i < 10 ? "0" : "") + std::to_string(i), std::string("县") + std::to_string(i), std::string("county"), Null{}});
    c->copyRows("regions", {"code", "name", "level", "parent_code"}, rows);
    EXPECT_EQ(c->query("SELECT COUNT(*) FROM regions").one().i64(0), 100);
  }
}

TEST(Database, RejectsUnknownUrls) {
  EXPECT_THROW(Database::open("mysql://x"), DbError);
  EXPECT_THROW(Database::open("sqlite:"), DbError);
}
