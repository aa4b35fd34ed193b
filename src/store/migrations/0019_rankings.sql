-- The monthly ranking (挂榜排名, MECHANISMS.md §7) and what feeds it. A month is ranked when headquarters closes it:
-- the rules in force, every unit's raw figures (the snapshot) and the result are frozen together in a revision, so
-- the month recomputes from the snapshot to the same bytes after any later change of data or rules. A correction is
-- a new numbered revision with its reason, beside the first; nothing is overwritten.
CREATE TABLE ranking_revisions (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  month TEXT NOT NULL,
  revision INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  rule_set_version INTEGER,
  rules TEXT NOT NULL,
  inputs TEXT NOT NULL,
  chosen TEXT NOT NULL DEFAULT '[]',
  result TEXT NOT NULL,
  digest TEXT NOT NULL,
  created_by {{BIGINT}} REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ranking_revisions_month ON ranking_revisions (region_code, month, revision);

-- The yellow cards (黄牌) of the revision in force, one per unit and month; summons marks the card that makes the
-- configured number in a row (约谈).
CREATE TABLE yellow_cards (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  month TEXT NOT NULL,
  unit_id {{BIGINT}} NOT NULL REFERENCES org_units(id),
  revision_id {{BIGINT}} NOT NULL REFERENCES ranking_revisions(id),
  total INTEGER NOT NULL,
  in_a_row INTEGER NOT NULL DEFAULT 1,
  summons INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX yellow_cards_month_unit ON yellow_cards (region_code, month, unit_id);
CREATE INDEX yellow_cards_unit ON yellow_cards (unit_id, month);

-- Jingle's five accounts (五账法): each unit's monthly ledger of projects and tasks, set up (建账), sorted (理账),
-- reconciled against headquarters' figures with the differences listed (对账), handed in (交账) and settled by
-- headquarters (算账). Each step's time is kept; a late or unreconciled step counts against the unit.
CREATE TABLE ledgers (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  month TEXT NOT NULL,
  unit_id {{BIGINT}} NOT NULL REFERENCES org_units(id),
  items TEXT NOT NULL DEFAULT '[]',
  differences TEXT NOT NULL DEFAULT '[]',
  set_up_at TEXT,
  sorted_at TEXT,
  reconciled_at TEXT,
  handed_in_at TEXT,
  settled_at TEXT,
  late_steps INTEGER NOT NULL DEFAULT 0,
  unreconciled INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  updated_by {{BIGINT}} REFERENCES users(id),
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ledgers_month_unit ON ledgers (region_code, month, unit_id);

-- Show-results meetings (晒实绩, Lianshui, every two months): heads of townships and departments report and the
-- attendees rate them; a unit's mark is the mean of its ratings (hundredths of a point out of 100).
CREATE TABLE show_results_meetings (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  held_on TEXT NOT NULL,
  title TEXT NOT NULL,
  units TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL DEFAULT 'open',
  version INTEGER NOT NULL DEFAULT 1,
  created_by {{BIGINT}} REFERENCES users(id),
  created_at TEXT NOT NULL,
  closed_at TEXT
);
CREATE INDEX show_results_meetings_region ON show_results_meetings (region_code, held_on);
CREATE TABLE show_results_ratings (
  meeting_id {{BIGINT}} NOT NULL REFERENCES show_results_meetings(id) ON DELETE CASCADE,
  unit_id {{BIGINT}} NOT NULL REFERENCES org_units(id),
  rater_id {{BIGINT}} NOT NULL REFERENCES users(id),
  mark INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  rated_at TEXT NOT NULL,
  PRIMARY KEY (meeting_id, unit_id, rater_id)
);

-- Quarterly awards (Hengdong): the candidates computed from the rules, confirmed by headquarters with the amounts
-- (in fen, never floating point). One row per award, quarter and subject.
CREATE TABLE award_decisions (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  quarter TEXT NOT NULL,
  award TEXT NOT NULL,
  subject_kind TEXT NOT NULL,
  subject_id {{BIGINT}} NOT NULL,
  subject_name TEXT NOT NULL,
  figure INTEGER NOT NULL DEFAULT 0,
  amount_fen {{BIGINT}} NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  decided_by {{BIGINT}} REFERENCES users(id),
  decided_at TEXT NOT NULL
);
CREATE UNIQUE INDEX award_decisions_subject ON award_decisions (region_code, quarter, award, subject_kind, subject_id);

-- Zhuxi's monthly on-site drill (拉练): judges mark projects on progress, investment, output, brand and site (one
-- row per judge, project and factor, hundredths of a point out of 100); a project's mark is the judges' mean.
CREATE TABLE drill_marks (
  region_code TEXT NOT NULL REFERENCES regions(code),
  month TEXT NOT NULL,
  project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  judge_id {{BIGINT}} NOT NULL REFERENCES users(id),
  factor TEXT NOT NULL,
  mark INTEGER NOT NULL,
  rated_at TEXT NOT NULL,
  PRIMARY KEY (region_code, month, project_id, judge_id, factor)
);
