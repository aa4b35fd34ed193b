#include "store/problem_repo.h"

#include "store/scope.h"

namespace steward::store {
namespace {

const char* kSelect =
    "SELECT q.id, q.region_code, q.project_id, q.kind, q.category, q.severity, q.title, q.description, q.evidence, "
    "q.status, q.raised_by, q.raiser_unit_id, q.raised_on, q.raised_at, q.source, q.source_id, q.lead_unit_id, "
    "q.assigned_on, q.feedback_due, q.solve_due, q.planned_on, q.last_feedback_on, q.next_feedback_due, "
    "q.manual_level, q.escalation_level, q.escalation_target_id, q.solution, q.solved_at, q.plan, q.rating, "
    "q.rating_comment, q.closed_at, q.merged_into, q.answer_due_at, q.answered_at, q.checked_on, q.version, "
    "q.updated_at, COALESCE(p.code, '') AS project_code, COALESCE(p.name, '') AS project_name, "
    "p.leader_id AS project_leader_id, COALESCE(ru.display_name, '') AS raiser_name, "
    "COALESCE(lu.name, '') AS lead_unit_name, COALESCE(tu.display_name, '') AS target_name "
    "FROM problems q LEFT JOIN projects p ON p.id = q.project_id LEFT JOIN users ru ON ru.id = q.raised_by "
    "LEFT JOIN org_units lu ON lu.id = q.lead_unit_id LEFT JOIN users tu ON tu.id = q.escalation_target_id";
const char* kFrom = " FROM problems q LEFT JOIN projects p ON p.id = q.project_id";

ProblemRecord problemOf(const Row& r) {
  ProblemRecord q;
  q.id = r.i64("id");
  q.region_code = r.str("region_code");
  q.project_id = r.optI64("project_id");
  q.kind = r.str("kind");
  q.category = r.str("category");
  q.severity = r.str("severity");
  q.title = r.str("title");
  q.description = r.str("description");
  q.evidence = r.str("evidence");
  q.status = r.str("status");
  q.raised_by = r.optI64("raised_by");
  q.raiser_unit_id = r.optI64("raiser_unit_id");
  q.raised_on = r.str("raised_on");
  q.raised_at = r.str("raised_at");
  q.source = r.str("source");
  q.source_id = r.optI64("source_id");
  q.lead_unit_id = r.optI64("lead_unit_id");
  q.assigned_on = r.optStr("assigned_on");
  q.feedback_due = r.optStr("feedback_due");
  q.solve_due = r.optStr("solve_due");
  q.planned_on = r.optStr("planned_on");
  q.last_feedback_on = r.optStr("last_feedback_on");
  q.next_feedback_due = r.optStr("next_feedback_due");
  q.manual_level = r.i64("manual_level");
  q.escalation_level = r.i64("escalation_level");
  q.escalation_target_id = r.optI64("escalation_target_id");
  q.solution = r.str("solution");
  q.solved_at = r.optStr("solved_at");
  q.plan = r.str("plan");
  q.rating = r.optI64("rating");
  q.rating_comment = r.str("rating_comment");
  q.closed_at = r.optStr("closed_at");
  q.merged_into = r.optI64("merged_into");
  q.answer_due_at = r.optStr("answer_due_at");
  q.answered_at = r.optStr("answered_at");
  q.checked_on = r.optStr("checked_on");
  q.version = r.i64("version");
  q.updated_at = r.str("updated_at");
  q.project_code = r.str("project_code");
  q.project_name = r.str("project_name");
  q.project_leader_id = r.optI64("project_leader_id");
  q.raiser_name = r.str("raiser_name");
  q.lead_unit_name = r.str("lead_unit_name");
  q.target_name = r.str("target_name");
  return q;
}

// The condition of an open problem whose current due day is before `?` (three parameters).
const char* kOverdue =
    "((q.status = 'raised' AND q.feedback_due < ?) OR "
    "(q.status IN ('accepted', 'assigned', 'in_progress') AND q.solve_due < ?) OR "
    "(q.status = 'planned' AND q.next_feedback_due < ?))";

std::string whereOf(const ProblemFilter& f, Params& p) {
  std::string w = " WHERE " + scopeSql(f.scope_region, "q.region_code", p);
  if (!f.all) {
    std::string any;
    auto orAdd = [&](const std::string& cond, std::int64_t v) {
      any += (any.empty() ? "" : " OR ") + cond;
      p.push_back(v);
    };
    if (f.raiser) orAdd("q.raised_by = ?", *f.raiser);
    if (f.raiser_unit) orAdd("q.raiser_unit_id = ?", *f.raiser_unit);
    if (f.unit) orAdd("q.id IN (SELECT problem_id FROM problem_units WHERE unit_id = ?)", *f.unit);
    if (f.leader) orAdd("p.leader_id = ?", *f.leader);
    if (f.target) orAdd("q.escalation_target_id = ?", *f.target);
    w += any.empty() ? " AND 1 = 0" : " AND (" + any + ")";
  }
  if (!f.status.empty()) {
    w += " AND q.status = ?";
    p.push_back(f.status);
  }
  if (!f.kind.empty()) {
    w += " AND q.kind = ?";
    p.push_back(f.kind);
  }
  if (!f.category.empty()) {
    w += " AND q.category = ?";
    p.push_back(f.category);
  }
  if (f.project_id) {
    w += " AND q.project_id = ?";
    p.push_back(*f.project_id);
  }
  if (f.unit_id) {
    w += " AND q.id IN (SELECT problem_id FROM problem_units WHERE unit_id = ?)";
    p.push_back(*f.unit_id);
  }
  if (f.raised_by) {
    w += " AND q.raised_by = ?";
    p.push_back(*f.raised_by);
  }
  if (f.overdue_only) {
    w += std::string(" AND ") + kOverdue;
    for (int i = 0; i < 3; ++i) p.push_back(f.today);
  }
  return w;
}

}  // namespace

std::int64_t ProblemRepo::insert(const ProblemRecord& q) {
  return c_.insert(
      "INSERT INTO problems (region_code, project_id, kind, category, severity, title, description, evidence, status, "
      "raised_by, raiser_unit_id, raised_on, raised_at, source, source_id, lead_unit_id, assigned_on, feedback_due, "
      "solve_due, answer_due_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {q.region_code, optParam(q.project_id), q.kind, q.category, q.severity, q.title, q.description, q.evidence,
       q.status, optParam(q.raised_by), optParam(q.raiser_unit_id), q.raised_on, q.raised_at, q.source,
       optParam(q.source_id), optParam(q.lead_unit_id), optParam(q.assigned_on), optParam(q.feedback_due),
       optParam(q.solve_due), optParam(q.answer_due_at), q.updated_at});
}

