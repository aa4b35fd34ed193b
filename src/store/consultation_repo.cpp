#include "store/consultation_repo.h"

#include "store/scope.h"

namespace steward::store {
namespace {

const char* kOpen = "('raised', 'accepted', 'assigned', 'in_progress', 'planned')";
// The current due day of a problem row `q` (as core::problemDeadlines' `current`, from the stored columns).
const char* kDue =
    "CASE WHEN q.status = 'raised' THEN q.feedback_due WHEN q.status = 'planned' THEN q.next_feedback_due "
    "WHEN q.status IN ('accepted', 'assigned', 'in_progress') THEN q.solve_due ELSE NULL END";

const char* kSelect =
    "SELECT c.id, c.region_code, c.month, c.meeting_on, c.place, c.chair, c.attendees, c.minutes, c.status, "
    "c.held_at, c.version, c.created_by, c.created_at, c.updated_by, c.updated_at, "
    "(SELECT COUNT(*) FROM consultation_decisions d WHERE d.consultation_id = c.id) AS decision_count "
    "FROM consultations c";

ConsultationRecord recordOf(const Row& r) {
  ConsultationRecord c;
  c.id = r.i64("id");
  c.region_code = r.str("region_code");
  c.month = r.str("month");
  c.meeting_on = r.optStr("meeting_on");
  c.place = r.str("place");
  c.chair = r.str("chair");
  c.attendees = r.str("attendees");
  c.minutes = r.str("minutes");
  c.status = r.str("status");
  c.held_at = r.optStr("held_at");
  c.version = r.i64("version");
  c.created_by = r.optI64("created_by");
  c.created_at = r.str("created_at");
  c.updated_by = r.optI64("updated_by");
  c.updated_at = r.str("updated_at");
  c.decision_count = r.i64("decision_count");
  return c;
}

// The body of a list's query (no ORDER BY / LIMIT), its order, and its parameters.
struct ListSql {
  std::string body, order;
  Params p;
};

ListSql listSql(ListKind kind, const ListFilter& f) {
  ListSql s;
  auto& p = s.p;
  switch (kind) {
    case ListKind::Problems:
    case ListKind::Tasks: {
      const bool tasks = kind == ListKind::Tasks;
      s.body = std::string("SELECT q.id, q.kind, q.category, q.title, q.status, q.raised_on, q.source, q.source_id, ") +
               kDue + " AS due, q.solve_due, q.project_id, COALESCE(p.name, '') AS project_name, q.lead_unit_id, "
               "COALESCE(u.name, '') AS lead_unit_name, COALESCE(c.month, '') AS consultation_month "
               "FROM problems q LEFT JOIN projects p ON p.id = q.project_id "
               "LEFT JOIN org_units u ON u.id = q.lead_unit_id "
               "LEFT JOIN consultations c ON q.source = 'consultation' AND c.id = q.source_id WHERE " +
               scopeSql(f.scope_region, "q.region_code", p);
      if (tasks) s.body += " AND q.kind = 'task' AND q.status <> 'merged'";
      else s.body += std::string(" AND q.kind IN ('problem', 'demand') AND q.status IN ") + kOpen;
      if (f.unit_id) {
        s.body += " AND q.id IN (SELECT problem_id FROM problem_units WHERE unit_id = ?)";
        p.push_back(*f.unit_id);
      }
      s.order = tasks ? " ORDER BY q.id DESC" : " ORDER BY q.raised_on, q.id";
      break;
    }
    case ListKind::Responsibilities: {
      s.body = std::string(
                   "SELECT p.id, p.code, p.name, p.stage, p.total_investment, p.leader_id, "
                   "COALESCE(lu.display_name, '') AS leader_name, p.unit_id, COALESCE(u.name, '') AS unit_name, "
                   "COALESCE(pu.display_name, '') AS principal_name, COALESCE(su.display_name, '') AS section_chief_name, "
                   "(SELECT COUNT(*) FROM problems q WHERE q.project_id = p.id AND q.kind IN ('problem', 'demand') "
                   "AND q.status IN ") + kOpen + ") AS open_problems, "
               "(SELECT COUNT(*) FROM problems q WHERE q.project_id = p.id AND q.kind = 'task' AND q.status IN " +
               kOpen + ") AS open_tasks "
               "FROM projects p LEFT JOIN users lu ON lu.id = p.leader_id LEFT JOIN org_units u ON u.id = p.unit_id "
               "LEFT JOIN users pu ON pu.id = p.principal_id LEFT JOIN users su ON su.id = p.section_chief_id WHERE " +
               scopeSql(f.scope_region, "p.region_code", p) + " AND p.status = 'active'";
      if (f.unit_id) {
        s.body += " AND p.unit_id = ?";
        p.push_back(*f.unit_id);
      }
      s.order = " ORDER BY p.total_investment DESC, p.id";
      break;
    }
    case ListKind::Deadlines: {
      std::string a = std::string("SELECT 'problem' AS source, q.id AS ref_id, q.kind AS kind, q.title AS title, "
                                  "q.project_id AS project_id, COALESCE(p.name, '') AS project_name, "
                                  "q.lead_unit_id AS unit_id, COALESCE(u.name, '') AS unit_name, ") +
                      kDue + " AS due, q.status AS status FROM problems q "
                      "LEFT JOIN projects p ON p.id = q.project_id LEFT JOIN org_units u ON u.id = q.lead_unit_id "
                      "WHERE " + scopeSql(f.scope_region, "q.region_code", p) + " AND q.status IN " + kOpen;
      if (f.unit_id) {
        a += " AND q.id IN (SELECT problem_id FROM problem_units WHERE unit_id = ?)";
        p.push_back(*f.unit_id);
      }
      std::string b =
          "SELECT 'node' AS source, n.id AS ref_id, n.key AS kind, n.name AS title, p.id AS project_id, "
          "p.name AS project_name, COALESCE(n.unit_id, p.unit_id) AS unit_id, COALESCE(u.name, '') AS unit_name, "
          "n.planned_date AS due, '' AS status FROM project_nodes n JOIN projects p ON p.id = n.project_id "
          "LEFT JOIN org_units u ON u.id = COALESCE(n.unit_id, p.unit_id) WHERE " +
          scopeSql(f.scope_region, "p.region_code", p) +
          " AND p.status = 'active' AND n.planned_date IS NOT NULL AND n.actual_date IS NULL";
      if (f.unit_id) {
        b += " AND COALESCE(n.unit_id, p.unit_id) = ?";
        p.push_back(*f.unit_id);
      }
      std::string c =
          "SELECT 'letter' AS source, l.id AS ref_id, l.kind AS kind, l.title AS title, l.project_id AS project_id, "
          "COALESCE(p.name, '') AS project_name, l.recipient_unit_id AS unit_id, COALESCE(u.name, '') AS unit_name, "
          "CASE WHEN l.status = 'issued' THEN l.sign_due ELSE l.answer_due END AS due, l.status AS status "
          "FROM letters l LEFT JOIN projects p ON p.id = l.project_id LEFT JOIN org_units u ON u.id = "
          "l.recipient_unit_id WHERE " +
          scopeSql(f.scope_region, "l.region_code", p) + " AND l.status IN ('issued', 'signed')";
      if (f.unit_id) {
        c += " AND l.recipient_unit_id = ?";
        p.push_back(*f.unit_id);
      }
      s.body = "SELECT * FROM (" + a + " UNION ALL " + b + " UNION ALL " + c + ") d WHERE d.due IS NOT NULL";
      s.order = " ORDER BY d.due, d.source, d.ref_id";
      break;
    }
  }
  return s;
}

}  // namespace

std::int64_t ConsultationRepo::insert(const ConsultationRecord& r) {
  return c_.insert(
      "INSERT INTO consultations (region_code, month, meeting_on, place, chair, attendees, minutes, status, held_at, "
      "created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.region_code, r.month, optParam(r.meeting_on), r.place, r.chair, r.attendees, r.minutes, r.status,
       optParam(r.held_at), optParam(r.created_by), r.created_at, optParam(r.updated_by), r.updated_at});
}

