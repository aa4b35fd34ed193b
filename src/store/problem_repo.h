// The problem list (问题清单): every statement about problems, problem_units and problem_events.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct ProblemRecord {
  std::int64_t id = 0;
  std::string region_code;
  std::optional<std::int64_t> project_id;
  std::string kind = "problem", category, severity = "ordinary", title, description, evidence = "[]";
  std::string status = "raised";
  std::optional<std::int64_t> raised_by, raiser_unit_id;
  std::string raised_on, raised_at, source = "direct";
  std::optional<std::int64_t> source_id, lead_unit_id;
  std::optional<std::string> assigned_on, feedback_due, solve_due, planned_on, last_feedback_on, next_feedback_due;
  std::int64_t manual_level = 0, escalation_level = 0;
  std::optional<std::int64_t> escalation_target_id;
  std::string solution;
  std::optional<std::string> solved_at;
  std::string plan;
  std::optional<std::int64_t> rating;
  std::string rating_comment;
  std::optional<std::string> closed_at;
  std::optional<std::int64_t> merged_into;
  std::optional<std::string> answer_due_at, answered_at, checked_on;
  std::int64_t version = 1;
  std::string updated_at;
  // read only
  std::string project_code, project_name, raiser_name, lead_unit_name, target_name;
  std::optional<std::int64_t> project_leader_id;
};

struct ProblemUnit {
  std::int64_t unit_id = 0;
  std::string role;  // lead | helper
  std::string name;
};

struct ProblemEvent {
  std::int64_t id = 0, problem_id = 0;
  std::optional<std::int64_t> actor_id;
  std::string actor_name, at, action, from_status, to_status, note, data = "{}";
};

// Which problems a listing shows: everything in the region scope (all), else only those raised by `raiser` or by
// `raiser_unit`, led or helped by `unit`, about projects led by `leader`, or escalated to `target` (any that is set).
struct ProblemFilter {
  std::string scope_region;
  bool all = true;
  std::optional<std::int64_t> raiser, raiser_unit, unit, leader, target;
  // filters
  std::string status, kind, category;  // status "open": neither closed nor merged
  std::string text;                      // in the title or description
  std::optional<std::int64_t> project_id, unit_id;  // unit_id: lead or helper
  bool mine = false;               // raised by me (the caller sets raiser_only)
  std::optional<std::int64_t> raised_by;
  bool overdue_only = false;       // open with a current due day before `today`
  std::string today;
};

// One problem as the figures count it.
struct ProblemFigureRow {
  std::optional<std::int64_t> unit_id;  // the lead unit
  std::string unit_name, category, status, raised_on;
  std::optional<std::string> solved_at;
  std::optional<std::int64_t> rating;
  bool overdue = false;
};

// The figures' counts of one (lead unit, category): merged problems are not counted. days: the sum over solved
// problems of max(0, days from raised_on to the county's day of solved_at). Demands: answered within or after
// answer_due_at, open (unanswered) past it at `now`, and the sum of seconds from raised_at to answered_at.
struct ProblemFigureGroup {
  std::optional<std::int64_t> unit_id;
  std::string unit_name, category;
  std::int64_t raised = 0, solved = 0, days = 0, overdue = 0, rated = 0, rating_sum = 0;
  std::int64_t demands = 0, answered_in_time = 0, answered_late = 0, open_overdue = 0, answer_seconds = 0;
};

class ProblemRepo {
 public:
  explicit ProblemRepo(Connection& c) : c_(c) {}
  std::int64_t insert(const ProblemRecord& p);
  std::optional<ProblemRecord> find(std::int64_t id);
  // Writes every mutable column at `version` (bumping it); false when someone else changed it first.
  bool update(const ProblemRecord& p, std::int64_t version);
  void setChecked(std::int64_t id, const std::string& day);

  std::vector<ProblemUnit> units(std::int64_t problemId);
  void setUnits(std::int64_t problemId, std::int64_t lead, const std::vector<std::int64_t>& helpers);

  void addEvent(const ProblemEvent& e);
  std::vector<ProblemEvent> events(std::int64_t problemId);

  std::vector<ProblemRecord> page(const ProblemFilter& f, int limit, int offset);
  std::int64_t count(const ProblemFilter& f);

  // Every problem of the scope but the merged ones (of `kind` when not empty), overdue as of `today`.
  std::vector<ProblemFigureRow> figureRows(const std::string& scope, const std::string& kind, const std::string& today);
  // The same counted in the database, grouped by lead unit and category (ordered by both).
  std::vector<ProblemFigureGroup> figureGroups(const std::string& scope, const std::string& kind,
                                               const std::string& today, const std::string& nowIso);

  // Open problems of a region not yet looked at by the daily job on `day` (checked_on before it), oldest first.
  std::vector<ProblemRecord> uncheckedOpen(const std::string& region, const std::string& day, int limit);
  std::vector<std::string> regionsWithOpen();
  // Unanswered open demands whose answer is due in [from, to) (ISO timestamps), soonest first.
  std::vector<ProblemRecord> demandsDueBetween(const std::string& from, const std::string& to, int limit);

  bool unitInRegion(std::int64_t unitId, const std::string& region);

 private:
  Connection& c_;
};

}  // namespace steward::store
