// `make bench`: warning lights at county scale and beyond (steward_bench_lights).
// 1. Through the store on SQLite: 10,000 projects (STEWARD_BENCH_LIGHT_PROJECTS) with nodes and annual plans,
//    every light evaluated and published in one transaction (history rows and audit entries for the changes), then
//    the same county evaluated again (few changes), and a read-only replay of a past day.
// 2. Pure evaluation of 1,000,000 projects' in-memory facts (STEWARD_BENCH_LIGHT_PURE), and their earned value.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "core/lights.h"
#include "service/lights.h"
#include "store/migrations.h"

using namespace steward;
using Clock = std::chrono::steady_clock;
namespace L = core::lights;

namespace {

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string day(int y, int m, int d) {
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
  return b;
}

void seed(store::Database& db, int projects) {
  db.transact(true, [&](store::Connection& c) {
    c.exec("INSERT INTO regions (code, name, level) VALUES ('430424', '衡东县', 'county')");
    std::vector<store::Params> units, rows, nodes, plans;
    for (int i = 1; i <= 40; ++i)
      units.push_back({std::int64_t(i), std::string("430424"), "单位" + std::to_string(i), std::string("department"),
                       std::string("2026-01-01T00:00:00Z"), std::string("2026-01-01T00:00:00Z")});
    c.copyRows("org_units", {"id", "region_code", "name", "kind", "created_at", "updated_at"}, units);
    std::mt19937 rng(7);
    for (int i = 1; i <= projects; ++i) {
      const int m = 1 + int(rng() % 12);
      const bool started = rng() % 3 != 0;
      rows.push_back({std::int64_t(i), std::string("430424"), "项目" + std::to_string(i), std::string("industrial"),
                      std::string(started ? "construction" : "siting"), day(2026, m, 10),
                      started ? store::Param{day(2026, m, 20)} : store::Param{store::Null{}}, std::int64_t(1 + i % 40),
                      std::string("2026-11-20T00:00:00Z"), std::string("2026-11-20T00:00:00Z")});
      for (int k = 0; k < 3; ++k) {
        const int nm = 1 + int(rng() % 12);
        nodes.push_back({std::int64_t(i), std::int64_t(k), "n" + std::to_string(k), "节点" + std::to_string(k),
                         day(2026, nm, 15), rng() % 2 ? store::Param{day(2026, nm, 18)} : store::Param{store::Null{}}});
      }
      plans.push_back({std::int64_t(i), std::int64_t(2026), std::int64_t(1200000),
                       std::string("100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000,100000")});
    }
    c.copyRows("projects", {"id", "region_code", "name", "category", "stage", "planned_start", "actual_start", "unit_id",
                            "created_at", "updated_at"},
               rows);
    c.copyRows("project_nodes", {"project_id", "sort", "key", "name", "planned_date", "actual_date"}, nodes);
    c.copyRows("project_plans", {"project_id", "year", "annual", "months"}, plans);
  });
}

void throughStore(int n) {
  const auto dir = std::filesystem::temp_directory_path() / ("steward-bench-lights-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    auto db = store::Database::open("sqlite:" + (dir / "b.db").string());
    store::migrate(*db);
    seed(*db, n);
    service::Env env{db.get()};
    service::LightsService lights(env);
    auto t0 = Clock::now();
    auto first = lights.evaluateRegion("430424", "2026-11-30");
    auto t1 = Clock::now();
    auto again = lights.evaluateRegion("430424", "2026-12-01");
    auto t2 = Clock::now();
    auto replay = lights.evaluateAsOf("430424", "2026-06-30");
    auto t3 = Clock::now();
    std::printf("lights, SQLite, %d projects: evaluate and publish %.0f ms (red %d, yellow %d, green %d); next day %.0f ms; "
                "replay of a past day (no writes) %.0f ms\n",
                n, ms(t1 - t0), first["counts"]["red"].get<int>(), first["counts"]["yellow"].get<int>(),
                first["counts"]["green"].get<int>(), ms(t2 - t1), ms(t3 - t2));
    (void)again;
    (void)replay;
  }
  std::filesystem::remove_all(dir);
}

void pure(int n) {
  std::mt19937 rng(11);
  std::vector<L::Facts> all(n);
  for (auto& f : all) {
    const int m = 1 + int(rng() % 12);
    f.planned_start = day(2026, m, 10);
    if (rng() % 3) f.actual_start = day(2026, m, 20);
    for (int k = 0; k < 3; ++k) {
      const int nm = 1 + int(rng() % 12);
      f.nodes.push_back({"节点", day(2026, nm, 15), rng() % 2 ? day(2026, nm, 18) : ""});
    }
    f.annual_plan = 1200000;
    f.monthly_plan.assign(12, 100000);
    f.invested_this_year = std::int64_t(rng() % 1200000);
    f.missing_reports = int(rng() % 4);
    f.missing_since = "2026-09-05";
    f.planned_completion = "2027-06-30";
  }
  const L::LightRules rules;
  int counts[3] = {0, 0, 0};
  auto t0 = Clock::now();
  for (const auto& f : all) ++counts[int(L::evaluate(rules, f, "2026-11-30", L::Light::Green).light)];
  auto t1 = Clock::now();
  std::int64_t spi = 0;
  for (const auto& f : all) spi += L::earnedValue(f, "2026-11-30").spi_bp;
  auto t2 = Clock::now();
  std::printf("lights, pure, %d projects: evaluate %.0f ms (%.2f µs each; red %d, yellow %d, green %d); earned value "
              "%.0f ms (mean SPI %lld bp)\n",
              n, ms(t1 - t0), ms(t1 - t0) * 1000.0 / n, counts[2], counts[1], counts[0], ms(t2 - t1),
              static_cast<long long>(spi / n));
}

}  // namespace

int main() {
  const int n = std::getenv("STEWARD_BENCH_LIGHT_PROJECTS") ? std::atoi(std::getenv("STEWARD_BENCH_LIGHT_PROJECTS")) : 10000;
  const int m = std::getenv("STEWARD_BENCH_LIGHT_PURE") ? std::atoi(std::getenv("STEWARD_BENCH_LIGHT_PURE")) : 1000000;
  throughStore(n);
  pure(m);
  return 0;
}
