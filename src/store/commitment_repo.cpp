#include "store/commitment_repo.h"

#include "store/scope.h"

namespace steward::store {
namespace {

const char* kCommitmentSelect =
    "SELECT c.id, c.region_code, c.unit_id, c.year, c.kind, c.targets, c.signed_on, c.signed_by, c.version, "
    "c.created_by, c.created_at, c.updated_by, c.updated_at, COALESCE(u.name, '') AS unit_name "
    "FROM commitments c LEFT JOIN org_units u ON u.id = c.unit_id";

CommitmentRecord commitmentOf(const Row& r) {
  CommitmentRecord c;
  c.id = r.i64("id");
  c.region_code = r.str("region_code");
  c.unit_id = r.i64("unit_id");
  c.year = r.i64("year");
  c.kind = r.str("kind");
  c.targets = r.str("targets");
  c.signed_on = r.optStr("signed_on");
  c.signed_by = r.str("signed_by");
  c.version = r.i64("version");
  c.created_by = r.optI64("created_by");
  c.created_at = r.str("created_at");
  c.updated_by = r.optI64("updated_by");
  c.updated_at = r.str("updated_at");
  c.unit_name = r.str("unit_name");
  return c;
}

const char* kAttackSelect =
    "SELECT a.id, a.region_code, a.quarter, a.project_id, a.owner_unit_id, a.owner_person, a.goal, a.deadline, "
    "a.status, a.done_on, a.done_note, a.done_by, a.version, a.created_by, a.created_at, a.updated_at, "
    "COALESCE(p.name, '') AS project_name, COALESCE(u.name, '') AS owner_unit_name FROM attack_items a "
    "LEFT JOIN projects p ON p.id = a.project_id LEFT JOIN org_units u ON u.id = a.owner_unit_id";

AttackItem attackOf(const Row& r) {
  AttackItem i;
  i.id = r.i64("id");
  i.region_code = r.str("region_code");
  i.quarter = r.str("quarter");
  i.project_id = r.optI64("project_id");
  i.owner_unit_id = r.i64("owner_unit_id");
  i.owner_person = r.str("owner_person");
  i.goal = r.str("goal");
  i.deadline = r.str("deadline");
  i.status = r.str("status");
  i.done_on = r.optStr("done_on");
  i.done_note = r.str("done_note");
  i.done_by = r.optI64("done_by");
  i.version = r.i64("version");
  i.created_by = r.optI64("created_by");
  i.created_at = r.str("created_at");
  i.updated_at = r.str("updated_at");
  i.project_name = r.str("project_name");
  i.owner_unit_name = r.str("owner_unit_name");
  return i;
}

const char* kMeetingSelect =
    "SELECT id, region_code, quarter, held_on, place, chair, attendees, minutes, version, created_by, created_at, "
    "updated_by, updated_at FROM review_meetings";

ReviewMeeting meetingOfRow(const Row& r) {
  ReviewMeeting m;
  m.id = r.i64("id");
  m.region_code = r.str("region_code");
  m.quarter = r.str("quarter");
  m.held_on = r.optStr("held_on");
  m.place = r.str("place");
  m.chair = r.str("chair");
  m.attendees = r.str("attendees");
  m.minutes = r.str("minutes");
  m.version = r.i64("version");
  m.created_by = r.optI64("created_by");
  m.created_at = r.str("created_at");
  m.updated_by = r.optI64("updated_by");
  m.updated_at = r.str("updated_at");
  return m;
}

std::string inList(std::size_t n) {
  std::string s = "(";
  for (std::size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s + ")";
}

}  // namespace

std::int64_t CommitmentRepo::insert(const CommitmentRecord& r) {
  return c_.insert(
      "INSERT INTO commitments (region_code, unit_id, year, kind, targets, signed_on, signed_by, created_by, "
      "created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.region_code, r.unit_id, r.year, r.kind, r.targets, optParam(r.signed_on), r.signed_by,
       optParam(r.created_by), r.created_at, optParam(r.updated_by), r.updated_at});
}

std::optional<CommitmentRecord> CommitmentRepo::find(std::int64_t id) {
  auto r = c_.query(std::string(kCommitmentSelect) + " WHERE c.id = ?", {id});
  if (r.empty()) return std::nullopt;
  return commitmentOf(r.rows[0]);
}

std::optional<CommitmentRecord> CommitmentRepo::findOf(const std::string& region, std::int64_t year,
                                                       std::int64_t unitId, const std::string& kind) {
  auto r = c_.query(std::string(kCommitmentSelect) +
                        " WHERE c.region_code = ? AND c.year = ? AND c.unit_id = ? AND c.kind = ?",
                    {region, year, unitId, kind});
  if (r.empty()) return std::nullopt;
  return commitmentOf(r.rows[0]);
}

std::vector<CommitmentRecord> CommitmentRepo::ofYear(const std::string& scope, std::int64_t year,
                                                     std::optional<std::int64_t> unitId) {
  Params p;
  std::string sql = std::string(kCommitmentSelect) + " WHERE " + scopeSql(scope, "c.region_code", p) + " AND c.year = ?";
  p.push_back(year);
  if (unitId) {
    sql += " AND c.unit_id = ?";
    p.push_back(*unitId);
  }
  sql += " ORDER BY c.region_code, u.sort, c.unit_id, c.kind";
  std::vector<CommitmentRecord> out;
  for (const auto& r : c_.query(sql, p).rows) out.push_back(commitmentOf(r));
  return out;
}

bool CommitmentRepo::update(const CommitmentRecord& r, std::int64_t version) {
  return c_.exec("UPDATE commitments SET targets = ?, signed_on = ?, signed_by = ?, updated_by = ?, updated_at = ?, "
                 "version = version + 1 WHERE id = ? AND version = ?",
                 {r.targets, optParam(r.signed_on), r.signed_by, optParam(r.updated_by), r.updated_at, r.id,
                  version}) == 1;
}

Result CommitmentRepo::actualByMonth(TargetKey key, const std::string& region, std::int64_t unitId,
                                     std::int64_t year) {
  const std::string lo = std::to_string(year) + "-01-01", hi = std::to_string(year) + "-12-31";
  switch (key) {
    case TargetKey::Investment:
      return c_.query(
          "SELECT substr(r.period_end, 1, 7) AS month, COALESCE(SUM(r.investment), 0) AS n FROM progress_reports r "
          "JOIN projects p ON p.id = r.project_id WHERE p.region_code = ? AND p.unit_id = ? AND r.status <> "
          "'returned' AND r.period_end BETWEEN ? AND ? GROUP BY substr(r.period_end, 1, 7) ORDER BY 1",
          {region, unitId, lo, hi});
    case TargetKey::Starts:
    case TargetKey::Completions: {
      const std::string col = key == TargetKey::Starts ? "actual_start" : "actual_completion";
      return c_.query("SELECT substr(" + col + ", 1, 7) AS month, COUNT(*) AS n FROM projects WHERE region_code = ? "
                      "AND unit_id = ? AND " + col + " BETWEEN ? AND ? GROUP BY substr(" + col + ", 1, 7) ORDER BY 1",
                      {region, unitId, lo, hi});
    }
    case TargetKey::Land:
      return c_.query(
          "SELECT substr(solved_at, 1, 7) AS month, COUNT(*) AS n FROM problems WHERE region_code = ? AND "
          "lead_unit_id = ? AND category IN ('land', 'land_acquisition') AND status IN ('solved', 'closed') AND "
          "solved_at >= ? AND solved_at < ? GROUP BY substr(solved_at, 1, 7) ORDER BY 1",
          {region, unitId, lo, std::to_string(year + 1) + "-01-01"});
  }
  return {};
}

std::int64_t CommitmentRepo::insertAttack(const AttackItem& i) {
  return c_.insert(
      "INSERT INTO attack_items (region_code, quarter, project_id, owner_unit_id, owner_person, goal, deadline, "
      "status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
      {i.region_code, i.quarter, optParam(i.project_id), i.owner_unit_id, i.owner_person, i.goal, i.deadline,
       optParam(i.created_by), i.created_at, i.updated_at});
}

std::optional<AttackItem> CommitmentRepo::findAttack(std::int64_t id) {
  auto r = c_.query(std::string(kAttackSelect) + " WHERE a.id = ?", {id});
  if (r.empty()) return std::nullopt;
  return attackOf(r.rows[0]);
}

std::vector<AttackItem> CommitmentRepo::attackItems(const std::string& scope, const std::string& quarter,
                                                    std::optional<std::int64_t> unitId) {
  Params p;
  std::string sql = std::string(kAttackSelect) + " WHERE " + scopeSql(scope, "a.region_code", p) + " AND a.quarter = ?";
  p.push_back(quarter);
  if (unitId) {
    sql += " AND a.owner_unit_id = ?";
    p.push_back(*unitId);
  }
  sql += " ORDER BY a.deadline, a.id";
  std::vector<AttackItem> out;
  for (const auto& r : c_.query(sql, p).rows) out.push_back(attackOf(r));
  return out;
}

std::int64_t CommitmentRepo::attackCount(const std::string& region, const std::string& quarter) {
  return c_.query("SELECT COUNT(*) FROM attack_items WHERE region_code = ? AND quarter = ?", {region, quarter})
      .one()
      .i64(0);
}

bool CommitmentRepo::markDone(const AttackItem& i, std::int64_t version) {
  return c_.exec("UPDATE attack_items SET status = ?, done_on = ?, done_note = ?, done_by = ?, updated_at = ?, "
                 "version = version + 1 WHERE id = ? AND version = ?",
                 {i.status, optParam(i.done_on), i.done_note, optParam(i.done_by), i.updated_at, i.id, version}) == 1;
}

std::int64_t CommitmentRepo::insertMeeting(const ReviewMeeting& m) {
  return c_.insert(
      "INSERT INTO review_meetings (region_code, quarter, held_on, place, chair, attendees, minutes, created_by, "
      "created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.region_code, m.quarter, optParam(m.held_on), m.place, m.chair, m.attendees, m.minutes,
       optParam(m.created_by), m.created_at, optParam(m.updated_by), m.updated_at});
}

