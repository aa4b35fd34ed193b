// Show-results meetings (晒实绩, Lianshui) and Zhuxi's monthly on-site drill (拉练).
//
// Show-results: headquarters creates a meeting {title, held_on, unit_ids}; any signed-in user of the county but a
// viewer rates the units, except their own unit, with a mark in hundredths of a point out of 100 (0..10000: 8550 is
// 85.50 points); a rater's ratings are upserted (one per unit and rater); headquarters closes the meeting, after
// which ratings are refused (409 closed). A unit's mark is the mean of its ratings, rounded down, in hundredths; the
// monthly ranking reads the closed meetings only.
//
// Drill: headquarters, inspectors and leaders mark projects of the county on progress, investment, output, brand
// and site (0..10000 hundredths each), one mark per judge, project and factor (upserted); the month's view gives
// each project's mean per factor (rounded down), the mean of those means and the number of judges.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

inline constexpr std::size_t kMeetingUnitsMax = 100;
inline constexpr std::size_t kRatingsMax = 100;
inline constexpr std::size_t kRatingCommentMax = 500;
inline constexpr std::size_t kDrillMarksMax = 500;
inline constexpr std::int64_t kMarkMax = 10000;

class ShowResultsService {
 public:
  explicit ShowResultsService(Env env) : env_(env) {}
  nlohmann::json list(const core::Actor& a, const std::string& year);
  nlohmann::json create(const core::Actor& a, const nlohmann::json& in);
  nlohmann::json get(const core::Actor& a, std::int64_t id);
  nlohmann::json rate(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  nlohmann::json close(const core::Actor& a, std::int64_t id, const nlohmann::json& in);

  nlohmann::json drill(const core::Actor& a, const std::string& month);
  nlohmann::json drillMarks(const core::Actor& a, const std::string& month, const nlohmann::json& in);

 private:
  Env env_;
};

}  // namespace steward::service
