#include "store/inspection_repo.h"

#include "store/scope.h"

namespace steward::store {
namespace {

const char* kPlanSelect =
    "SELECT p.id, p.region_code, p.period_key, p.start_day, p.end_day, p.note, p.created_at, p.created_by, "
    "(SELECT COUNT(*) FROM inspection_targets t WHERE t.plan_id = p.id) AS targets, "
    "(SELECT COUNT(DISTINCT v.project_id) FROM inspection_visits v WHERE v.plan_id = p.id) AS visited, "
    "(SELECT COUNT(*) FROM inspection_findings f WHERE f.plan_id = p.id) AS findings FROM inspection_plans p";

InspectionPlan planOf(const Row& r) {
  InspectionPlan p;
  p.id = r.i64("id");
  p.region_code = r.str("region_code");
  p.period_key = r.str("period_key");
  p.start_day = r.str("start_day");
  p.end_day = r.str("end_day");
  p.note = r.str("note");
  p.created_at = r.str("created_at");
  p.created_by = r.optI64("created_by");
  p.targets = r.i64("targets");
  p.visited = r.i64("visited");
  p.findings = r.i64("findings");
  return p;
}

const char* kFindingSelect =
    "SELECT id, visit_id, plan_id, region_code, project_id, text, photos, problem_id, letter_id, created_at "
    "FROM inspection_findings";

InspectionFinding findingOf(const Row& r) {
  InspectionFinding f;
  f.id = r.i64("id");
  f.visit_id = r.i64("visit_id");
  f.plan_id = r.i64("plan_id");
  f.region_code = r.str("region_code");
  f.project_id = r.i64("project_id");
  f.text = r.str("text");
  f.photos = r.str("photos");
  f.problem_id = r.optI64("problem_id");
  f.letter_id = r.optI64("letter_id");
  f.created_at = r.str("created_at");
  return f;
}

}  // namespace

std::vector<InspectionPlan> InspectionRepo::plans(const std::string& scopeRegion, const std::string& periodKey,
                                                  int limit) {
  Params p;
  std::string sql = std::string(kPlanSelect) + " WHERE " + scopeSql(scopeRegion, "p.region_code", p);
  if (!periodKey.empty()) {
    sql += " AND p.period_key = ?";
    p.push_back(periodKey);
  }
  sql += " ORDER BY p.start_day DESC, p.id DESC LIMIT ?";
  p.push_back(std::int64_t(limit));
  std::vector<InspectionPlan> out;
  for (const auto& r : c_.query(sql, p).rows) out.push_back(planOf(r));
  return out;
}

std::optional<InspectionPlan> InspectionRepo::find(std::int64_t id) {
  auto r = c_.query(std::string(kPlanSelect) + " WHERE p.id = ?", {id});
  if (r.empty()) return std::nullopt;
  return planOf(r.one());
}

bool InspectionRepo::periodTaken(const std::string& region, const std::string& periodKey) {
  return !c_.query("SELECT id FROM inspection_plans WHERE region_code = ? AND period_key = ?", {region, periodKey})
              .empty();
}

std::int64_t InspectionRepo::insertPlan(const InspectionPlan& p) {
  return c_.insert("INSERT INTO inspection_plans (region_code, period_key, start_day, end_day, note, created_at, "
                   "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   {p.region_code, p.period_key, p.start_day, p.end_day, p.note, p.created_at, optParam(p.created_by)});
}

void InspectionRepo::insertTarget(std::int64_t planId, std::int64_t projectId, std::int64_t inspectorId) {
  c_.exec("INSERT INTO inspection_targets (plan_id, project_id, inspector_id) VALUES (?, ?, ?)",
          {planId, projectId, inspectorId});
}

std::vector<InspectionTarget> InspectionRepo::targets(std::int64_t planId) {
  std::vector<InspectionTarget> out;
  for (const auto& r :
       c_.query("SELECT t.project_id, t.inspector_id, p.name AS project_name, p.code AS project_code, "
                "p.actual_start, p.light, COALESCE(o.name, '') AS unit_name, u.display_name AS inspector_name, "
                "(SELECT COUNT(*) FROM inspection_visits v WHERE v.plan_id = t.plan_id AND "
                "v.project_id = t.project_id) AS visits FROM inspection_targets t JOIN projects p ON "
                "p.id = t.project_id JOIN users u ON u.id = t.inspector_id LEFT JOIN org_units o ON o.id = p.unit_id "
                "WHERE t.plan_id = ? ORDER BY p.name, p.id",
                {planId})
           .rows) {
    InspectionTarget t;
    t.project_id = r.i64("project_id");
    t.inspector_id = r.i64("inspector_id");
    t.project_name = r.str("project_name");
    t.project_code = r.str("project_code");
    t.actual_start = r.optStr("actual_start");
    t.light = r.str("light");
    t.unit_name = r.str("unit_name");
    t.inspector_name = r.str("inspector_name");
    t.visits = r.i64("visits");
    out.push_back(std::move(t));
  }
  return out;
}

std::optional<std::int64_t> InspectionRepo::inspectorOf(std::int64_t planId, std::int64_t projectId) {
  auto r = c_.query("SELECT inspector_id FROM inspection_targets WHERE plan_id = ? AND project_id = ?",
                    {planId, projectId});
  if (r.empty()) return std::nullopt;
  return r.one().i64("inspector_id");
}

std::optional<std::string> InspectionRepo::projectName(std::int64_t id, const std::string& region) {
  auto r = c_.query("SELECT name FROM projects WHERE id = ? AND region_code = ? AND status = 'active'", {id, region});
  if (r.empty()) return std::nullopt;
  return r.one().str("name");
}

std::optional<std::string> InspectionRepo::userRoles(std::int64_t id, const std::string& region) {
  auto r = c_.query("SELECT roles FROM users WHERE id = ? AND region_code = ? AND disabled = 0", {id, region});
  if (r.empty()) return std::nullopt;
  return r.one().str("roles");
}

std::vector<std::int64_t> InspectionRepo::largestProjects(const std::string& region, int n) {
  std::vector<std::int64_t> out;
  for (const auto& r : c_.query("SELECT id FROM projects WHERE region_code = ? AND status = 'active' ORDER BY "
                                "total_investment DESC, id LIMIT ?",
                                {region, std::int64_t(n)})
                           .rows)
    out.push_back(r.i64("id"));
  return out;
}

std::int64_t InspectionRepo::insertVisit(const InspectionVisit& v) {
  return c_.insert("INSERT INTO inspection_visits (plan_id, region_code, project_id, inspector_id, visited_on, "
                   "summary, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   {v.plan_id, v.region_code, v.project_id, optParam(v.inspector_id), v.visited_on, v.summary,
                    v.created_at});
}

std::int64_t InspectionRepo::insertFinding(const InspectionFinding& f) {
  return c_.insert("INSERT INTO inspection_findings (visit_id, plan_id, region_code, project_id, text, photos, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   {f.visit_id, f.plan_id, f.region_code, f.project_id, f.text, f.photos, f.created_at});
}

std::vector<InspectionVisit> InspectionRepo::visits(std::int64_t planId) {
  std::vector<InspectionVisit> out;
  for (const auto& r :
       c_.query("SELECT v.id, v.plan_id, v.region_code, v.project_id, v.inspector_id, v.visited_on, v.summary, "
                "v.created_at, p.name AS project_name, COALESCE(u.display_name, '') AS inspector_name FROM "
                "inspection_visits v JOIN projects p ON p.id = v.project_id LEFT JOIN users u ON u.id = v.inspector_id "
                "WHERE v.plan_id = ? ORDER BY v.visited_on DESC, v.id DESC",
                {planId})
           .rows) {
    InspectionVisit v;
    v.id = r.i64("id");
    v.plan_id = r.i64("plan_id");
    v.region_code = r.str("region_code");
    v.project_id = r.i64("project_id");
    v.inspector_id = r.optI64("inspector_id");
    v.visited_on = r.str("visited_on");
    v.summary = r.str("summary");
    v.created_at = r.str("created_at");
    v.project_name = r.str("project_name");
    v.inspector_name = r.str("inspector_name");
    out.push_back(std::move(v));
  }
  for (const auto& r : c_.query(std::string(kFindingSelect) + " WHERE plan_id = ? ORDER BY id", {planId}).rows) {
    auto f = findingOf(r);
    for (auto& v : out)
      if (v.id == f.visit_id) v.findings.push_back(f);
  }
  return out;
}

std::optional<InspectionFinding> InspectionRepo::finding(std::int64_t id) {
  auto r = c_.query(std::string(kFindingSelect) + " WHERE id = ?", {id});
  if (r.empty()) return std::nullopt;
  return findingOf(r.one());
}

bool InspectionRepo::setFindingProblem(std::int64_t id, std::int64_t problemId) {
  return c_.exec("UPDATE inspection_findings SET problem_id = ? WHERE id = ? AND problem_id IS NULL",
                 {problemId, id}) > 0;
}

bool InspectionRepo::setFindingLetter(std::int64_t id, std::int64_t letterId) {
  return c_.exec("UPDATE inspection_findings SET letter_id = ? WHERE id = ? AND letter_id IS NULL", {letterId, id}) > 0;
}

InspectionRepo::Figures InspectionRepo::figures(std::int64_t planId, const std::string& start, const std::string& end) {
  Figures f;
  f.started = c_.query("SELECT COUNT(*) AS n FROM inspection_targets t JOIN projects p ON p.id = t.project_id "
                       "WHERE t.plan_id = ? AND p.actual_start IS NOT NULL AND p.actual_start <= ?",
                       {planId, end})
                  .one()
                  .i64("n");
  f.investment = c_.query("SELECT COALESCE(SUM(r.investment), 0) AS s FROM progress_reports r JOIN inspection_targets t "
                          "ON t.project_id = r.project_id WHERE t.plan_id = ? AND r.status <> 'returned' AND "
                          "r.period_end >= ? AND r.period_end <= ?",
                          {planId, start, end})
                     .one()
                     .i64("s");
  for (const auto& r : c_.query("SELECT r.percent FROM progress_reports r JOIN inspection_targets t ON t.project_id = "
                                "r.project_id WHERE t.plan_id = ? AND r.status <> 'returned' AND r.period_end = "
                                "(SELECT MAX(x.period_end) FROM progress_reports x WHERE x.project_id = r.project_id "
                                "AND x.status <> 'returned' AND x.period_end <= ?)",
                                {planId, end})
                           .rows) {
    ++f.reported;
    f.percent_sum += r.i64("percent");
  }
  return f;
}

}  // namespace steward::store
