// The project library's storage: every SQL statement about projects, their team, node plan, investment plans and
// stage log, the dashboard's project figures, and the few name look-ups (org units, users, regions) the project
// pages and the import need. The region scope of a query is decided in one place (scopeCondition): an equality
// for a county, a range of codes for a city or province.
//
// A project row (findById, list, listAll, inCounty) carries every column of `projects` plus the joined names
// township_name, unit_name, leader_name, steward_name, police_name, inspector_name and liaison_name, and `checks`:
// the project's ticked checklist items (project_checks) as comma-separated keys, NULL when none.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/checklist.h"
#include "store/db.h"

namespace steward::store {

// Column values for an insert or update, by column name (a column of `projects`; any other name is a bug and
// throws DbError before any SQL is run).
using Fields = std::vector<std::pair<std::string, Param>>;

// The checklist of "ones" of the counties in `regions` (they share it), as the missing-ones filter and count see
// it: a project of one of these regions misses when any of `items` is not satisfied. Manual keys become
// parameters; sources map to fixed conditions.
struct ChecklistGroup {
  std::vector<std::string> regions;
  std::vector<core::ChecklistItem> items;
};
using ChecklistGroups = std::vector<ChecklistGroup>;
enum class ProjectSort { UpdatedAt, CreatedAt, Name, Code, TotalInvestment, PlannedStart, Stage };

// A project list query, already validated by the caller.
struct ProjectListFilter {
  std::string region;  // the actor's region: the scope
  std::string q;       // matched against name, enterprise, code and credit code, case-insensitively
  std::string stage, category, chain, status, level;
  std::string light;  // the published warning light
  std::optional<std::int64_t> township_id, unit_id, leader_id;
  // Only projects missing an item of their county's checklist (the items given per group); none: no filter.
  std::optional<ChecklistGroups> missing;
  // "Mine": projects where this user holds a role or sits on the team (or, with mine_unit, the unit's projects).
  std::optional<std::int64_t> mine_user, mine_unit;
  ProjectSort sort = ProjectSort::UpdatedAt;
  bool ascending = false;
  std::vector<std::string> stage_order;  // the county's stage keys in order, for ProjectSort::Stage
};

struct ProjectPage {
  std::int64_t total = 0;             // rows matching the filter
  std::int64_t total_investment = 0;  // their summed total investment (clamped per row, see moneySumColumns)
  std::vector<Row> rows;              // the page, in order
};

struct TeamMember {
  std::int64_t id = 0;
  std::string display_name, rank, org_unit_name;
};

struct NodeRecord {
  std::string key, name, note;
  std::optional<std::string> planned_date, actual_date;
  std::optional<std::int64_t> unit_id;
  std::string unit_name;  // read only
};

struct PlanRecord {
  std::int64_t year = 0, annual = 0;
  std::string months;  // twelve comma-separated amounts
};

struct StageLogEntry {
  std::int64_t project_id = 0;
  std::string from_stage, to_stage, date, note;
  std::int64_t actor_id = 0;
  std::string at;
};

struct OrgUnitName {
  std::int64_t id = 0;
  std::string name, kind;
};
struct PersonName {
  std::int64_t id = 0;
  std::string display_name;
};

// Counts and sums over the live (not cancelled) projects of a scope.
struct ProjectSums {
  std::int64_t count = 0, total_investment = 0;
};
struct LiveTotals {
  std::int64_t count = 0, total_investment = 0, started = 0, completed = 0;
};

class ProjectRepo {
 public:
  explicit ProjectRepo(Connection& c) : c_(c) {}

  // The scope condition on `column` for a region, its parameters appended to p.
  static std::string scopeCondition(const std::string& region, const std::string& column, Params& p);
  // SQL condition true when a project (alias `p`) misses an item of its county's checklist; parameters appended.
  // No groups (or no item that can be missing) is a condition that never holds.
  static std::string missingOnesSql(const ChecklistGroups& groups, Params& p);
  // Two select expressions summing an amount column without overflow on either database: each amount is clamped
  // into [0, 10^15] and summed as amount / 10^6 and amount % 10^6 (core::joinSplitSum joins them back).
  static std::string moneySumColumns(const std::string& column);

  // --- reading projects
  std::optional<Row> findById(std::int64_t id);
  std::optional<std::string> regionOf(std::int64_t id);
  // One page: counts and sums the filter's rows, pages over the bare table, then joins names onto the page.
  ProjectPage list(const ProjectListFilter& f, int page, int pageSize);
  // Every row of the filter, in order (the export).
  std::vector<Row> listAll(const ProjectListFilter& f);
  // Every project of a county, for matching imported rows by code or by name and enterprise.
  std::vector<Row> inCounty(const std::string& region);
  // The distinct non-empty values of `chain` or `industry` in a scope.
  std::vector<std::string> distinctValues(const std::string& region, const std::string& column);

  // --- writing projects
  std::int64_t insert(const std::string& region, const std::string& now, const Fields& fields,
                      bool withEmptySearchText);
  void update(std::int64_t id, const Fields& fields);
  void setSearchText(std::int64_t id, const std::string& text);
  // A change: the version goes up, updated_at is now.
  void bump(std::int64_t id, const std::string& now);
  void setStage(std::int64_t id, const std::string& stage);
  void logStage(const StageLogEntry& e);
  void setStatus(std::int64_t id, const std::string& status, const std::string& reason);

  // --- team, nodes, plans
  std::vector<TeamMember> team(std::int64_t id);
  // Replaces the team and records its size.
  void replaceTeam(std::int64_t id, const std::vector<std::int64_t>& userIds);
  // The project's ticked checklist items (manual keys).
  std::set<std::string> checks(std::int64_t id);
  // Ticks (true) or unticks (false) one checklist item.
  void setCheck(std::int64_t id, const std::string& key, bool ticked);
  std::vector<NodeRecord> nodes(std::int64_t id);
  void replaceNodes(std::int64_t id, const std::vector<NodeRecord>& nodes);
  std::vector<PlanRecord> plans(std::int64_t id);
  std::optional<PlanRecord> plan(std::int64_t id, std::int64_t year);
  void replacePlan(std::int64_t id, const PlanRecord& plan);

  // --- names the project pages and the import read
  std::optional<PersonName> person(std::int64_t userId);
  bool orgUnitInRegion(std::int64_t id, const std::string& region, bool townshipOnly);
  bool userInRegion(std::int64_t id, const std::string& region);
  std::vector<OrgUnitName> unitNamesForRegion(const std::string& region);
  // The region's people, county leaders first, then by id.
  std::vector<PersonName> peopleForRegion(const std::string& region);
  std::optional<std::string> regionName(const std::string& code);

  // --- the dashboard: live (not cancelled) projects of a scope
  LiveTotals liveTotals(const std::string& region);
  std::map<std::string, ProjectSums> liveByStage(const std::string& region);
  std::map<std::string, ProjectSums> liveByCategory(const std::string& region);
  std::int64_t liveWithLevel(const std::string& region, const std::string& level);
  std::int64_t liveMissingOnes(const std::string& region, const ChecklistGroups& groups);
  // The distinct counties the projects of a scope belong to.
  std::vector<std::string> projectRegions(const std::string& region);
  // The summed annual plans of a year.
  std::int64_t liveAnnualPlan(const std::string& region, std::int64_t year);

 private:
  Connection& c_;
};

}  // namespace steward::store
