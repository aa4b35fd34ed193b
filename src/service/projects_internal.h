// What the project library's files share (projects_*.cpp): the JSON shapes of a project, the validation of a
// create/update body, and the checks every change starts with. Not part of the service's interface.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/access.h"
#include "core/checklist.h"
#include "core/lifecycle.h"
#include "core/project.h"
#include "service/errors.h"
#include "service/profile.h"
#include "service/projects.h"
#include "service/rules.h"
#include "store/project_repo.h"

namespace steward::service::projects {

extern const char* const kDateFields[7];

std::vector<std::string> splitComma(const std::string& s);
std::string joinComma(const std::vector<std::string>& v);

// --- JSON shapes (projects_json.cpp)
core::Project projectFromRow(const store::Row& r);
// The published light's reasons (the row's light_reasons JSON), as an array.
nlohmann::json lightReasons(const store::Row& r);
using Checklist = std::vector<core::ChecklistItem>;
// The fields every view shares (list rows and the detail page); `ones` is the checklist of the project's county
// (checklist, missing_ones, and has_plan / has_schedule for older clients).
nlohmann::json summaryJson(const store::Row& r, const core::Lifecycle& lc, const Checklist& ones);
// The detail page: the summary with team, the 3456 chain, nodes and plans (the plan of `year` as "plan").
nlohmann::json detailJson(store::ProjectRepo& repo, const store::Row& r, const core::Lifecycle& lc,
                          const Checklist& ones, const std::string& year, const core::Actor* viewer = nullptr);
// The audited shape of a project: its own fields, without joined names or timestamps.
nlohmann::json auditShape(const nlohmann::json& p);

// --- input (projects_input.cpp)
// Validated column values from a create/update body. Only keys present in the body are set.
struct Columns {
  store::Fields set;
  nlohmann::json audit = nlohmann::json::object();
  void put(const std::string& col, store::Param v) { set.emplace_back(col, std::move(v)); }
  bool has(const std::string& col) const {
    for (const auto& [k, v] : set)
      if (k == col) return true;
    return false;
  }
};
void checkOrgUnit(store::ProjectRepo& repo, Validator& v, const std::string& field, std::int64_t id,
                  const std::string& region, bool townshipOnly);
void checkPerson(store::ProjectRepo& repo, Validator& v, const std::string& field, std::int64_t id,
                 const std::string& region);
Columns parseProjectInput(store::ProjectRepo& repo, const nlohmann::json& in, bool creating, const std::string& region,
                          const std::string& today, const core::Lifecycle& lc);
// Planned and actual dates in order, and funding within the total.
void checkDateOrder(const nlohmann::json& p);
std::string searchText(const std::string& name, const std::string& enterprise, const std::string& code,
                       const std::string& creditCode);
std::string searchText(const nlohmann::json& p);

// --- queries (projects_query.cpp)
// The store's filter for a list or export request; throws a 400 naming a bad `missing`, `sort` or `order`.
// `missing` is "1"/"any" or a key of a checklist in force on `day` in the actor's scope.
store::ProjectListFilter listFilter(store::Connection& c, const core::Actor& a, const ProjectFilter& f,
                                   const core::Lifecycle& lc, const std::string& day);

// --- changes (projects_edit.cpp)
store::Row loadRow(store::ProjectRepo& repo, std::int64_t id);

}  // namespace steward::service::projects
