-- the dispatch board: investment done per project over a span of period ends, summed per region scope from a
-- covering index (region, period end, project, amount) instead of the table.
CREATE INDEX progress_reports_region_end ON progress_reports (region_code, period_end, project_id, investment);
