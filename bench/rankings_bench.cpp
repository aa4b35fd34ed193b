// `make bench` (or STEWARD_BENCH_ONLY=rankings): closing a month of the monthly ranking through RankingsService —
// one county with 1,000 projects (40 units, annual plans, eleven months of reports, weekly visits, problems and
// letters), then 100 counties of 200 projects each closed one after another (SQLite; PostgreSQL too when
// STEWARD_BENCH_RANKINGS_PG names an empty database).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "core/period.h"
#include "service/rankings.h"
#include "store/db.h"
#include "store/migrations.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace steward;
double msOf(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// A county `code` with 40 units (ids from unitBase), `projects` projects and their year's figures.
void seedCounty(store::Database& db, const std::string& code, std::int64_t unitBase, std::int64_t projectBase,
                std::int64_t userId, int projects) {
  db.transact(true, [&](store::Connection& c) {
    const std::string t = "2026-01-01T00:00:00Z";
    c.exec("INSERT INTO regions (code, name, level) VALUES (?, ?, 'county')", {code, "县" + code});
    std::vector<store::Params> units, proj, plans, reports, visits, problems;
    for (int i = 0; i < 40; ++i)
      units.push_back({unitBase + i, code, "单位" + std::to_string(i), std::string(i < 20 ? "department" : "township"),
                       t, t});
    c.copyRows("org_units", {"id", "region_code", "name", "kind", "created_at", "updated_at"}, units);
    c.exec("INSERT INTO users (id, region_code, username, display_name, rank, roles, org_unit_id, password_hash, "
           "created_at, updated_at) VALUES (?, ?, ?, '指挥部', 'staff', 'hq', ?, '!', ?, ?)",
           {userId, code, "hq" + code, unitBase, t, t});
    std::mt19937 rng(static_cast<unsigned>(projectBase));
    for (int i = 0; i < projects; ++i) {
      const std::int64_t id = projectBase + i;
      char ps[16], as[16];
      std::snprintf(ps, sizeof ps, "2026-%02d-10", int(1 + rng() % 11));
      std::snprintf(as, sizeof as, "2026-%02d-15", int(1 + rng() % 11));
      proj.push_back({id, code, "项目" + std::to_string(id), std::string("industrial"), std::string("construction"),
                      unitBase + static_cast<std::int64_t>(rng() % 40), userId, std::string(ps), std::string(as), t,
                      t});
      plans.push_back({id, std::int64_t{2026}, std::int64_t{12000000},
                       std::string("1000000,1000000,1000000,1000000,1000000,1000000,1000000,1000000,1000000,1000000,"
                                   "1000000,1000000")});
    }
    c.copyRows("projects", {"id", "region_code", "name", "category", "stage", "unit_id", "leader_id", "planned_start",
                            "actual_start", "created_at", "updated_at"},
               proj);
    c.copyRows("project_plans", {"project_id", "year", "annual", "months"}, plans);
    // Monthly periods and reports January–October, most on time.
    for (int m = 1; m <= 10; ++m) {
      char key[16], start[16], end[16];
      std::snprintf(key, sizeof key, "2026-%02d", m);
      std::snprintf(start, sizeof start, "2026-%02d-01", m);
      const auto p = core::periodOf(core::Cadence::Month, start);
      std::snprintf(end, sizeof end, "%s", p.end.c_str());
      const auto period = c.insert("INSERT INTO report_periods (region_code, cadence, period_key, start_day, end_day, "
                                   "created_at) VALUES (?, 'month', ?, ?, ?, ?)",
                                   {code, std::string(key), std::string(start), std::string(end), t});
      for (int i = 0; i < projects; ++i)
        if (rng() % 10 < 8)
          reports.push_back({code, projectBase + i, period, std::string(end), std::int64_t(800000 + rng() % 400000),
                             std::string(end) + "T08:00:00Z", std::string(end) + "T08:00:00Z"});
    }
    c.copyRows("progress_reports", {"region_code", "project_id", "period_id", "period_end", "investment",
                                    "submitted_at", "updated_at"},
               reports);
    for (int i = 0; i < projects; ++i)
      for (const char* w : {"2026-W41", "2026-W42", "2026-W43"})
        if (rng() % 2)
          visits.push_back({code, projectBase + i, userId, std::string("2026-10-10"), std::string(w), t});
    c.copyRows("leader_visits", {"region_code", "project_id", "leader_id", "visit_date", "week_key", "created_at"},
               visits);
    for (int i = 0; i < projects; ++i) {
      char due[16];
      std::snprintf(due, sizeof due, "2026-10-%02d", int(1 + rng() % 28));
      const bool solved = rng() % 3 != 0;
      problems.push_back({code, projectBase + i, "问题" + std::to_string(i), std::string(solved ? "solved" : "assigned"),
                          std::string("2026-09-01"), std::string("2026-09-01T02:00:00Z"),
                          unitBase + static_cast<std::int64_t>(rng() % 40), std::string(due),
                          solved ? store::Param{std::string("2026-10-05T02:00:00Z")} : store::Param{store::Null{}}, t});
    }
    c.copyRows("problems", {"region_code", "project_id", "title", "status", "raised_on", "raised_at", "lead_unit_id",
                            "solve_due", "solved_at", "updated_at"},
               problems);
  });
}

void benchOn(const std::string& label, const std::string& url) {
  auto db = store::Database::open(url, 4);
  store::migrate(*db);
  service::Env env;
  env.db = db.get();
  env.now = [] {
    core::TimePoint p;
    core::parseTimestamp("2026-11-20T02:00:00Z", p);
    return p;
  };
  service::RankingsService svc(env);
  auto t0 = Clock::now();
  seedCounty(*db, "430424", 1, 1, 1, 1000);
  // As autovacuum would have by the time a county has a year of data.
  if (db->dialect() == store::Dialect::Postgres) db->acquire()->execScript("VACUUM ANALYZE");
  std::printf("\n== rankings (%s): one county of 1,000 projects seeded in %.0f ms\n", label.c_str(),
              msOf(Clock::now() - t0));
  core::Actor hq{1, "hq430424", "指挥部", "430424", 1, "staff", {"hq"}};
  auto t = Clock::now();
  auto b = svc.board(hq, "2026-10", "");
  std::printf("  live preview of 2026-10 (%zu units)              %8.1f ms\n", b["units"].size(), msOf(Clock::now() - t));
  t = Clock::now();
  auto c = svc.close(hq, "2026-10", nlohmann::json::object());
  std::printf("  close 2026-10 (%zu yellow cards)                 %8.1f ms\n", c["yellow_cards"].size(),
              msOf(Clock::now() - t));
  t = Clock::now();
  auto v = svc.verify(hq, "2026-10", 1, "");
  std::printf("  verify revision 1 (identical %s)                 %8.1f ms\n", v["identical"].get<bool>() ? "yes" : "no",
              msOf(Clock::now() - t));
  t0 = Clock::now();
  for (int k = 0; k < 100; ++k)
    seedCounty(*db, std::to_string(440000 + k), 1000 + k * 40, 100000 + k * 200, 1000 + k, 200);
  if (db->dialect() == store::Dialect::Postgres) db->acquire()->execScript("VACUUM ANALYZE");
  std::printf("  100 counties of 200 projects seeded in %.0f ms\n", msOf(Clock::now() - t0));
  t = Clock::now();
  for (int k = 0; k < 100; ++k) {
    const std::string code = std::to_string(440000 + k);
    core::Actor a{1000 + k, "hq" + code, "指挥部", code, 1000 + k * 40, "staff", {"hq"}};
    svc.close(a, "2026-10", nlohmann::json::object());
  }
  const double all = msOf(Clock::now() - t);
  std::printf("  close 2026-10 in 100 counties                    %8.1f ms (%.1f ms each)\n", all, all / 100);
}

}  // namespace

void benchRankings(const std::string& dir) {
  benchOn("sqlite", "sqlite:" + dir + "/rankings.db");
  if (const char* pg = std::getenv("STEWARD_BENCH_RANKINGS_PG")) benchOn("postgresql", pg);
}