std::optional<ReviewMeeting> CommitmentRepo::findMeeting(std::int64_t id) {
  auto r = c_.query(std::string(kMeetingSelect) + " WHERE id = ?", {id});
  if (r.empty()) return std::nullopt;
  return meetingOfRow(r.rows[0]);
}

std::optional<ReviewMeeting> CommitmentRepo::meetingOf(const std::string& region, const std::string& quarter) {
  auto r = c_.query(std::string(kMeetingSelect) + " WHERE region_code = ? AND quarter = ?", {region, quarter});
  if (r.empty()) return std::nullopt;
  return meetingOfRow(r.rows[0]);
}

bool CommitmentRepo::updateMeeting(const ReviewMeeting& m, std::int64_t version) {
  return c_.exec("UPDATE review_meetings SET held_on = ?, place = ?, chair = ?, attendees = ?, minutes = ?, "
                 "updated_by = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                 {optParam(m.held_on), m.place, m.chair, m.attendees, m.minutes, optParam(m.updated_by), m.updated_at,
                  m.id, version}) == 1;
}

std::vector<ReviewDecision> CommitmentRepo::decisions(std::int64_t meetingId) {
  std::vector<ReviewDecision> out;
  for (const auto& r :
       c_.query("SELECT d.id, d.meeting_id, d.text, d.owner_unit_id, d.due_on, d.task_id, d.created_by, d.created_at, "
                "COALESCE(u.name, '') AS owner_unit_name, COALESCE(q.status, '') AS task_status, "
                "COALESCE(q.solve_due, '') AS task_solve_due FROM review_decisions d "
                "LEFT JOIN org_units u ON u.id = d.owner_unit_id LEFT JOIN problems q ON q.id = d.task_id "
                "WHERE d.meeting_id = ? ORDER BY d.id",
                {meetingId})
           .rows) {
    ReviewDecision d;
    d.id = r.i64("id");
    d.meeting_id = r.i64("meeting_id");
    d.text = r.str("text");
    d.owner_unit_id = r.i64("owner_unit_id");
    d.due_on = r.str("due_on");
    d.task_id = r.optI64("task_id");
    d.created_by = r.optI64("created_by");
    d.created_at = r.str("created_at");
    d.owner_unit_name = r.str("owner_unit_name");
    d.task_status = r.str("task_status");
    d.task_solve_due = r.str("task_solve_due");
    out.push_back(d);
  }
  return out;
}