std::optional<ConsultationRecord> ConsultationRepo::find(std::int64_t id) {
  auto r = c_.query(std::string(kSelect) + " WHERE c.id = ?", {id});
  if (r.empty()) return std::nullopt;
  return recordOf(r.one());
}

std::optional<ConsultationRecord> ConsultationRepo::findByMonth(const std::string& region, const std::string& month) {
  auto r = c_.query(std::string(kSelect) + " WHERE c.region_code = ? AND c.month = ?", {region, month});
  if (r.empty()) return std::nullopt;
  return recordOf(r.one());
}

std::vector<ConsultationRecord> ConsultationRepo::page(const std::string& scope, const std::string& month, int limit,
                                                       int offset) {
  Params p;
  std::string sql = std::string(kSelect) + " WHERE " + scopeSql(scope, "c.region_code", p);
  if (!month.empty()) {
    sql += " AND c.month = ?";
    p.push_back(month);
  }
  sql += " ORDER BY c.month DESC, c.id DESC LIMIT ? OFFSET ?";
  p.push_back(std::int64_t(limit));
  p.push_back(std::int64_t(offset));
  std::vector<ConsultationRecord> out;
  for (const auto& r : c_.query(sql, p).rows) out.push_back(recordOf(r));
  return out;
}

std::int64_t ConsultationRepo::count(const std::string& scope, const std::string& month) {
  Params p;
  std::string sql = "SELECT COUNT(*) AS n FROM consultations c WHERE " + scopeSql(scope, "c.region_code", p);
  if (!month.empty()) {
    sql += " AND c.month = ?";
    p.push_back(month);
  }
  return c_.query(sql, p).one().i64("n");
}

