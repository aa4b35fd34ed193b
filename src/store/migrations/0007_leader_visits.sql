-- the leaders' weekly visits (每周必访): one row per visit a county leader (or headquarters for them) records.
-- leader_id is the project's leader when the visit was recorded; week_key is the ISO week of visit_date
-- (2026-W48), so the not-visited list and the visit rate per week are one indexed range.
CREATE TABLE leader_visits (
  id {{ID}},
  region_code TEXT NOT NULL REFERENCES regions(code),
  project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  leader_id {{BIGINT}} REFERENCES users(id),
  visit_date TEXT NOT NULL,
  week_key TEXT NOT NULL,
  visitors TEXT NOT NULL DEFAULT '[]',
  findings TEXT NOT NULL DEFAULT '',
  photos TEXT NOT NULL DEFAULT '[]',
  recorded_by {{BIGINT}} REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX leader_visits_project ON leader_visits (project_id, visit_date, id);
CREATE INDEX leader_visits_region_week ON leader_visits (region_code, week_key, project_id);