std::int64_t CommitmentRepo::decisionCount(std::int64_t meetingId) {
  return c_.query("SELECT COUNT(*) FROM review_decisions WHERE meeting_id = ?", {meetingId}).one().i64(0);
}

std::int64_t CommitmentRepo::insertDecision(const ReviewDecision& d) {
  return c_.insert(
      "INSERT INTO review_decisions (meeting_id, text, owner_unit_id, due_on, task_id, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {d.meeting_id, d.text, d.owner_unit_id, d.due_on, optParam(d.task_id), optParam(d.created_by), d.created_at});
}

bool CommitmentRepo::projectIn(std::int64_t id, const std::string& region) {
  return !c_.query("SELECT id FROM projects WHERE id = ? AND region_code = ?", {id, region}).empty();
}

Result CommitmentRepo::units(const std::string& region) {
  return c_.query("SELECT id, name FROM org_units WHERE region_code = ? ORDER BY sort, id", {region});
}

Result CommitmentRepo::rankings(const std::string& region, const std::vector<std::string>& months) {
  Params p{region};
  for (const auto& m : months) p.push_back(m);
  return c_.query("SELECT month, revision, result FROM ranking_revisions WHERE region_code = ? AND month IN " +
                      inList(months.size()) + " ORDER BY month, revision",
                  p);
}

Result CommitmentRepo::yellowCards(const std::string& region, const std::vector<std::string>& months) {
  Params p{region};
  for (const auto& m : months) p.push_back(m);
  return c_.query("SELECT unit_id, COUNT(*) AS n FROM yellow_cards WHERE region_code = ? AND month IN " +
                      inList(months.size()) + " GROUP BY unit_id",
                  p);
}

Result CommitmentRepo::leaders(const std::string& region, const std::string& from, const std::string& to) {
  return c_.query(
      "SELECT u.id, u.display_name, "
      "(SELECT COUNT(*) FROM projects p WHERE p.leader_id = u.id AND p.status = 'active') AS led, "
      "(SELECT COUNT(*) FROM (SELECT DISTINCT v.project_id, v.week_key FROM leader_visits v WHERE v.leader_id = u.id "
      "AND v.visit_date BETWEEN ? AND ?) x) AS visited, "
      "(SELECT COUNT(*) FROM problems q JOIN projects p ON p.id = q.project_id WHERE p.leader_id = u.id AND "
      "q.status IN ('raised', 'accepted', 'assigned', 'in_progress', 'planned')) AS open_problems "
      "FROM users u WHERE u.region_code = ? AND u.disabled = 0 AND (u.id IN (SELECT leader_id FROM projects WHERE "
      "region_code = ? AND leader_id IS NOT NULL) OR (',' || u.roles || ',') LIKE '%,leader,%') ORDER BY u.id",
      {from, to, region, region});
}

}  // namespace steward::store
