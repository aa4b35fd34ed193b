#include "store/visit_repo.h"

namespace steward::store {

std::int64_t VisitRepo::insert(const VisitRecord& v) {
  return c_.insert(
      "INSERT INTO leader_visits (region_code, project_id, leader_id, visit_date, week_key, visitors, findings, "
      "photos, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {v.region_code, v.project_id, optParam(v.leader_id), v.visit_date, v.week_key, v.visitors, v.findings, v.photos,
       optParam(v.recorded_by), v.created_at});
}

std::vector<VisitRecord> VisitRepo::projectVisits(std::int64_t projectId, int limit,
                                                  std::optional<std::int64_t> before) {
  Params p{projectId};
  std::string sql =
      "SELECT v.id, v.region_code, v.project_id, v.leader_id, v.visit_date, v.week_key, v.visitors, v.findings, "
      "v.photos, v.recorded_by, v.created_at, COALESCE(l.display_name, '') AS leader_name, "
      "COALESCE(r.display_name, '') AS recorder_name, pr.name AS project_name "
      "FROM leader_visits v JOIN projects pr ON pr.id = v.project_id LEFT JOIN users l ON l.id = v.leader_id "
      "LEFT JOIN users r ON r.id = v.recorded_by WHERE v.project_id = ?";
  if (before) {
    // Keyset paging on (visit_date, id), both descending.
    sql += " AND (v.visit_date < (SELECT visit_date FROM leader_visits WHERE id = ?) OR "
           "(v.visit_date = (SELECT visit_date FROM leader_visits WHERE id = ?) AND v.id < ?))";
    p.push_back(*before);
    p.push_back(*before);
    p.push_back(*before);
  }
  sql += " ORDER BY v.visit_date DESC, v.id DESC LIMIT ?";
  p.push_back(std::int64_t(limit));
  std::vector<VisitRecord> out;
  for (const auto& r : c_.query(sql, p).rows) {
    VisitRecord v;
    v.id = r.i64("id");
    v.region_code = r.str("region_code");
    v.project_id = r.i64("project_id");
    v.leader_id = r.optI64("leader_id");
    v.visit_date = r.str("visit_date");
    v.week_key = r.str("week_key");
    v.visitors = r.str("visitors");
    v.findings = r.str("findings");
    v.photos = r.str("photos");
    v.recorded_by = r.optI64("recorded_by");
    v.created_at = r.str("created_at");
    v.leader_name = r.str("leader_name");
    v.recorder_name = r.str("recorder_name");
    v.project_name = r.str("project_name");
    out.push_back(std::move(v));
  }
  return out;
}

std::int64_t VisitRepo::countInWeek(std::int64_t projectId, const std::string& weekKey) {
  return c_.query("SELECT COUNT(*) AS n FROM leader_visits WHERE project_id = ? AND week_key = ?",
                  {projectId, weekKey})
      .one()
      .i64("n");
}

std::vector<LedProject> VisitRepo::ledProjects(const std::string& lo, const std::string& hi, int limit) {
  auto res = c_.query(
      "SELECT p.id, p.region_code, p.name, p.stage, p.leader_id, COALESCE(l.display_name, '') AS leader_name, "
      "COALESCE(u.name, '') AS unit_name, COALESCE(t.name, '') AS township_name "
      "FROM projects p JOIN users l ON l.id = p.leader_id LEFT JOIN org_units u ON u.id = p.unit_id "
      "LEFT JOIN org_units t ON t.id = p.township_id "
      "WHERE p.region_code BETWEEN ? AND ? AND p.status <> 'cancelled' ORDER BY p.leader_id, p.id LIMIT ?",
      {lo, hi, std::int64_t(limit)});
  std::vector<LedProject> out;
  for (const auto& r : res.rows)
    out.push_back({r.i64("id"), r.str("region_code"), r.str("name"), r.str("stage"), r.str("unit_name"),
                   r.str("township_name"), r.i64("leader_id"), r.str("leader_name")});
  return out;
}

std::set<std::int64_t> VisitRepo::visitedInWeek(const std::string& lo, const std::string& hi,
                                                const std::string& weekKey) {
  std::set<std::int64_t> out;
  for (const auto& r : c_.query("SELECT DISTINCT project_id FROM leader_visits WHERE region_code BETWEEN ? AND ? "
                                "AND week_key = ?",
                                {lo, hi, weekKey})
                           .rows)
    out.insert(r.i64("project_id"));
  return out;
}

bool VisitRepo::ofProject(std::int64_t id, std::int64_t projectId) {
  return !c_.query("SELECT id FROM leader_visits WHERE id = ? AND project_id = ?", {id, projectId}).empty();
}

}  // namespace steward::store
