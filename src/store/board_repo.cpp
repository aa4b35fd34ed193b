#include "store/board_repo.h"

#include "core/money.h"
#include "core/validate.h"
#include "store/project_repo.h"
#include "store/scope.h"

namespace steward::store {
namespace {

struct DimensionSql {
  const char* key;   // the grouped column
  const char* name;  // its display name (grouped too)
  const char* join;  // what the name needs
};

DimensionSql dimensionSql(BoardDimension d) {
  switch (d) {
    case BoardDimension::Total: return {"''", "''", ""};
    case BoardDimension::Township:
      return {"p.township_id", "COALESCE(g.name, '')", " LEFT JOIN org_units g ON g.id = p.township_id"};
    case BoardDimension::Unit: return {"p.unit_id", "COALESCE(g.name, '')", " LEFT JOIN org_units g ON g.id = p.unit_id"};
    case BoardDimension::Chain: return {"p.chain", "p.chain", ""};
    case BoardDimension::Category: return {"p.category", "p.category", ""};
    case BoardDimension::Stage: return {"p.stage", "p.stage", ""};
    case BoardDimension::County:
      return {"p.region_code", "COALESCE(g.name, '')", " LEFT JOIN regions g ON g.code = p.region_code"};
  }
  return {"''", "''", ""};
}

core::Yuan joined(const Row& r, std::size_t i) { return core::joinSplitSum(r.i64(i), r.i64(i + 1)); }

}  // namespace

std::vector<BoardLine> BoardRepo::figures(const std::string& region, BoardDimension dim, const BoardSpan& span,
                                          int limit, const std::string& level) {
  const auto d = dimensionSql(dim);
  const auto money = [](const std::string& col) { return ProjectRepo::moneySumColumns(col); };
  Params p;
  std::string sql = std::string("SELECT ") + d.key + " AS gkey, " + d.name +
                    " AS gname, COUNT(*) AS n, "
                    "COALESCE(SUM(CASE WHEN p.actual_start IS NOT NULL THEN 1 ELSE 0 END), 0) AS started, "
                    "COALESCE(SUM(CASE WHEN p.actual_completion IS NOT NULL THEN 1 ELSE 0 END), 0) AS completed, "
                    "COALESCE(SUM(CASE WHEN p.production_date IS NOT NULL OR p.stage = 'production' THEN 1 ELSE 0 "
                    "END), 0) AS in_production, "
                    "COALESCE(SUM(CASE WHEN r.reported_last > 0 THEN 1 ELSE 0 END), 0) AS reported_last, " +
                    money("p.total_investment") + ", " + money("COALESCE(pp.annual, 0)") + ", " +
                    money("COALESCE(r.done, 0)") + ", " + money("COALESCE(pl.annual, 0)") + ", " +
                    money("COALESCE(r.done_last, 0)") +
                    " FROM projects p"
                    " LEFT JOIN project_plans pp ON pp.project_id = p.id AND pp.year = ?"
                    " LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = ?";
  p.push_back(span.year);
  p.push_back(span.year - 1);
  // Each project's reports of this year and of last year's same span.
  sql +=
      " LEFT JOIN (SELECT project_id, "
      "CAST(SUM(CASE WHEN period_end >= ? THEN investment ELSE 0 END) AS BIGINT) AS done, "
      "CAST(SUM(CASE WHEN period_end <= ? THEN investment ELSE 0 END) AS BIGINT) AS done_last, "
      "CAST(SUM(CASE WHEN period_end <= ? THEN 1 ELSE 0 END) AS BIGINT) AS reported_last "
      "FROM progress_reports WHERE ";
  p.push_back(span.year_start);
  p.push_back(span.last_same_day);
  p.push_back(span.last_same_day);
  sql += scopeSql(region, "region_code", p);
  sql += " AND period_end BETWEEN ? AND ? AND (period_end >= ? OR period_end <= ?) GROUP BY project_id) r"
         " ON r.project_id = p.id";
  p.push_back(span.last_start);
  p.push_back(span.year_end);
  p.push_back(span.year_start);
  p.push_back(span.last_same_day);
  sql += d.join;
  sql += " WHERE " + scopeSql(region, "p.region_code", p) + " AND p.status <> 'cancelled'";
  if (!level.empty()) {
    sql += " AND (',' || p.levels || ',') LIKE ? ESCAPE '\\'";
    p.push_back("%," + core::escapeLike(level) + ",%");
  }
  if (dim != BoardDimension::Total)
    sql += std::string(" GROUP BY ") + d.key + ", " + d.name + " ORDER BY 8 DESC, 9 DESC, 1 LIMIT ?";
  else
    sql += " LIMIT ?";
  p.push_back(std::int64_t(limit));
  std::vector<BoardLine> out;
  for (const auto& r : c_.query(sql, p).rows) {
    BoardLine l;
    l.key = r.isNull(0) ? "" : r.str(0);
    l.name = r.str(1);
    l.count = r.i64(2);
    l.started = r.i64(3);
    l.completed = r.i64(4);
    l.in_production = r.i64(5);
    l.reported_last = r.i64(6);
    l.total_investment = joined(r, 7);
    l.plan = joined(r, 9);
    l.done = joined(r, 11);
    l.plan_last = joined(r, 13);
    l.done_last = joined(r, 15);
    out.push_back(std::move(l));
  }
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