bool ConsultationRepo::update(const ConsultationRecord& r, std::int64_t version) {
  return c_.exec("UPDATE consultations SET meeting_on = ?, place = ?, chair = ?, attendees = ?, minutes = ?, "
                 "status = ?, held_at = ?, updated_by = ?, updated_at = ?, version = version + 1 "
                 "WHERE id = ? AND version = ?",
                 {optParam(r.meeting_on), r.place, r.chair, r.attendees, r.minutes, r.status, optParam(r.held_at),
                  optParam(r.updated_by), r.updated_at, r.id, version}) == 1;
}

std::vector<ConsultationItem> ConsultationRepo::items(std::int64_t id) {
  std::vector<ConsultationItem> out;
  for (const auto& r : c_.query("SELECT problem_id, sort, title, category, status, overdue, note FROM "
                                "consultation_items WHERE consultation_id = ? ORDER BY sort, problem_id",
                                {id})
                           .rows)
    out.push_back({r.i64("problem_id"), r.i64("sort"), r.str("title"), r.str("category"), r.str("status"),
                   r.str("note"), r.i64("overdue") != 0});
  return out;
}

void ConsultationRepo::upsertItem(std::int64_t id, const ConsultationItem& i) {
  if (c_.exec("UPDATE consultation_items SET sort = ?, title = ?, category = ?, status = ?, overdue = ?, note = ? "
              "WHERE consultation_id = ? AND problem_id = ?",
              {i.sort, i.title, i.category, i.status, std::int64_t(i.overdue ? 1 : 0), i.note, id, i.problem_id}) == 0)
    c_.exec("INSERT INTO consultation_items (consultation_id, problem_id, sort, title, category, status, overdue, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {id, i.problem_id, i.sort, i.title, i.category, i.status, std::int64_t(i.overdue ? 1 : 0), i.note});
}

std::int64_t ConsultationRepo::itemCount(std::int64_t id) {
  return c_.query("SELECT COUNT(*) AS n FROM consultation_items WHERE consultation_id = ?", {id}).one().i64("n");
}

std::vector<ConsultationDecision> ConsultationRepo::decisions(std::int64_t id) {
  std::vector<ConsultationDecision> out;
  for (const auto& r :
       c_.query("SELECT d.id, d.consultation_id, d.text, d.owner_unit_id, d.due_on, d.about_problem_id, d.task_id, "
                "d.created_by, d.created_at, COALESCE(u.name, '') AS owner_unit_name, COALESCE(q.status, '') AS "
                "task_status, COALESCE(q.solve_due, '') AS task_solve_due FROM consultation_decisions d "
                "LEFT JOIN org_units u ON u.id = d.owner_unit_id LEFT JOIN problems q ON q.id = d.task_id "
                "WHERE d.consultation_id = ? ORDER BY d.id",
                {id})
           .rows) {
    ConsultationDecision d;
    d.id = r.i64("id");
    d.consultation_id = r.i64("consultation_id");
    d.text = r.str("text");
    d.owner_unit_id = r.i64("owner_unit_id");
    d.due_on = r.str("due_on");
    d.about_problem_id = r.optI64("about_problem_id");
    d.task_id = r.optI64("task_id");
    d.created_by = r.optI64("created_by");
    d.created_at = r.str("created_at");
    d.owner_unit_name = r.str("owner_unit_name");
    d.task_status = r.str("task_status");
    d.task_solve_due = r.str("task_solve_due");
    out.push_back(std::move(d));
  }
  return out;
}

std::int64_t ConsultationRepo::decisionCount(std::int64_t id) {
  return c_.query("SELECT COUNT(*) AS n FROM consultation_decisions WHERE consultation_id = ?", {id}).one().i64("n");
}

std::int64_t ConsultationRepo::insertDecision(const ConsultationDecision& d) {
  return c_.insert("INSERT INTO consultation_decisions (consultation_id, text, owner_unit_id, due_on, "
                   "about_problem_id, task_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   {d.consultation_id, d.text, d.owner_unit_id, d.due_on, optParam(d.about_problem_id),
                    optParam(d.task_id), optParam(d.created_by), d.created_at});
}

