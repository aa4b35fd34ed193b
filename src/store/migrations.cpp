#include "store/migrations.h"

#include "core/time.h"

namespace steward::store {
namespace {

// Every business table carries region_code (6-digit 行政区划代码) and indexes lead with it, so PostgreSQL
// tables can later be distributed or partitioned by region.
const char* kFoundation = R"SQL(
CREATE TABLE regions (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  parent_code TEXT REFERENCES regions(code)
);
CREATE TABLE org_units (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  name TEXT NOT NULL,
  short_name TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  sort INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (region_code, name)
);
CREATE INDEX org_units_region_kind ON org_units (region_code, kind, sort);
CREATE TABLE users (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  org_unit_id {{BIGINT}} REFERENCES org_units(id),
  rank TEXT NOT NULL DEFAULT 'staff',
  roles TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  password_changed_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX users_region_unit ON users (region_code, org_unit_id);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id {{BIGINT}} NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE audit_log (
  id {{BIGINT}} PRIMARY KEY,
  at TEXT NOT NULL,
  region_code TEXT NOT NULL,
  actor_id {{BIGINT}},
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_region ON audit_log (region_code, id);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY,
  last_id {{BIGINT}} NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TABLE rule_sets (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  kind TEXT NOT NULL,
  version INTEGER NOT NULL,
  effective_from TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (region_code, kind, version)
);
)SQL";

const char* kProjects = R"SQL(
CREATE TABLE projects (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  name TEXT NOT NULL,
  code TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  industry TEXT NOT NULL DEFAULT '',
  chain TEXT NOT NULL DEFAULT '',
  enterprise_name TEXT NOT NULL DEFAULT '',
  enterprise_credit_code TEXT NOT NULL DEFAULT '',
  township_id {{BIGINT}} REFERENCES org_units(id),
  address TEXT NOT NULL DEFAULT '',
  lng {{REAL}},
  lat {{REAL}},
  levels TEXT NOT NULL DEFAULT '',
  total_investment {{BIGINT}} NOT NULL DEFAULT 0,
  fund_central_budget {{BIGINT}} NOT NULL DEFAULT 0,
  fund_special_bonds {{BIGINT}} NOT NULL DEFAULT 0,
  fund_self_raised {{BIGINT}} NOT NULL DEFAULT 0,
  fund_bank_loans {{BIGINT}} NOT NULL DEFAULT 0,
  fund_other {{BIGINT}} NOT NULL DEFAULT 0,
  signed_date TEXT,
  planned_start TEXT,
  actual_start TEXT,
  planned_completion TEXT,
  actual_completion TEXT,
  production_date TEXT,
  content TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active',
  status_reason TEXT NOT NULL DEFAULT '',
  unit_id {{BIGINT}} REFERENCES org_units(id),
  leader_id {{BIGINT}} REFERENCES users(id),
  steward_id {{BIGINT}} REFERENCES users(id),
  police_id {{BIGINT}} REFERENCES users(id),
  inspector_id {{BIGINT}} REFERENCES users(id),
  liaison_id {{BIGINT}} REFERENCES users(id),
  principal_id {{BIGINT}} REFERENCES users(id),
  unit_leader_id {{BIGINT}} REFERENCES users(id),
  section_chief_id {{BIGINT}} REFERENCES users(id),
  has_plan INTEGER NOT NULL DEFAULT 0,
  has_schedule INTEGER NOT NULL DEFAULT 0,
  team_size INTEGER NOT NULL DEFAULT 0,
  search_text TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX projects_region_stage ON projects (region_code, stage, total_investment);
CREATE INDEX projects_region_unit ON projects (region_code, unit_id);
CREATE INDEX projects_region_leader ON projects (region_code, leader_id);
CREATE INDEX projects_region_township ON projects (region_code, township_id);
CREATE INDEX projects_region_code ON projects (region_code, code);
CREATE INDEX projects_region_name ON projects (region_code, name);
CREATE INDEX projects_region_updated ON projects (region_code, updated_at, id);
CREATE TABLE project_team (
  project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id {{BIGINT}} NOT NULL REFERENCES users(id),
  PRIMARY KEY (project_id, user_id)
);
CREATE TABLE project_nodes (
  id {{ID}},
  project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  sort INTEGER NOT NULL,
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  planned_date TEXT,
  actual_date TEXT,
  unit_id {{BIGINT}} REFERENCES org_units(id),
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX project_nodes_project ON project_nodes (project_id, sort);
CREATE TABLE project_plans (
  project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  year INTEGER NOT NULL,
  annual {{BIGINT}} NOT NULL,
  months TEXT NOT NULL,
  PRIMARY KEY (project_id, year)
);
CREATE TABLE project_stage_log (
  id {{ID}},
  project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  from_stage TEXT NOT NULL,
  to_stage TEXT NOT NULL,
  date TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  actor_id {{BIGINT}},
  at TEXT NOT NULL
);
)SQL";

// Sign-in failures counted by the name typed, known or not, so a locked account and an unknown name answer
// alike; the counter is taken before a password is checked (see AuthService::reserveAttempt).
const char* kLoginGuards = R"SQL(
CREATE TABLE login_guards (
  username TEXT PRIMARY KEY,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX login_guards_updated ON login_guards (updated_at);
INSERT INTO login_guards (username, failed_attempts, locked_until, updated_at)
  SELECT username, failed_attempts, locked_until, created_at FROM users
  WHERE failed_attempts > 0 OR locked_until IS NOT NULL;
)SQL";

// Per-region audit chains. Entries already written (seq NULL) stay the "legacy" chain, verified as before and
// frozen with audit_head; each region's chain starts from the legacy head's digest. `scheme` says whether an
// entry's digest is plain SHA-256 or an HMAC under the key kept outside the database. On PostgreSQL ids come
// from a sequence, so writers of different regions never wait for each other.
const char* kAuditRegions = R"SQL(
ALTER TABLE audit_log ADD COLUMN seq {{BIGINT}};
ALTER TABLE audit_log ADD COLUMN scheme TEXT NOT NULL DEFAULT 'sha256';
CREATE UNIQUE INDEX audit_region_seq ON audit_log (region_code, seq);
CREATE TABLE audit_heads (
  region_code TEXT PRIMARY KEY,
  last_seq {{BIGINT}} NOT NULL,
  last_id {{BIGINT}} NOT NULL,
  last_hash TEXT NOT NULL,
  keyed INTEGER NOT NULL DEFAULT 0
);
--pg-only CREATE SEQUENCE audit_log_id_seq;
--pg-only SELECT setval('audit_log_id_seq', COALESCE((SELECT MAX(id) FROM audit_log), 0) + 1, false);
)SQL";

// Rule sets of every kind (lifecycle, later lights, letters, deadlines, rankings) name who stored each version;
// the in-force lookup (newest effective date on or before a day) reads one index range.
const char* kRuleSetAuthors = R"SQL(
ALTER TABLE rule_sets ADD COLUMN author TEXT NOT NULL DEFAULT '';
CREATE INDEX rule_sets_in_force ON rule_sets (region_code, kind, effective_from, version);
)SQL";

std::string nowIso() { return core::formatTimestamp(core::systemNow()); }

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
}

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1, "foundation: regions, org units, users, sessions, audit chain, rule sets", kFoundation},
      {2, "project library: projects, team, nodes, investment plans, stage log", kProjects},
      {3, "sign-in guards: failures and locks by the name typed", kLoginGuards},
      {4, "audit: one hash chain per region, keyed digests", kAuditRegions},
      {5, "rule sets: author, in-force index", kRuleSetAuthors},
  };
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
      c.execScript(renderMigration(m.sql, c.dialect()));
      c.exec("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
             {std::int64_t(m.version), m.name, nowIso()});
      return true;
    });
    applied += done ? 1 : 0;
  }
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
