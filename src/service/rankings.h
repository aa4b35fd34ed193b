// The monthly ranking (挂榜排名, MECHANISMS.md §7): a live preview of the open month, the close that freezes it
// into revision 1 (rules, the snapshot of every unit's raw figures, headquarters' choice of cards, the result and
// its SHA-256 digest), numbered revisions with their reasons, verification that a revision recomputes from its own
// rules and snapshot to the same bytes, the year's trend, a unit's drill-down and the yellow-card register.
//
// The figures come from the data (store/ranking_repo.h); scoring is core/rankings.h under the county's rule kind
// "rankings" in force on the county's day of the computation. A closed month shows the latest revision and never
// changes with later data, rule changes or reopened reporting periods: only a new revision changes what is shown.
// The county reads (rankings are public inside it: headquarters, leaders, inspectors, viewers, units, liaisons and
// the city above with ?region=); headquarters and administrators close and revise.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

inline constexpr std::size_t kRankingReasonMax = 500;  // characters
inline constexpr std::size_t kRankingChosenMax = 100;  // unit ids in one choice of yellow cards
inline constexpr int kYellowCardsMax = 2000;           // rows of one year's register
inline constexpr int kRankingYearMin = 2000, kRankingYearMax = 2100;

class RankingsService {
 public:
  explicit RankingsService(Env env) : env_(env) {}
  // month "" = the last month in the county's day; region "" = the actor's own county.
  nlohmann::json board(const core::Actor& a, const std::string& month, const std::string& region);
  // {chosen?: [unit ids]}: 409 month_not_ended / already_closed. `notifyUsers` false: no inbox messages (the
  // demo's history).
  nlohmann::json close(const core::Actor& a, const std::string& month, const nlohmann::json& in,
                       bool notifyUsers = true);
  // {reason, chosen?}: 409 not_closed.
  nlohmann::json revise(const core::Actor& a, const std::string& month, const nlohmann::json& in);
  nlohmann::json revision(const core::Actor& a, const std::string& month, int n, const std::string& region);
  nlohmann::json verify(const core::Actor& a, const std::string& month, int n, const std::string& region);
  nlohmann::json trend(const core::Actor& a, const std::string& year, const std::string& region);
  nlohmann::json unit(const core::Actor& a, const std::string& month, std::int64_t unitId, const std::string& region);
  nlohmann::json yellowCards(const core::Actor& a, const std::string& year, const std::string& region);

 private:
  Env env_;
};

}  // namespace steward::service
