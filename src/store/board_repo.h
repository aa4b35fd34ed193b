// The dispatch board's (挂图作战) queries: the county's figures grouped by township, unit, chain, category,
// stage or county, the node plans of a page of projects, and a period's summary table (汇总表). Every sum runs
// in SQL over the region scope (store/scope.h), bounded by a LIMIT; nothing loops over projects in C++. The
// reports are read once per board through the covering index progress_reports_region_end.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

// What the board groups by. Total is one line for the whole scope.
enum class BoardDimension { Total, Township, Unit, Chain, Category, Stage, County };

// The days the figures cover: this year's reports end in [year_start, year_end]; last year's comparable ones in
// [last_start, last_same_day] (the same span a year earlier).
struct BoardSpan {
  std::int64_t year = 0;
  std::string year_start, year_end, last_start, last_same_day;
};

// One line of the board: projects counted and money summed (integer yuan) over the live projects of a group.
struct BoardLine {
  std::string key, name;  // key: the org unit id, chain, category, stage or region code ("" when none)
  std::int64_t count = 0, started = 0, completed = 0, in_production = 0;
  std::int64_t total_investment = 0;
  std::int64_t plan = 0, done = 0;            // this year's annual plans and the investment reported this year
  std::int64_t plan_last = 0, done_last = 0;  // last year's plans, and its reports over the same span
  std::int64_t reported_last = 0;             // live projects with any report in last year's span
};

struct GanttNodeRow {
  std::int64_t project_id = 0;
  std::string key, name;
  std::optional<std::string> planned_date, actual_date;
};

// One project's line in a period's summary table. period_investment is null when it did not report.
struct SummaryLine {
  std::int64_t project_id = 0;
  std::string name, unit_name, township_name, progress, report_status;
  std::int64_t total_investment = 0, plan = 0, year_total = 0, running_total = 0, percent = 0;
  std::optional<std::int64_t> period_investment;
};

// One project's 入库纳统 cross-check: what its reports add up to against what the statistics office registered.
struct StatisticsGapLine {
  std::int64_t project_id = 0;
  std::string name, unit_name, township_name;
  bool registered = false, runs_ahead = false;
  std::int64_t reported = 0, registered_total = 0;
};
struct StatisticsGapPage {
  std::vector<StatisticsGapLine> items;
  std::int64_t total = 0, flagged = 0;
};

class BoardRepo {
 public:
  explicit BoardRepo(Connection& c) : c_(c) {}
  // The figures of the live projects in `region`'s scope grouped by `dim` (at most `limit` groups, largest
  // total investment first); with `level`, only projects carrying that level (省重点, 市重点 …).
  std::vector<BoardLine> figures(const std::string& region, BoardDimension dim, const BoardSpan& span, int limit,
                                 const std::string& level = "");
  // Several groupings at once, in one statement: each project's plans and report sums are computed once (a
  // common table expression) and every part groups them its own way. Returns one list of lines per part.
  struct Part {
    BoardDimension dim = BoardDimension::Total;
    int limit = 1;
    std::string level;  // only projects carrying this level, when given
  };
  std::vector<std::vector<BoardLine>> figuresMany(const std::string& region, const BoardSpan& span,
                                                  const std::vector<Part>& parts);
  // The node plans of the given projects, in each project's node order.
  std::vector<GanttNodeRow> nodesOf(const std::vector<std::int64_t>& projectIds);
  // Every live project of a county (at most `limit`) with its report for `periodId` (when any), this year's plan,
  // its investment reported in [yearStart, periodEnd] and its running total up to periodEnd.
  std::vector<SummaryLine> periodSummary(const std::string& region, std::optional<std::int64_t> periodId,
                                         std::int64_t year, const std::string& yearStart,
                                         const std::string& periodEnd, int limit);
  // Every live project of a county with its reported and registered investment, flagged when reported runs
  // ahead of registered by more than gapBp of reported (core::reportedRunsAhead, computed in SQL), flagged
  // first, then the largest gap; one page of them, with the number of projects and of flagged ones.
  StatisticsGapPage statisticsGaps(const std::string& region, int gapBp, int page, int pageSize);

 private:
  Connection& c_;
};

}  // namespace steward::store
