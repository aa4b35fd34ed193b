#include "store/problem_repo.h"

#include "core/validate.h"
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

// kOverdue as one branch per open state, each a range of an index on (region_code, status, due column): the overdue
// list and its count are the union of the five ranges, read from the indexes alone, instead of a scan of the county.
constexpr int kOverdueBranches = 5;
const char* const kOverdueBranch[kOverdueBranches] = {
    "q.status = 'raised' AND q.feedback_due < ?", "q.status = 'accepted' AND q.solve_due < ?",
    "q.status = 'assigned' AND q.solve_due < ?", "q.status = 'in_progress' AND q.solve_due < ?",
    "q.status = 'planned' AND q.next_feedback_due < ?"};

// The WHERE of a list; with overdue_only, of one of its branches (0 to kOverdueBranches - 1).
std::string whereOf(const ProblemFilter& f, Params& p, int branch = -1) {
  std::string w = " WHERE " + scopeSql(f.scope_region, "q.region_code", p);
  if (f.overdue_only && branch >= 0) {
    w += std::string(" AND ") + kOverdueBranch[branch];
    p.push_back(f.today);
  }
  if (!f.all) {
    // What a unit, a raiser, a leader or an escalation target sees, as a union of index lookups (one per way of
    // seeing) rather than an OR that scans the county.
    std::string any;
    auto orAdd = [&](const std::string& sel, std::int64_t v) {
      any += (any.empty() ? "" : " UNION ALL ") + sel;
      p.push_back(v);
    };
    if (f.raiser) orAdd("SELECT id FROM problems WHERE raised_by = ?", *f.raiser);
    if (f.raiser_unit) orAdd("SELECT id FROM problems WHERE raiser_unit_id = ?", *f.raiser_unit);
    if (f.unit) orAdd("SELECT problem_id FROM problem_units WHERE unit_id = ?", *f.unit);
    if (f.leader) {
      any += std::string(any.empty() ? "" : " UNION ALL ") +
             "SELECT id FROM problems WHERE project_id IN (SELECT id FROM projects WHERE " +
             scopeSql(f.scope_region, "region_code", p) + " AND leader_id = ?)";
      p.push_back(*f.leader);
    }
    if (f.target) orAdd("SELECT id FROM problems WHERE escalation_target_id = ?", *f.target);
    w += any.empty() ? " AND 1 = 0" : " AND q.id IN (" + any + ")";
  }
  if (f.status == "open") {
    w += " AND q.status NOT IN ('closed', 'merged')";
  } else if (!f.status.empty()) {
    w += " AND q.status = ?";
    p.push_back(f.status);
  }
  if (!f.text.empty()) {
    w += " AND (q.title LIKE ? ESCAPE '\\' OR q.description LIKE ? ESCAPE '\\')";
    const auto like = "%" + core::escapeLike(f.text) + "%";
    p.push_back(like);
    p.push_back(like);
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
  // The page's ids first (from the indexes alone where they can), then their rows with the joins: sorting ids
  // rather than whole joined rows when the filter matches thousands.
  std::string ids;
  if (f.overdue_only) {
    for (int i = 0; i < kOverdueBranches; ++i)
      ids += std::string(i ? " UNION ALL " : "") + "SELECT q.id FROM problems q" + whereOf(f, p, i);
    ids = "SELECT id FROM (" + ids + ") t ORDER BY id DESC LIMIT ? OFFSET ?";
  } else {
    ids = "SELECT q.id FROM problems q" + whereOf(f, p) + " ORDER BY q.id DESC LIMIT ? OFFSET ?";
  }
  auto sql = std::string(kSelect) + " WHERE q.id IN (" + ids + ") ORDER BY q.id DESC";
  p.push_back(std::int64_t(limit));
  p.push_back(std::int64_t(offset));
  std::vector<ProblemRecord> out;
  for (const auto& r : c_.query(sql, p).rows) out.push_back(problemOf(r));
  return out;
}

std::int64_t ProblemRepo::count(const ProblemFilter& f) {
  Params p;
  if (f.overdue_only) {
    std::string sql;
    for (int i = 0; i < kOverdueBranches; ++i)
      sql += std::string(i ? " UNION ALL " : "") + "SELECT COUNT(*) AS n FROM problems q" + whereOf(f, p, i);
    return c_.query("SELECT CAST(SUM(n) AS BIGINT) AS n FROM (" + sql + ") t", p).one().i64("n");
  }
  auto w = whereOf(f, p);
  return c_.query("SELECT COUNT(*) AS n FROM problems q" + w, p).one().i64("n");
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

std::vector<ProblemFigureGroup> ProblemRepo::figureGroups(const std::string& scope, const std::string& kind,
                                                         const std::string& today, const std::string& nowIso) {
  const bool pg = c_.dialect() == Dialect::Postgres;
  // Whole days from the raise to the county's (UTC+8) day of solving, and seconds from the raise to the answer.
  const std::string days = pg ? "(CAST(CAST(q.solved_at AS TIMESTAMP) + INTERVAL '8 hours' AS DATE) - "
                                "CAST(q.raised_on AS DATE))"
                              : "CAST(julianday(date(q.solved_at, '+8 hours')) - julianday(q.raised_on) AS INTEGER)";
  const std::string secs = pg ? "CAST(EXTRACT(EPOCH FROM (CAST(q.answered_at AS TIMESTAMP) - "
                                "CAST(q.raised_at AS TIMESTAMP))) AS BIGINT)"
                              : "CAST(ROUND((julianday(q.answered_at) - julianday(q.raised_at)) * 86400) AS INTEGER)";
  Params p{today, today, today, nowIso};
  std::string sql =
      std::string("SELECT q.lead_unit_id, q.category, COUNT(*) AS raised, "
                  "SUM(CASE WHEN q.status IN ('solved', 'closed') THEN 1 ELSE 0 END) AS solved, "
                  "SUM(CASE WHEN q.status IN ('solved', 'closed') AND q.solved_at IS NOT NULL AND ") +
      days + " > 0 THEN " + days + " ELSE 0 END) AS days, SUM(CASE WHEN " + kOverdue +
      " THEN 1 ELSE 0 END) AS overdue, COUNT(q.rating) AS rated, COALESCE(SUM(q.rating), 0) AS rating_sum, "
      "SUM(CASE WHEN q.kind = 'demand' THEN 1 ELSE 0 END) AS demands, "
      "SUM(CASE WHEN q.kind = 'demand' AND q.answered_at IS NOT NULL AND q.answered_at <= q.answer_due_at THEN 1 "
      "ELSE 0 END) AS in_time, "
      "SUM(CASE WHEN q.kind = 'demand' AND q.answered_at IS NOT NULL AND q.answered_at > q.answer_due_at THEN 1 "
      "ELSE 0 END) AS late, "
      "SUM(CASE WHEN q.kind = 'demand' AND q.answered_at IS NULL AND q.answer_due_at < ? THEN 1 ELSE 0 END) "
      "AS open_overdue, "
      "CAST(SUM(CASE WHEN q.kind = 'demand' AND q.answered_at IS NOT NULL THEN " +
      secs + " ELSE 0 END) AS BIGINT) AS answer_seconds FROM problems q WHERE ";
  sql += scopeSql(scope, "q.region_code", p);
  sql += " AND q.status <> 'merged'";
  if (!kind.empty()) {
    sql += " AND q.kind = ?";
    p.push_back(kind);
  }
  sql += " GROUP BY q.lead_unit_id, q.category";
  // The units' names are joined to the groups, not to each problem.
  sql = "SELECT g.*, COALESCE(u.name, '') AS unit_name FROM (" + sql +
        ") g LEFT JOIN org_units u ON u.id = g.lead_unit_id ORDER BY g.lead_unit_id, g.category";
  std::vector<ProblemFigureGroup> out;
  for (const auto& r : c_.query(sql, p).rows) {
    ProblemFigureGroup g;
    g.unit_id = r.optI64("lead_unit_id");
    g.unit_name = r.str("unit_name");
    g.category = r.str("category");
    g.raised = r.i64("raised");
    g.solved = r.i64("solved");
    g.days = r.i64("days");
    g.overdue = r.i64("overdue");
    g.rated = r.i64("rated");
    g.rating_sum = r.i64("rating_sum");
    g.demands = r.i64("demands");
    g.answered_in_time = r.i64("in_time");
    g.answered_late = r.i64("late");
    g.open_overdue = r.i64("open_overdue");
    g.answer_seconds = r.i64("answer_seconds");
    out.push_back(std::move(g));
  }
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

std::vector<ProblemRecord> ProblemRepo::demandsDueBetween(const std::string& from, const std::string& to, int limit) {
  std::vector<ProblemRecord> out;
  for (const auto& r : c_.query(std::string(kSelect) +
                                    " WHERE q.kind = 'demand' AND q.answer_due_at >= ? AND q.answer_due_at < ? AND "
                                    "q.answered_at IS NULL AND q.status NOT IN ('closed', 'merged', 'solved') "
                                    "ORDER BY q.answer_due_at, q.id LIMIT ?",
                                {from, to, std::int64_t(limit)})
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
