// Warning lights as a use case: evaluating a project (inside the caller's transaction, after a report, a node,
// the plan or its dates change), a county (the nightly job, POST /lights/evaluate, the demo), replaying a past
// day (never writes), the lights board, and a project's lights with its history and earned value.
// History is written only by real evaluations of "today" (and by the demo's backfill).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/lights.h"
#include "service/context.h"
#include "store/db.h"

namespace steward::service {

inline constexpr int kLightsPageMax = 200;
inline constexpr int kLightHistoryDaysMax = 366;
// How far back a replay may go (years): the reports and rule sets of older days are not kept for it.
inline constexpr int kLightReplayYears = 5;

struct LightBoardFilter {
  std::optional<std::int64_t> township_id, unit_id, leader_id;
  std::string chain, light, dimension;
  int page = 1, page_size = 20;
};

// One project's light on a day, as the CLI prints it.
struct ProjectLight {
  std::int64_t id = 0;
  std::string code, name;
  core::lights::Evaluation evaluation;
};

// The Reason JSON of the contract: {dimension, label, light, rule, message, value, threshold, since}.
nlohmann::json reasonJson(const core::lights::Reason& r);

// Evaluates one project today inside the caller's write transaction and publishes its light (history, audit on
// change). Returns the evaluation.
core::lights::Evaluation evaluateProjectIn(store::Connection& c, const Env& env, const std::string& region,
                                           std::int64_t projectId);

class LightsService {
 public:
  explicit LightsService(Env env) : env_(env) {}
  // GET /lights: {as_of, counts, by_dimension, items, total, page, page_size}.
  nlohmann::json board(const core::Actor& a, const LightBoardFilter& f);
  // GET /projects/{id}/lights?days=: {light, since, reasons, evaluated_at, history, earned_value}.
  nlohmann::json projectLights(const core::Actor& a, std::int64_t projectId, int days);
  // GET /lights/replay: {as_of, items:[{project, published, replayed, corrected}], total, page, page_size}.
  nlohmann::json replay(const core::Actor& a, const std::string& asOf, std::optional<std::int64_t> projectId, int page,
                        int pageSize);
  // POST /lights/evaluate (headquarters): the actor's county now → {as_of, counts, letters_drafted}.
  nlohmann::json evaluateNow(const core::Actor& a);

  // Evaluates every project of `region` on `day` and publishes it (one write transaction). `day` is today for
  // real evaluations; the demo backfills past days in order with it. {as_of, counts, letters_drafted}.
  nlohmann::json evaluateRegion(const std::string& region, const std::string& day);
  // The nightly job: every county not yet evaluated on its today, once the county's clock is past 00:30.
  // Returns how many counties it evaluated.
  int evaluateDue(core::TimePoint now);
  // The demo's history: evaluates `region` on each of the last `days` days in order, oldest first, publishing each
  // (replays that write, for the demo only). Returns the last day's {as_of, counts, letters_drafted}.
  // Days from `days` - 1 ago up to `untilDaysAgo` ago, in order.
  nlohmann::json backfill(const std::string& region, int days, int untilDaysAgo = 0);
  // The regions holding active projects.
  std::vector<std::string> regionsWithProjects();
  // Evaluates without writing anything: every project of `scope` as of `day` (the CLI, replays).
  std::vector<ProjectLight> evaluateAsOf(const std::string& scope, const std::string& day);

 private:
  Env env_;
};

}  // namespace steward::service
