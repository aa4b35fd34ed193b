-- warning lights (亮灯预警): each project's light as last published (with its reasons, the day it began and its
-- earned value), its planned production date (计划投产, for the assignment letter), and the daily history.
-- The history is run-length: one row per run of days on which the project's light and its dimensions stayed the
-- same (from_day..to_day), with the reasons as first published in the run. A light changes a few times a year, so
-- 100k projects × a year is a few hundred thousand rows instead of 36.5 million daily ones, and "the light
-- published on day D" is still one indexed lookup.
ALTER TABLE projects ADD COLUMN planned_production TEXT;
ALTER TABLE projects ADD COLUMN light TEXT NOT NULL DEFAULT 'green';
ALTER TABLE projects ADD COLUMN light_reasons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE projects ADD COLUMN light_since TEXT;
ALTER TABLE projects ADD COLUMN light_day TEXT;
ALTER TABLE projects ADD COLUMN spi_bp {{BIGINT}};
ALTER TABLE projects ADD COLUMN sv_money {{BIGINT}};
CREATE INDEX projects_region_light ON projects (region_code, light, id);
CREATE TABLE light_history (
  project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  from_day TEXT NOT NULL,
  to_day TEXT NOT NULL,
  light TEXT NOT NULL,
  signature TEXT NOT NULL,
  reasons TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (project_id, from_day)
);
