#include "store/migrations.h"

#include <map>

#include "core/time.h"
#include "store/region_repo.h"

namespace steward::store {

// Every file of src/store/migrations/, embedded at build time (cmake/embed_files.cmake).
struct EmbeddedMigrationFile {
  const char* name;
  const char* text;
  std::size_t size;
};
extern const EmbeddedMigrationFile kEmbeddedMigrations[];
extern const std::size_t kEmbeddedMigrationsCount;

namespace {

std::string nowIso() { return core::formatTimestamp(core::systemNow()); }

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
}

}  // namespace

// Files are named NNNN_slug.sql (portable, with {{ID}}, {{BIGINT}}, {{REAL}} tokens and `--pg-only ` lines), or
// NNNN_slug.sqlite.sql and NNNN_slug.postgres.sql where the dialects differ. The first line is a `-- ` comment
// naming the migration. Versions run 1, 2, 3 … without gaps.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = [] {
    std::map<int, Migration> byVersion;
    for (std::size_t i = 0; i < kEmbeddedMigrationsCount; ++i) {
      std::string file = kEmbeddedMigrations[i].name;
      std::string text = kEmbeddedMigrations[i].text;
      auto us = file.find('_');
      if (us != 4 || file.size() < 9) throw DbError("migration file name " + file + " is not NNNN_name.sql");
      int version = std::stoi(file.substr(0, 4));
      auto& m = byVersion[version];
      m.version = version;
      auto nl = text.find('\n');
      std::string first = text.substr(0, nl);
      if (first.rfind("-- ", 0) == 0 && m.name.empty()) m.name = first.substr(3);
      const std::string pgSuffix = ".postgres.sql";
      if (file.size() > pgSuffix.size() && file.compare(file.size() - pgSuffix.size(), pgSuffix.size(), pgSuffix) == 0)
        m.sql_postgres = text;
      else
        m.sql = text;
    }
    std::vector<Migration> out;
    int expect = 1;
    for (auto& [v, m] : byVersion) {
      if (v != expect++) throw DbError("migration " + std::to_string(expect - 1) + " is missing");
      if (m.sql.empty()) throw DbError("migration " + std::to_string(v) + " has no portable or SQLite file");
      out.push_back(std::move(m));
    }
    return out;
  }();
  return all;
}

int latestSchemaVersion() { return migrations().back().version; }

std::string renderMigration(const std::string& sql, Dialect d) {
  std::string s = sql;
  bool pg = d == Dialect::Postgres;
  replaceAll(s, "{{ID}}", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
  replaceAll(s, "{{BIGINT}}", pg ? "BIGINT" : "INTEGER");
  replaceAll(s, "{{REAL}}", pg ? "DOUBLE PRECISION" : "REAL");
  if (pg) replaceAll(s, "--pg-only ", "");  // statements PostgreSQL alone needs; a comment to SQLite
  return s;
}

int schemaVersion(Connection& c) {
  bool exists;
  if (c.dialect() == Dialect::Sqlite)
    exists = !c.query("SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'").empty();
  else
    exists = !c.query("SELECT 1 FROM information_schema.tables WHERE table_name='schema_version' AND "
                      "table_schema=current_schema()")
                  .empty();
  if (!exists) return 0;
  auto r = c.query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version");
  return (int)r.one().i64(0);
}

int migrate(Database& db) {
  {
    auto c = db.acquire();
    c->execScript(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', "
        "applied_at TEXT NOT NULL)");
  }
  int applied = 0;
  for (const auto& m : migrations()) {
    bool done = db.transact(true, [&](Connection& c) {
      if (c.dialect() == Dialect::Postgres) c.execScript("LOCK TABLE schema_version IN EXCLUSIVE MODE");
      int current = schemaVersion(c);
      if (current > latestSchemaVersion())
        throw DbError("database schema version " + std::to_string(current) +
                      " is newer than this steward (knows up to " + std::to_string(latestSchemaVersion()) +
                      "); upgrade steward");
      if (!c.query("SELECT 1 FROM schema_version WHERE version = ?", {std::int64_t(m.version)}).empty())
        return false;
      const bool pg = c.dialect() == Dialect::Postgres;
      c.execScript(renderMigration(pg && !m.sql_postgres.empty() ? m.sql_postgres : m.sql, c.dialect()));
      c.exec("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
             {std::int64_t(m.version), m.name, nowIso()});
      return true;
    });
    applied += done ? 1 : 0;
  }
  // Regions are reference data: a new list (src/core/data/regions.tsv) renames what the database holds.
  db.transact(true, [](Connection& c) { RegionRepository(c).refreshNamesFromList(); });
  return applied;
}

void requireCurrentSchema(Database& db) {
  auto c = db.acquire();
  int v = schemaVersion(*c);
  if (v > latestSchemaVersion())
    throw DbError("database schema version " + std::to_string(v) +
                  " is newer than this steward (knows up to " + std::to_string(latestSchemaVersion()) +
                  "); upgrade steward");
  if (v < latestSchemaVersion())
    throw DbError("database schema version " + std::to_string(v) + " is older than " +
                  std::to_string(latestSchemaVersion()) + ": run `steward migrate` first");
}

}  // namespace steward::store
