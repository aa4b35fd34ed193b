#include "store/light_repo.h"

#include <unordered_map>

#include "core/period.h"
#include "core/time.h"
#include "store/scope.h"

namespace steward::store {

namespace {

// The county's day of a stored UTC timestamp; empty when absent or unreadable.
std::string dayOf(const std::optional<std::string>& ts) {
  if (!ts || ts->empty()) return "";
  core::TimePoint t;
  if (!core::parseTimestamp(*ts, t)) return ts->size() >= 10 ? ts->substr(0, 10) : "";
  return core::localDay(t);
}

std::string upTo(const std::optional<std::string>& d, const std::string& day) {
  return d && !d->empty() && *d <= day ? *d : std::string();
}

std::vector<std::int64_t> monthsOf(const std::string& s) {
  std::vector<std::int64_t> out;
  std::size_t i = 0;
  while (i <= s.size() && !s.empty()) {
    auto j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    try {
      out.push_back(std::stoll(s.substr(i, j - i)));
    } catch (const std::exception&) {
      out.push_back(0);
    }
    i = j + 1;
  }
  return out;
}

std::string filterSql(const LightFilter& f, const std::string& alias, Params& p) {
  std::string sql;
  auto add = [&](const char* col, const std::optional<std::int64_t>& v) {
    if (!v) return;
    sql += " AND " + alias + "." + col + " = ?";
    p.push_back(*v);
  };
  add("id", f.project_id);
  add("township_id", f.township_id);
  add("unit_id", f.unit_id);
  add("leader_id", f.leader_id);
  if (!f.chain.empty()) {
    sql += " AND " + alias + ".chain = ?";
    p.push_back(f.chain);
  }
  return sql;
}

// The scope's condition, then the filter's, with their parameters in that order. (Written as one `+` chain, the two
// calls are unsequenced: the compiler may push the filter's project id before the region code.)
std::string scopeAndFilter(const std::string& scope, const LightFilter& f, Params& p) {
  std::string w = scopeSql(scope, "p.region_code", p);
  w += filterSql(f, "p", p);
  return w;
}

}  // namespace

std::vector<LightProject> LightRepo::factsAsOf(const std::string& scope, const std::string& day, const LightFilter& f) {
  // The end of the county's day as a UTC instant (UTC+8): anything stamped before it happened by the day.
  const std::string dayEnd = day + "T16:00:00Z";
  const std::string year = day.substr(0, 4);
  std::vector<LightProject> out;
  std::unordered_map<std::int64_t, std::size_t> at;
  {
    Params p;
    std::string sql =
        "SELECT p.id, p.region_code, p.code, p.name, p.stage, p.status, p.created_at, p.unit_id, p.township_id, "
        "p.leader_id, p.planned_start, p.actual_start, p.planned_production, p.production_date, "
        "p.planned_completion, p.actual_completion, p.light, p.light_reasons, p.light_since, p.light_day, "
        "COALESCE(u.name, '') AS unit_name, COALESCE(t.name, '') AS township_name, "
        "COALESCE(l.display_name, '') AS leader_name "
        "FROM projects p LEFT JOIN org_units u ON u.id = p.unit_id LEFT JOIN org_units t ON t.id = p.township_id "
        "LEFT JOIN users l ON l.id = p.leader_id WHERE " +
        scopeSql(scope, "p.region_code", p);
    sql += filterSql(f, "p", p) + " ORDER BY p.id";
    for (const auto& r : c_.query(sql, p).rows) {
      LightProject lp;
      lp.id = r.i64("id");
      lp.region_code = r.str("region_code");
      lp.code = r.str("code");
      lp.name = r.str("name");
      lp.stage = r.str("stage");
      lp.created_at = r.str("created_at");
      lp.unit_id = r.optI64("unit_id");
      lp.township_id = r.optI64("township_id");
      lp.leader_id = r.optI64("leader_id");
      lp.unit_name = r.str("unit_name");
      lp.township_name = r.str("township_name");
      lp.leader_name = r.str("leader_name");
      lp.light = r.str("light");
      lp.light_reasons = r.str("light_reasons");
      lp.light_since = r.str("light_since");
      lp.light_day = r.str("light_day");
      auto& fa = lp.facts;
      fa.status = r.str("status");
      fa.stage = lp.stage;
      fa.planned_start = r.str("planned_start");
      fa.actual_start = upTo(r.optStr("actual_start"), day);
      fa.planned_production = r.str("planned_production");
      fa.actual_production = upTo(r.optStr("production_date"), day);
      fa.planned_completion = r.str("planned_completion");
      fa.actual_completion = upTo(r.optStr("actual_completion"), day);
      // A project completed by the day no longer lights, whatever its status says now.
      if (fa.status == "completed" && fa.actual_completion.empty() && !r.str("actual_completion").empty())
        fa.status = "active";
      at[lp.id] = out.size();
      out.push_back(std::move(lp));
    }
  }
  if (out.empty()) return out;
  auto each = [&](const std::string& sql, const Params& p, auto fn) {
    for (const auto& r : c_.query(sql, p).rows) {
      auto it = at.find(r.i64("project_id"));
      if (it != at.end()) fn(out[it->second], r);
    }
  };
  {
    Params p;
    std::string sql =
        "SELECT n.project_id, n.name, n.planned_date, n.actual_date FROM project_nodes n JOIN projects p ON "
        "p.id = n.project_id WHERE " + scopeAndFilter(scope, f, p) +
        " ORDER BY n.project_id, n.sort";
    each(sql, p, [&](LightProject& lp, const Row& r) {
      lp.facts.nodes.push_back({r.str("name"), r.str("planned_date"), upTo(r.optStr("actual_date"), day)});
    });
  }
  {
    Params p;
    std::string sql = "SELECT pl.project_id, pl.annual, pl.months FROM project_plans pl JOIN projects p ON "
                      "p.id = pl.project_id WHERE " + scopeAndFilter(scope, f, p) +
                      " AND pl.year = ?";
    p.push_back(std::int64_t(std::stoi(year)));
    each(sql, p, [&](LightProject& lp, const Row& r) {
      lp.facts.annual_plan = r.i64("annual");
      lp.facts.monthly_plan = monthsOf(r.str("months"));
      lp.facts.monthly_plan.resize(12, 0);
    });
  }
  {
    // Reports of the last 13 months up to the day: this year's investment, and which periods are in.
    Params p;
    const auto from = std::min(year + "-01-01", core::addDays(day, -400));
    std::string sql =
        "SELECT r.project_id, rp.cadence, rp.period_key, r.period_end, r.investment FROM progress_reports r "
        "JOIN report_periods rp ON rp.id = r.period_id JOIN projects p ON p.id = r.project_id WHERE " +
        scopeAndFilter(scope, f, p) +
        " AND r.status = 'submitted' AND r.period_end <= ? AND r.period_end >= ? AND r.submitted_at < ?";
    p.push_back(day);
    p.push_back(from);
    p.push_back(dayEnd);
    each(sql, p, [&](LightProject& lp, const Row& r) {
      const auto end = r.str("period_end");
      lp.reported.insert(r.str("cadence") + "/" + r.str("period_key"));
      if (end.compare(0, 4, year) != 0) return;
      lp.facts.invested_this_year += r.i64("investment");
      if (lp.facts.invested_by_month.empty()) lp.facts.invested_by_month.assign(12, 0);
      const int m = std::stoi(end.substr(5, 2));
      if (m >= 1 && m <= 12) lp.facts.invested_by_month[m - 1] += r.i64("investment");
    });
  }
  {
    // Open problems of the project whose solve due day is before the day (the lights' problems dimension); the
    // day after the earliest of those due days is when the project began to have one.
    Params p;
    std::string sql =
        "SELECT q.project_id, COUNT(*) AS n, MIN(q.solve_due) AS first_due FROM problems q JOIN projects p ON "
        "p.id = q.project_id WHERE " + scopeAndFilter(scope, f, p) +
        " AND q.status IN ('accepted', 'assigned', 'in_progress') AND q.solve_due < ? AND q.raised_on <= ? "
        "GROUP BY q.project_id";
    p.push_back(day);
    p.push_back(day);
    each(sql, p, [&](LightProject& lp, const Row& r) {
      lp.facts.overdue_problems = int(r.i64("n"));
      lp.facts.overdue_problems_since = core::addDays(r.str("first_due"), 1);
    });
  }
  {
    Params p;
    std::string sql =
        "SELECT lt.project_id, lt.kind, lt.number, lt.trigger_key, lt.sign_due, lt.answer_due, lt.issued_at, "
        "lt.signed_at, lt.answered_at, lt.closed_at, lt.status FROM letters lt JOIN projects p ON p.id = lt.project_id "
        "WHERE " + scopeAndFilter(scope, f, p) + " AND lt.drafted_at < ? ORDER BY lt.id";
    p.push_back(dayEnd);
    each(sql, p, [&](LightProject& lp, const Row& r) {
      core::lights::LetterFact l;
      l.kind = r.str("kind");
      l.trigger_key = r.str("trigger_key");
      const auto issued = dayOf(r.optStr("issued_at")), signedOn = dayOf(r.optStr("signed_at")),
                 answered = dayOf(r.optStr("answered_at")), closed = dayOf(r.optStr("closed_at"));
      // A letter discarded (or otherwise off the path) counts as closed.
      const auto st = r.str("status");
      l.status = "draft";
      if (!issued.empty() && issued <= day) l.status = "issued", l.number = r.str("number");
      if (!signedOn.empty() && signedOn <= day) l.status = "signed", l.signed_on = signedOn;
      if (!answered.empty() && answered <= day) l.status = "answered", l.answered_on = answered;
      if ((!closed.empty() && closed <= day) || (st != "draft" && st != "issued" && st != "signed" &&
                                                 st != "answered" && st != "closed"))
        l.status = "closed";
      l.sign_due = r.str("sign_due");
      l.answer_due = r.str("answer_due");
      lp.facts.letters.push_back(std::move(l));
    });
  }
  return out;
}

void LightRepo::publish(std::int64_t projectId, const std::string& light, const std::string& reasons,
                        const std::string& since, const std::string& day, std::optional<std::int64_t> spiBp,
                        std::optional<std::int64_t> svMoney) {
  c_.exec("UPDATE projects SET light = ?, light_reasons = ?, light_since = ?, light_day = ?, spi_bp = ?, sv_money = ? "
          "WHERE id = ?",
          {light, reasons, since, day, optParam(spiBp), optParam(svMoney), projectId});
}

void LightRepo::record(std::int64_t projectId, const std::string& day, const std::string& light,
                       const std::string& signature, const std::string& reasons) {
  auto last = c_.query("SELECT from_day, to_day, light, signature FROM light_history WHERE project_id = ? AND "
                       "from_day <= ? ORDER BY from_day DESC LIMIT 1",
                       {projectId, day});
  const auto yesterday = core::addDays(day, -1);
  if (!last.empty()) {
    const auto& r = last.one();
    const auto from = r.str("from_day"), to = r.str("to_day");
    const bool same = r.str("light") == light && r.str("signature") == signature;
    if (to >= yesterday) {
      if (same) {
        if (to < day) c_.exec("UPDATE light_history SET to_day = ? WHERE project_id = ? AND from_day = ?", {day, projectId, from});
        return;
      }
      if (from == day) {
        c_.exec("UPDATE light_history SET light = ?, signature = ?, reasons = ? WHERE project_id = ? AND from_day = ?",
                {light, signature, reasons, projectId, from});
        return;
      }
      if (to >= day) c_.exec("UPDATE light_history SET to_day = ? WHERE project_id = ? AND from_day = ?", {yesterday, projectId, from});
    }
  }
  // Any run starting later (a day evaluated out of order) gives way: the history is written oldest first.
  c_.exec("DELETE FROM light_history WHERE project_id = ? AND from_day >= ?", {projectId, day});
  c_.exec("INSERT INTO light_history (project_id, from_day, to_day, light, signature, reasons) VALUES (?,?,?,?,?,?)",
          {projectId, day, day, light, signature, reasons});
}

std::vector<LightRun> LightRepo::runs(std::int64_t projectId, const std::string& from, const std::string& to) {
  std::vector<LightRun> out;
  for (const auto& r : c_.query("SELECT project_id, from_day, to_day, light, signature, reasons FROM light_history "
                                "WHERE project_id = ? AND to_day >= ? AND from_day <= ? ORDER BY from_day",
                                {projectId, from, to})
                           .rows)
    out.push_back({r.i64("project_id"), r.str("from_day"), r.str("to_day"), r.str("light"), r.str("signature"),
                   r.str("reasons")});
  return out;
}

std::map<std::int64_t, LightRun> LightRepo::publishedOn(const std::string& scope, const std::string& day,
                                                        std::optional<std::int64_t> projectId) {
  Params p;
  std::string sql = "SELECT h.project_id, h.from_day, h.to_day, h.light, h.signature, h.reasons FROM light_history h "
                    "JOIN projects p ON p.id = h.project_id WHERE " +
                    scopeSql(scope, "p.region_code", p) + " AND h.from_day <= ? AND h.to_day >= ?";
  p.push_back(day);
  p.push_back(day);
  if (projectId) {
    sql += " AND h.project_id = ?";
    p.push_back(*projectId);
  }
  std::map<std::int64_t, LightRun> out;
  for (const auto& r : c_.query(sql, p).rows)
    out[r.i64("project_id")] = {r.i64("project_id"), r.str("from_day"), r.str("to_day"), r.str("light"),
                                r.str("signature"), r.str("reasons")};
  return out;
}

std::string LightRepo::lastEvaluatedDay(const std::string& region) {
  auto r = c_.query("SELECT MAX(light_day) AS d FROM projects WHERE region_code = ? AND status = 'active'", {region});
  return r.empty() ? std::string() : r.one().str("d");
}

std::vector<std::string> LightRepo::regionsWithProjects() {
  std::vector<std::string> out;
  for (const auto& r : c_.query("SELECT DISTINCT region_code FROM projects WHERE status = 'active' ORDER BY region_code").rows)
    out.push_back(r.str(0));
  return out;
}

}  // namespace steward::store
