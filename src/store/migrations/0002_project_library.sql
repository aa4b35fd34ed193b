-- project library: projects, team, nodes, investment plans, stage log
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
