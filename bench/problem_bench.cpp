// `make bench`: the problem list over 100,000 problems of one county (SQLite): GET /problems's service call as
// headquarters (no filter, overdue, status + category, a project) and as a unit (what it raised, leads or helps),
// a page of 20 each, and the figures by unit and category.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "service/problems.h"
#include "store/db.h"
#include "store/migrations.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace steward;
double msOf(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void seedProblems(store::Database& db, int problems) {
  db.transact(true, [&](store::Connection& c) {
    const std::string t = "2026-01-01T00:00:00Z";
    c.exec("INSERT INTO regions (code, name, level) VALUES ('430424', '衡东县', 'county')");
    std::vector<store::Params> units, users, projects, rows, pu;
    for (int i = 1; i <= 40; ++i)
      units.push_back({std::int64_t(i), std::string("430424"), "单位" + std::to_string(i), std::string("department"), t, t});
    c.copyRows("org_units", {"id", "region_code", "name", "kind", "created_at", "updated_at"}, units);
    for (int i = 1; i <= 40; ++i)
      users.push_back({std::int64_t(i), std::string("430424"), "u" + std::to_string(i), "用户" + std::to_string(i),
                       std::string("staff"), std::string(i == 1 ? "hq" : "unit"), std::int64_t(i), std::string("!"), t, t});
    c.copyRows("users", {"id", "region_code", "username", "display_name", "rank", "roles", "org_unit_id",
                         "password_hash", "created_at", "updated_at"},
               users);
    for (int i = 1; i <= 1000; ++i)
      projects.push_back({std::int64_t(i), std::string("430424"), "项目" + std::to_string(i), std::string("industrial"),
                          std::string("construction"), std::int64_t(1 + i % 40), t, t});
    c.copyRows("projects", {"id", "region_code", "name", "category", "stage", "unit_id", "created_at", "updated_at"},
               projects);
    static const char* statuses[] = {"raised", "accepted", "assigned", "in_progress", "planned", "solved", "closed", "merged"};
    static const char* cats[] = {"land", "funds", "energy", "water", "environment", "approval", "labour", "other"};
    std::mt19937 rng(7);
    for (int i = 1; i <= problems; ++i) {
      const std::string status = statuses[rng() % 8];
      const std::int64_t lead = 1 + rng() % 40, helper = 1 + rng() % 40;
      char day[16];
      std::snprintf(day, sizeof day, "2026-%02d-%02d", int(1 + rng() % 11), int(1 + rng() % 28));
      const bool assigned = status != "raised" && status != "accepted";
      rows.push_back({std::int64_t(i), std::string("430424"), std::int64_t(1 + rng() % 1000), std::string("problem"),
                      std::string(cats[rng() % 8]), "问题" + std::to_string(i), status, std::int64_t(1 + rng() % 40),
                      std::string(day), std::string(day) + "T02:00:00Z",
                      assigned ? store::Param{lead} : store::Param{store::Null{}},
                      assigned ? store::Param{std::string(day)} : store::Param{store::Null{}},
                      std::string(day), t});
      if (assigned) {
        pu.push_back({std::int64_t(i), lead, std::string("lead")});
        if (helper != lead) pu.push_back({std::int64_t(i), helper, std::string("helper")});
      }
    }
    c.copyRows("problems", {"id", "region_code", "project_id", "kind", "category", "title", "status", "raised_by",
                            "raised_on", "raised_at", "lead_unit_id", "solve_due", "feedback_due", "updated_at"},
               rows);
    c.copyRows("problem_units", {"problem_id", "unit_id", "role"}, pu);
  });
}

// The process's CPU time: on a machine shared with other builds the wall clock also measures the waiting.
double cpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void measure(const char* what, int n, const std::function<std::size_t()>& f) {
  std::vector<double> t, cpu;
  std::size_t items = 0;
  for (int i = 0; i < n; ++i) {
    auto s = Clock::now();
    const auto c0 = cpuMs();
    items = f();
    cpu.push_back(cpuMs() - c0);
    t.push_back(msOf(Clock::now() - s));
  }
  std::sort(t.begin(), t.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf("  %-44s median %7.2f ms, p99 %7.2f ms, cpu median %7.2f ms (%zu)\n", what, t[t.size() / 2],
              t[std::min(t.size() - 1, t.size() * 99 / 100)], cpu[cpu.size() / 2], items);
}

}  // namespace

void benchProblemsOn(const std::string& label, const std::string& url) {
  const int n = 100000;
  auto db = store::Database::open(url, 4);
  store::migrate(*db);
  auto t0 = Clock::now();
  seedProblems(*db, n);
  // As autovacuum would have by the time a county has 100,000 problems.
  if (db->dialect() == store::Dialect::Postgres) db->acquire()->execScript("VACUUM ANALYZE");
  std::printf("\n== problems (%s): %d problems seeded in %.0f ms\n", label.c_str(), n, msOf(Clock::now() - t0));
  service::Env env;
  env.db = db.get();
  env.now = [] {
    core::TimePoint p;
    core::parseTimestamp("2026-11-20T02:00:00Z", p);
    return p;
  };
  service::ProblemsService svc(env);
  core::Actor hq{1, "u1", "用户1", "430424", 1, "staff", {"hq"}};
  core::Actor unit{7, "u7", "用户7", "430424", 7, "staff", {"unit"}};
  auto list = [&](const core::Actor& a, service::ProblemQuery q) {
    return [&svc, &a, q] { return std::size_t(svc.list(a, q)["total"].get<std::int64_t>()); };
  };
  service::ProblemQuery all, overdue, statusCat, project, mine;
  overdue.overdue = true;
  statusCat.status = "in_progress";
  statusCat.category = "energy";
  project.project_id = 500;
  mine.my_unit = true;
  measure("hq: newest 20 of all", 50, list(hq, all));
  measure("hq: overdue", 50, list(hq, overdue));
  measure("hq: in progress, category energy", 50, list(hq, statusCat));
  measure("hq: one project", 50, list(hq, project));
  measure("unit: visible (raised, leads or helps)", 50, list(unit, all));
  measure("unit: my unit's", 50, list(unit, mine));
  measure("hq: figures by unit and category", 10,
          [&] { return std::size_t(svc.figures(hq, "")["total"]["raised"].get<std::int64_t>()); });
}

void benchProblems(const std::string& dir) {
  benchProblemsOn("sqlite", "sqlite:" + dir + "/problems.db");
  // STEWARD_BENCH_PROBLEMS_PG: an empty PostgreSQL database of its own (the projects bench uses STEWARD_BENCH_PG).
  if (const char* pg = std::getenv("STEWARD_BENCH_PROBLEMS_PG")) benchProblemsOn("postgresql", pg);
}
