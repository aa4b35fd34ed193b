#include "store/board_repo.h"

#include <algorithm>

#include "core/money.h"
#include "core/validate.h"
#include "store/project_repo.h"
#include "store/scope.h"

namespace steward::store {
namespace {

struct DimensionSql {
  const char* key;   // the grouped column
  const char* name;  // its display name (grouped too)
};

// A grouping's key and name over the columns of `base` (below).
DimensionSql dimensionSql(BoardDimension d) {
  switch (d) {
    case BoardDimension::Total: return {"''", "''"};
    case BoardDimension::Township: return {"CAST(township_id AS TEXT)", "COALESCE(township_name, '')"};
    case BoardDimension::Unit: return {"CAST(unit_id AS TEXT)", "COALESCE(unit_name, '')"};
    case BoardDimension::Chain: return {"chain", "chain"};
    case BoardDimension::Category: return {"category", "category"};
    case BoardDimension::Stage: return {"stage", "stage"};
    case BoardDimension::County: return {"region_code", "COALESCE(region_name, '')"};
  }
  return {"''", "''"};
}

core::Yuan joined(const Row& r, std::size_t i) { return core::joinSplitSum(r.i64(i), r.i64(i + 1)); }

}  // namespace

std::vector<BoardLine> BoardRepo::figures(const std::string& region, BoardDimension dim, const BoardSpan& span,
                                          int limit, const std::string& level) {
  return figuresMany(region, span, {{dim, limit, level}}).front();
}

std::vector<std::vector<BoardLine>> BoardRepo::figuresMany(const std::string& region, const BoardSpan& span,
                                                           const std::vector<Part>& parts) {
  std::vector<std::vector<BoardLine>> out(parts.size());
  if (parts.empty()) return out;
  const auto money = [](const std::string& col) { return ProjectRepo::moneySumColumns(col); };
  Params p;
  // One row per live project: what it is grouped by, its flags, its plans and its reports of this year and of
  // last year's same span, read once.
  std::string sql =
      "WITH base AS (SELECT p.township_id, tg.name AS township_name, p.unit_id, ug.name AS unit_name, p.chain, "
      "p.category, p.stage, p.region_code, rg.name AS region_name, p.levels, "
      "CASE WHEN p.actual_start IS NOT NULL THEN 1 ELSE 0 END AS started, "
      "CASE WHEN p.actual_completion IS NOT NULL THEN 1 ELSE 0 END AS completed, "
      "CASE WHEN p.production_date IS NOT NULL OR p.stage = 'production' THEN 1 ELSE 0 END AS in_production, "
      "CASE WHEN r.reported_last > 0 THEN 1 ELSE 0 END AS reported_last, "
      "p.total_investment AS ti, COALESCE(pp.annual, 0) AS plan, COALESCE(r.done, 0) AS done, "
      "COALESCE(pl.annual, 0) AS plan_last, COALESCE(r.done_last, 0) AS done_last "
      "FROM projects p"
      " LEFT JOIN project_plans pp ON pp.project_id = p.id AND pp.year = ?"
      " LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = ?"
      " LEFT JOIN (SELECT project_id, "
      "CAST(SUM(CASE WHEN period_end >= ? THEN investment ELSE 0 END) AS BIGINT) AS done, "
      "CAST(SUM(CASE WHEN period_end <= ? THEN investment ELSE 0 END) AS BIGINT) AS done_last, "
      "CAST(SUM(CASE WHEN period_end <= ? THEN 1 ELSE 0 END) AS BIGINT) AS reported_last "
      "FROM progress_reports WHERE ";
  p.push_back(span.year);
  p.push_back(span.year - 1);
  p.push_back(span.year_start);
  p.push_back(span.last_same_day);
  p.push_back(span.last_same_day);
  sql += scopeSql(region, "region_code", p);
  sql += " AND period_end BETWEEN ? AND ? AND (period_end >= ? OR period_end <= ?) GROUP BY project_id) r"
         " ON r.project_id = p.id"
         " LEFT JOIN org_units tg ON tg.id = p.township_id"
         " LEFT JOIN org_units ug ON ug.id = p.unit_id"
         " LEFT JOIN regions rg ON rg.code = p.region_code WHERE ";
  p.push_back(span.last_start);
  p.push_back(span.year_end);
  p.push_back(span.year_start);
  p.push_back(span.last_same_day);
  sql += scopeSql(region, "p.region_code", p) + " AND p.status <> 'cancelled')";
  // Each part groups the same rows its own way; columns: part, key, name, counts, then money as split sums.
  const std::string aggregates =
      "COUNT(*) AS n, COALESCE(SUM(started), 0), COALESCE(SUM(completed), 0), COALESCE(SUM(in_production), 0), "
      "COALESCE(SUM(reported_last), 0), " + money("ti") + ", " + money("plan") + ", " + money("done") + ", " +
      money("plan_last") + ", " + money("done_last");
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto d = dimensionSql(parts[i].dim);
    sql += i ? " UNION ALL " : " ";
    sql += "SELECT * FROM (SELECT " + std::to_string(i) + " AS part, " + d.key + " AS gkey, " + d.name +
           " AS gname, " + aggregates + " FROM base";
    if (!parts[i].level.empty()) {
      sql += " WHERE (',' || levels || ',') LIKE ? ESCAPE '\\'";
      p.push_back("%," + core::escapeLike(parts[i].level) + ",%");
    }
    if (parts[i].dim != BoardDimension::Total)
      sql += std::string(" GROUP BY ") + d.key + ", " + d.name + " ORDER BY 9 DESC, 10 DESC, 2";
    sql += " LIMIT ?) t" + std::to_string(i);
    p.push_back(std::int64_t(parts[i].limit));
  }
  for (const auto& r : c_.query(sql, p).rows) {
    BoardLine l;
    l.key = r.isNull(1) ? "" : r.str(1);
    l.name = r.str(2);
    l.count = r.i64(3);
    l.started = r.i64(4);
    l.completed = r.i64(5);
    l.in_production = r.i64(6);
    l.reported_last = r.i64(7);
    l.total_investment = joined(r, 8);
    l.plan = joined(r, 10);
    l.done = joined(r, 12);
    l.plan_last = joined(r, 14);
    l.done_last = joined(r, 16);
    const auto part = static_cast<std::size_t>(r.i64(0));
    if (part < out.size()) out[part].push_back(std::move(l));
  }
  // Largest total investment first, then by key, whatever order the compound select returned its parts in.
  for (auto& lines : out)
    std::stable_sort(lines.begin(), lines.end(), [](const BoardLine& a, const BoardLine& b) {
      return a.total_investment != b.total_investment ? a.total_investment > b.total_investment : a.key < b.key;
    });
  return out;
}

