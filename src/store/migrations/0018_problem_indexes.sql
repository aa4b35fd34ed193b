-- The problem list at county scale (bench/problem_bench.cpp, 100,000 problems): the overdue list reads one range per
-- open state of (region_code, status, due column) instead of the county; a project's count uses (region_code,
-- project_id); what a unit sees is the union of lookups by raiser, raiser's unit, unit (problem_units_unit),
-- the project's leader and the escalation target.
CREATE INDEX problems_region_feedback ON problems (region_code, status, feedback_due);
CREATE INDEX problems_region_solve ON problems (region_code, status, solve_due);
CREATE INDEX problems_region_next ON problems (region_code, status, next_feedback_due);
CREATE INDEX problems_region_category ON problems (region_code, category, status, id);
CREATE INDEX problems_region_project ON problems (region_code, project_id, id);
CREATE INDEX problems_raiser_unit ON problems (raiser_unit_id, id);
CREATE INDEX problems_target ON problems (escalation_target_id, id);
-- The figures by unit and category read this index alone, in the order of their GROUP BY.
CREATE INDEX problems_figures ON problems (region_code, lead_unit_id, category, status, kind, rating, raised_on,
  solved_at, feedback_due, solve_due, next_feedback_due, answered_at, answer_due_at, raised_at);
-- The demands' answer clock (ProblemsService::runDemandClock, every few minutes).
CREATE INDEX problems_demand_due ON problems (kind, answer_due_at);
