// The demo's closed months (挂榜排名): every month of the demo year before the current one, from the first with
// reports, closed in order by headquarters through RankingsService, so the board opens on a year of rankings with yellow cards and their
// summons. Only the last closed month notifies (as a real close would); the earlier ones are history.
#include <iostream>

#include "core/time.h"
#include "service/demo.h"
#include "service/rankings.h"
#include "service/user_view.h"
#include "store/ranking_repo.h"
#include "store/user_repo.h"

namespace steward::service {

void loadDemoRankings(const Env& env, std::ostream& log) {
  const std::string county = "430424";
  std::optional<core::Actor> hq;
  std::optional<std::string> first;
  {
    auto c = env.db->acquire();
    if (auto id = store::UserRepository(*c).idByName("hq")) hq = loadActor(*c, *id);
    first = store::RankingRepo(*c).firstReportMonth(county);
  }
  if (!hq) return;
  const auto today = core::localDay(env.now());
  const int last = std::stoi(today.substr(5, 2)) - 1;
  RankingsService rankings(env);
  int closed = 0, cards = 0, summons = 0;
  for (int m = 1; m <= last; ++m) {
    char month[32];
    std::snprintf(month, sizeof month, "%s-%02d", today.substr(0, 4).c_str(), m);
    if (!first || std::string(month) < *first) continue;  // nothing to rank before the reports began
    {
      auto c = env.db->acquire();
      if (store::RankingRepo(*c).latest(county, month)) continue;
    }
    auto out = rankings.close(*hq, month, nlohmann::json::object(), m == last);
    ++closed;
    for (const auto& y : out["yellow_cards"]) {
      ++cards;
      if (y["summons"].get<bool>()) ++summons;
    }
  }
  log << "demo: " << closed << " ranked months closed (" << cards << " yellow cards, " << summons << " summons)"
      << std::endl;
}

}  // namespace steward::service
