#include "store/project_repo.h"

#include <cctype>
#include <set>

#include "core/access.h"
#include "core/limits.h"
#include "core/money.h"
#include "core/validate.h"
#include "store/scope.h"

namespace steward::store {

namespace {

std::string selectSql(Dialect d) {
  const std::string agg = d == Dialect::Postgres ? "string_agg(pc.item_key, ',' ORDER BY pc.item_key)"
                                                 : "group_concat(pc.item_key, ',')";
  return "SELECT p.*, (SELECT " + agg + " FROM project_checks pc WHERE pc.project_id = p.id) AS checks, "
         "t.name AS township_name, u.name AS unit_name, l.display_name AS leader_name, "
    "s.display_name AS steward_name, po.display_name AS police_name, i.display_name AS inspector_name, "
    "li.display_name AS liaison_name FROM projects p LEFT JOIN org_units t ON t.id = p.township_id "
    "LEFT JOIN org_units u ON u.id = p.unit_id LEFT JOIN users l ON l.id = p.leader_id "
    "LEFT JOIN users s ON s.id = p.steward_id LEFT JOIN users po ON po.id = p.police_id "
    "LEFT JOIN users i ON i.id = p.inspector_id LEFT JOIN users li ON li.id = p.liaison_id";
}

// The columns a caller may set by name; column names are spliced into SQL, so only these pass.
const std::set<std::string>& writableColumns() {
  static const std::set<std::string> cols = {
      "name", "code", "category", "industry", "chain", "enterprise_name", "enterprise_credit_code", "township_id",
      "address", "lng", "lat", "levels", "total_investment", "fund_central_budget", "fund_special_bonds",
      "fund_self_raised", "fund_bank_loans", "fund_other", "signed_date", "planned_start", "actual_start",
      "planned_completion", "actual_completion", "production_date", "planned_production", "content", "stage", "status", "status_reason",
      "unit_id", "leader_id", "steward_id", "police_id", "inspector_id", "liaison_id", "principal_id",
      "unit_leader_id", "section_chief_id", "team_size", "search_text"};
  return cols;
}
void checkColumns(const Fields& fields) {
  for (const auto& [k, v] : fields)
    if (!writableColumns().count(k)) throw DbError("not a writable project column: " + k);
}

// The WHERE clause of a filtered project query, shared by the list and the export.
std::string projectWhere(const ProjectListFilter& f, Params& p) {
  p.clear();
  std::string where = " WHERE " + ProjectRepo::scopeCondition(f.region, "p.region_code", p);
  if (!f.q.empty()) {
    std::string q = f.q;
    for (auto& ch : q) ch = static_cast<char>(std::toupper((unsigned char)ch));
    // Wildcards typed by the user match themselves.
    where += " AND p.search_text LIKE ? ESCAPE '\\'";
    p.push_back("%" + core::escapeLike(q) + "%");
  }
  if (!f.stage.empty()) where += " AND p.stage = ?", p.push_back(f.stage);
  if (!f.category.empty()) where += " AND p.category = ?", p.push_back(f.category);
  if (!f.chain.empty()) where += " AND p.chain = ?", p.push_back(f.chain);
  if (!f.status.empty()) where += " AND p.status = ?", p.push_back(f.status);
  if (!f.light.empty()) where += " AND p.light = ?", p.push_back(f.light);
  if (!f.level.empty())
    where += " AND (',' || p.levels || ',') LIKE ? ESCAPE '\\'", p.push_back("%," + core::escapeLike(f.level) + ",%");
  if (f.township_id) where += " AND p.township_id = ?", p.push_back(*f.township_id);
  if (f.unit_id) where += " AND p.unit_id = ?", p.push_back(*f.unit_id);
  if (f.leader_id) where += " AND p.leader_id = ?", p.push_back(*f.leader_id);
  if (f.missing) where += " AND " + ProjectRepo::missingOnesSql(*f.missing, p);
  if (f.mine_user) {
    std::string cond = "p.leader_id = ? OR p.steward_id = ? OR p.police_id = ? OR p.inspector_id = ? OR "
                       "p.liaison_id = ? OR p.principal_id = ? OR p.unit_leader_id = ? OR p.section_chief_id = ? OR "
                       "EXISTS (SELECT 1 FROM project_team pt WHERE pt.project_id = p.id AND pt.user_id = ?)";
    for (int k = 0; k < 9; ++k) p.push_back(*f.mine_user);
    if (f.mine_unit) {
      cond += " OR p.unit_id = ?";
      p.push_back(*f.mine_unit);
    }
    where += " AND (" + cond + ")";
  }
  return where;
}

std::string projectOrder(const ProjectListFilter& f) {
  std::string col;
  switch (f.sort) {
    case ProjectSort::Name: col = "p.name"; break;
    case ProjectSort::TotalInvestment: col = "p.total_investment"; break;
    case ProjectSort::PlannedStart: col = "p.planned_start"; break;
    case ProjectSort::UpdatedAt: col = "p.updated_at"; break;
    case ProjectSort::CreatedAt: col = "p.created_at"; break;
    case ProjectSort::Code: col = "p.code"; break;
    case ProjectSort::Stage:
      col = "CASE p.stage";
      // Stage keys come from the county's rule set; quote them as literals defensively.
      for (std::size_t i = 0; i < f.stage_order.size(); ++i) {
        std::string key;
        for (char ch : f.stage_order[i])
          if (std::isalnum((unsigned char)ch) || ch == '_') key += ch;
        col += " WHEN '" + key + "' THEN " + std::to_string(i);
      }
      col += " ELSE 99 END";
      break;
  }
  const std::string dir = f.ascending ? "asc" : "desc";
  return col + " " + dir + ", p.id " + dir;
}

// The live (not cancelled) projects of a scope, as a FROM clause.
std::string liveFrom(const std::string& region, Params& p) {
  return " FROM projects WHERE " + ProjectRepo::scopeCondition(region, "region_code", p) +
         " AND status <> 'cancelled'";
}

}  // namespace

std::string ProjectRepo::scopeCondition(const std::string& region, const std::string& column, Params& p) {
  return scopeSql(region, column, p);
}

std::string ProjectRepo::missingOnesSql(const ChecklistGroups& groups, Params& p) {
  std::string out;
  for (const auto& g : groups) {
    if (g.regions.empty()) continue;
    std::string any;
    Params ip;
    for (const auto& it : g.items) {
      std::string cond;
      if (it.satisfied_by == "manual") {
        cond = "NOT EXISTS (SELECT 1 FROM project_checks pc WHERE pc.project_id = p.id AND pc.item_key = ?)";
        ip.push_back(it.key);
      } else if (it.satisfied_by == "leader") cond = "p.leader_id IS NULL";
      else if (it.satisfied_by == "unit") cond = "p.unit_id IS NULL";
      else if (it.satisfied_by == "team") cond = "p.team_size = 0";
      else if (it.satisfied_by == "steward") cond = "p.steward_id IS NULL";
      else if (it.satisfied_by == "project") continue;  // the project itself: never missing
      else cond = "1 = 1";                                 // a source this build does not know: never satisfied
      any += (any.empty() ? "" : " OR ") + cond;
    }
    if (any.empty()) continue;
    std::string in;
    for (const auto& r : g.regions) in += in.empty() ? "?" : ", ?", p.push_back(r);
    for (auto& x : ip) p.push_back(std::move(x));
    out += (out.empty() ? "" : " OR ") + std::string("(p.region_code IN (") + in + ") AND (" + any + "))";
  }
  return out.empty() ? "(1 = 0)" : "(" + out + ")";
}

std::string ProjectRepo::moneySumColumns(const std::string& column) {
  const std::string max = std::to_string(core::limits::kMaxYuan), unit = std::to_string(core::kSplitSumUnit);
  const std::string clamped =
      "(CASE WHEN " + column + " > " + max + " THEN " + max + " WHEN " + column + " < 0 THEN 0 ELSE " + column + " END)";
  return "COALESCE(SUM(" + clamped + " / " + unit + "), 0), COALESCE(SUM(" + clamped + " % " + unit + "), 0)";
}

// --- reading projects

std::optional<Row> ProjectRepo::findById(std::int64_t id) {
  auto r = c_.query(selectSql(c_.dialect()) + " WHERE p.id = ?", {id});
  if (r.empty()) return std::nullopt;
  return r.rows.front();
}

std::optional<std::string> ProjectRepo::regionOf(std::int64_t id) {
  auto r = c_.query("SELECT region_code FROM projects WHERE id = ?", {id});
  if (r.empty()) return std::nullopt;
  return r.one().str(0);
}

ProjectPage ProjectRepo::list(const ProjectListFilter& f, int page, int pageSize) {
  Params p;
  const std::string where = projectWhere(f, p);
  const std::string order = projectOrder(f);
  ProjectPage out;
  auto totals = c_.query("SELECT COUNT(*), " + moneySumColumns("p.total_investment") + " FROM projects p" + where, p).one();
  out.total = totals.i64(0);
  out.total_investment = core::joinSplitSum(totals.i64(1), totals.i64(2));
  Params pp = p;
  pp.push_back(std::int64_t(pageSize));
  pp.push_back(std::int64_t(page - 1) * pageSize);
  // Page over the bare table first, then join names onto the rows that are shown.
  auto ids = c_.query("SELECT p.id FROM projects p" + where + " ORDER BY " + order + " LIMIT ? OFFSET ?", pp);
  if (ids.empty()) return out;
  std::string in;
  Params ip;
  for (auto& r : ids.rows) in += in.empty() ? "?" : ", ?", ip.push_back(r.i64(0));
  std::map<std::int64_t, std::size_t> byId;
  auto joined = c_.query(selectSql(c_.dialect()) + " WHERE p.id IN (" + in + ")", ip);
  for (std::size_t k = 0; k < joined.rows.size(); ++k) byId[joined.rows[k].i64("id")] = k;
  out.rows.reserve(ids.rows.size());
  for (auto& r : ids.rows)
    if (auto it = byId.find(r.i64(0)); it != byId.end()) out.rows.push_back(std::move(joined.rows[it->second]));
  return out;
}

std::vector<Row> ProjectRepo::listAll(const ProjectListFilter& f) {
  Params p;
  const std::string where = projectWhere(f, p);
  return std::move(c_.query(selectSql(c_.dialect()) + where + " ORDER BY " + projectOrder(f), p).rows);
}

std::vector<Row> ProjectRepo::inCounty(const std::string& region) {
  return std::move(c_.query(selectSql(c_.dialect()) + " WHERE p.region_code = ? ORDER BY p.id", {region}).rows);
}

std::vector<std::string> ProjectRepo::distinctValues(const std::string& region, const std::string& column) {
  if (column != "chain" && column != "industry") throw DbError("not a listed project column: " + column);
  Params p;
  std::vector<std::string> out;
  for (auto& r : c_.query("SELECT DISTINCT " + column + " FROM projects WHERE " +
                              scopeCondition(region, "region_code", p),
                          p)
                     .rows)
    if (!r.str(0).empty()) out.push_back(r.str(0));
  return out;
}

// --- writing projects

std::int64_t ProjectRepo::insert(const std::string& region, const std::string& now, const Fields& fields,
                                 bool withEmptySearchText) {
  checkColumns(fields);
  std::string names = "region_code, created_at, updated_at", marks = "?, ?, ?";
  if (withEmptySearchText) names += ", search_text", marks += ", ''";
  Params p{region, now, now};
  for (auto& [k, v] : fields) names += ", " + k, marks += ", ?", p.push_back(v);
  return c_.insert("INSERT INTO projects (" + names + ") VALUES (" + marks + ")", p);
}

void ProjectRepo::update(std::int64_t id, const Fields& fields) {
  if (fields.empty()) return;
  checkColumns(fields);
  std::string sets;
  Params p;
  for (auto& [k, v] : fields) sets += (sets.empty() ? "" : ", ") + k + " = ?", p.push_back(v);
  p.push_back(id);
  c_.exec("UPDATE projects SET " + sets + " WHERE id = ?", p);
}

void ProjectRepo::setSearchText(std::int64_t id, const std::string& text) {
  c_.exec("UPDATE projects SET search_text = ? WHERE id = ?", {text, id});
}

void ProjectRepo::bump(std::int64_t id, const std::string& now) {
  c_.exec("UPDATE projects SET version = version + 1, updated_at = ? WHERE id = ?", {now, id});
}

void ProjectRepo::setStage(std::int64_t id, const std::string& stage) {
  c_.exec("UPDATE projects SET stage = ? WHERE id = ?", {stage, id});
}

void ProjectRepo::logStage(const StageLogEntry& e) {
  c_.exec("INSERT INTO project_stage_log (project_id, from_stage, to_stage, date, note, actor_id, at) VALUES "
          "(?,?,?,?,?,?,?)",
          {e.project_id, e.from_stage, e.to_stage, e.date, e.note, e.actor_id, e.at});
}

void ProjectRepo::setStatus(std::int64_t id, const std::string& status, const std::string& reason) {
  c_.exec("UPDATE projects SET status = ?, status_reason = ? WHERE id = ?", {status, reason, id});
}

// --- team, nodes, plans

std::vector<TeamMember> ProjectRepo::team(std::int64_t id) {
  std::vector<TeamMember> out;
  for (auto& t : c_.query("SELECT u.id, u.display_name, u.rank, o.name AS org_unit_name FROM project_team pt JOIN "
                          "users u ON u.id = pt.user_id LEFT JOIN org_units o ON o.id = u.org_unit_id WHERE "
                          "pt.project_id = ? ORDER BY u.id",
                          {id})
                     .rows)
    out.push_back({t.i64("id"), t.str("display_name"), t.str("rank"), t.str("org_unit_name")});
  return out;
}

void ProjectRepo::replaceTeam(std::int64_t id, const std::vector<std::int64_t>& userIds) {
  c_.exec("DELETE FROM project_team WHERE project_id = ?", {id});
  for (auto uid : userIds) c_.exec("INSERT INTO project_team (project_id, user_id) VALUES (?, ?)", {id, uid});
  c_.exec("UPDATE projects SET team_size = ? WHERE id = ?", {std::int64_t(userIds.size()), id});
}

std::set<std::string> ProjectRepo::checks(std::int64_t id) {
  std::set<std::string> out;
  for (auto& r : c_.query("SELECT item_key FROM project_checks WHERE project_id = ?", {id}).rows) out.insert(r.str(0));
  return out;
}

void ProjectRepo::setCheck(std::int64_t id, const std::string& key, bool ticked) {
  c_.exec("DELETE FROM project_checks WHERE project_id = ? AND item_key = ?", {id, key});
  if (ticked) c_.exec("INSERT INTO project_checks (project_id, item_key) VALUES (?, ?)", {id, key});
}

std::vector<NodeRecord> ProjectRepo::nodes(std::int64_t id) {
  std::vector<NodeRecord> out;
  for (auto& n : c_.query("SELECT n.*, o.name AS unit_name FROM project_nodes n LEFT JOIN org_units o ON o.id = "
                          "n.unit_id WHERE n.project_id = ? ORDER BY n.sort",
                          {id})
                     .rows)
    out.push_back({n.str("key"), n.str("name"), n.str("note"), n.optStr("planned_date"), n.optStr("actual_date"),
                   n.optI64("unit_id"), n.str("unit_name")});
  return out;
}

void ProjectRepo::replaceNodes(std::int64_t id, const std::vector<NodeRecord>& nodes) {
  c_.exec("DELETE FROM project_nodes WHERE project_id = ?", {id});
  std::int64_t sort = 0;
  for (const auto& n : nodes)
    c_.exec("INSERT INTO project_nodes (project_id, sort, key, name, planned_date, actual_date, unit_id, note) "
            "VALUES (?,?,?,?,?,?,?,?)",
            {id, ++sort, n.key, n.name, optParam(n.planned_date), optParam(n.actual_date), optParam(n.unit_id),
             n.note});
}

std::vector<PlanRecord> ProjectRepo::plans(std::int64_t id) {
  std::vector<PlanRecord> out;
  for (auto& pl : c_.query("SELECT year, annual, months FROM project_plans WHERE project_id = ? ORDER BY year", {id})
                      .rows)
    out.push_back({pl.i64("year"), pl.i64("annual"), pl.str("months")});
  return out;
}

std::optional<PlanRecord> ProjectRepo::plan(std::int64_t id, std::int64_t year) {
  auto r = c_.query("SELECT annual, months FROM project_plans WHERE project_id = ? AND year = ?", {id, year});
  if (r.empty()) return std::nullopt;
  return PlanRecord{year, r.one().i64(0), r.one().str(1)};
}

void ProjectRepo::replacePlan(std::int64_t id, const PlanRecord& plan) {
  c_.exec("DELETE FROM project_plans WHERE project_id = ? AND year = ?", {id, plan.year});
  c_.exec("INSERT INTO project_plans (project_id, year, annual, months) VALUES (?,?,?,?)",
          {id, plan.year, plan.annual, plan.months});
}

// --- names

std::optional<PersonName> ProjectRepo::person(std::int64_t userId) {
  auto u = c_.query("SELECT id, display_name FROM users WHERE id = ?", {userId});
  if (u.empty()) return std::nullopt;
  return PersonName{u.one().i64("id"), u.one().str("display_name")};
}

bool ProjectRepo::orgUnitInRegion(std::int64_t id, const std::string& region, bool townshipOnly) {
  return !c_.query(std::string("SELECT 1 FROM org_units WHERE id = ? AND region_code = ?") +
                       (townshipOnly ? " AND kind IN ('township', 'park')" : ""),
                   {id, region})
              .empty();
}

bool ProjectRepo::userInRegion(std::int64_t id, const std::string& region) {
  return !c_.query("SELECT 1 FROM users WHERE id = ? AND region_code = ?", {id, region}).empty();
}

std::vector<OrgUnitName> ProjectRepo::unitNamesForRegion(const std::string& region) {
  std::vector<OrgUnitName> out;
  for (auto& r : c_.query("SELECT id, name, kind FROM org_units WHERE region_code = ?", {region}).rows)
    out.push_back({r.i64("id"), r.str("name"), r.str("kind")});
  return out;
}

std::vector<PersonName> ProjectRepo::peopleForRegion(const std::string& region) {
  std::vector<PersonName> out;
  for (auto& r : c_.query("SELECT id, display_name FROM users WHERE region_code = ? ORDER BY CASE rank WHEN "
                          "'county_leader' THEN 0 ELSE 1 END, id",
                          {region})
                     .rows)
    out.push_back({r.i64("id"), r.str("display_name")});
  return out;
}

std::optional<std::string> ProjectRepo::regionName(const std::string& code) {
  auto r = c_.query("SELECT name FROM regions WHERE code = ?", {code});
  if (r.empty()) return std::nullopt;
  return r.one().str(0);
}

// --- the dashboard

LiveTotals ProjectRepo::liveTotals(const std::string& region) {
  Params p;
  const auto live = liveFrom(region, p);
  auto r = c_.query("SELECT COUNT(*) AS n, " + moneySumColumns("total_investment") + ", "
                    "COALESCE(SUM(CASE WHEN actual_start IS NOT NULL THEN 1 ELSE 0 END), 0) AS started, "
                    "COALESCE(SUM(CASE WHEN actual_completion IS NOT NULL THEN 1 ELSE 0 END), 0) AS completed" +
                        live,
                    p)
               .one();
  return {r.i64("n"), core::joinSplitSum(r.i64(1), r.i64(2)), r.i64("started"), r.i64("completed")};
}

namespace {
std::map<std::string, ProjectSums> liveGrouped(Connection& c, const std::string& region, const std::string& column) {
  Params p;
  const auto live = liveFrom(region, p);
  std::map<std::string, ProjectSums> out;
  for (auto& r : c.query("SELECT " + column + ", COUNT(*) AS n, " + ProjectRepo::moneySumColumns("total_investment") +
                             live + " GROUP BY " + column,
                         p)
                     .rows)
    out[r.str(column)] = {r.i64("n"), core::joinSplitSum(r.i64(2), r.i64(3))};
  return out;
}
}  // namespace

std::map<std::string, ProjectSums> ProjectRepo::liveByStage(const std::string& region) {
  return liveGrouped(c_, region, "stage");
}

std::map<std::string, ProjectSums> ProjectRepo::liveByCategory(const std::string& region) {
  return liveGrouped(c_, region, "category");
}

std::int64_t ProjectRepo::liveWithLevel(const std::string& region, const std::string& level) {
  Params p;
  const auto live = liveFrom(region, p);
  p.push_back("%," + core::escapeLike(level) + ",%");
  return c_.query("SELECT COUNT(*)" + live + " AND (',' || levels || ',') LIKE ? ESCAPE '\\'", p).one().i64(0);
}

std::int64_t ProjectRepo::liveMissingOnes(const std::string& region, const ChecklistGroups& groups) {
  Params p;
  const auto scope = scopeCondition(region, "p.region_code", p);
  const auto missing = missingOnesSql(groups, p);
  return c_.query("SELECT COUNT(*) FROM projects p WHERE " + scope + " AND p.status <> 'cancelled' AND " + missing, p)
      .one()
      .i64(0);
}

std::vector<std::string> ProjectRepo::projectRegions(const std::string& region) {
  Params p;
  std::vector<std::string> out;
  for (auto& r : c_.query("SELECT DISTINCT region_code FROM projects WHERE " +
                              scopeCondition(region, "region_code", p) + " ORDER BY region_code",
                          p)
                     .rows)
    out.push_back(r.str(0));
  return out;
}

std::int64_t ProjectRepo::liveAnnualPlan(const std::string& region, std::int64_t year) {
  Params p;
  const auto scope = scopeCondition(region, "p.region_code", p);
  p.push_back(year);
  auto r = c_.query("SELECT " + moneySumColumns("pp.annual") +
                        " FROM project_plans pp JOIN projects p ON p.id = pp.project_id WHERE " + scope +
                        " AND p.status <> 'cancelled' AND pp.year = ?",
                    p)
               .one();
  return core::joinSplitSum(r.i64(0), r.i64(1));
}

}  // namespace steward::store
