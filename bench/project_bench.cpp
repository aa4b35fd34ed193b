// `make bench`: the project library at county scale and beyond.
// Seeds 10,000 projects, then measures the filtered list (median and p99 server time), export and import.
// Runs on SQLite; on PostgreSQL too when STEWARD_BENCH_PG names a database URL.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>

#include "core/audit_chain.h"
#include "service/errors.h"
#include "service/projects.h"
#include "store/migrations.h"

using namespace steward;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void seed(store::Database& db, int projects) {
  db.transact(true, [&](store::Connection& c) {
    c.exec("INSERT INTO regions (code, name, level) VALUES ('430424', '衡东县', 'county')");
    std::vector<store::Params> units, users, rows;
    for (int i = 1; i <= 40; ++i)
      units.push_back({std::int64_t(i), std::string("430424"), std::string(i <= 17 ? "乡镇" : "单位") + std::to_string(i),
                       std::string(i <= 17 ? "township" : "department"), std::string("2026-01-01T00:00:00Z"),
                       std::string("2026-01-01T00:00:00Z")});
    c.copyRows("org_units", {"id", "region_code", "name", "kind", "created_at", "updated_at"}, units);
    for (int i = 1; i <= 40; ++i)
      users.push_back({std::int64_t(i), std::string("430424"), "u" + std::to_string(i), "领导" + std::to_string(i),
                       std::string(i <= 8 ? "county_leader" : "staff"), std::string(i == 1 ? "admin,hq" : "leader"),
                       std::string("!"), std::string("2026-01-01T00:00:00Z"), std::string("2026-01-01T00:00:00Z")});
    c.copyRows("users", {"id", "region_code", "username", "display_name", "rank", "roles", "password_hash", "created_at",
                         "updated_at"},
               users);
    if (c.dialect() == store::Dialect::Postgres) {
      c.execScript("SELECT setval('org_units_id_seq', 100); SELECT setval('users_id_seq', 100);");
    }
    static const char* stages[] = {"planning", "prereview", "signing", "siting", "construction", "review", "operation"};
    static const char* cats[] = {"industrial", "infrastructure", "social", "agriculture", "ecology"};
    static const char* chains[] = {"一金", "一药", "两材", "三特", ""};
    std::mt19937 rng(42);
    std::vector<store::Params> checks;  // the checklist ticks: plan on 4 of 5, schedule on 6 of 7
    for (int i = 1; i <= projects; ++i) {
      if (i % 5) checks.push_back({std::int64_t(i), std::string("plan")});
      if (i % 7) checks.push_back({std::int64_t(i), std::string("schedule")});
      std::string name = std::string(i % 3 ? "新材料产业园" : "交通基础设施") + "项目" + std::to_string(i);
      std::string ent = "衡东企业" + std::to_string(i % 997) + "有限公司";
      char code[32];
      std::snprintf(code, sizeof code, "2604-430424-39-03-%06d", i);
      std::string stage = stages[rng() % 7];
      // Seeded rows honour the stage gates, as real data entered through the service would.
      std::string started = (stage == "construction" || stage == "review" || stage == "operation") ? "2026-03-01" : "";
      std::string signedOn = (stage == "planning" || stage == "prereview") ? "" : "2025-12-01";
      std::string completed = stage == "operation" ? "2026-10-01" : "";
      rows.push_back({std::int64_t(i), std::string("430424"), name, std::string(code), std::string(cats[i % 5]),
                      std::string(chains[i % 5]), ent, std::int64_t(1 + i % 17), std::string(i % 4 ? "county" : "city,county"),
                      std::int64_t((rng() % 500000 + 1000) * 10000), stage,
                      started.empty() ? store::Param{store::Null{}} : store::Param{started},
                      std::string("2026-02-01"), signedOn.empty() ? store::Param{store::Null{}} : store::Param{signedOn},
                      completed.empty() ? store::Param{store::Null{}} : store::Param{completed},
                      std::int64_t(18 + i % 22), std::int64_t(1 + i % 8),
                      std::int64_t(i % 3 ? 1 : 0),
                      name + " " + ent + " " + code, std::string("2026-01-01T00:00:00Z"),
                      std::string("2026-01-01T00:00:00Z")});
    }
    c.copyRows("projects",
               {"id", "region_code", "name", "code", "category", "chain", "enterprise_name", "township_id", "levels",
                "total_investment", "stage", "actual_start", "planned_start", "signed_date", "actual_completion", "unit_id", "leader_id", "team_size",
                "search_text", "created_at", "updated_at"},
               rows);
    c.copyRows("project_checks", {"project_id", "item_key"}, checks);
    if (c.dialect() == store::Dialect::Postgres) c.execScript("SELECT setval('projects_id_seq', 1000000); ANALYZE;");
  });
}

struct Stats {
  double median, p99, max;
};
Stats measure(int n, const std::function<void()>& f) {
  std::vector<double> t;
  for (int i = 0; i < n; ++i) {
    auto s = Clock::now();
    f();
    t.push_back(ms(Clock::now() - s));
  }
  std::sort(t.begin(), t.end());
  return {t[t.size() / 2], t[std::min(t.size() - 1, t.size() * 99 / 100)], t.back()};
}

