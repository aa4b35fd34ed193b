// The project library: CRUD with validation, lifecycle stage changes through gates, the responsibility chain,
// node plans, investment plans, list filters, and Excel import/export.
#pragma once
#include <nlohmann/json.hpp>
#include <map>
#include <optional>
#include <string>

#include "core/access.h"
#include "core/lifecycle.h"
#include "service/context.h"

namespace steward::service {

struct ProjectFilter {
  std::string q, stage, level, category, chain, status, missing, sort = "updated_at", order = "desc";
  std::string light;  // green | yellow | red: the published light
  std::optional<std::int64_t> township_id, unit_id, leader_id;
  bool mine = false;
  int page = 1, page_size = 20;
};

struct ImportOutcome {
  int rows = 0, created = 0, updated = 0;
  bool dry_run = false;
  // What the sheet names but the county lacks ({"units", "people", "warnings"}); null when nothing.
  nlohmann::json missing;
  // What a real import with create_missing created ({"units", "people", "skipped"}); null when nothing.
  nlohmann::json onboarded;
};

// How an import treats units and people the county lacks. Without create_missing it refuses them (grouped, once
// each); with it, it creates them in the import's transaction. The maps are the user's edits of the dry run's
// list: a unit's name → its kind or "skip", a person's name → "create" or "skip".
struct ImportDecisions {
  bool create_missing = false;
  std::map<std::string, std::string> units, people;
};

class ProjectService {
 public:
  explicit ProjectService(Env env) : env_(env) {}
  nlohmann::json list(const core::Actor& a, const ProjectFilter& f);
  nlohmann::json get(const core::Actor& a, std::int64_t id);
  nlohmann::json create(const core::Actor& a, const nlohmann::json& in);
  nlohmann::json update(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  nlohmann::json changeStage(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  nlohmann::json changeStatus(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  nlohmann::json setTeam(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  nlohmann::json setNodes(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  nlohmann::json setPlan(const core::Actor& a, std::int64_t id, const nlohmann::json& in);
  // One page of the project's audit history, newest first: {"items", "next_before"}.
  nlohmann::json history(const core::Actor& a, std::int64_t id, std::optional<std::int64_t> before, int limit);
  nlohmann::json meta(const core::Actor& a);

  std::string exportXlsx(const core::Actor& a, const ProjectFilter& f);
  std::string templateXlsx();
  // Throws ServiceError import_invalid listing every bad cell (and, grouped, the names the county lacks); writes
  // nothing unless every row is valid.
  ImportOutcome importXlsx(const core::Actor& a, const std::string& bytes, bool dryRun,
                           const ImportDecisions& decisions = {});
  // The decisions parameter as a client sends it ({"units": {name: kind | "skip"}, "people": {name: "create" |
  // "skip"}}); throws 422 naming decisions.units or decisions.people when it is malformed or over its cap.
  static ImportDecisions importDecisions(const nlohmann::json& in);

 private:
  Env env_;
};


}  // namespace steward::service
