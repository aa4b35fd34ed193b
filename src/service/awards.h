// Hengdong's quarterly awards (每季必考): the candidates of the county's ranking rules (rule kind rankings, awards)
// over facts gathered from the data, confirmed by headquarters with amounts in fen.
//
// Facts of quarter YYYY-Qn (from its first to its last day):
//   start       a project whose actual start falls in the quarter (1, else 0);
//   progress    a project's investment reported from 1 January to the quarter's last day over its plan for the
//               year, in basis points (no plan: no figure);
//   completion  a project whose actual completion falls in the quarter;
//   service     a unit's mean show-results mark over the closed meetings held in the quarter (hundredths);
//   land        a unit's land-acquisition problems (category land, as lead unit) raised by the quarter's end:
//               those solved by then over all of them, in basis points.
// Confirming replaces the quarter's decisions at once; every item must be a candidate, amounts 0..10^10 fen;
// refused (409 quarter_not_ended) until the quarter has ended on the county's clock.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

inline constexpr std::size_t kAwardItemsMax = 100;
inline constexpr std::int64_t kAwardAmountMaxFen = 10'000'000'000;  // 10^10 fen = 1 亿元
inline constexpr std::size_t kAwardNoteMax = 500;

class AwardService {
 public:
  explicit AwardService(Env env) : env_(env) {}
  nlohmann::json quarter(const core::Actor& a, const std::string& quarter);
  nlohmann::json confirm(const core::Actor& a, const std::string& quarter, const nlohmann::json& in);
  nlohmann::json registerOf(const core::Actor& a, const std::string& year);

 private:
  Env env_;
};

}  // namespace steward::service
