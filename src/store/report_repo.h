// Progress reporting's storage: periods (with the snapshot frozen at close), reports per project and period, and
// statistics registration (入库纳统). Every statement about these tables lives here.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct PeriodRecord {
  std::int64_t id = 0;
  std::string region_code, cadence, period_key, start_day, end_day;
  std::string status = "open";  // open | closed
  std::optional<std::string> closed_at, snapshot;
  std::string reopen_reason, created_at;
};

struct ReportRecord {
  std::int64_t id = 0;
  std::string region_code;
  std::int64_t project_id = 0, period_id = 0;
  std::string cadence, period_key;  // read only: from the period
  std::string period_end;
  std::int64_t investment = 0, percent = 0, workers = 0, machines = 0;
  std::string progress, next_plan;
  std::string problems = "[]";  // JSON array of strings
  std::string status = "submitted";  // submitted | returned
  std::string return_reason;
  std::optional<std::int64_t> reporter_id;
  std::string reporter_name;  // read only
  std::string submitted_at, updated_at;
  std::int64_t version = 1;
};

// A live project as the missing-report list needs it.
struct ReportingProject {
  std::int64_t id = 0;
  std::string name, stage;
  std::optional<std::int64_t> unit_id, township_id, liaison_id;
  std::string unit_name, township_name, liaison_name;
};

// One project's line in a period's figures.
struct PeriodFigure {
  std::int64_t project_id = 0;
  std::string project_name, unit_name, township_name, status;
  std::int64_t investment = 0, running_total = 0, percent = 0;
};

struct MonthAmount {
  std::string month;  // YYYY-MM
  std::int64_t amount = 0;
};

class ReportRepo {
 public:
  explicit ReportRepo(Connection& c) : c_(c) {}

  // --- periods
  std::optional<PeriodRecord> findPeriod(const std::string& region, const std::string& cadence, const std::string& key);
  // The stored period, inserted (open) when there is none yet.
  PeriodRecord ensurePeriod(const std::string& region, const std::string& cadence, const std::string& key,
                            const std::string& start, const std::string& end, const std::string& now);
  // Stored periods of a region (of one cadence when given), newest first by end day, at most `limit`.
  std::vector<PeriodRecord> periods(const std::string& region, const std::string& cadence, int limit);
  void closePeriod(std::int64_t id, const std::string& now, std::optional<std::int64_t> actor,
                   const std::string& snapshot);
  void reopenPeriod(std::int64_t id, const std::string& reason);
  // Each report of a period with its project's names and the project's running total up to the period's end.
  std::vector<PeriodFigure> periodFigures(std::int64_t periodId, int limit);

  // --- reports
  std::optional<ReportRecord> findReport(std::int64_t id);
  std::optional<ReportRecord> findReport(std::int64_t projectId, std::int64_t periodId);
  // The summed investment of a project's reports, leaving out the one of `exceptPeriod` when given.
  std::int64_t investmentSum(std::int64_t projectId, std::optional<std::int64_t> exceptPeriod = std::nullopt);
  // The project's running total up to and including report `r` (by period end, then id).
  std::int64_t runningTotalAt(const ReportRecord& r);
  std::int64_t insertReport(const ReportRecord& r);
  // Writes the report's editable fields and status; the version goes up.
  void updateReport(const ReportRecord& r);
  void returnReport(std::int64_t id, const std::string& reason, const std::string& now);
  // A project's reports newest first (period end, id), at most `limit`, below report `before` when given.
  std::vector<ReportRecord> projectReports(std::int64_t projectId, int limit, std::optional<std::int64_t> before);
  // Projects with a submitted (not returned) report in the period.
  std::set<std::int64_t> reportedProjects(std::int64_t periodId);

  // --- who reports
  std::vector<ReportingProject> liveProjects(const std::string& region, int limit);
  // Regions that have live projects (the reminder job walks them).
  std::vector<std::string> regionsWithProjects();

  // --- statistics registration
  bool registered(std::int64_t projectId);
  std::vector<MonthAmount> registrations(std::int64_t projectId);
  void setRegistration(std::int64_t projectId, const std::string& region, bool registered,
                       const std::vector<MonthAmount>& months, const std::string& now);

 private:
  Connection& c_;
};

}  // namespace steward::store
