-- the dispatch board: each project's investment over a span of period ends, summed per county from a covering
-- index (region, period end, project, amount) instead of the table (bench/README.md: 1,000 projects, five years).
CREATE INDEX progress_reports_region_end ON progress_reports (region_code, period_end, project_id, investment);