std::optional<ProblemRecord> ProblemRepo::find(std::int64_t id) {
  auto r = c_.query(std::string(kSelect) + " WHERE q.id = ?", {id});
  if (r.empty()) return std::nullopt;
  return problemOf(r.one());
}

bool ProblemRepo::update(const ProblemRecord& q, std::int64_t version) {
  return c_.exec(
             "UPDATE problems SET category = ?, severity = ?, status = ?, lead_unit_id = ?, assigned_on = ?, "
             "feedback_due = ?, solve_due = ?, planned_on = ?, last_feedback_on = ?, next_feedback_due = ?, "
             "manual_level = ?, escalation_level = ?, escalation_target_id = ?, solution = ?, solved_at = ?, plan = ?, "
             "rating = ?, rating_comment = ?, closed_at = ?, merged_into = ?, answered_at = ?, updated_at = ?, "
             "version = version + 1 WHERE id = ? AND version = ?",
             {q.category, q.severity, q.status, optParam(q.lead_unit_id), optParam(q.assigned_on),
              optParam(q.feedback_due), optParam(q.solve_due), optParam(q.planned_on), optParam(q.last_feedback_on),
              optParam(q.next_feedback_due), q.manual_level, q.escalation_level, optParam(q.escalation_target_id),
              q.solution, optParam(q.solved_at), q.plan, optParam(q.rating), q.rating_comment, optParam(q.closed_at),
              optParam(q.merged_into), optParam(q.answered_at), q.updated_at, q.id, version}) == 1;
}

void ProblemRepo::setChecked(std::int64_t id, const std::string& day) {
  c_.exec("UPDATE problems SET checked_on = ? WHERE id = ?", {day, id});
}

std::vector<ProblemUnit> ProblemRepo::units(std::int64_t problemId) {
  std::vector<ProblemUnit> out;
  for (const auto& r : c_.query("SELECT pu.unit_id, pu.role, COALESCE(u.name, '') AS name FROM problem_units pu "
                                "LEFT JOIN org_units u ON u.id = pu.unit_id WHERE pu.problem_id = ? "
                                "ORDER BY CASE pu.role WHEN 'lead' THEN 0 ELSE 1 END, pu.unit_id",
                                {problemId})
                           .rows)
    out.push_back({r.i64("unit_id"), r.str("role"), r.str("name")});
  return out;
}

void ProblemRepo::setUnits(std::int64_t problemId, std::int64_t lead, const std::vector<std::int64_t>& helpers) {
  c_.exec("DELETE FROM problem_units WHERE problem_id = ?", {problemId});
  c_.exec("INSERT INTO problem_units (problem_id, unit_id, role) VALUES (?, ?, 'lead')", {problemId, lead});
  for (auto h : helpers)
    if (h != lead)
      c_.exec("INSERT INTO problem_units (problem_id, unit_id, role) VALUES (?, ?, 'helper')", {problemId, h});
}

