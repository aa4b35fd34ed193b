-- Commitments and quarterly lists (issue 12): the commitment letters a unit signs for a year (目标管理承诺书,
-- 征地拆迁承诺书) with their targets, tracked against the data; the quarterly attack lists (攻坚清单) of the projects a
-- quarter must move; and the quarterly dispatch-and-review meeting (调度讲评会), whose decisions become tasks
-- (problems.kind = 'task', source 'review', source_id the meeting) tracked through the problem loop.
CREATE TABLE commitments (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  unit_id {{BIGINT}} NOT NULL REFERENCES org_units(id),
  year INTEGER NOT NULL,
  kind TEXT NOT NULL,
  targets TEXT NOT NULL DEFAULT '[]',
  signed_on TEXT,
  signed_by TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_by {{BIGINT}} REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_by {{BIGINT}} REFERENCES users(id),
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX commitments_unit_year_kind ON commitments (region_code, year, unit_id, kind);
CREATE TABLE attack_items (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  quarter TEXT NOT NULL,
  project_id {{BIGINT}} REFERENCES projects(id),
  owner_unit_id {{BIGINT}} NOT NULL REFERENCES org_units(id),
  owner_person TEXT NOT NULL DEFAULT '',
  goal TEXT NOT NULL,
  deadline TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  done_on TEXT,
  done_note TEXT NOT NULL DEFAULT '',
  done_by {{BIGINT}} REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_by {{BIGINT}} REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX attack_items_quarter ON attack_items (region_code, quarter, id);
CREATE TABLE review_meetings (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  quarter TEXT NOT NULL,
  held_on TEXT,
  place TEXT NOT NULL DEFAULT '',
  chair TEXT NOT NULL DEFAULT '',
  attendees TEXT NOT NULL DEFAULT '[]',
  minutes TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_by {{BIGINT}} REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_by {{BIGINT}} REFERENCES users(id),
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX review_meetings_quarter ON review_meetings (region_code, quarter);
CREATE TABLE review_decisions (
  id {{ID}},
  meeting_id {{BIGINT}} NOT NULL REFERENCES review_meetings(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  owner_unit_id {{BIGINT}} NOT NULL REFERENCES org_units(id),
  due_on TEXT NOT NULL,
  task_id {{BIGINT}} REFERENCES problems(id),
  created_by {{BIGINT}} REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX review_decisions_meeting ON review_decisions (meeting_id, id);
