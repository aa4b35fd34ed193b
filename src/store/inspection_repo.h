// Ten-day inspection (每旬必督): every statement about inspection plans, their targets, visits and findings.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct InspectionPlan {
  std::int64_t id = 0;
  std::string region_code, period_key, start_day, end_day, note, created_at;
  std::optional<std::int64_t> created_by;
  // read only: counts
  std::int64_t targets = 0, visited = 0, findings = 0;
};

struct InspectionTarget {
  std::int64_t project_id = 0, inspector_id = 0;
  std::string project_name, project_code, inspector_name, unit_name, light;
  std::optional<std::string> actual_start;
  std::int64_t visits = 0;
};

struct InspectionFinding {
  std::int64_t id = 0, visit_id = 0, plan_id = 0, project_id = 0;
  std::string region_code, text, photos = "[]", created_at;
  std::optional<std::int64_t> problem_id, letter_id;
};

struct InspectionVisit {
  std::int64_t id = 0, plan_id = 0, project_id = 0;
  std::optional<std::int64_t> inspector_id;
  std::string region_code, visited_on, summary, created_at, project_name, inspector_name;
  std::vector<InspectionFinding> findings;
};

class InspectionRepo {
 public:
  explicit InspectionRepo(Connection& c) : c_(c) {}
  std::vector<InspectionPlan> plans(const std::string& scopeRegion, const std::string& periodKey, int limit);
  std::optional<InspectionPlan> find(std::int64_t id);
  bool periodTaken(const std::string& region, const std::string& periodKey);
  std::int64_t insertPlan(const InspectionPlan& p);
  void insertTarget(std::int64_t planId, std::int64_t projectId, std::int64_t inspectorId);
  std::vector<InspectionTarget> targets(std::int64_t planId);
  std::optional<std::int64_t> inspectorOf(std::int64_t planId, std::int64_t projectId);
  // An active project of the county (its name), and an enabled user of the county with its roles.
  std::optional<std::string> projectName(std::int64_t id, const std::string& region);
  std::optional<std::string> userRoles(std::int64_t id, const std::string& region);
  // The county's `n` largest active projects (the demo's plan).
  std::vector<std::int64_t> largestProjects(const std::string& region, int n);
  std::int64_t insertVisit(const InspectionVisit& v);
  std::int64_t insertFinding(const InspectionFinding& f);
  std::vector<InspectionVisit> visits(std::int64_t planId);
  std::optional<InspectionFinding> finding(std::int64_t id);
  bool setFindingProblem(std::int64_t id, std::int64_t problemId);
  bool setFindingLetter(std::int64_t id, std::int64_t letterId);
  // The report's figures over the targets: started by the end, reported investment in the span, average progress.
  struct Figures {
    std::int64_t started = 0, investment = 0, reported = 0, percent_sum = 0;
  };
  Figures figures(std::int64_t planId, const std::string& start, const std::string& end);

 private:
  Connection& c_;
};

}  // namespace steward::store
