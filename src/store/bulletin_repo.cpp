#include "store/bulletin_repo.h"

#include "store/scope.h"

namespace steward::store {
namespace {

const char* kSelect =
    "SELECT id, region_code, period_start, period_end, status, year, seq, number, title, recipient, paragraphs, "
    "sections, created_at, created_by, updated_at, issued_at, issued_by, version FROM bulletins";

BulletinRecord bulletinOf(const Row& r) {
  BulletinRecord b;
  b.id = r.i64("id");
  b.region_code = r.str("region_code");
  b.period_start = r.str("period_start");
  b.period_end = r.str("period_end");
  b.status = r.str("status");
  b.year = r.optI64("year");
  b.seq = r.optI64("seq");
  b.number = r.str("number");
  b.title = r.str("title");
  b.recipient = r.str("recipient");
  b.paragraphs = r.str("paragraphs");
  b.sections = r.str("sections");
  b.created_at = r.str("created_at");
  b.created_by = r.optI64("created_by");
  b.updated_at = r.str("updated_at");
  b.issued_at = r.optStr("issued_at");
  b.issued_by = r.optI64("issued_by");
  b.version = r.i64("version");
  return b;
}

std::string whereOf(const std::string& scopeRegion, const std::string& status, Params& p) {
  std::string w = " WHERE " + scopeSql(scopeRegion, "region_code", p);
  if (!status.empty()) {
    w += " AND status = ?";
    p.push_back(status);
  }
  return w;
}

}  // namespace

std::int64_t BulletinRepo::insert(const BulletinRecord& b) {
  return c_.insert(
      "INSERT INTO bulletins (region_code, period_start, period_end, status, title, recipient, paragraphs, sections, "
      "created_at, created_by, updated_at) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?)",
      {b.region_code, b.period_start, b.period_end, b.title, b.recipient, b.paragraphs, b.sections, b.created_at,
       optParam(b.created_by), b.updated_at});
}

bool BulletinRepo::hasSpan(const std::string& region, const std::string& start, const std::string& end) {
  return !c_.query("SELECT 1 FROM bulletins WHERE region_code = ? AND period_start = ? AND period_end = ? LIMIT 1",
                   {region, start, end})
              .empty();
}

std::optional<BulletinRecord> BulletinRepo::find(std::int64_t id) {
  auto r = c_.query(std::string(kSelect) + " WHERE id = ?", {id});
  if (r.empty()) return std::nullopt;
  return bulletinOf(r.one());
}

std::vector<BulletinRecord> BulletinRepo::page(const std::string& scopeRegion, const std::string& status, int limit,
                                               int offset) {
  Params p;
  auto sql = std::string(kSelect) + whereOf(scopeRegion, status, p) + " ORDER BY period_end DESC, id DESC LIMIT ? OFFSET ?";
  p.push_back(std::int64_t(limit));
  p.push_back(std::int64_t(offset));
  std::vector<BulletinRecord> out;
  for (const auto& r : c_.query(sql, p).rows) out.push_back(bulletinOf(r));
  return out;
}

std::int64_t BulletinRepo::count(const std::string& scopeRegion, const std::string& status) {
  Params p;
  auto sql = "SELECT COUNT(*) AS n FROM bulletins" + whereOf(scopeRegion, status, p);
  return c_.query(sql, p).one().i64("n");
}

bool BulletinRepo::updateDraft(const BulletinRecord& b, std::int64_t version) {
  return c_.exec("UPDATE bulletins SET title = ?, recipient = ?, paragraphs = ?, updated_at = ?, "
                 "version = version + 1 WHERE id = ? AND version = ? AND status = 'draft'",
                 {b.title, b.recipient, b.paragraphs, b.updated_at, b.id, version}) > 0;
}

std::int64_t BulletinRepo::nextSeq(const std::string& region, std::int64_t year) {
  c_.exec("INSERT INTO bulletin_sequences (region_code, year, last) VALUES (?, ?, 1) "
          "ON CONFLICT (region_code, year) DO UPDATE SET last = bulletin_sequences.last + 1",
          {region, year});
  return c_.query("SELECT last FROM bulletin_sequences WHERE region_code = ? AND year = ?", {region, year})
      .one()
      .i64("last");
}

bool BulletinRepo::markIssued(std::int64_t id, std::int64_t year, std::int64_t seq, const std::string& number,
                              const std::string& at, std::optional<std::int64_t> by) {
  return c_.exec("UPDATE bulletins SET status = 'issued', year = ?, seq = ?, number = ?, issued_at = ?, "
                 "issued_by = ?, updated_at = ?, version = version + 1 WHERE id = ? AND status = 'draft'",
                 {year, seq, number, at, optParam(by), at, id}) > 0;
}

std::optional<std::string> BulletinRepo::regionName(const std::string& code) {
  auto r = c_.query("SELECT name FROM regions WHERE code = ?", {code});
  if (r.empty()) return std::nullopt;
  return r.one().str("name");
}

BulletinFigures BulletinRepo::figures(const std::string& region, const std::string& start, const std::string& end,
                                      const std::string& dayBefore, const std::string& fromIso,
                                      const std::string& toIso) {
  BulletinFigures f;
  for (const auto& r :
       c_.query("SELECT p.id, p.name, p.code, p.stage, p.unit_id, p.township_id, p.planned_start, p.actual_start, "
                "p.total_investment, COALESCE(u.name, '') AS unit_name, COALESCE(t.name, '') AS township_name "
                "FROM projects p LEFT JOIN org_units u ON u.id = p.unit_id "
                "LEFT JOIN org_units t ON t.id = p.township_id "
                "WHERE p.region_code = ? AND p.status = 'active' ORDER BY p.id",
                {region})
           .rows) {
    BulletinProject p;
    p.id = r.i64("id");
    p.name = r.str("name");
    p.code = r.str("code");
    p.stage = r.str("stage");
    p.unit_id = r.optI64("unit_id");
    p.township_id = r.optI64("township_id");
    p.unit_name = r.str("unit_name");
    p.township_name = r.str("township_name");
    p.planned_start = r.optStr("planned_start");
    p.actual_start = r.optStr("actual_start");
    p.total_investment = r.i64("total_investment");
    f.projects.push_back(std::move(p));
  }
  const std::string yearStart = end.substr(0, 4) + "-01-01";
  auto sums = [&](const std::string& from, std::map<std::int64_t, std::int64_t>& into) {
    for (const auto& r : c_.query("SELECT project_id, SUM(investment) AS s FROM progress_reports "
                                  "WHERE region_code = ? AND period_end >= ? AND period_end <= ? "
                                  "AND status <> 'returned' GROUP BY project_id",
                                  {region, from, end})
                             .rows)
      into[r.i64("project_id")] = r.i64("s");
  };
  sums(start, f.investment_span);
  sums(yearStart, f.investment_year);
  for (const auto& r : c_.query("SELECT r.project_id, r.percent FROM progress_reports r WHERE r.region_code = ? "
                                "AND r.status <> 'returned' AND r.period_end = (SELECT MAX(x.period_end) FROM "
                                "progress_reports x WHERE x.project_id = r.project_id AND x.status <> 'returned' "
                                "AND x.period_end <= ?)",
                                {region, end})
                           .rows)
    f.percent[r.i64("project_id")] = r.i64("percent");
  auto lightsOn = [&](const std::string& day, std::map<std::int64_t, std::string>& into) {
    for (const auto& r : c_.query("SELECT h.project_id, h.light FROM light_history h JOIN projects p ON "
                                  "p.id = h.project_id WHERE p.region_code = ? AND h.from_day <= ? AND h.to_day >= ?",
                                  {region, day, day})
                             .rows)
      into[r.i64("project_id")] = r.str("light");
  };
  lightsOn(dayBefore, f.light_before);
  lightsOn(end, f.light_end);
  for (const auto& r : c_.query("SELECT kind, COUNT(*) AS n FROM letters WHERE region_code = ? AND issued_at >= ? "
                                "AND issued_at < ? AND status <> 'discarded' GROUP BY kind",
                                {region, fromIso, toIso})
                           .rows)
    f.letters_issued[r.str("kind")] = r.i64("n");
  for (const auto& r :
       c_.query("SELECT COALESCE(recipient_unit_id, 0) AS u, COUNT(*) AS n FROM letters WHERE region_code = ? AND "
                "((status = 'issued' AND sign_due < ?) OR (status IN ('issued', 'signed') AND answer_due < ?)) "
                "GROUP BY COALESCE(recipient_unit_id, 0)",
                {region, end, end})
           .rows)
    f.letters_overdue[r.i64("u")] = r.i64("n");
  for (const auto& r :
       c_.query("SELECT COALESCE(q.lead_unit_id, 0) AS u, COUNT(*) AS n FROM problems q WHERE q.region_code = ? AND "
                "((q.status = 'raised' AND q.feedback_due < ?) OR "
                "(q.status IN ('accepted', 'assigned', 'in_progress') AND q.solve_due < ?) OR "
                "(q.status = 'planned' AND q.next_feedback_due < ?)) GROUP BY COALESCE(q.lead_unit_id, 0)",
                {region, end, end, end})
           .rows)
    f.problems_overdue[r.i64("u")] = r.i64("n");
  return f;
}

}  // namespace steward::store
