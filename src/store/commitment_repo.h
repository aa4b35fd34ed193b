// Commitments and quarterly lists (issue 12): every statement about commitments, attack_items, review_meetings and
// review_decisions, the monthly actuals a commitment's targets are tracked against, and the figures of the
// quarterly assessment sheet (rankings in force, yellow cards, leaders' projects, visits and open problems).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct CommitmentRecord {
  std::int64_t id = 0, unit_id = 0, year = 0;
  std::string region_code, kind, targets = "[]";
  std::optional<std::string> signed_on;
  std::string signed_by;
  std::int64_t version = 1;
  std::optional<std::int64_t> created_by, updated_by;
  std::string created_at, updated_at;
  std::string unit_name;  // read only
};

struct AttackItem {
  std::int64_t id = 0, owner_unit_id = 0;
  std::string region_code, quarter;
  std::optional<std::int64_t> project_id, done_by, created_by;
  std::string owner_person, goal, deadline, status = "open";
  std::optional<std::string> done_on;
  std::string done_note;
  std::int64_t version = 1;
  std::string created_at, updated_at;
  std::string project_name, owner_unit_name;  // read only
};

struct ReviewMeeting {
  std::int64_t id = 0;
  std::string region_code, quarter;
  std::optional<std::string> held_on;
  std::string place, chair, attendees = "[]", minutes;
  std::int64_t version = 1;
  std::optional<std::int64_t> created_by, updated_by;
  std::string created_at, updated_at;
};

struct ReviewDecision {
  std::int64_t id = 0, meeting_id = 0, owner_unit_id = 0;
  std::string text, due_on;
  std::optional<std::int64_t> task_id, created_by;
  std::string created_at;
  std::string owner_unit_name, task_status, task_solve_due;  // read only
};

// What a commitment target counts (see service/commitments.h).
enum class TargetKey { Investment, Starts, Completions, Land };

class CommitmentRepo {
 public:
  explicit CommitmentRepo(Connection& c) : c_(c) {}

  std::int64_t insert(const CommitmentRecord& r);
  std::optional<CommitmentRecord> find(std::int64_t id);
  std::optional<CommitmentRecord> findOf(const std::string& region, std::int64_t year, std::int64_t unitId,
                                         const std::string& kind);
  // The scope's commitments of `year`, by unit; only `unitId`'s when given.
  std::vector<CommitmentRecord> ofYear(const std::string& scope, std::int64_t year, std::optional<std::int64_t> unitId);
  bool update(const CommitmentRecord& r, std::int64_t version);
  // The unit's figure per month (YYYY-MM → amount or count) in `year`: rows {month, n}.
  Result actualByMonth(TargetKey key, const std::string& region, std::int64_t unitId, std::int64_t year);

  std::int64_t insertAttack(const AttackItem& i);
  std::optional<AttackItem> findAttack(std::int64_t id);
  std::vector<AttackItem> attackItems(const std::string& scope, const std::string& quarter,
                                      std::optional<std::int64_t> unitId);
  std::int64_t attackCount(const std::string& region, const std::string& quarter);
  bool markDone(const AttackItem& i, std::int64_t version);

  std::int64_t insertMeeting(const ReviewMeeting& m);
  std::optional<ReviewMeeting> findMeeting(std::int64_t id);
  std::optional<ReviewMeeting> meetingOf(const std::string& region, const std::string& quarter);
  bool updateMeeting(const ReviewMeeting& m, std::int64_t version);
  std::vector<ReviewDecision> decisions(std::int64_t meetingId);
  std::int64_t decisionCount(std::int64_t meetingId);
  std::int64_t insertDecision(const ReviewDecision& d);

  // Whether project `id` is a project of `region`.
  bool projectIn(std::int64_t id, const std::string& region);
  // The region's units: id, name (by sort).
  Result units(const std::string& region);
  // Every revision of the months, oldest first: month, revision, result.
  Result rankings(const std::string& region, const std::vector<std::string>& months);
  // Yellow cards per unit in the months: unit_id, n.
  Result yellowCards(const std::string& region, const std::vector<std::string>& months);
  // The county leaders (project leaders or accounts with the leader role): id, display_name, led (active projects),
  // visited (distinct project-weeks visited between the days, inclusive), open_problems (of their projects).
  Result leaders(const std::string& region, const std::string& from, const std::string& to);

 private:
  Connection& c_;
};

}  // namespace steward::store
