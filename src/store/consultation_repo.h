// The monthly factor consultation (每月必商) and the four lists of 清单化管理: every statement about consultations,
// consultation_items and consultation_decisions, and the list queries over problems, projects, nodes and letters.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct ConsultationRecord {
  std::int64_t id = 0;
  std::string region_code, month;
  std::optional<std::string> meeting_on;
  std::string place, chair, attendees = "[]", minutes, status = "draft";
  std::optional<std::string> held_at;
  std::int64_t version = 1;
  std::optional<std::int64_t> created_by, updated_by;
  std::string created_at, updated_at;
  // read only
  std::int64_t decision_count = 0;
};

struct ConsultationItem {
  std::int64_t problem_id = 0, sort = 0;
  std::string title, category, status, note;
  bool overdue = false;
};

struct ConsultationDecision {
  std::int64_t id = 0, consultation_id = 0, owner_unit_id = 0;
  std::string text, due_on;
  std::optional<std::int64_t> about_problem_id, task_id, created_by;
  std::string created_at;
  // read only: the owner unit's name and the task's current state
  std::string owner_unit_name, task_status, task_solve_due;
};

// Which list of 清单化管理.
enum class ListKind { Problems, Tasks, Responsibilities, Deadlines };

struct ListFilter {
  std::string scope_region;
  std::optional<std::int64_t> unit_id;
  std::string today;  // ISO day: overdue is a due day before it
};

class ConsultationRepo {
 public:
  explicit ConsultationRepo(Connection& c) : c_(c) {}
  std::int64_t insert(const ConsultationRecord& r);
  std::optional<ConsultationRecord> find(std::int64_t id);
  std::optional<ConsultationRecord> findByMonth(const std::string& region, const std::string& month);
  // Newest month first; `month` filters when not empty.
  std::vector<ConsultationRecord> page(const std::string& scope, const std::string& month, int limit, int offset);
  std::int64_t count(const std::string& scope, const std::string& month);
  // Writes the mutable columns at `version` (bumping it); false when someone else changed it first.
  bool update(const ConsultationRecord& r, std::int64_t version);

  std::vector<ConsultationItem> items(std::int64_t consultationId);
  void upsertItem(std::int64_t consultationId, const ConsultationItem& item);
  std::int64_t itemCount(std::int64_t consultationId);

  std::vector<ConsultationDecision> decisions(std::int64_t consultationId);
  std::int64_t decisionCount(std::int64_t consultationId);
  std::int64_t insertDecision(const ConsultationDecision& d);

  // The open problems and demands (not tasks) of the scope in `categories`, overdue first then by raised day;
  // at most `limit`. Columns: id, title, kind, category, status, raised_on, due, project_id, project_name,
  // lead_unit_id, lead_unit_name.
  Result agenda(const std::string& scope, const std::vector<std::string>& categories, const std::string& today,
                int limit);
  // Whether problem `id` is an open problem of `region` (for a decision's problem_id or an item's note).
  std::optional<Row> problemIn(std::int64_t id, const std::string& region);

  // One page of a list (see service/consultations.h for the columns), and its total.
  Result list(ListKind kind, const ListFilter& f, int limit, int offset);
  std::int64_t listCount(ListKind kind, const ListFilter& f);

 private:
  Connection& c_;
};

}  // namespace steward::store
