#include "store/report_repo.h"

namespace steward::store {
namespace {

const char* kPeriodCols =
    "id, region_code, cadence, period_key, start_day, end_day, status, closed_at, snapshot, reopen_reason, "
    "created_at";

PeriodRecord periodOf(const Row& r) {
  PeriodRecord p;
  p.id = r.i64("id");
  p.region_code = r.str("region_code");
  p.cadence = r.str("cadence");
  p.period_key = r.str("period_key");
  p.start_day = r.str("start_day");
  p.end_day = r.str("end_day");
  p.status = r.str("status");
  p.closed_at = r.optStr("closed_at");
  p.snapshot = r.optStr("snapshot");
  p.reopen_reason = r.str("reopen_reason");
  p.created_at = r.str("created_at");
  return p;
}

const char* kReportSelect =
    "SELECT r.id, r.region_code, r.project_id, r.period_id, p.cadence, p.period_key, r.period_end, r.investment, "
    "r.progress, r.percent, r.workers, r.machines, r.next_plan, r.problems, r.status, r.return_reason, "
    "r.reporter_id, COALESCE(u.display_name, '') AS reporter_name, r.submitted_at, r.updated_at, r.version "
    "FROM progress_reports r JOIN report_periods p ON p.id = r.period_id LEFT JOIN users u ON u.id = r.reporter_id ";

ReportRecord reportOf(const Row& r) {
  ReportRecord x;
  x.id = r.i64("id");
  x.region_code = r.str("region_code");
  x.project_id = r.i64("project_id");
  x.period_id = r.i64("period_id");
  x.cadence = r.str("cadence");
  x.period_key = r.str("period_key");
  x.period_end = r.str("period_end");
  x.investment = r.i64("investment");
  x.progress = r.str("progress");
  x.percent = r.i64("percent");
  x.workers = r.i64("workers");
  x.machines = r.i64("machines");
  x.next_plan = r.str("next_plan");
  x.problems = r.str("problems");
  x.status = r.str("status");
  x.return_reason = r.str("return_reason");
  x.reporter_id = r.optI64("reporter_id");
  x.reporter_name = r.str("reporter_name");
  x.submitted_at = r.str("submitted_at");
  x.updated_at = r.str("updated_at");
  x.version = r.i64("version");
  return x;
}

}  // namespace

std::optional<PeriodRecord> ReportRepo::findPeriod(const std::string& region, const std::string& cadence,
                                                   const std::string& key) {
  auto r = c_.query(std::string("SELECT ") + kPeriodCols +
                        " FROM report_periods WHERE region_code = ? AND cadence = ? AND period_key = ?",
                    {region, cadence, key});
  if (r.empty()) return std::nullopt;
  return periodOf(r.one());
}

PeriodRecord ReportRepo::ensurePeriod(const std::string& region, const std::string& cadence, const std::string& key,
                                      const std::string& start, const std::string& end, const std::string& now) {
  if (auto p = findPeriod(region, cadence, key)) return *p;
  c_.exec("INSERT INTO report_periods (region_code, cadence, period_key, start_day, end_day, status, created_at) "
          "VALUES (?, ?, ?, ?, ?, 'open', ?) ON CONFLICT (region_code, cadence, period_key) DO NOTHING",
          {region, cadence, key, start, end, now});
  return *findPeriod(region, cadence, key);
}

std::vector<PeriodRecord> ReportRepo::periods(const std::string& region, const std::string& cadence, int limit) {
  Params p{region};
  std::string sql = std::string("SELECT ") + kPeriodCols + " FROM report_periods WHERE region_code = ?";
  if (!cadence.empty()) {
    sql += " AND cadence = ?";
    p.push_back(cadence);
  }
  sql += " ORDER BY end_day DESC, id DESC LIMIT ?";
  p.push_back(std::int64_t(limit));
  std::vector<PeriodRecord> out;
  for (const auto& r : c_.query(sql, p).rows) out.push_back(periodOf(r));
  return out;
}

void ReportRepo::closePeriod(std::int64_t id, const std::string& now, std::optional<std::int64_t> actor,
                             const std::string& snapshot) {
  c_.exec("UPDATE report_periods SET status = 'closed', closed_at = ?, closed_by = ?, snapshot = ? WHERE id = ?",
          {now, optParam(actor), snapshot, id});
}

void ReportRepo::reopenPeriod(std::int64_t id, const std::string& reason) {
  c_.exec("UPDATE report_periods SET status = 'open', closed_at = NULL, closed_by = NULL, snapshot = NULL, "
          "reopen_reason = ? WHERE id = ?",
          {reason, id});
}

std::vector<PeriodFigure> ReportRepo::periodFigures(std::int64_t periodId, int limit) {
  auto res = c_.query(
      "SELECT r.project_id, pr.name, COALESCE(u.name, '') AS unit_name, COALESCE(t.name, '') AS township_name, "
      "r.status, r.investment, r.percent, "
      "(SELECT COALESCE(SUM(o.investment), 0) FROM progress_reports o WHERE o.project_id = r.project_id "
      " AND o.period_end <= r.period_end) AS running_total "
      "FROM progress_reports r JOIN projects pr ON pr.id = r.project_id "
      "LEFT JOIN org_units u ON u.id = pr.unit_id LEFT JOIN org_units t ON t.id = pr.township_id "
      "WHERE r.period_id = ? ORDER BY r.project_id LIMIT ?",
      {periodId, std::int64_t(limit)});
  std::vector<PeriodFigure> out;
  for (const auto& r : res.rows)
    out.push_back({r.i64("project_id"), r.str("name"), r.str("unit_name"), r.str("township_name"), r.str("status"),
                   r.i64("investment"), r.i64("running_total"), r.i64("percent")});
  return out;
}

std::optional<ReportRecord> ReportRepo::findReport(std::int64_t id) {
  auto r = c_.query(std::string(kReportSelect) + "WHERE r.id = ?", {id});
  if (r.empty()) return std::nullopt;
  return reportOf(r.one());
}

std::optional<ReportRecord> ReportRepo::findReport(std::int64_t projectId, std::int64_t periodId) {
  auto r = c_.query(std::string(kReportSelect) + "WHERE r.project_id = ? AND r.period_id = ?", {projectId, periodId});
  if (r.empty()) return std::nullopt;
  return reportOf(r.one());
}

std::int64_t ReportRepo::investmentSum(std::int64_t projectId, std::optional<std::int64_t> exceptPeriod) {
  if (exceptPeriod)
    return c_.query("SELECT COALESCE(SUM(investment), 0) FROM progress_reports WHERE project_id = ? AND period_id <> ?",
                    {projectId, *exceptPeriod})
        .one()
        .i64(0);
  return c_.query("SELECT COALESCE(SUM(investment), 0) FROM progress_reports WHERE project_id = ?", {projectId})
      .one()
      .i64(0);
}

std::int64_t ReportRepo::runningTotalAt(const ReportRecord& r) {
  return c_.query("SELECT COALESCE(SUM(investment), 0) FROM progress_reports WHERE project_id = ? AND "
                  "(period_end < ? OR (period_end = ? AND id <= ?))",
                  {r.project_id, r.period_end, r.period_end, r.id})
      .one()
      .i64(0);
}

std::int64_t ReportRepo::insertReport(const ReportRecord& r) {
  return c_.insert(
      "INSERT INTO progress_reports (region_code, project_id, period_id, period_end, investment, progress, percent, "
      "workers, machines, next_plan, problems, status, return_reason, reporter_id, submitted_at, updated_at, version) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
      {r.region_code, r.project_id, r.period_id, r.period_end, r.investment, r.progress, r.percent, r.workers,
       r.machines, r.next_plan, r.problems, r.status, r.return_reason, optParam(r.reporter_id), r.submitted_at,
       r.updated_at});
}

void ReportRepo::updateReport(const ReportRecord& r) {
  c_.exec("UPDATE progress_reports SET investment = ?, progress = ?, percent = ?, workers = ?, machines = ?, "
          "next_plan = ?, problems = ?, status = ?, return_reason = ?, reporter_id = ?, updated_at = ?, "
          "version = version + 1 WHERE id = ?",
          {r.investment, r.progress, r.percent, r.workers, r.machines, r.next_plan, r.problems, r.status,
           r.return_reason, optParam(r.reporter_id), r.updated_at, r.id});
}

void ReportRepo::returnReport(std::int64_t id, const std::string& reason, const std::string& now) {
  c_.exec("UPDATE progress_reports SET status = 'returned', return_reason = ?, updated_at = ?, version = version + 1 "
          "WHERE id = ?",
          {reason, now, id});
}

std::vector<ReportRecord> ReportRepo::projectReports(std::int64_t projectId, int limit,
                                                     std::optional<std::int64_t> before) {
  Params p{projectId};
  std::string sql = std::string(kReportSelect) + "WHERE r.project_id = ?";
  if (before) {
    if (auto b = findReport(*before); b && b->project_id == projectId) {
      sql += " AND (r.period_end < ? OR (r.period_end = ? AND r.id < ?))";
      p.push_back(b->period_end);
      p.push_back(b->period_end);
      p.push_back(b->id);
    }
  }
  sql += " ORDER BY r.period_end DESC, r.id DESC LIMIT ?";
  p.push_back(std::int64_t(limit));
  std::vector<ReportRecord> out;
  for (const auto& r : c_.query(sql, p).rows) out.push_back(reportOf(r));
  return out;
}

std::set<std::int64_t> ReportRepo::reportedProjects(std::int64_t periodId) {
  std::set<std::int64_t> out;
  for (const auto& r :
       c_.query("SELECT project_id FROM progress_reports WHERE period_id = ? AND status = 'submitted'", {periodId}).rows)
    out.insert(r.i64(0));
  return out;
}

std::vector<ReportingProject> ReportRepo::liveProjects(const std::string& region, int limit) {
  auto res = c_.query(
      "SELECT p.id, p.name, p.stage, p.unit_id, p.township_id, p.liaison_id, COALESCE(u.name, '') AS unit_name, "
      "COALESCE(t.name, '') AS township_name, COALESCE(l.display_name, '') AS liaison_name "
      "FROM projects p LEFT JOIN org_units u ON u.id = p.unit_id LEFT JOIN org_units t ON t.id = p.township_id "
      "LEFT JOIN users l ON l.id = p.liaison_id "
      "WHERE p.region_code = ? AND p.status <> 'cancelled' ORDER BY p.id LIMIT ?",
      {region, std::int64_t(limit)});
  std::vector<ReportingProject> out;
  for (const auto& r : res.rows) {
    ReportingProject x;
    x.id = r.i64("id");
    x.name = r.str("name");
    x.stage = r.str("stage");
    x.unit_id = r.optI64("unit_id");
    x.township_id = r.optI64("township_id");
    x.liaison_id = r.optI64("liaison_id");
    x.unit_name = r.str("unit_name");
    x.township_name = r.str("township_name");
    x.liaison_name = r.str("liaison_name");
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<std::string> ReportRepo::regionsWithProjects() {
  std::vector<std::string> out;
  for (const auto& r :
       c_.query("SELECT DISTINCT region_code FROM projects WHERE status <> 'cancelled' ORDER BY region_code").rows)
    out.push_back(r.str(0));
  return out;
}

bool ReportRepo::registered(std::int64_t projectId) {
  auto r = c_.query("SELECT registered FROM project_statistics WHERE project_id = ?", {projectId});
  return !r.empty() && r.one().i64(0) != 0;
}

std::vector<MonthAmount> ReportRepo::registrations(std::int64_t projectId) {
  std::vector<MonthAmount> out;
  for (const auto& r :
       c_.query("SELECT month, amount FROM statistics_registrations WHERE project_id = ? ORDER BY month", {projectId}).rows)
    out.push_back({r.str(0), r.i64(1)});
  return out;
}

void ReportRepo::setRegistration(std::int64_t projectId, const std::string& region, bool registered,
                                 const std::vector<MonthAmount>& months, const std::string& now) {
  c_.exec("INSERT INTO project_statistics (project_id, region_code, registered, updated_at) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (project_id) DO UPDATE SET registered = excluded.registered, updated_at = excluded.updated_at",
          {projectId, region, std::int64_t(registered ? 1 : 0), now});
  c_.exec("DELETE FROM statistics_registrations WHERE project_id = ?", {projectId});
  for (const auto& m : months)
    c_.exec("INSERT INTO statistics_registrations (project_id, month, amount) VALUES (?, ?, ?)",
            {projectId, m.month, m.amount});
}

}  // namespace steward::store
