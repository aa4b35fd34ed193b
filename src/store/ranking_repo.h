// The monthly ranking (挂榜排名): the raw figures of every ranked subject of a county and month, gathered set-based
// (a few queries per month, never per unit), and the frozen revisions and yellow cards. Every statement about
// ranking_revisions and yellow_cards; reads projects, project_plans, progress_reports, leader_visits, problems,
// letters, ledgers, show_results_* and drill_marks.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/rankings.h"
#include "store/db.h"

namespace steward::store {

// What the figures of one month are measured against, worked out by the caller from the rules in force.
struct RankingWindow {
  std::string region, month;      // "2026-11"
  std::string year_start;         // "2026-01-01"
  std::string month_start, month_end;  // county days, inclusive
  std::string utc_start, utc_end;      // the month's county days as UTC instants [start, end)
  std::string report_deadline;    // UTC instant: a report of the month submitted by then is on time
  std::vector<std::string> weeks; // ISO week keys whose Sunday falls in the month
  std::string show_from;          // first day of the two months ending with this one
  int month_no = 1;               // 1..12
};

struct RankedSubject {
  std::int64_t id = 0;
  std::string name;
  std::map<std::string, core::rankings::Figure> figures;
};

struct RevisionRecord {
  std::int64_t id = 0;
  std::string region_code, month;
  int revision = 0;
  std::string reason;
  std::optional<std::int64_t> rule_set_version;
  std::string rules, inputs, chosen, result, digest;
  std::optional<std::int64_t> created_by;
  std::string created_by_name, created_at;
};

struct YellowCardRecord {
  std::string month;
  std::int64_t unit_id = 0;
  std::string unit_name;
  std::int64_t total = 0;
  int in_a_row = 1;
  bool summons = false;
  int revision = 0;
};

// One project's figures behind a unit's score (the drill-down).
struct ProjectFigures {
  std::int64_t id = 0;
  std::string name;
  std::int64_t plan = 0, done = 0;  // yuan, this year to the month
  bool planned_start = false, started = false;
  std::int64_t reports_due = 0, reports_on_time = 0;
  std::int64_t visits_due = 0, visits_done = 0;
  std::int64_t letters_due = 0, letters_in_time = 0;
  std::int64_t problems_due = 0, problems_solved = 0;
};

class RankingRepo {
 public:
  explicit RankingRepo(Connection& c) : c_(c) {}
  // Departments and townships of the county that lead a project or a problem, each with every figure the data
  // gives: investment, start, reports, visits, problems, letters (ratios), satisfaction, show_results (marks),
  // ledger (count; a unit with no ledger of the month counts 5 items). Ordered by the units' sort, id.
  std::vector<RankedSubject> unitFigures(const RankingWindow& w);
  // Zhuxi's drill: the projects judged in the month, a mark per factor (the judges' mean).
  std::vector<RankedSubject> projectFigures(const RankingWindow& w);
  // The unit's projects with their figures (same definitions as unitFigures); empty when it has none.
  std::vector<ProjectFigures> unitProjects(const RankingWindow& w, std::int64_t unitId);
  // The month ("YYYY-MM") of the county's first progress report, if any.
  std::optional<std::string> firstReportMonth(const std::string& region);
  std::optional<std::string> unitName(const std::string& region, std::int64_t unitId);

  // Yellow cards in a row just before `month` (months without a card break the run), by unit.
  std::map<std::int64_t, int> cardsBefore(const std::string& region, const std::string& month);

  std::vector<RevisionRecord> revisions(const std::string& region, const std::string& month);  // oldest first
  std::optional<RevisionRecord> revision(const std::string& region, const std::string& month, int n);
  std::optional<RevisionRecord> latest(const std::string& region, const std::string& month);
  // The latest revision of every closed month of a year, by month.
  std::vector<RevisionRecord> inForceOfYear(const std::string& region, int year);
  std::int64_t insertRevision(const RevisionRecord& r);
  // Replaces the month's yellow cards with those of a revision.
  void replaceCards(const std::string& region, const std::string& month, std::int64_t revisionId,
                    const std::vector<YellowCardRecord>& cards, const std::string& nowIso);
  std::vector<YellowCardRecord> cards(const std::string& region, const std::string& month);
  std::vector<YellowCardRecord> cardsOfYear(const std::string& region, int year, int limit);
  // The active users of the units, for notifications.
  std::vector<std::int64_t> usersOfUnits(const std::string& region, const std::vector<std::int64_t>& units);
  std::vector<std::int64_t> headquartersUsers(const std::string& region);

 private:
  Connection& c_;
};

}  // namespace steward::store
