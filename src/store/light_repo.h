// Warning lights' storage: the facts of a county's projects as they stood on a day (for core::lights::evaluate),
// each project's published light on the projects row, and the run-length daily history (migration 0012).
// Every statement about these lights lives here; the letters are read directly from 0011's table.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/lights.h"
#include "store/db.h"

namespace steward::store {

// One project as the light engine sees it on a day, with what the board and the CLI show about it.
struct LightProject {
  std::int64_t id = 0;
  std::string region_code, code, name, stage, created_at;
  std::optional<std::int64_t> unit_id, township_id, leader_id;
  std::string unit_name, township_name, leader_name;
  // What is published now (the projects row).
  std::string light = "green", light_reasons = "[]", light_since, light_day;
  core::lights::Facts facts;
  // The reports counted as in by the day: "cadence/period_key".
  std::set<std::string> reported;
};

struct LightRun {
  std::int64_t project_id = 0;
  std::string from_day, to_day, light, signature, reasons;
};

struct LightFilter {
  std::optional<std::int64_t> project_id, township_id, unit_id, leader_id;
  std::string chain;
};

class LightRepo {
 public:
  explicit LightRepo(Connection& c) : c_(c) {}

  // The facts of every project in `scope` (a region code; a city covers its counties) matching `f`, as of `day`:
  // actual dates after the day are empty, reports for periods ending after the day or submitted after it are left
  // out, letter steps taken after the day are not taken, letters drafted after it do not exist. In id order.
  std::vector<LightProject> factsAsOf(const std::string& scope, const std::string& day, const LightFilter& f = {});

  // Publishes a project's light of today on its row.
  void publish(std::int64_t projectId, const std::string& light, const std::string& reasons, const std::string& since,
               const std::string& day, std::optional<std::int64_t> spiBp, std::optional<std::int64_t> svMoney);
  // Records the light published on `day` in the run-length history (a run extends, or a new one starts; a
  // second evaluation on the same day replaces that day's entry).
  void record(std::int64_t projectId, const std::string& day, const std::string& light, const std::string& signature,
              const std::string& reasons);
  // The runs overlapping [from, to] of one project, oldest first.
  std::vector<LightRun> runs(std::int64_t projectId, const std::string& from, const std::string& to);
  // The run covering `day` per project, for the projects in `scope` (or the one given).
  std::map<std::int64_t, LightRun> publishedOn(const std::string& scope, const std::string& day,
                                               std::optional<std::int64_t> projectId = std::nullopt);
  // Regions with active projects (the nightly job walks them).
  std::vector<std::string> regionsWithProjects();
  // The newest day a region's lights were published ("" when never).
  std::string lastEvaluatedDay(const std::string& region);

 private:
  Connection& c_;
};

}  // namespace steward::store
