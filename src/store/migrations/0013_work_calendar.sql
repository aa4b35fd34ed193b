-- The national working-day calendar as imported by the administrator (steward calendar import, PUT /calendar/{year}):
-- a stored year replaces the embedded one (src/core/data/cn_calendar.tsv) for that year, whole. `revision` counts
-- the imports of a year, so a cached calendar knows it is stale even when two imports fall in the same second.
CREATE TABLE work_calendar_years (
  year INTEGER PRIMARY KEY,
  updated_at TEXT NOT NULL,
  author TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE work_calendar (
  day TEXT PRIMARY KEY,
  year INTEGER NOT NULL REFERENCES work_calendar_years(year),
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name TEXT NOT NULL
);
CREATE INDEX work_calendar_year ON work_calendar (year);