Result ConsultationRepo::agenda(const std::string& scope, const std::vector<std::string>& categories,
                                const std::string& today, int limit) {
  Result empty;
  if (categories.empty()) return empty;
  Params p;
  std::string in;
  for (std::size_t i = 0; i < categories.size(); ++i) in += i ? ", ?" : "?";
  std::string sql = std::string("SELECT * FROM (SELECT q.id, q.title, q.kind, q.category, q.status, q.raised_on, ") +
                    kDue + " AS due, q.project_id, COALESCE(p.name, '') AS project_name, q.lead_unit_id, "
                    "COALESCE(u.name, '') AS lead_unit_name FROM problems q LEFT JOIN projects p ON p.id = q.project_id "
                    "LEFT JOIN org_units u ON u.id = q.lead_unit_id WHERE " +
                    scopeSql(scope, "q.region_code", p) + " AND q.kind IN ('problem', 'demand') AND q.status IN " +
                    kOpen + " AND q.category IN (" + in + ")) a "
                    "ORDER BY CASE WHEN a.due IS NOT NULL AND a.due < ? THEN 0 ELSE 1 END, a.raised_on, a.id LIMIT ?";
  for (const auto& c : categories) p.push_back(c);
  p.push_back(today);
  p.push_back(std::int64_t(limit));
  return c_.query(sql, p);
}

std::optional<Row> ConsultationRepo::problemIn(std::int64_t id, const std::string& region) {
  auto r = c_.query(std::string("SELECT q.id, q.title, q.kind, q.category, q.status, q.project_id, ") + kDue +
                        " AS due FROM problems q WHERE q.id = ? AND q.region_code = ?",
                    {id, region});
  if (r.empty()) return std::nullopt;
  return r.one();
}

Result ConsultationRepo::list(ListKind kind, const ListFilter& f, int limit, int offset) {
  auto s = listSql(kind, f);
  s.p.push_back(std::int64_t(limit));
  s.p.push_back(std::int64_t(offset));
  return c_.query(s.body + s.order + " LIMIT ? OFFSET ?", s.p);
}

std::int64_t ConsultationRepo::listCount(ListKind kind, const ListFilter& f) {
  auto s = listSql(kind, f);
  return c_.query("SELECT COUNT(*) AS n FROM (" + s.body + ") t", s.p).one().i64("n");
}

}  // namespace steward::store