std::vector<GanttNodeRow> BoardRepo::nodesOf(const std::vector<std::int64_t>& projectIds) {
  std::vector<GanttNodeRow> out;
  if (projectIds.empty()) return out;
  std::string in;
  Params p;
  for (auto id : projectIds) in += in.empty() ? "?" : ", ?", p.push_back(id);
  for (const auto& r : c_.query("SELECT project_id, key, name, planned_date, actual_date FROM project_nodes "
                                "WHERE project_id IN (" + in + ") ORDER BY project_id, sort",
                                p)
                           .rows)
    out.push_back({r.i64(0), r.str(1), r.str(2), r.optStr("planned_date"), r.optStr("actual_date")});
  return out;
}

std::vector<SummaryLine> BoardRepo::periodSummary(const std::string& region, std::optional<std::int64_t> periodId,
                                                  std::int64_t year, const std::string& yearStart,
                                                  const std::string& periodEnd, int limit) {
  Params p{yearStart, periodEnd, periodEnd, periodId.value_or(-1), year, region, std::int64_t(limit)};
  auto res = c_.query(
      "SELECT p.id, p.name, COALESCE(u.name, '') AS unit_name, COALESCE(t.name, '') AS township_name, "
      "p.total_investment, COALESCE(pp.annual, 0) AS plan, "
      "(SELECT COALESCE(SUM(o.investment), 0) FROM progress_reports o WHERE o.project_id = p.id "
      " AND o.period_end BETWEEN ? AND ?) AS year_total, "
      "(SELECT COALESCE(SUM(o.investment), 0) FROM progress_reports o WHERE o.project_id = p.id "
      " AND o.period_end <= ?) AS running_total, "
      "r.investment, COALESCE(r.progress, '') AS progress, COALESCE(r.status, '') AS status, "
      "COALESCE(r.percent, 0) AS percent "
      "FROM projects p LEFT JOIN progress_reports r ON r.project_id = p.id AND r.period_id = ? "
      "LEFT JOIN project_plans pp ON pp.project_id = p.id AND pp.year = ? "
      "LEFT JOIN org_units u ON u.id = p.unit_id LEFT JOIN org_units t ON t.id = p.township_id "
      "WHERE p.region_code = ? AND p.status <> 'cancelled' ORDER BY p.id LIMIT ?",
      p);
  std::vector<SummaryLine> out;
  for (const auto& r : res.rows) {
    SummaryLine l;
    l.project_id = r.i64(0);
    l.name = r.str(1);
    l.unit_name = r.str(2);
    l.township_name = r.str(3);
    l.total_investment = r.i64(4);
    l.plan = r.i64(5);
    l.year_total = r.i64(6);
    l.running_total = r.i64(7);
    l.period_investment = r.optI64("investment");
    l.progress = r.str(9);
    l.report_status = r.str(10);
    l.percent = r.i64(11);
    out.push_back(std::move(l));
  }
  return out;
}

