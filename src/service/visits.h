// The leaders' weekly visits (每周必访): a county leader records the visit to each project they lead (date, who
// went, what was found, photos); the not-visited list per ISO week and per leader; the visit rate per leader
// (visited projects / led projects, integer basis points) that the rankings will weigh.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

// A page of visits, and the led projects one week's lists count (far beyond any county).
inline constexpr int kVisitListMax = 100;
inline constexpr int kVisitProjectsMax = 5000;
// People named as having gone on one visit, each at most core::limits::kShortText characters.
inline constexpr std::size_t kVisitorsMax = 20;
// Photos one visit carries (as a report), by content hash.
inline constexpr std::size_t kVisitPhotosMax = 9;
// Visits one project may record in one week: a weekly visit, with room for return trips, never a flood.
inline constexpr std::int64_t kVisitsPerProjectWeek = 20;

class VisitService {
 public:
  explicit VisitService(Env env) : env_(env) {}
  // Records a visit: {date, visitors: [names], findings, photos: [hash]}. 404 unknown project (or another
  // county's), 403 neither the project's leader nor headquarters/admin, 422 field errors (date invalid or
  // future_date, visitors required/too_many/too_long, photos invalid_hash/too_many), 409 visit_limit.
  nlohmann::json record(const core::Actor& a, std::int64_t projectId, const nlohmann::json& in);
  // A project's visits newest first: {"items", "next_before"}.
  nlohmann::json projectVisits(const core::Actor& a, std::int64_t projectId, std::optional<std::int64_t> before,
                               int limit);
  // The projects not visited in ISO week `week` (YYYY-Www; empty: this week), grouped by leader.
  nlohmann::json missing(const core::Actor& a, const std::string& week);
  // Per leader: led projects, visited ones and the rate in basis points, for ISO week `week`.
  nlohmann::json rates(const core::Actor& a, const std::string& week);

 private:
  Env env_;
};

// A photo's content hash: 40 to 64 hexadecimal characters (SHA-1 to SHA-256), kept in lower case.
bool isPhotoHash(const std::string& s);

}  // namespace steward::service
