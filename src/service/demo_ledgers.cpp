// `steward demo`: last quarter's show-results meeting (晒实绩), closed, with its ratings, and last quarter's awards
// confirmed by headquarters from the candidates the rules find in the demo's data.
#include <map>

#include "core/period.h"
#include "core/time.h"
#include "service/awards.h"
#include "service/demo.h"
#include "service/show_results.h"
#include "service/user_view.h"
#include "service/demo_support.h"
#include "store/ledger_repo.h"
#include "store/org_repo.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;

void loadDemoLedgers(const Env& env, std::ostream& log) {
  const auto today = core::localDay(env.now());
  const int year = std::stoi(today.substr(0, 4)), month = std::stoi(today.substr(5, 2));
  int q = (month - 1) / 3 + 1, qy = year;
  if (--q == 0) q = 4, --qy;  // last quarter
  const std::string quarter = std::to_string(qy) + "-Q" + std::to_string(q);
  char held[16];
  std::snprintf(held, sizeof held, "%04d-%02d-20", qy, (q - 1) * 3 + 2);  // the quarter's middle month
  core::Actor hq, leader, inspector;
  std::vector<std::pair<std::int64_t, std::string>> units;
  {
    auto c = env.db->acquire();
    if (!store::AwardRepo(*c).ofQuarter(kDemoCounty, quarter).empty()) return;
    hq = demoActor(*c, "hq", {"hq"});
    leader = demoActor(*c, "leader", {"leader"});
    inspector = demoActor(*c, "inspector", {"inspector"});
    store::OrgUnitRepository org(*c);
    for (const char* n : {"县工业和信息化局", "县自然资源局", "县住房和城乡建设局", "县发展和改革局", "县水利局"})
      if (auto id = org.idByName(kDemoCounty, n)) units.emplace_back(*id, n);
  }
  if (!hq.user_id || units.empty()) return;
  ShowResultsService show(envOn(env, held));
  json ids = json::array();
  for (const auto& [id, n] : units) ids.push_back(id);
  auto m = show.create(hq, {{"title", quarter.substr(0, 4) + "年第" + std::to_string(q) + "季度晒实绩会"},
                            {"held_on", held},
                            {"unit_ids", ids}});
  const auto mid = m["id"].get<std::int64_t>();
  // Marks in hundredths: the first unit well ahead, the rest spread below it.
  const std::int64_t base[] = {9450, 9120, 8830, 8460, 7950};
  std::size_t k = 0;
  for (const auto* rater : {&hq, &leader, &inspector}) {
    json ratings = json::array();
    for (std::size_t u = 0; u < units.size(); ++u) {
      if (rater->org_unit_id && *rater->org_unit_id == units[u].first) continue;
      ratings.push_back({{"unit_id", units[u].first}, {"mark", base[u % 5] + std::int64_t((k * 37 + u * 53) % 120) - 60}});
    }
    show.rate(*rater, mid, {{"ratings", ratings}});
    ++k;
  }
  show.close(hq, mid, json::object());
  // The awards, confirmed early in the quarter after.
  AwardService awards(env);
  auto cand = awards.quarter(hq, quarter)["candidates"];
  const std::map<std::string, std::int64_t> amount = {
      {"start", 3'000'000}, {"progress", 5'000'000}, {"completion", 5'000'000}, {"service", 2'000'000}, {"land", 2'000'000}};
  std::map<std::string, int> per;
  json items = json::array();
  for (const auto& x : cand) {
    const auto award = x["award"].get<std::string>();
    if (per[award]++ >= 2) continue;  // the best two of each
    items.push_back({{"award", award},
                     {"subject_kind", x["subject_kind"]},
                     {"subject_id", x["id"]},
                     {"amount_fen", amount.count(award) ? amount.at(award) : 1'000'000},
                     {"note", "季度考核兑现"}});
  }
  awards.confirm(hq, quarter, {{"items", items}});
  log << "show-results: " << quarter << " meeting closed with " << units.size() << " units; awards: "
      << items.size() << " confirmed" << std::endl;
}

}  // namespace steward::service