StatisticsGapPage BoardRepo::statisticsGaps(const std::string& region, int gapBp, int page, int pageSize) {
  // reportedRunsAhead(rep, reg, bp) is (rep - reg) * 10000 > bp * rep, which overflows BIGINT near kMaxYuan.
  // With rep = 10000 q + r and d = (rep - reg) - bp q it is d * 10000 > bp * r, decided without overflow:
  // d <= 0 never, d >= bp always (bp * r < bp * 10000), else both sides stay below 10^8.
  const std::string bp = std::to_string(gapBp);
  const std::string d = "((rep - reg) - " + bp + " * (rep / 10000))";
  const std::string flag = "CASE WHEN rep <= reg THEN 0 WHEN " + d + " <= 0 THEN 0 WHEN " + d + " >= " + bp +
                           " THEN 1 WHEN " + d + " * 10000 > " + bp + " * (rep % 10000) THEN 1 ELSE 0 END";
  const std::string sql =
      "SELECT id, name, unit_name, township_name, registered, rep, reg, flag, "
      "COUNT(*) OVER () AS n, SUM(flag) OVER () AS flagged FROM ("
      "SELECT b.*, " + flag + " AS flag FROM ("
      "SELECT p.id, p.name, COALESCE(u.name, '') AS unit_name, COALESCE(t.name, '') AS township_name, "
      "COALESCE(s.registered, 0) AS registered, COALESCE(r.rep, 0) AS rep, COALESCE(g.reg, 0) AS reg "
      "FROM projects p "
      "LEFT JOIN (SELECT project_id, CAST(SUM(investment) AS BIGINT) AS rep FROM progress_reports "
      " WHERE region_code = ? GROUP BY project_id) r ON r.project_id = p.id "
      "LEFT JOIN (SELECT sr.project_id, CAST(SUM(sr.amount) AS BIGINT) AS reg FROM statistics_registrations sr "
      " JOIN projects q ON q.id = sr.project_id WHERE q.region_code = ? "
      " GROUP BY sr.project_id) g ON g.project_id = p.id "
      "LEFT JOIN project_statistics s ON s.project_id = p.id "
      "LEFT JOIN org_units u ON u.id = p.unit_id LEFT JOIN org_units t ON t.id = p.township_id "
      "WHERE p.region_code = ? AND p.status <> 'cancelled') b) f "
      "ORDER BY flag DESC, rep - reg DESC, id LIMIT ? OFFSET ?";
  StatisticsGapPage out;
  auto run = [&](std::int64_t limit, std::int64_t offset) {
    return c_.query(sql, {region, region, region, limit, offset});
  };
  auto res = run(pageSize, std::int64_t(page - 1) * pageSize);
  for (const auto& r : res.rows) {
    StatisticsGapLine l;
    l.project_id = r.i64(0);
    l.name = r.str(1);
    l.unit_name = r.str(2);
    l.township_name = r.str(3);
    l.registered = r.i64(4) != 0;
    l.reported = r.i64(5);
    l.registered_total = r.i64(6);
    l.runs_ahead = r.i64(7) != 0;
    out.total = r.i64(8);
    out.flagged = r.i64(9);
    out.items.push_back(std::move(l));
  }
  if (res.rows.empty() && page > 1) {  // past the last page: the first row still carries the counts
    auto first = run(1, 0);
    if (!first.empty()) out.total = first.one().i64(8), out.flagged = first.one().i64(9);
  }
  return out;
}

}  // namespace steward::store
