-- The problem list (问题清单, MECHANISMS.md §6): problems raised from a report, a visit, directly, by an enterprise
-- (a demand, 企业诉求) or by the monthly factor consultation (a task); accepted and assigned (交办) by headquarters to
-- a lead unit with helpers, solved, rated and closed by the raiser, or turned into a tracked plan; escalated to
-- the executive vice county head or the county head. Each due day is stored as computed when the step was taken
-- (core/problems.h), so lists and the lights filter on them. problem_events is the timeline.
CREATE TABLE problems (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  project_id {{BIGINT}} REFERENCES projects(id) ON DELETE CASCADE,
  kind TEXT NOT NULL DEFAULT 'problem',
  category TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL DEFAULT 'ordinary',
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL DEFAULT 'raised',
  raised_by {{BIGINT}} REFERENCES users(id),
  raiser_unit_id {{BIGINT}} REFERENCES org_units(id),
  raised_on TEXT NOT NULL,
  raised_at TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT 'direct',
  source_id {{BIGINT}},
  lead_unit_id {{BIGINT}} REFERENCES org_units(id),
  assigned_on TEXT,
  feedback_due TEXT,
  solve_due TEXT,
  planned_on TEXT,
  last_feedback_on TEXT,
  next_feedback_due TEXT,
  manual_level INTEGER NOT NULL DEFAULT 0,
  escalation_level INTEGER NOT NULL DEFAULT 0,
  escalation_target_id {{BIGINT}} REFERENCES users(id),
  solution TEXT NOT NULL DEFAULT '',
  solved_at TEXT,
  plan TEXT NOT NULL DEFAULT '',
  rating INTEGER,
  rating_comment TEXT NOT NULL DEFAULT '',
  closed_at TEXT,
  merged_into {{BIGINT}} REFERENCES problems(id),
  answer_due_at TEXT,
  answered_at TEXT,
  checked_on TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL
);
CREATE INDEX problems_region_status ON problems (region_code, status, id);
CREATE INDEX problems_region_id ON problems (region_code, id);
CREATE INDEX problems_project ON problems (project_id, id);
CREATE INDEX problems_lead ON problems (lead_unit_id, status, id);
CREATE INDEX problems_raiser ON problems (raised_by, id);
CREATE INDEX problems_due ON problems (region_code, solve_due);
CREATE TABLE problem_units (
  problem_id {{BIGINT}} NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
  unit_id {{BIGINT}} NOT NULL REFERENCES org_units(id),
  role TEXT NOT NULL,
  PRIMARY KEY (problem_id, unit_id)
);
CREATE INDEX problem_units_unit ON problem_units (unit_id, problem_id);
CREATE TABLE problem_events (
  id {{ID}},
  problem_id {{BIGINT}} NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
  actor_id {{BIGINT}} REFERENCES users(id),
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  from_status TEXT NOT NULL DEFAULT '',
  to_status TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX problem_events_problem ON problem_events (problem_id, id);
