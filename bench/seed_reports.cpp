// `make bench` helper: a county at full size for the dashboard benchmark (scripts/bench-board.sh).
//   steward_bench_seed DB_URL [PROJECTS] [MONTHS]
// DB_URL holds a migrated database with the demo county loaded (`steward demo`). In one transaction this adds
// projects to the demo county until it has PROJECTS (default 1,000) live ones, each with an annual plan for every
// year covered, and gives every live project a monthly progress report for each of the last MONTHS months
// (default 60, five years) that it has none for. Rows go in through Connection::copyRows: COPY on PostgreSQL,
// one prepared INSERT reused per row on SQLite. Prints what it added and how long it took.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <string>

#include "core/period.h"
#include "core/reporting.h"
#include "core/time.h"
#include "store/db.h"
#include "store/report_repo.h"

using namespace steward;
using Clock = std::chrono::steady_clock;

namespace {

int monthIndex(const std::string& ym) { return std::stoi(ym.substr(0, 4)) * 12 + std::stoi(ym.substr(5, 2)) - 1; }
std::string monthKey(int idx) {
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d", idx / 12, idx % 12 + 1);
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DB_URL [PROJECTS=1000] [MONTHS=60]\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const int want = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int months = argc > 3 ? std::atoi(argv[3]) : 60;
  const auto t0 = Clock::now();
  try {
    auto db = store::Database::open(url, 1);
    const auto now = std::chrono::system_clock::now();
    const auto nowIso = core::formatTimestamp(now);
    const auto today = core::localDay(now);
    // The last month that has ended is the newest one reported on.
    const int last = monthIndex(today.substr(0, 7)) - 1, first = last - months + 1;
    std::int64_t added = 0, reports = 0, plans = 0;
    std::string region;
    db->transact(true, [&](store::Connection& c) {
      auto hq = c.query("SELECT region_code FROM users WHERE username = 'hq'");
      if (hq.empty()) throw std::runtime_error("no user hq: load the demo first (steward demo --db URL)");
      region = hq.one().str(0);
      std::vector<std::int64_t> townships, units, users;
      for (const auto& r : c.query("SELECT id, kind FROM org_units WHERE region_code = ? ORDER BY id", {region}).rows)
        (r.str(1) == "township" ? townships : units).push_back(r.i64(0));
      for (const auto& r : c.query("SELECT id FROM users WHERE region_code = ? ORDER BY id", {region}).rows)
        users.push_back(r.i64(0));
      if (townships.empty() || units.empty()) throw std::runtime_error("the demo county has no townships or units");
      const auto live = c.query("SELECT COUNT(*) FROM projects WHERE region_code = ? AND status <> 'cancelled'",
                                {region}).one().i64(0);
      const auto maxId = c.query("SELECT COALESCE(MAX(id), 0) FROM projects").one().i64(0);

      // Projects, shaped like the demo's: every category, chain, stage, township and unit.
      static const char* stages[] = {"planning", "prereview", "signing", "siting", "construction", "construction",
                                     "construction", "review", "operation"};
      static const char* cats[] = {"industrial", "infrastructure", "social", "agriculture", "ecology"};
      static const char* chains[] = {"一金", "一药", "两材", "三特", ""};
      static const char* levels[] = {"county", "city,county", "province,city,county", "county"};
      std::mt19937_64 rng(20261202);
      std::vector<store::Params> rows, planRows, checkRows;
      const int firstYear = first / 12, lastYear = last / 12 + 1;
      for (std::int64_t i = 1; i <= want - live; ++i) {
        const auto id = maxId + i;
        const std::string name = std::string(i % 3 ? "新材料产业园" : "交通基础设施") + "扩建项目" + std::to_string(id);
        const std::string ent = "示范企业" + std::to_string(i % 397) + "有限公司";
        char code[40];
        std::snprintf(code, sizeof code, "2021-%s-39-03-%06lld", region.c_str(), static_cast<long long>(id));
        const std::string stage = stages[rng() % std::size(stages)];
        const bool started = stage == "construction" || stage == "review" || stage == "operation";
        const bool signedOn = stage != "planning" && stage != "prereview";
        const std::int64_t total = static_cast<std::int64_t>(rng() % 200000 + 2000) * 10000;  // 2,000万–20亿 yuan
        rows.push_back({id, region, name, std::string(code), std::string(cats[i % 5]), std::string(chains[i % 5]), ent,
                        townships[i % townships.size()], std::string(levels[i % 4]), total, stage,
                        started ? store::Param{monthKey(first) + "-15"} : store::Param{store::Null{}},
                        monthKey(first) + "-01",
                        signedOn ? store::Param{monthKey(first - 2) + "-20"} : store::Param{store::Null{}},
                        stage == "operation" ? store::Param{monthKey(last - 3) + "-28"} : store::Param{store::Null{}},
                        units[i % units.size()], users[i % users.size()], std::int64_t(5 + i % 20),
                        name + " " + ent + " " + code, nowIso, nowIso});
        // The checklist's manual ticks (a plan for two projects in three, a schedule for four in five).
        if (i % 3) checkRows.push_back({id, std::string("plan")});
        if (i % 5) checkRows.push_back({id, std::string("schedule")});
        for (int y = firstYear; y <= lastYear; ++y) {
          std::string m = "[";
          for (int k = 0; k < 12; ++k) {
            if (k) m += ',';
            m += std::to_string(total / 5 / 12 / 10000 * 10000);
          }
          planRows.push_back({id, std::int64_t(y), total / 5 / 12 / 10000 * 10000 * 12, m + "]"});
        }
      }
      c.copyRows("projects",
                 {"id", "region_code", "name", "code", "category", "chain", "enterprise_name", "township_id", "levels",
                  "total_investment", "stage", "actual_start", "planned_start", "signed_date", "actual_completion",
                  "unit_id", "leader_id", "team_size", "search_text", "created_at",
                  "updated_at"},
                 rows);
      added = static_cast<std::int64_t>(rows.size());
      c.copyRows("project_plans", {"project_id", "year", "annual", "months"}, planRows);
      c.copyRows("project_checks", {"project_id", "item_key"}, checkRows);
      plans = static_cast<std::int64_t>(planRows.size());
      if (c.dialect() == store::Dialect::Postgres)
        c.execScript("SELECT setval('projects_id_seq', (SELECT MAX(id) FROM projects));");

      // The months' periods, then the reports that are not there yet.
      store::ReportRepo repo(c);
      std::vector<std::pair<std::int64_t, core::Period>> periods;
      for (int m = first; m <= last; ++m) {
        const auto p = *core::periodFromKey(monthKey(m));
        periods.emplace_back(repo.ensurePeriod(region, "month", p.key, p.start, p.end, nowIso).id, p);
      }
      std::set<std::pair<std::int64_t, std::int64_t>> have;
      for (const auto& r : c.query("SELECT project_id, period_id FROM progress_reports WHERE region_code = ?", {region}).rows)
        have.emplace(r.i64(0), r.i64(1));
      std::vector<store::Params> reportRows;
      for (const auto& r : c.query("SELECT id, total_investment FROM projects WHERE region_code = ? AND status <> "
                                   "'cancelled' ORDER BY id", {region}).rows) {
        const auto id = r.i64(0), total = r.i64(1);
        std::int64_t running = 0;
        for (const auto& [pid, p] : periods) {
          if (have.count({id, pid})) continue;
          std::int64_t amount = total / 80 * static_cast<std::int64_t>(50 + rng() % 101) / 100 / 10000 * 10000;
          amount = std::max<std::int64_t>(0, std::min(amount, total * 95 / 100 - running));
          running += amount;
          const std::string at = p.end + "T10:00:00Z";
          reportRows.push_back({region, id, pid, p.end, amount, std::string("主体结构施工，完成形象进度"),
                                std::int64_t(total > 0 ? running * 100 / total : 0), std::int64_t(40 + rng() % 200),
                                std::int64_t(3 + rng() % 20), std::string("继续推进主体施工"), std::string("[]"),
                                std::string("submitted"), at, at});
        }
      }
      c.copyRows("progress_reports",
                 {"region_code", "project_id", "period_id", "period_end", "investment", "progress", "percent", "workers",
                  "machines", "next_plan", "problems", "status", "submitted_at", "updated_at"},
                 reportRows);
      reports = static_cast<std::int64_t>(reportRows.size());
    });
    // Planner statistics and the visibility map, as autovacuum would have left them after five years.
    if (db->dialect() == store::Dialect::Postgres) db->acquire()->execScript("VACUUM ANALYZE;");
    std::printf("seeded %s: %lld projects, %lld annual plans, %lld monthly reports (%s to %s) in %.0f ms\n",
                region.c_str(), static_cast<long long>(added), static_cast<long long>(plans),
                static_cast<long long>(reports), monthKey(first).c_str(), monthKey(last).c_str(),
                std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "seed failed: %s\n", e.what());
    return 1;
  }
  return 0;
}
