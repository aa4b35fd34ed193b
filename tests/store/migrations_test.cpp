// The migrations the binary carries are exactly the files of src/store/migrations/, in order.
#include "store/migrations.h"

#include <gtest/gtest.h>

#include <filesystem>
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
