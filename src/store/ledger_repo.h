// The five accounts (五账法), show-results meetings (晒实绩), drill marks (拉练) and quarterly award decisions:
// every statement about ledgers, show_results_meetings, show_results_ratings, drill_marks and award_decisions, and
// the reads over projects, reports and problems that fill a ledger and the awards' facts.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.h"

namespace steward::store {

struct LedgerRecord {
  std::int64_t id = 0;
  std::string region_code, month;
  std::int64_t unit_id = 0;
  std::string items = "[]", differences = "[]";
  std::optional<std::string> set_up_at, sorted_at, reconciled_at, handed_in_at, settled_at;
  std::int64_t late_steps = 0, unreconciled = 0;
  std::string note;
  std::int64_t version = 1;
  std::optional<std::int64_t> updated_by;
  std::string updated_at;
};

struct MeetingRecord {
  std::int64_t id = 0;
  std::string region_code, held_on, title, units = "[]", status = "open";
  std::int64_t version = 1;
  std::optional<std::int64_t> created_by;
  std::string created_at;
  std::optional<std::string> closed_at;
};

struct AwardDecision {
  std::string quarter, award, subject_kind;
  std::int64_t subject_id = 0;
  std::string subject_name;
  std::int64_t figure = 0, amount_fen = 0;
  std::string note;
  std::optional<std::int64_t> decided_by;
  std::string decided_by_name, decided_at;
};

class LedgerRepo {
 public:
  explicit LedgerRepo(Connection& c) : c_(c) {}
  // The units that keep ledgers: every org unit of the region but headquarters. Columns: id, name.
  Result units(const std::string& region);
  std::optional<std::string> unitName(std::int64_t unitId, const std::string& region);
  std::vector<LedgerRecord> ofMonth(const std::string& region, const std::string& month);
  std::optional<LedgerRecord> find(const std::string& region, const std::string& month, std::int64_t unitId);
  std::int64_t insert(const LedgerRecord& r);
  // Writes the mutable columns at `version` (bumping it); false when someone else changed it first.
  bool update(const LedgerRecord& r, std::int64_t version);
  // The unit's projects (not cancelled) with the year's plan and the investment reported in the year up to `lastDay`.
  // Columns: id, name, status, plan, done.
  Result unitProjects(const std::string& region, std::int64_t unitId, int year, const std::string& lastDay);
  // The unit's open problems and tasks as lead unit. Columns: id, title, kind, status.
  Result unitOpenProblems(const std::string& region, std::int64_t unitId);

 private:
  Connection& c_;
};

class ShowResultsRepo {
 public:
  explicit ShowResultsRepo(Connection& c) : c_(c) {}
  std::vector<MeetingRecord> list(const std::string& region, const std::string& year);
  std::optional<MeetingRecord> find(std::int64_t id);
  std::int64_t insert(const MeetingRecord& r);
  bool close(std::int64_t id, std::int64_t version, const std::string& at);
  // Per unit: unit_id, n, total (sum of marks).
  Result summary(std::int64_t meetingId);
  // The rater's ratings: unit_id, mark, comment, rated_at.
  Result ratingsBy(std::int64_t meetingId, std::int64_t raterId);
  void upsertRating(std::int64_t meetingId, std::int64_t unitId, std::int64_t raterId, std::int64_t mark,
                    const std::string& comment, const std::string& at);
  // Closed meetings held in [from, to]: per unit unit_id, n, total.
  Result closedMarks(const std::string& region, const std::string& from, const std::string& to);

 private:
  Connection& c_;
};

class DrillRepo {
 public:
  explicit DrillRepo(Connection& c) : c_(c) {}
  void upsert(const std::string& region, const std::string& month, std::int64_t projectId, std::int64_t judgeId,
              const std::string& factor, std::int64_t mark, const std::string& at);
  // Per project and factor: project_id, project_name, factor, n, total.
  Result summary(const std::string& region, const std::string& month);
  // Judges who marked each project: project_id, judges.
  Result judges(const std::string& region, const std::string& month);
  // Whether project `id` belongs to `region`.
  bool projectIn(std::int64_t id, const std::string& region);

 private:
  Connection& c_;
};

class AwardRepo {
 public:
  explicit AwardRepo(Connection& c) : c_(c) {}
  std::vector<AwardDecision> ofQuarter(const std::string& region, const std::string& quarter);
  std::vector<AwardDecision> ofYear(const std::string& region, const std::string& year);
  void replace(const std::string& region, const std::string& quarter, const std::vector<AwardDecision>& items);
  // Facts. Projects of the region (not cancelled): id, name, actual_start, actual_completion, plan (annual plan
  // of `year`), done (investment reported with period_end in [yearStart, to]).
  Result projectFacts(const std::string& region, int year, const std::string& yearStart, const std::string& to);
  // Land-acquisition problems by lead unit raised on or before `to`: unit_id, unit_name, n, solved (solved by `to`).
  Result landFacts(const std::string& region, const std::string& to);

 private:
  Connection& c_;
};

}  // namespace steward::store
