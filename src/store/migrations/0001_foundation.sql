-- foundation: regions, org units, users, sessions, audit chain, rule sets
-- Every business table carries region_code (6-digit 行政区划代码) and indexes lead with it, so PostgreSQL
-- tables can later be distributed or partitioned by region.
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
