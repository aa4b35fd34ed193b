-- progress reporting: periods, reports, statistics registration, inbox
-- A period is stored once something happens to it (a report, a close); its state before and after the deadline
-- is computed from the cadence rules. Closing freezes its figures into `snapshot` (JSON).
CREATE TABLE report_periods (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  cadence TEXT NOT NULL,
  period_key TEXT NOT NULL,
  start_day TEXT NOT NULL,
  end_day TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  closed_at TEXT,
  closed_by {{BIGINT}} REFERENCES users(id),
  snapshot TEXT,
  reopen_reason TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  UNIQUE (region_code, cadence, period_key)
);
CREATE TABLE progress_reports (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  period_id {{BIGINT}} NOT NULL REFERENCES report_periods(id),
  period_end TEXT NOT NULL,
  investment {{BIGINT}} NOT NULL,
  progress TEXT NOT NULL DEFAULT '',
  percent INTEGER NOT NULL DEFAULT 0,
  workers INTEGER NOT NULL DEFAULT 0,
  machines INTEGER NOT NULL DEFAULT 0,
  next_plan TEXT NOT NULL DEFAULT '',
  problems TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL DEFAULT 'submitted',
  return_reason TEXT NOT NULL DEFAULT '',
  reporter_id {{BIGINT}} REFERENCES users(id),
  submitted_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (project_id, period_id)
);
CREATE INDEX progress_reports_region_period ON progress_reports (region_code, period_id, project_id);
CREATE INDEX progress_reports_project_end ON progress_reports (project_id, period_end);
-- 入库纳统: whether a project is registered in the statistics system, and what the office registered per month.
CREATE TABLE project_statistics (
  project_id {{BIGINT}} PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  region_code TEXT NOT NULL REFERENCES regions(code),
  registered INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);
CREATE TABLE statistics_registrations (
  project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  month TEXT NOT NULL,
  amount {{BIGINT}} NOT NULL,
  PRIMARY KEY (project_id, month)
);
-- Each user's inbox. dedupe_key makes a scheduled reminder idempotent (one per user and key).
CREATE TABLE inbox_messages (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  user_id {{BIGINT}} NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  project_id {{BIGINT}} REFERENCES projects(id) ON DELETE CASCADE,
  dedupe_key TEXT,
  sender_id {{BIGINT}} REFERENCES users(id),
  created_at TEXT NOT NULL,
  read_at TEXT,
  UNIQUE (user_id, dedupe_key)
);
CREATE INDEX inbox_messages_user ON inbox_messages (user_id, id);
CREATE INDEX inbox_messages_unread ON inbox_messages (user_id, read_at);
