// Rule sets: versioned county configuration of any kind (lifecycle stages, later light thresholds, letter
// triggers, deadlines, ranking weights), one row per version with the day it comes into force.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct RuleSetRecord {
  std::string region_code;
  std::string kind;
  int version = 0;
  std::string effective_from;  // YYYY-MM-DD
  std::string body;            // JSON text, validated by the kind before it is stored
  std::string created_at;
  std::string author;
};

class RuleSetRepository {
 public:
  explicit RuleSetRepository(Connection& c) : c_(c) {}
  // The version in force on `day`: the latest effective date on or before it, the newest version of that day.
  std::optional<RuleSetRecord> inForce(const std::string& region, const std::string& kind, const std::string& day);
  // Versions newest first, at most `limit`, only those below `beforeVersion` when given.
  std::vector<RuleSetRecord> versions(const std::string& region, const std::string& kind, int limit,
                                      std::optional<int> beforeVersion = std::nullopt);
  // The highest version stored for the region and kind; 0 when none.
  int latestVersion(const std::string& region, const std::string& kind);
  // Stores `r` as given (the caller numbers it inside its write transaction).
  void insert(const RuleSetRecord& r);
  // Every kind the region has versions of, with its versions newest first (at most `perKind` each).
  std::vector<RuleSetRecord> listByKind(const std::string& region, int perKind);
  bool regionExists(const std::string& region);
  // The distinct stages the region's projects are in (for the lifecycle kind's replace check).
  std::vector<std::string> projectStagesInUse(const std::string& region);
  // Every project of the region as (id, stage), by id (for moving projects to another preset's stages).
  std::vector<std::pair<std::int64_t, std::string>> projectStages(const std::string& region);

 private:
  Connection& c_;
};

}  // namespace steward::store
