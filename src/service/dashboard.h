// The home page's figures for the actor's region, and the dispatch board (挂图作战): investment done this year
// against the annual plan and against the share of the year gone (时序进度), by township, unit, chain, category,
// level and (above a county) county; the node-plan Gantt of a filtered page of projects; a period's summary
// table (汇总表) on screen and as the xlsx counties send upward.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "core/access.h"
#include "service/context.h"
#include "service/projects.h"

namespace steward::service {

// The most groups one board dimension lists, and the most lines a summary table holds.
inline constexpr int kBoardGroupsMax = 500;
inline constexpr int kSummaryLinesMax = 5000;

class DashboardService {
 public:
  explicit DashboardService(Env env) : env_(env) {}
  // `region` empty: the actor's own region; else a region code inside the actor's scope (the drill-down of a
  // city or province to one county). 422 region/invalid when malformed, 404 when unknown or out of scope.
  nlohmann::json summary(const core::Actor& a, const std::string& region = "");
  // One page of the filtered projects (the project list's filters) with their node plans, planned against
  // actual: {"items": [{id, name, …, nodes: [{key, name, planned_date, actual_date, state}]}], "total", "page",
  // "page_size", "today", "range": {start, end}}. A node's state: done, done_late, overdue or planned.
  nlohmann::json gantt(const core::Actor& a, const ProjectFilter& f);
  // The summary table of a county's period: one line per live project, and the totals.
  nlohmann::json periodSummary(const core::Actor& a, const std::string& cadence, const std::string& key,
                               const std::string& region = "");
  // 入库纳统 cross-check of a county (`region` as in summary; a city must name a county): every live project's
  // reported against registered investment, flagged first: {"region_code", "gap_threshold_bp", "total",
  // "flagged", "page", "page_size", "items": [{id, name, unit_name, township_name, registered, reported_total,
  // registered_total, gap, gap_bp, runs_ahead}]}.
  nlohmann::json statisticsGaps(const core::Actor& a, const std::string& region, int page, int pageSize);
  std::string periodSummaryXlsx(const core::Actor& a, const std::string& cadence, const std::string& key,
                                const std::string& region = "");

 private:
  Env env_;
};

}  // namespace steward::service
