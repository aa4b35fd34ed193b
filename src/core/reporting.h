// Progress reporting as pure rules: which cadence a project reports on (by its stage), the period it must report
// for on a day, the deadline of a period in the county's time zone (Asia/Shanghai, UTC+8), a period's state at an
// instant, derived running totals and the statistics cross-check. No I/O, no clock: "now" is a parameter.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.h"
#include "core/period.h"
#include "core/time.h"

namespace steward::core {

// When a period's report is due: `after_end_days` days after the period's last day, at `minute` (minutes after
// local midnight). The monthly report "by the 5th, 18:00" is {5, 1080}; the daily "by 18:00 the same day" {0, 1080}.
struct ReportDeadline {
  int after_end_days = 0;
  int minute = 18 * 60;
};

struct CadenceRules {
  Cadence fallback = Cadence::Month;              // the cadence of a stage not named in by_stage
  std::map<std::string, Cadence> by_stage;        // stage key → cadence
  std::map<Cadence, ReportDeadline> deadlines;    // every cadence in use has one
  int registration_gap_bp = 1000;                 // reported may run ahead of registered by this share (bp)
  int photo_max_days_before = 30;                 // a report's photo taken earlier before the period: questionable
  int photo_max_distance_m = 2000;                // a report's photo taken farther from the site: questionable
  // The cadence of the inspection bulletin (督查通报) the daily job drafts for headquarters once a period has ended
  // (week, ten_day or month); none: headquarters generates bulletins by hand.
  std::optional<Cadence> bulletin;
};

// The cadences a report may use (quarter and year are statistics periods, not report cadences).
bool isReportCadence(Cadence c);
// The most days after a period's end a deadline may fall: less than the cadence's shortest period, so at most
// one period of a cadence is ever waiting for its deadline (day 0, week 6, ten-day 7, month 27).
int maxDeadlineDays(Cadence c);

Cadence cadenceOfStage(const CadenceRules& r, std::string_view stage);
// The deadline of `p` under `r` (the cadence's own, or 18:00 on its last day when the rules name none).
ReportDeadline deadlineRuleOf(const CadenceRules& r, Cadence c);
// The UTC instant of a period's deadline: the county's local day end + after_end_days at the deadline's minute.
TimePoint deadlineOf(const Period& p, const ReportDeadline& d);
// The period a project reporting on `c` must report for on the county's day `isoDay`: the previous period while
// its deadline day has not passed, else the period containing the day.
Period reportingPeriod(Cadence c, const ReportDeadline& d, std::string_view isoDay);

// A period's state at an instant. Closed is stored, not computed: a closed period stays closed.
enum class PeriodState { Future, Open, Due, Overdue };
// Future before its first day, open during it until its last day, due from its last day until the deadline
// (inclusive: a report at the deadline is on time), overdue after.
PeriodState periodStateAt(const Period& p, const ReportDeadline& d, TimePoint now);
const char* periodStateKey(PeriodState s);

// Parses a period key back into its period; the cadence follows from the key's shape ("2026-11-23" day,
// "2026-W48" week, "2026-11-3" ten-day, "2026-11" month). nullopt for anything else.
std::optional<Period> periodFromKey(std::string_view key);

// Running totals of per-period amounts, in order: out[i] = amounts[0] + … + amounts[i].
std::vector<std::int64_t> runningTotals(const std::vector<std::int64_t>& amounts);
// Whether a project whose other reports sum to `othersSum` would pass its total investment with `amount` for
// this period.
bool exceedsTotalInvestment(std::int64_t othersSum, std::int64_t amount, std::int64_t totalInvestment);
// Whether the reported investment runs ahead of the registered one by more than `gapBp` of the reported:
// (reported − registered) × 10000 > gapBp × reported. Integer arithmetic without overflow.
bool reportedRunsAhead(std::int64_t reported, std::int64_t registered, int gapBp);

// Who may report progress for a project: the project's liaison, users of its responsible unit, headquarters and
// administrators, and only in the project's own county.
bool canReportProgress(const Actor& a, std::string_view projectRegion, std::optional<std::int64_t> projectUnit,
                       std::optional<std::int64_t> projectLiaison);
// Returning a report, closing and reopening periods, sending reminders, recording statistics: headquarters.
bool canSuperviseReports(const Actor& a, std::string_view region);

}  // namespace steward::core
