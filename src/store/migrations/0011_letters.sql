-- the three letters (三函: 提醒函, 交办函, 督办函) and work reminders (工作提示), and summons (约谈).
-- A letter is drafted (by a trigger of the county's light rules, or by hand) and waits for headquarters to issue
-- it; issuing gives it its number (one sequence per county, kind and year: never reused, never skipped); the
-- recipient signs for it (签收), answers it, and headquarters closes it. Each step has its due day.
-- trigger_key names the occasion that drafted it ("start:2023-03-15"): one letter per project, kind and occasion.
CREATE TABLE letters (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  project_id {{BIGINT}} REFERENCES projects(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft',
  trigger_key TEXT NOT NULL DEFAULT '',
  year INTEGER,
  seq INTEGER,
  number TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  recipient_unit_id {{BIGINT}} REFERENCES org_units(id),
  recipient_user_id {{BIGINT}} REFERENCES users(id),
  facts TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL DEFAULT '',
  sign_due TEXT,
  answer_due TEXT,
  drafted_at TEXT NOT NULL,
  drafted_by {{BIGINT}} REFERENCES users(id),
  issued_at TEXT,
  issued_by {{BIGINT}} REFERENCES users(id),
  signed_at TEXT,
  signed_by {{BIGINT}} REFERENCES users(id),
  answered_at TEXT,
  answered_by {{BIGINT}} REFERENCES users(id),
  answer TEXT NOT NULL DEFAULT '',
  closed_at TEXT,
  closed_by {{BIGINT}} REFERENCES users(id),
  close_note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX letters_number ON letters (region_code, kind, year, seq);
CREATE UNIQUE INDEX letters_trigger ON letters (project_id, kind, trigger_key) WHERE trigger_key <> '';
CREATE INDEX letters_region_status ON letters (region_code, status, kind, id);
CREATE INDEX letters_recipient ON letters (recipient_unit_id, status, id);
CREATE INDEX letters_project ON letters (project_id, id);
CREATE TABLE letter_sequences (
  region_code TEXT NOT NULL REFERENCES regions(code),
  kind TEXT NOT NULL,
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (region_code, kind, year)
);
-- 约谈: a lagging unit's principal summoned, with the attendees, the commitments made and the follow-up deadline.
CREATE TABLE summons (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  project_id {{BIGINT}} REFERENCES projects(id) ON DELETE CASCADE,
  unit_id {{BIGINT}} REFERENCES org_units(id),
  letter_id {{BIGINT}} REFERENCES letters(id),
  principal TEXT NOT NULL,
  held_on TEXT NOT NULL,
  attendees TEXT NOT NULL DEFAULT '[]',
  reason TEXT NOT NULL DEFAULT '',
  commitments TEXT NOT NULL DEFAULT '',
  follow_up_due TEXT,
  followed_up_at TEXT,
  follow_up_note TEXT NOT NULL DEFAULT '',
  created_by {{BIGINT}} REFERENCES users(id),
  created_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX summons_region ON summons (region_code, held_on, id);
CREATE INDEX summons_project ON summons (project_id, id);
