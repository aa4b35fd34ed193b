// Numbered schema migrations, the files of src/store/migrations/ embedded in the binary at build time; each is
// applied in one transaction and recorded in schema_version.
#pragma once
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct Migration {
  int version;
  std::string name;
  std::string sql;           // portable (or SQLite's) SQL with {{ID}}, {{BIGINT}}, {{REAL}} tokens
  std::string sql_postgres;  // PostgreSQL's own, when the dialects differ (NNNN_name.postgres.sql)
};

const std::vector<Migration>& migrations();
int latestSchemaVersion();
// Current version of the database, 0 when empty.
int schemaVersion(Connection& c);
// Applies what is missing; returns how many were applied. Throws when the database is newer than this binary.
int migrate(Database& db);
// Throws DbError with a clear message when the schema is not exactly the binary's.
void requireCurrentSchema(Database& db);
std::string renderMigration(const std::string& sql, Dialect d);

}  // namespace steward::store
