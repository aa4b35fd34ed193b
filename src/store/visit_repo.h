// The leaders' weekly visits (每周必访): every statement about leader_visits, and the led projects the
// not-visited list and the visit rate count against.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct VisitRecord {
  std::int64_t id = 0;
  std::string region_code;
  std::int64_t project_id = 0;
  std::optional<std::int64_t> leader_id;
  std::string visit_date, week_key;
  std::string visitors = "[]";  // JSON array of names
  std::string findings;
  std::string photos = "[]";  // JSON array of content hashes
  std::optional<std::int64_t> recorded_by;
  std::string created_at;
  std::string leader_name, recorder_name, project_name;  // read only
};

// A live project with a leader, as the weekly visit counts it.
struct LedProject {
  std::int64_t id = 0;
  std::string region_code, name, stage, unit_name, township_name;
  std::int64_t leader_id = 0;
  std::string leader_name;
};

class VisitRepo {
 public:
  explicit VisitRepo(Connection& c) : c_(c) {}
  std::int64_t insert(const VisitRecord& v);
  // A project's visits newest first (visit date, id), at most `limit`, below visit `before` when given.
  std::vector<VisitRecord> projectVisits(std::int64_t projectId, int limit, std::optional<std::int64_t> before);
  // Visits of a project recorded in one ISO week.
  std::int64_t countInWeek(std::int64_t projectId, const std::string& weekKey);
  // Whether visit `id` was recorded for project `projectId`.
  bool ofProject(std::int64_t id, std::int64_t projectId);
  // Live (not cancelled) projects with a leader in the region range [lo, hi], by leader then project id.
  std::vector<LedProject> ledProjects(const std::string& lo, const std::string& hi, int limit);
  // Projects of the region range with at least one visit in the week.
  std::set<std::int64_t> visitedInWeek(const std::string& lo, const std::string& hi, const std::string& weekKey);

 private:
  Connection& c_;
};

}  // namespace steward::store