void run(const std::string& label, const std::string& url, int n) {
  auto db = store::Database::open(url, 4);
  store::migrate(*db);
  auto t0 = Clock::now();
  seed(*db, n);
  std::printf("\n== %s: %d projects seeded in %.0f ms\n", label.c_str(), n, ms(Clock::now() - t0));
  service::Env env{db.get()};
  service::ProjectService svc(env);
  core::Actor hq;
  hq.user_id = 1;
  hq.username = "u1";
  hq.display_name = "领导1";
  hq.region_code = "430424";
  hq.roles = {"admin", "hq"};

  struct Case {
    const char* name;
    service::ProjectFilter f;
  };
  std::vector<Case> cases;
  cases.push_back({"first page, default sort", {}});
  service::ProjectFilter f;
  f.stage = "construction";
  f.category = "industrial";
  f.sort = "total_investment";
  cases.push_back({"stage+category, by investment", f});
  f = {};
  f.q = "新材料";
  f.level = "city";
  cases.push_back({"Chinese search + level", f});
  f = {};
  f.township_id = 5;
  f.missing = "1";
  f.sort = "stage";
  cases.push_back({"township + missing ones, by stage", f});
  f = {};
  f.page = 400;
  f.page_size = 20;
  f.sort = "name";
  f.order = "asc";
  cases.push_back({"deep page 400, by name", f});
  std::printf("%-36s %10s %10s %10s %8s\n", "list query (200 runs)", "median ms", "p99 ms", "max ms", "total");
  for (auto& c : cases) {
    std::int64_t total = 0;
    auto s = measure(200, [&] { total = svc.list(hq, c.f)["total"].get<std::int64_t>(); });
    std::printf("%-36s %10.2f %10.2f %10.2f %8lld\n", c.name, s.median, s.p99, s.max, (long long)total);
  }
  std::string bytes;
  auto s = measure(3, [&] { bytes = svc.exportXlsx(hq, {}); });
  std::printf("export %d rows to xlsx: median %.0f ms (%.1f MiB)\n", n, s.median, bytes.size() / 1048576.0);

  // Import into an empty county (all creates), then again (all updates, nothing changes).
  auto url2 = url;
  if (label == "sqlite") {
    url2 = url + ".import";
    std::filesystem::remove(url2.substr(7));
  }
  auto db2 = label == "sqlite" ? store::Database::open(url2, 4) : nullptr;
  auto* target = db2 ? db2.get() : db.get();
  if (db2) {
    store::migrate(*db2);
    seed(*db2, 0);
  } else {
    db->acquire()->execScript("DELETE FROM audit_log; DELETE FROM audit_heads; UPDATE audit_head SET last_id = 0, "
                              "last_hash = '" + core::kGenesisHash + "'; DELETE FROM projects;");
  }
  service::ProjectService svc2(service::Env{target});
  auto t1 = Clock::now();
  auto r1 = svc2.importXlsx(hq, bytes, false);
  double create = ms(Clock::now() - t1);
  t1 = Clock::now();
  auto r2 = svc2.importXlsx(hq, bytes, false);
  double update = ms(Clock::now() - t1);
  std::printf("import %d rows: %.0f ms creating (%d created), %.0f ms re-importing (%d matched, unchanged)\n", r1.rows,
              create, r1.created, update, r2.updated);
}

}  // namespace

void benchLetters();  // letter_bench.cpp
void benchProblems(const std::string& dir);  // problem_bench.cpp
void benchOutbox(const std::string& dir);    // outbox_bench.cpp
void benchRankings(const std::string& dir);  // rankings_bench.cpp

int main() {
  const int n = std::getenv("STEWARD_BENCH_PROJECTS") ? std::atoi(std::getenv("STEWARD_BENCH_PROJECTS")) : 10000;
  auto dir = std::filesystem::temp_directory_path() / "steward-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  try {
    // STEWARD_BENCH_ONLY=problems|outbox runs that part alone.
    const std::string only = std::getenv("STEWARD_BENCH_ONLY") ? std::getenv("STEWARD_BENCH_ONLY") : "";
    if (only == "problems") return benchProblems(dir.string()), 0;
    if (only == "outbox") return benchOutbox(dir.string()), 0;
    if (only == "rankings") return benchRankings(dir.string()), 0;
    benchLetters();
    benchProblems(dir.string());
    benchOutbox(dir.string());
    benchRankings(dir.string());
    run("sqlite", "sqlite:" + (dir / "bench.db").string(), n);
    if (const char* pg = std::getenv("STEWARD_BENCH_PG")) run("postgresql", pg, n);
  } catch (const service::ServiceError& e) {
    std::fprintf(stderr, "bench failed: %s %s\n", e.what(), e.extra.dump().substr(0, 600).c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench failed: %s\n", e.what());
    return 1;
  }
  std::filesystem::remove_all(dir);
  return 0;
}
