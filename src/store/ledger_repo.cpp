#include "store/ledger_repo.h"

namespace steward::store {

namespace {

LedgerRecord ledgerOf(const Row& r) {
  LedgerRecord l;
  l.id = r.i64("id");
  l.region_code = r.str("region_code");
  l.month = r.str("month");
  l.unit_id = r.i64("unit_id");
  l.items = r.str("items");
  l.differences = r.str("differences");
  l.set_up_at = r.optStr("set_up_at");
  l.sorted_at = r.optStr("sorted_at");
  l.reconciled_at = r.optStr("reconciled_at");
  l.handed_in_at = r.optStr("handed_in_at");
  l.settled_at = r.optStr("settled_at");
  l.late_steps = r.i64("late_steps");
  l.unreconciled = r.i64("unreconciled");
  l.note = r.str("note");
  l.version = r.i64("version");
  l.updated_by = r.optI64("updated_by");
  l.updated_at = r.str("updated_at");
  return l;
}

MeetingRecord meetingOf(const Row& r) {
  MeetingRecord m;
  m.id = r.i64("id");
  m.region_code = r.str("region_code");
  m.held_on = r.str("held_on");
  m.title = r.str("title");
  m.units = r.str("units");
  m.status = r.str("status");
  m.version = r.i64("version");
  m.created_by = r.optI64("created_by");
  m.created_at = r.str("created_at");
  m.closed_at = r.optStr("closed_at");
  return m;
}

AwardDecision decisionOf(const Row& r) {
  AwardDecision d;
  d.quarter = r.str("quarter");
  d.award = r.str("award");
  d.subject_kind = r.str("subject_kind");
  d.subject_id = r.i64("subject_id");
  d.subject_name = r.str("subject_name");
  d.figure = r.i64("figure");
  d.amount_fen = r.i64("amount_fen");
  d.note = r.str("note");
  d.decided_by = r.optI64("decided_by");
  d.decided_by_name = r.str("decided_by_name");
  d.decided_at = r.str("decided_at");
  return d;
}

const char* kLedgerCols =
    "id, region_code, month, unit_id, items, differences, set_up_at, sorted_at, reconciled_at, handed_in_at, "
    "settled_at, late_steps, unreconciled, note, version, updated_by, updated_at";

}  // namespace

Result LedgerRepo::units(const std::string& region) {
  return c_.query("SELECT id, name FROM org_units WHERE region_code = ? AND kind <> 'hq' ORDER BY sort, id", {region});
}

std::optional<std::string> LedgerRepo::unitName(std::int64_t unitId, const std::string& region) {
  auto r = c_.query("SELECT name FROM org_units WHERE id = ? AND region_code = ? AND kind <> 'hq'", {unitId, region});
  if (r.empty()) return std::nullopt;
  return r.one().str(0);
}

std::vector<LedgerRecord> LedgerRepo::ofMonth(const std::string& region, const std::string& month) {
  std::vector<LedgerRecord> out;
  for (const auto& r : c_.query(std::string("SELECT ") + kLedgerCols +
                                    " FROM ledgers WHERE region_code = ? AND month = ? ORDER BY unit_id",
                                {region, month})
                           .rows)
    out.push_back(ledgerOf(r));
  return out;
}

std::optional<LedgerRecord> LedgerRepo::find(const std::string& region, const std::string& month, std::int64_t unitId) {
  auto r = c_.query(std::string("SELECT ") + kLedgerCols +
                        " FROM ledgers WHERE region_code = ? AND month = ? AND unit_id = ?",
                    {region, month, unitId});
  if (r.empty()) return std::nullopt;
  return ledgerOf(r.one());
}

std::int64_t LedgerRepo::insert(const LedgerRecord& r) {
  return c_.insert(
      "INSERT INTO ledgers (region_code, month, unit_id, items, differences, set_up_at, sorted_at, reconciled_at, "
      "handed_in_at, settled_at, late_steps, unreconciled, note, version, updated_by, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
      {r.region_code, r.month, r.unit_id, r.items, r.differences, optParam(r.set_up_at), optParam(r.sorted_at),
       optParam(r.reconciled_at), optParam(r.handed_in_at), optParam(r.settled_at), r.late_steps, r.unreconciled,
       r.note, optParam(r.updated_by), r.updated_at});
}

bool LedgerRepo::update(const LedgerRecord& r, std::int64_t version) {
  return c_.exec(
             "UPDATE ledgers SET items = ?, differences = ?, set_up_at = ?, sorted_at = ?, reconciled_at = ?, "
             "handed_in_at = ?, settled_at = ?, late_steps = ?, unreconciled = ?, note = ?, version = version + 1, "
             "updated_by = ?, updated_at = ? WHERE id = ? AND version = ?",
             {r.items, r.differences, optParam(r.set_up_at), optParam(r.sorted_at), optParam(r.reconciled_at),
              optParam(r.handed_in_at), optParam(r.settled_at), r.late_steps, r.unreconciled, r.note,
              optParam(r.updated_by), r.updated_at, r.id, version}) == 1;
}

Result LedgerRepo::unitProjects(const std::string& region, std::int64_t unitId, int year, const std::string& lastDay) {
  const std::string start = std::to_string(year) + "-01-01";
  return c_.query(
      "SELECT p.id, p.name, p.status, COALESCE(pl.annual, 0) AS plan, "
      "CAST(COALESCE((SELECT SUM(r.investment) FROM progress_reports r WHERE r.project_id = p.id "
      "AND r.period_end >= ? AND r.period_end <= ?), 0) AS BIGINT) AS done "
      "FROM projects p LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = ? "
      "WHERE p.region_code = ? AND p.unit_id = ? AND p.status <> 'cancelled' ORDER BY p.id LIMIT 500",
      {start, lastDay, std::int64_t(year), region, unitId});
}

Result LedgerRepo::unitOpenProblems(const std::string& region, std::int64_t unitId) {
  return c_.query(
      "SELECT id, title, kind, status FROM problems WHERE region_code = ? AND lead_unit_id = ? "
      "AND status IN ('raised', 'accepted', 'assigned', 'in_progress', 'planned') ORDER BY id LIMIT 500",
      {region, unitId});
}

std::vector<MeetingRecord> ShowResultsRepo::list(const std::string& region, const std::string& year) {
  std::vector<MeetingRecord> out;
  Params p{region};
  std::string sql = "SELECT * FROM show_results_meetings WHERE region_code = ?";
  if (!year.empty()) {
    sql += " AND held_on >= ? AND held_on <= ?";
    p.push_back(year + "-01-01");
    p.push_back(year + "-12-31");
  }
  sql += " ORDER BY held_on DESC, id DESC LIMIT 200";
  for (const auto& r : c_.query(sql, p).rows) out.push_back(meetingOf(r));
  return out;
}

std::optional<MeetingRecord> ShowResultsRepo::find(std::int64_t id) {
  auto r = c_.query("SELECT * FROM show_results_meetings WHERE id = ?", {id});
  if (r.empty()) return std::nullopt;
  return meetingOf(r.one());
}

std::int64_t ShowResultsRepo::insert(const MeetingRecord& r) {
  return c_.insert(
      "INSERT INTO show_results_meetings (region_code, held_on, title, units, status, version, created_by, "
      "created_at) VALUES (?, ?, ?, ?, 'open', 1, ?, ?)",
      {r.region_code, r.held_on, r.title, r.units, optParam(r.created_by), r.created_at});
}

bool ShowResultsRepo::close(std::int64_t id, std::int64_t version, const std::string& at) {
  return c_.exec(
             "UPDATE show_results_meetings SET status = 'closed', closed_at = ?, version = version + 1 "
             "WHERE id = ? AND version = ? AND status = 'open'",
             {at, id, version}) == 1;
}

Result ShowResultsRepo::summary(std::int64_t meetingId) {
  return c_.query(
      "SELECT unit_id, CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(mark) AS BIGINT) AS total FROM show_results_ratings "
      "WHERE meeting_id = ? GROUP BY unit_id",
      {meetingId});
}

Result ShowResultsRepo::ratingsBy(std::int64_t meetingId, std::int64_t raterId) {
  return c_.query(
      "SELECT unit_id, mark, comment, rated_at FROM show_results_ratings WHERE meeting_id = ? AND rater_id = ? "
      "ORDER BY unit_id",
      {meetingId, raterId});
}

void ShowResultsRepo::upsertRating(std::int64_t meetingId, std::int64_t unitId, std::int64_t raterId,
                                   std::int64_t mark, const std::string& comment, const std::string& at) {
  if (c_.exec("UPDATE show_results_ratings SET mark = ?, comment = ?, rated_at = ? "
              "WHERE meeting_id = ? AND unit_id = ? AND rater_id = ?",
              {mark, comment, at, meetingId, unitId, raterId}) == 0)
    c_.exec("INSERT INTO show_results_ratings (meeting_id, unit_id, rater_id, mark, comment, rated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            {meetingId, unitId, raterId, mark, comment, at});
}

Result ShowResultsRepo::closedMarks(const std::string& region, const std::string& from, const std::string& to) {
  return c_.query(
      "SELECT r.unit_id, CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(r.mark) AS BIGINT) AS total "
      "FROM show_results_ratings r JOIN show_results_meetings m ON m.id = r.meeting_id "
      "WHERE m.region_code = ? AND m.status = 'closed' AND m.held_on >= ? AND m.held_on <= ? GROUP BY r.unit_id",
      {region, from, to});
}

void DrillRepo::upsert(const std::string& region, const std::string& month, std::int64_t projectId,
                       std::int64_t judgeId, const std::string& factor, std::int64_t mark, const std::string& at) {
  if (c_.exec("UPDATE drill_marks SET mark = ?, rated_at = ? WHERE region_code = ? AND month = ? AND project_id = ? "
              "AND judge_id = ? AND factor = ?",
              {mark, at, region, month, projectId, judgeId, factor}) == 0)
    c_.exec("INSERT INTO drill_marks (region_code, month, project_id, judge_id, factor, mark, rated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            {region, month, projectId, judgeId, factor, mark, at});
}

Result DrillRepo::summary(const std::string& region, const std::string& month) {
  return c_.query(
      "SELECT d.project_id, p.name AS project_name, d.factor, CAST(COUNT(*) AS BIGINT) AS n, "
      "CAST(SUM(d.mark) AS BIGINT) AS total FROM drill_marks d JOIN projects p ON p.id = d.project_id "
      "WHERE d.region_code = ? AND d.month = ? GROUP BY d.project_id, p.name, d.factor ORDER BY d.project_id, d.factor",
      {region, month});
}

Result DrillRepo::judges(const std::string& region, const std::string& month) {
  return c_.query(
      "SELECT project_id, CAST(COUNT(DISTINCT judge_id) AS BIGINT) AS judges FROM drill_marks "
      "WHERE region_code = ? AND month = ? GROUP BY project_id",
      {region, month});
}

bool DrillRepo::projectIn(std::int64_t id, const std::string& region) {
  return !c_.query("SELECT id FROM projects WHERE id = ? AND region_code = ?", {id, region}).empty();
}

namespace {
const char* kDecisionSelect =
    "SELECT d.quarter, d.award, d.subject_kind, d.subject_id, d.subject_name, d.figure, d.amount_fen, d.note, "
    "d.decided_by, COALESCE(u.display_name, '') AS decided_by_name, d.decided_at FROM award_decisions d "
    "LEFT JOIN users u ON u.id = d.decided_by ";
}

std::vector<AwardDecision> AwardRepo::ofQuarter(const std::string& region, const std::string& quarter) {
  std::vector<AwardDecision> out;
  for (const auto& r : c_.query(std::string(kDecisionSelect) +
                                    "WHERE d.region_code = ? AND d.quarter = ? ORDER BY d.id",
                                {region, quarter})
                           .rows)
    out.push_back(decisionOf(r));
  return out;
}

std::vector<AwardDecision> AwardRepo::ofYear(const std::string& region, const std::string& year) {
  std::vector<AwardDecision> out;
  for (const auto& r : c_.query(std::string(kDecisionSelect) +
                                    "WHERE d.region_code = ? AND d.quarter >= ? AND d.quarter <= ? "
                                    "ORDER BY d.quarter, d.id",
                                {region, year + "-Q1", year + "-Q4"})
                           .rows)
    out.push_back(decisionOf(r));
  return out;
}

void AwardRepo::replace(const std::string& region, const std::string& quarter, const std::vector<AwardDecision>& items) {
  c_.exec("DELETE FROM award_decisions WHERE region_code = ? AND quarter = ?", {region, quarter});
  for (const auto& d : items)
    c_.exec(
        "INSERT INTO award_decisions (region_code, quarter, award, subject_kind, subject_id, subject_name, figure, "
        "amount_fen, note, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {region, quarter, d.award, d.subject_kind, d.subject_id, d.subject_name, d.figure, d.amount_fen, d.note,
         optParam(d.decided_by), d.decided_at});
}

Result AwardRepo::projectFacts(const std::string& region, int year, const std::string& yearStart,
                               const std::string& to) {
  return c_.query(
      "SELECT p.id, p.name, p.actual_start, p.actual_completion, COALESCE(pl.annual, 0) AS plan, "
      "CAST(COALESCE((SELECT SUM(r.investment) FROM progress_reports r WHERE r.project_id = p.id "
      "AND r.period_end >= ? AND r.period_end <= ?), 0) AS BIGINT) AS done "
      "FROM projects p LEFT JOIN project_plans pl ON pl.project_id = p.id AND pl.year = ? "
      "WHERE p.region_code = ? AND p.status <> 'cancelled' ORDER BY p.id",
      {yearStart, to, std::int64_t(year), region});
}

Result AwardRepo::landFacts(const std::string& region, const std::string& to) {
  return c_.query(
      "SELECT q.lead_unit_id AS unit_id, o.name AS unit_name, CAST(COUNT(*) AS BIGINT) AS n, "
      "CAST(SUM(CASE WHEN q.solved_at IS NOT NULL AND q.solved_at <= ? THEN 1 ELSE 0 END) AS BIGINT) AS solved "
      "FROM problems q JOIN org_units o ON o.id = q.lead_unit_id "
      "WHERE q.region_code = ? AND q.category = 'land' AND q.kind <> 'task' AND q.raised_on <= ? "
      "AND q.status <> 'merged' GROUP BY q.lead_unit_id, o.name",
      {to + "T23:59:59Z", region, to});
}

}  // namespace steward::store
