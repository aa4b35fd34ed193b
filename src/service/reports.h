// Progress reporting (进度填报): a liaison's report per project and period, periods that close and freeze their
// figures, the missing-report list, statistics registration (入库纳统) and reminders to the liaison's inbox.
// Which cadence a project reports on, and when, comes from the county's `cadence` rules (cadence_rules.h).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

// The most periods one listing returns, and the most lines a period's figures or a missing list hold.
inline constexpr int kPeriodListMax = 100;
inline constexpr int kReportListMax = 100;
inline constexpr int kPeriodFiguresMax = 5000;
// Problems one report may name, each at most core::limits::kNote characters.
inline constexpr std::size_t kReportProblemsMax = 50;
// People and machines on one site: far beyond any county project.
inline constexpr std::int64_t kSiteCountMax = 1'000'000;
// Months of registered investment one project may carry (50 years).
inline constexpr std::size_t kRegistrationMonthsMax = 600;

class ReportService {
 public:
  explicit ReportService(Env env) : env_(env) {}
  // Submits or updates the report of `projectId` for `in.period` (a period key; default: the period due now).
  // 201-style {"created": true} on the first report of a period, else the update. 404 unknown project,
  // 403 not its liaison, unit or headquarters, 422 field errors (negative, out_of_range, future_period,
  // period_closed, wrong_cadence) and exceeds_total_investment.
  nlohmann::json submit(const core::Actor& a, std::int64_t projectId, const nlohmann::json& in);
  // A project's reports newest first with their running totals: {"items", "next_before", "cadence", "current"}.
  nlohmann::json projectReports(const core::Actor& a, std::int64_t projectId, std::optional<std::int64_t> before,
                                int limit);
  // Headquarters sends a report back for correction with a reason; the reporter finds it in the inbox.
  nlohmann::json returnReport(const core::Actor& a, std::int64_t reportId, const nlohmann::json& in);

  // A period of the actor's county: live figures while open, the frozen snapshot once closed.
  nlohmann::json period(const core::Actor& a, const std::string& cadence, const std::string& key);
  nlohmann::json periods(const core::Actor& a, const std::string& cadence, int limit);
  nlohmann::json closePeriod(const core::Actor& a, const std::string& cadence, const std::string& key);
  nlohmann::json reopenPeriod(const core::Actor& a, const std::string& cadence, const std::string& key,
                              const nlohmann::json& in);

  // Who has not reported for the current period of `cadence` (empty: the county's default cadence), grouped by
  // unit and by township, with the period's deadline and state (due, overdue) now.
  nlohmann::json missing(const core::Actor& a, const std::string& cadence);

  // 入库纳统: registered or not, the registered investment by month, against the reported total.
  nlohmann::json statistics(const core::Actor& a, std::int64_t projectId);
  nlohmann::json setStatistics(const core::Actor& a, std::int64_t projectId, const nlohmann::json& in);

  // One-click reminder from headquarters to the project's liaison.
  nlohmann::json remind(const core::Actor& a, std::int64_t projectId);
  // The scheduler's job: a reminder to the liaison of every project whose current report is overdue at `asOf`
  // and missing, once per project and period (running it again sends nothing new). `region` empty: every county.
  // Returns {"sent", "already_sent", "regions"}.
  nlohmann::json remindOverdue(const std::string& region, core::TimePoint asOf);

 private:
  Env env_;
};

}  // namespace steward::service
