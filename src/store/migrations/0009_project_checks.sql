-- project checklist ticks: the manual items of a county's checklist of "ones", per project
-- A row means the item `item_key` of the county profile (rule kind "profile", ones.items[].key) is ticked for the
-- project. Items satisfied by a project field (leader, unit, team, steward) are computed, never stored here.
-- The fixed has_plan / has_schedule columns become the items `plan` and `schedule` and are dropped, so the
-- ticks have one home.
CREATE TABLE project_checks (
  project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  item_key TEXT NOT NULL,
  PRIMARY KEY (project_id, item_key)
);
INSERT INTO project_checks (project_id, item_key) SELECT id, 'plan' FROM projects WHERE has_plan <> 0;
INSERT INTO project_checks (project_id, item_key) SELECT id, 'schedule' FROM projects WHERE has_schedule <> 0;
ALTER TABLE projects DROP COLUMN has_plan;
ALTER TABLE projects DROP COLUMN has_schedule;
