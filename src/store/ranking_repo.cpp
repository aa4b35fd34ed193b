#include "store/ranking_repo.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace steward::store {

namespace {

using core::rankings::Figure;

// "?,?,?" for n parameters.
std::string marks(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

// Σ of the first `months` monthly amounts of a plan's months ("a,b,c,…", twelve integers); unreadable parts are 0.
std::int64_t planToDate(const std::string& text, int months) {
  std::int64_t s = 0;
  int i = 0;
  std::size_t at = 0;
  while (i < months && at <= text.size()) {
    auto end = text.find(',', at);
    if (end == std::string::npos) end = text.size();
    std::int64_t v = 0;
    bool ok = end > at;
    for (std::size_t k = at; k < end && ok; ++k) {
      const char ch = text[k];
      if (ch < '0' || ch > '9' || v > 100000000000000LL) ok = false;
      else v = v * 10 + (ch - '0');
    }
    if (ok) s += v;
    ++i;
    at = end + 1;
  }
  return s;
}

Figure ratio(std::int64_t num, std::int64_t den) {
  Figure f;
  f.den = den;
  f.num = std::min(num, den);
  return f;
}

Figure mark(std::int64_t sum, std::int64_t n, std::int64_t scale) {
  Figure f;
  f.num = sum;
  f.den = n;
  if (n > 0) f.value = sum * scale / n;
  return f;
}

// Per-subject accumulators, keyed by id (projects or units).
struct Acc {
  std::int64_t plan = 0, done = 0, start_den = 0, start_num = 0, reports_due = 0, reports_on = 0, visits_due = 0,
               visits_done = 0, problems_due = 0, problems_in = 0, letters_due = 0, letters_in = 0, rating_sum = 0,
               rating_n = 0;
};

// The shared figure queries, grouped by `key` ("p.unit_id" per unit, "p.id" per project), for the projects the
// `where` fragment (on p) admits.
std::map<std::int64_t, Acc> gather(Connection& c, const RankingWindow& w, const std::string& key,
                                   const std::string& extraWhere, const Params& extra) {
  std::map<std::int64_t, Acc> acc;
  auto with = [&](Params p) {
    p.insert(p.end(), extra.begin(), extra.end());
    return p;
  };
  const std::string projWhere = " p.region_code = ? AND p.unit_id IS NOT NULL" + extraWhere;
  // Projects: planned and actual start, reports and visits due.
  for (const auto& r :
       c.query("SELECT " + key +
                   " AS k, SUM(CASE WHEN p.planned_start IS NOT NULL AND p.planned_start <= ? THEN 1 ELSE 0 END) AS sd, "
                   "SUM(CASE WHEN p.planned_start IS NOT NULL AND p.planned_start <= ? AND p.actual_start IS NOT NULL "
                   "AND p.actual_start <= ? THEN 1 ELSE 0 END) AS sn, "
                   "SUM(CASE WHEN p.status = 'active' THEN 1 ELSE 0 END) AS act, "
                   "SUM(CASE WHEN p.status = 'active' AND p.leader_id IS NOT NULL THEN 1 ELSE 0 END) AS led FROM "
                   "projects p WHERE" +
                   projWhere + " GROUP BY " + key,
               with({w.month_end, w.month_end, w.month_end, w.region}))
           .rows) {
    auto& a = acc[r.i64("k")];
    a.start_den = r.i64("sd");
    a.start_num = r.i64("sn");
    a.reports_due = r.i64("act");
    a.visits_due = r.i64("led") * static_cast<std::int64_t>(w.weeks.size());
  }
  // Investment done this year to the month's end (reports not returned).
  for (const auto& r : c.query("SELECT " + key +
                                   " AS k, SUM(r.investment) AS s FROM progress_reports r JOIN projects p ON p.id = "
                                   "r.project_id WHERE r.region_code = ? AND r.period_end >= ? AND r.period_end <= ? "
                                   "AND r.status <> 'returned' AND" +
                                   projWhere + " GROUP BY " + key,
                               with({w.region, w.year_start, w.month_end, w.region}))
                           .rows)
    acc[r.i64("k")].done = r.optI64("s").value_or(0);
  // The annual plans' months to date (the months list is summed here: one row per project).
  for (const auto& r : c.query("SELECT " + key +
                                   " AS k, pl.months FROM project_plans pl JOIN projects p ON p.id = pl.project_id "
                                   "WHERE pl.year = ? AND" +
                                   projWhere,
                               with({std::int64_t{std::stoi(w.year_start.substr(0, 4))}, w.region}))
                           .rows)
    acc[r.i64("k")].plan += planToDate(r.str("months"), w.month_no);
  // Reports of the month submitted by the deadline, one per project.
  for (const auto& r : c.query("SELECT " + key +
                                   " AS k, COUNT(DISTINCT r.project_id) AS n FROM progress_reports r JOIN projects p "
                                   "ON p.id = r.project_id WHERE r.region_code = ? AND r.period_end >= ? AND "
                                   "r.period_end <= ? AND r.submitted_at <= ? AND r.status <> 'returned' AND "
                                   "p.status = 'active' AND" +
                                   projWhere + " GROUP BY " + key,
                               with({w.region, w.month_start, w.month_end, w.report_deadline, w.region}))
                           .rows)
    acc[r.i64("k")].reports_on = r.i64("n");
  // Weekly visits done: distinct (project, week) of the month's weeks.
  if (!w.weeks.empty()) {
    Params p{w.region};
    for (const auto& k : w.weeks) p.push_back(k);
    p.push_back(w.region);
    p.insert(p.end(), extra.begin(), extra.end());
    for (const auto& r : c.query("SELECT " + key +
                                     " AS k, COUNT(*) AS n FROM (SELECT DISTINCT v.project_id, v.week_key FROM "
                                     "leader_visits v WHERE v.region_code = ? AND v.week_key IN (" +
                                     marks(w.weeks.size()) +
                                     ")) d JOIN projects p ON p.id = d.project_id WHERE p.status = 'active' AND "
                                     "p.leader_id IS NOT NULL AND" +
                                     projWhere + " GROUP BY " + key,
                                 p)
                             .rows)
      acc[r.i64("k")].visits_done = r.i64("n");
  }
  return acc;
}

// Problems and letters per lead/recipient unit (a project's problems count for the unit that leads them).
void gatherUnitDuties(Connection& c, const RankingWindow& w, std::map<std::int64_t, Acc>& acc,
                      std::optional<std::int64_t> onlyUnit) {
  Params p{w.region, w.month_start, w.month_end};
  std::string unitCond = onlyUnit ? " AND lead_unit_id = ?" : "";
  if (onlyUnit) p.push_back(*onlyUnit);
  // Due in the month: solved within the due day (its county day ends at 16:00 UTC).
  for (const auto& r : c.query("SELECT lead_unit_id AS k, COUNT(*) AS n, SUM(CASE WHEN solved_at IS NOT NULL AND "
                               "solved_at < solve_due || 'T16:00:00Z' THEN 1 ELSE 0 END) AS ok FROM problems WHERE "
                               "region_code = ? AND lead_unit_id IS NOT NULL AND merged_into IS NULL AND status <> "
                               "'merged' AND solve_due >= ? AND solve_due <= ?" +
                                   unitCond + " GROUP BY lead_unit_id",
                               p)
                           .rows) {
    acc[r.i64("k")].problems_due = r.i64("n");
    acc[r.i64("k")].problems_in = r.optI64("ok").value_or(0);
  }
  Params pl{w.region, w.month_start, w.month_end};
  std::string letterCond = onlyUnit ? " AND recipient_unit_id = ?" : "";
  if (onlyUnit) pl.push_back(*onlyUnit);
  for (const auto& r : c.query("SELECT recipient_unit_id AS k, COUNT(*) AS n, SUM(CASE WHEN answered_at IS NOT NULL "
                               "AND answered_at < answer_due || 'T16:00:00Z' THEN 1 ELSE 0 END) AS ok FROM letters "
                               "WHERE region_code = ? AND recipient_unit_id IS NOT NULL AND status <> 'draft' AND "
                               "answer_due >= ? AND answer_due <= ?" +
                                   letterCond + " GROUP BY recipient_unit_id",
                               pl)
                           .rows) {
    acc[r.i64("k")].letters_due = r.i64("n");
    acc[r.i64("k")].letters_in = r.optI64("ok").value_or(0);
  }
  Params ps{w.region, w.utc_start, w.utc_end};
  if (onlyUnit) ps.push_back(*onlyUnit);
  for (const auto& r : c.query("SELECT lead_unit_id AS k, SUM(rating) AS s, COUNT(*) AS n FROM problems WHERE "
                               "region_code = ? AND lead_unit_id IS NOT NULL AND rating IS NOT NULL AND closed_at >= ? "
                               "AND closed_at < ?" +
                                   unitCond + " GROUP BY lead_unit_id",
                               ps)
                           .rows) {
    acc[r.i64("k")].rating_sum = r.optI64("s").value_or(0);
    acc[r.i64("k")].rating_n = r.i64("n");
  }
}

}  // namespace

std::vector<RankedSubject> RankingRepo::unitFigures(const RankingWindow& w) {
  std::vector<RankedSubject> out;
  for (const auto& r : c_.query("SELECT o.id, o.name FROM org_units o WHERE o.region_code = ? AND o.kind IN "
                                "('department', 'township') AND (EXISTS (SELECT 1 FROM projects p WHERE p.region_code = "
                                "o.region_code AND p.unit_id = o.id) OR EXISTS (SELECT 1 FROM problems q WHERE "
                                "q.lead_unit_id = o.id)) ORDER BY "
                                "o.sort, o.id",
                                {w.region})
                           .rows)
    out.push_back({r.i64("id"), r.str("name"), {}});
  if (out.empty()) return out;
  auto acc = gather(c_, w, "p.unit_id", "", {});
  gatherUnitDuties(c_, w, acc, std::nullopt);
  std::map<std::int64_t, std::int64_t> ledger;
  for (const auto& r : c_.query("SELECT unit_id, late_steps + unreconciled AS n FROM ledgers WHERE region_code = ? "
                                "AND month = ?",
                                {w.region, w.month})
                           .rows)
    ledger[r.i64("unit_id")] = r.i64("n");
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> shows;
  for (const auto& r : c_.query("SELECT r.unit_id, SUM(r.mark) AS s, COUNT(*) AS n FROM show_results_ratings r JOIN "
                                "show_results_meetings m ON m.id = r.meeting_id WHERE m.region_code = ? AND m.status = "
                                "'closed' AND m.held_on >= ? AND m.held_on <= ? GROUP BY r.unit_id",
                                {w.region, w.show_from, w.month_end})
                           .rows)
    shows[r.i64("unit_id")] = {r.optI64("s").value_or(0), r.i64("n")};
  for (auto& s : out) {
    const Acc a = acc.count(s.id) ? acc[s.id] : Acc{};
    s.figures["investment"] = ratio(a.done, a.plan);
    s.figures["start"] = ratio(a.start_num, a.start_den);
    s.figures["reports"] = ratio(a.reports_on, a.reports_due);
    s.figures["visits"] = ratio(a.visits_done, a.visits_due);
    s.figures["problems"] = ratio(a.problems_in, a.problems_due);
    s.figures["letters"] = ratio(a.letters_in, a.letters_due);
    // A close rating of 1..5 as a mark of 20..100 points (hundredths: × 2000).
    if (a.rating_n > 0) s.figures["satisfaction"] = mark(a.rating_sum, a.rating_n, 2000);
    Figure lf;
    lf.value = ledger.count(s.id) ? ledger[s.id] : 5;
    s.figures["ledger"] = lf;
    if (shows.count(s.id)) s.figures["show_results"] = mark(shows[s.id].first, shows[s.id].second, 1);
  }
  return out;
}

std::vector<RankedSubject> RankingRepo::projectFigures(const RankingWindow& w) {
  std::vector<RankedSubject> out;
  std::map<std::int64_t, std::size_t> at;
  for (const auto& r : c_.query("SELECT d.project_id, p.name, d.factor, SUM(d.mark) AS s, COUNT(*) AS n FROM "
                                "drill_marks d JOIN projects p ON p.id = d.project_id WHERE d.region_code = ? AND "
                                "d.month = ? GROUP BY d.project_id, p.name, d.factor ORDER BY d.project_id, d.factor",
                                {w.region, w.month})
                           .rows) {
    const auto id = r.i64("project_id");
    if (!at.count(id)) {
      at[id] = out.size();
      out.push_back({id, r.str("name"), {}});
    }
    out[at[id]].figures[r.str("factor")] = mark(r.optI64("s").value_or(0), r.i64("n"), 1);
  }
  return out;
}

std::vector<ProjectFigures> RankingRepo::unitProjects(const RankingWindow& w, std::int64_t unitId) {
  std::vector<ProjectFigures> out;
  auto acc = gather(c_, w, "p.id", " AND p.unit_id = ?", {unitId});
  // Problems and letters of the unit by project.
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> probs, lets;
  for (const auto& r : c_.query("SELECT project_id, COUNT(*) AS n, SUM(CASE WHEN solved_at IS NOT NULL AND solved_at "
                                "< solve_due || 'T16:00:00Z' THEN 1 ELSE 0 END) AS ok FROM problems WHERE region_code "
                                "= ? AND lead_unit_id = ? AND project_id IS NOT NULL AND merged_into IS NULL AND "
                                "status <> 'merged' AND solve_due >= ? AND solve_due <= ? GROUP BY project_id",
                                {w.region, unitId, w.month_start, w.month_end})
                           .rows)
    probs[r.i64("project_id")] = {r.i64("n"), r.optI64("ok").value_or(0)};
  for (const auto& r : c_.query("SELECT project_id, COUNT(*) AS n, SUM(CASE WHEN answered_at IS NOT NULL AND "
                                "answered_at < answer_due || 'T16:00:00Z' THEN 1 ELSE 0 END) AS ok FROM letters WHERE "
                                "region_code = ? AND recipient_unit_id = ? AND project_id IS NOT NULL AND status <> "
                                "'draft' AND answer_due >= ? AND answer_due <= ? GROUP BY project_id",
                                {w.region, unitId, w.month_start, w.month_end})
                           .rows)
    lets[r.i64("project_id")] = {r.i64("n"), r.optI64("ok").value_or(0)};
  for (const auto& r : c_.query("SELECT id, name, planned_start, actual_start FROM projects WHERE region_code = ? AND "
                                "unit_id = ? ORDER BY id LIMIT 1000",
                                {w.region, unitId})
                           .rows) {
    ProjectFigures f;
    f.id = r.i64("id");
    f.name = r.str("name");
    const Acc a = acc.count(f.id) ? acc[f.id] : Acc{};
    f.plan = a.plan;
    f.done = a.done;
    f.planned_start = a.start_den > 0;
    f.started = a.start_num > 0;
    f.reports_due = a.reports_due;
    f.reports_on_time = std::min(a.reports_on, a.reports_due);
    f.visits_due = a.visits_due;
    f.visits_done = std::min(a.visits_done, a.visits_due);
    if (probs.count(f.id)) std::tie(f.problems_due, f.problems_solved) = probs[f.id];
    if (lets.count(f.id)) std::tie(f.letters_due, f.letters_in_time) = lets[f.id];
    out.push_back(f);
  }
  return out;
}

std::optional<std::string> RankingRepo::firstReportMonth(const std::string& region) {
  auto r = c_.query("SELECT MIN(period_end) AS d FROM progress_reports WHERE region_code = ?", {region});
  if (r.empty() || r.one().isNull("d")) return std::nullopt;
  return r.one().str("d").substr(0, 7);
}

std::optional<std::string> RankingRepo::unitName(const std::string& region, std::int64_t unitId) {
  auto r = c_.query("SELECT name FROM org_units WHERE id = ? AND region_code = ?", {unitId, region});
  if (r.empty()) return std::nullopt;
  return r.one().str("name");
}

std::map<std::int64_t, int> RankingRepo::cardsBefore(const std::string& region, const std::string& month) {
  // Cards of the 24 months before, newest first per unit; a run counts while the months follow each other.
  std::map<std::int64_t, int> out;
  std::map<std::int64_t, std::string> expect;
  auto prev = [](const std::string& m) {
    int y = std::stoi(m.substr(0, 4)), mo = std::stoi(m.substr(5, 2));
    if (--mo == 0) mo = 12, --y;
    char b[32];
    std::snprintf(b, sizeof b, "%04d-%02d", y, mo);
    return std::string(b);
  };
  const std::string first = prev(month);
  for (const auto& r : c_.query("SELECT unit_id, month FROM yellow_cards WHERE region_code = ? AND month < ? ORDER BY "
                                "unit_id, month DESC LIMIT 100000",
                                {region, month})
                           .rows) {
    const auto u = r.i64("unit_id");
    const auto m = r.str("month");
    auto it = expect.find(u);
    const std::string want = it == expect.end() ? first : it->second;
    if (want.empty() || m != want) {
      expect[u] = "";
      continue;
    }
    ++out[u];
    expect[u] = prev(m);
  }
  return out;
}

namespace {
const char* kRevisionCols =
    "SELECT v.id, v.region_code, v.month, v.revision, v.reason, v.rule_set_version, v.rules, v.inputs, v.chosen, "
    "v.result, v.digest, v.created_by, COALESCE(u.display_name, '') AS created_by_name, v.created_at FROM "
    "ranking_revisions v LEFT JOIN users u ON u.id = v.created_by";

RevisionRecord revisionOf(const Row& r) {
  RevisionRecord v;
  v.id = r.i64("id");
  v.region_code = r.str("region_code");
  v.month = r.str("month");
  v.revision = static_cast<int>(r.i64("revision"));
  v.reason = r.str("reason");
  v.rule_set_version = r.optI64("rule_set_version");
  v.rules = r.str("rules");
  v.inputs = r.str("inputs");
  v.chosen = r.str("chosen");
  v.result = r.str("result");
  v.digest = r.str("digest");
  v.created_by = r.optI64("created_by");
  v.created_by_name = r.str("created_by_name");
  v.created_at = r.str("created_at");
  return v;
}
}  // namespace

std::vector<RevisionRecord> RankingRepo::revisions(const std::string& region, const std::string& month) {
  std::vector<RevisionRecord> out;
  for (const auto& r : c_.query(std::string(kRevisionCols) +
                                    " WHERE v.region_code = ? AND v.month = ? ORDER BY v.revision LIMIT 1000",
                                {region, month})
                           .rows)
    out.push_back(revisionOf(r));
  return out;
}

std::optional<RevisionRecord> RankingRepo::revision(const std::string& region, const std::string& month, int n) {
  auto r = c_.query(std::string(kRevisionCols) + " WHERE v.region_code = ? AND v.month = ? AND v.revision = ?",
                    {region, month, std::int64_t{n}});
  if (r.empty()) return std::nullopt;
  return revisionOf(r.one());
}

std::optional<RevisionRecord> RankingRepo::latest(const std::string& region, const std::string& month) {
  auto r = c_.query(std::string(kRevisionCols) +
                        " WHERE v.region_code = ? AND v.month = ? ORDER BY v.revision DESC LIMIT 1",
                    {region, month});
  if (r.empty()) return std::nullopt;
  return revisionOf(r.one());
}

std::vector<RevisionRecord> RankingRepo::inForceOfYear(const std::string& region, int year) {
  std::vector<RevisionRecord> out;
  const std::string y = std::to_string(year);
  for (const auto& r : c_.query(std::string(kRevisionCols) +
                                    " WHERE v.region_code = ? AND v.month >= ? AND v.month <= ? AND v.revision = "
                                    "(SELECT MAX(x.revision) FROM ranking_revisions x WHERE x.region_code = "
                                    "v.region_code AND x.month = v.month) ORDER BY v.month",
                                {region, y + "-01", y + "-12"})
                           .rows)
    out.push_back(revisionOf(r));
  return out;
}

std::int64_t RankingRepo::insertRevision(const RevisionRecord& r) {
  return c_.insert(
      "INSERT INTO ranking_revisions (region_code, month, revision, reason, rule_set_version, rules, inputs, chosen, "
      "result, digest, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
      {r.region_code, r.month, std::int64_t{r.revision}, r.reason,
       r.rule_set_version ? Param(*r.rule_set_version) : Param(Null{}), r.rules, r.inputs, r.chosen, r.result,
       r.digest, r.created_by ? Param(*r.created_by) : Param(Null{}), r.created_at});
}

void RankingRepo::replaceCards(const std::string& region, const std::string& month, std::int64_t revisionId,
                               const std::vector<YellowCardRecord>& cards, const std::string& nowIso) {
  c_.exec("DELETE FROM yellow_cards WHERE region_code = ? AND month = ?", {region, month});
  for (const auto& y : cards)
    c_.exec("INSERT INTO yellow_cards (region_code, month, unit_id, revision_id, total, in_a_row, summons, "
            "created_at) VALUES (?,?,?,?,?,?,?,?)",
            {region, month, y.unit_id, revisionId, y.total, std::int64_t{y.in_a_row}, std::int64_t{y.summons ? 1 : 0},
             nowIso});
}

namespace {
const char* kCardCols =
    "SELECT y.month, y.unit_id, o.name AS unit_name, y.total, y.in_a_row, y.summons, v.revision FROM yellow_cards y "
    "JOIN org_units o ON o.id = y.unit_id JOIN ranking_revisions v ON v.id = y.revision_id";
YellowCardRecord cardOf(const Row& r) {
  return {r.str("month"), r.i64("unit_id"), r.str("unit_name"), r.i64("total"),
          static_cast<int>(r.i64("in_a_row")), r.i64("summons") != 0, static_cast<int>(r.i64("revision"))};
}
}  // namespace

std::vector<YellowCardRecord> RankingRepo::cards(const std::string& region, const std::string& month) {
  std::vector<YellowCardRecord> out;
  for (const auto& r :
       c_.query(std::string(kCardCols) + " WHERE y.region_code = ? AND y.month = ? ORDER BY y.unit_id", {region, month})
           .rows)
    out.push_back(cardOf(r));
  return out;
}

std::vector<YellowCardRecord> RankingRepo::cardsOfYear(const std::string& region, int year, int limit) {
  std::vector<YellowCardRecord> out;
  const std::string y = std::to_string(year);
  for (const auto& r : c_.query(std::string(kCardCols) +
                                    " WHERE y.region_code = ? AND y.month >= ? AND y.month <= ? ORDER BY y.month, "
                                    "y.unit_id LIMIT ?",
                                {region, y + "-01", y + "-12", std::int64_t{limit}})
                           .rows)
    out.push_back(cardOf(r));
  return out;
}

std::vector<std::int64_t> RankingRepo::usersOfUnits(const std::string& region, const std::vector<std::int64_t>& units) {
  std::vector<std::int64_t> out;
  if (units.empty()) return out;
  Params p{region};
  p.insert(p.end(), units.begin(), units.end());
  for (const auto& r : c_.query("SELECT id FROM users WHERE region_code = ? AND disabled = 0 AND org_unit_id IN (" +
                                    marks(units.size()) + ") ORDER BY id LIMIT 1000",
                                p)
                           .rows)
    out.push_back(r.i64("id"));
  return out;
}

std::vector<std::int64_t> RankingRepo::headquartersUsers(const std::string& region) {
  std::vector<std::int64_t> out;
  for (const auto& r : c_.query("SELECT id FROM users WHERE region_code = ? AND disabled = 0 AND (',' || roles || ',') "
                                "LIKE '%,hq,%' ORDER BY id LIMIT 1000",
                                {region})
                           .rows)
    out.push_back(r.i64("id"));
  return out;
}

}  // namespace steward::store
