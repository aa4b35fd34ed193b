-- The monthly factor consultation (每月必商, MECHANISMS.md §4): one meeting a month per county on the open land,
-- water, energy, environment and funds problems. The agenda is snapshotted into consultation_items when the meeting
-- is held (with the discussion note per problem); each decision becomes a task (problems.kind = 'task', source
-- 'consultation', source_id the meeting) tracked through the problem loop.
CREATE TABLE consultations (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  month TEXT NOT NULL,
  meeting_on TEXT,
  place TEXT NOT NULL DEFAULT '',
  chair TEXT NOT NULL DEFAULT '',
  attendees TEXT NOT NULL DEFAULT '[]',
  minutes TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'draft',
  held_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_by {{BIGINT}} REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_by {{BIGINT}} REFERENCES users(id),
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX consultations_month ON consultations (region_code, month);
CREATE TABLE consultation_items (
  consultation_id {{BIGINT}} NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  problem_id {{BIGINT}} NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
  sort INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  overdue INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (consultation_id, problem_id)
);
CREATE TABLE consultation_decisions (
  id {{ID}},
  consultation_id {{BIGINT}} NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  owner_unit_id {{BIGINT}} NOT NULL REFERENCES org_units(id),
  due_on TEXT NOT NULL,
  about_problem_id {{BIGINT}} REFERENCES problems(id),
  task_id {{BIGINT}} REFERENCES problems(id),
  created_by {{BIGINT}} REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX consultation_decisions_meeting ON consultation_decisions (consultation_id, id);
CREATE INDEX problems_region_kind ON problems (region_code, kind, status, id);