void ProblemRepo::addEvent(const ProblemEvent& e) {
  c_.insert("INSERT INTO problem_events (problem_id, actor_id, at, action, from_status, to_status, note, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {e.problem_id, optParam(e.actor_id), e.at, e.action, e.from_status, e.to_status, e.note, e.data});
}

std::vector<ProblemEvent> ProblemRepo::events(std::int64_t problemId) {
  std::vector<ProblemEvent> out;
  for (const auto& r : c_.query("SELECT e.id, e.problem_id, e.actor_id, COALESCE(u.display_name, '') AS actor_name, "
                                "e.at, e.action, e.from_status, e.to_status, e.note, e.data FROM problem_events e "
                                "LEFT JOIN users u ON u.id = e.actor_id WHERE e.problem_id = ? ORDER BY e.id",
                                {problemId})
                           .rows) {
    ProblemEvent e;
    e.id = r.i64("id");
    e.problem_id = r.i64("problem_id");
    e.actor_id = r.optI64("actor_id");
    e.actor_name = r.str("actor_name");
    e.at = r.str("at");
    e.action = r.str("action");
    e.from_status = r.str("from_status");
    e.to_status = r.str("to_status");
    e.note = r.str("note");
    e.data = r.str("data");
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<ProblemRecord> ProblemRepo::page(const ProblemFilter& f, int limit, int offset) {
  Params p;
  auto sql = std::string(kSelect) + whereOf(f, p) + " ORDER BY q.id DESC LIMIT ? OFFSET ?";
  p.push_back(std::int64_t(limit));
  p.push_back(std::int64_t(offset));
  std::vector<ProblemRecord> out;
  for (const auto& r : c_.query(sql, p).rows) out.push_back(problemOf(r));
  return out;
}

std::int64_t ProblemRepo::count(const ProblemFilter& f) {
  Params p;
  // The project is joined only for the leader's visibility.
  const std::string from = f.leader ? kFrom : " FROM problems q";
  auto w = whereOf(f, p);
  return c_.query("SELECT COUNT(*) AS n" + from + w, p).one().i64("n");
}

std::vector<ProblemFigureRow> ProblemRepo::figureRows(const std::string& scope, const std::string& kind,
                                                     const std::string& today) {
  Params p{today, today, today};
  std::string sql = std::string("SELECT q.lead_unit_id, COALESCE(u.name, '') AS unit_name, q.category, q.status, "
                                "q.raised_on, q.solved_at, q.rating, CASE WHEN ") +
                    kOverdue + " THEN 1 ELSE 0 END AS overdue FROM problems q LEFT JOIN org_units u ON u.id = "
                               "q.lead_unit_id WHERE ";
  sql += scopeSql(scope, "q.region_code", p);
  sql += " AND q.status <> 'merged'";
  if (!kind.empty()) {
    sql += " AND q.kind = ?";
    p.push_back(kind);
  }
  std::vector<ProblemFigureRow> out;
  for (const auto& r : c_.query(sql, p).rows)
    out.push_back({r.optI64("lead_unit_id"), r.str("unit_name"), r.str("category"), r.str("status"),
                   r.str("raised_on"), r.optStr("solved_at"), r.optI64("rating"), r.i64("overdue") != 0});
  return out;
}

std::vector<ProblemRecord> ProblemRepo::uncheckedOpen(const std::string& region, const std::string& day, int limit) {
  std::vector<ProblemRecord> out;
  for (const auto& r : c_.query(std::string(kSelect) +
                                    " WHERE q.region_code = ? AND q.status NOT IN ('closed', 'merged', 'solved') "
                                    "AND (q.checked_on IS NULL OR q.checked_on < ?) ORDER BY q.id LIMIT ?",
                                {region, day, std::int64_t(limit)})
                           .rows)
    out.push_back(problemOf(r));
  return out;
}

std::vector<std::string> ProblemRepo::regionsWithOpen() {
  std::vector<std::string> out;
  for (const auto& r :
       c_.query("SELECT DISTINCT region_code FROM problems WHERE status NOT IN ('closed', 'merged', 'solved') "
                "ORDER BY region_code")
           .rows)
    out.push_back(r.str("region_code"));
  return out;
}




bool ProblemRepo::unitInRegion(std::int64_t unitId, const std::string& region) {
  return !c_.query("SELECT id FROM org_units WHERE id = ? AND region_code = ?", {unitId, region}).empty();
}

}  // namespace steward::store
