#include "store/letter_repo.h"

#include "store/scope.h"

namespace steward::store {
namespace {

const char* kLetterSelect =
    "SELECT l.id, l.region_code, l.project_id, l.kind, l.status, l.trigger_key, l.year, l.seq, l.number, l.title, "
    "l.recipient_unit_id, l.recipient_user_id, l.facts, l.action, l.sign_due, l.answer_due, l.drafted_at, "
    "l.drafted_by, l.issued_at, l.issued_by, l.signed_at, l.signed_by, l.answered_at, l.answered_by, l.answer, "
    "l.closed_at, l.closed_by, l.close_note, l.version, COALESCE(p.code, '') AS project_code, "
    "COALESCE(p.name, '') AS project_name, p.leader_id AS project_leader_id, "
    "COALESCE(u.name, '') AS recipient_unit_name, COALESCE(ru.display_name, '') AS recipient_user_name "
    "FROM letters l LEFT JOIN projects p ON p.id = l.project_id LEFT JOIN org_units u ON u.id = l.recipient_unit_id "
    "LEFT JOIN users ru ON ru.id = l.recipient_user_id";

LetterRecord letterOf(const Row& r) {
  LetterRecord l;
  l.id = r.i64("id");
  l.region_code = r.str("region_code");
  l.project_id = r.optI64("project_id");
  l.kind = r.str("kind");
  l.status = r.str("status");
  l.trigger_key = r.str("trigger_key");
  l.year = r.optI64("year");
  l.seq = r.optI64("seq");
  l.number = r.str("number");
  l.title = r.str("title");
  l.recipient_unit_id = r.optI64("recipient_unit_id");
  l.recipient_user_id = r.optI64("recipient_user_id");
  l.facts = r.str("facts");
  l.action = r.str("action");
  l.sign_due = r.optStr("sign_due");
  l.answer_due = r.optStr("answer_due");
  l.drafted_at = r.str("drafted_at");
  l.drafted_by = r.optI64("drafted_by");
  l.issued_at = r.optStr("issued_at");
  l.issued_by = r.optI64("issued_by");
  l.signed_at = r.optStr("signed_at");
  l.signed_by = r.optI64("signed_by");
  l.answered_at = r.optStr("answered_at");
  l.answered_by = r.optI64("answered_by");
  l.answer = r.str("answer");
  l.closed_at = r.optStr("closed_at");
  l.closed_by = r.optI64("closed_by");
  l.close_note = r.str("close_note");
  l.version = r.i64("version");
  l.project_code = r.str("project_code");
  l.project_name = r.str("project_name");
  l.project_leader_id = r.optI64("project_leader_id");
  l.recipient_unit_name = r.str("recipient_unit_name");
  l.recipient_user_name = r.str("recipient_user_name");
  return l;
}

const char* kInsertLetter =
    "INSERT INTO letters (region_code, project_id, kind, status, trigger_key, title, recipient_unit_id, "
    "recipient_user_id, facts, action, sign_due, answer_due, drafted_at, drafted_by) "
    "VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

Params insertParams(const LetterRecord& l) {
  return {l.region_code, optParam(l.project_id), l.kind,       l.trigger_key,          l.title,
          optParam(l.recipient_unit_id),         optParam(l.recipient_user_id),        l.facts,
          l.action,      optParam(l.sign_due),   optParam(l.answer_due), l.drafted_at, optParam(l.drafted_by)};
}

// The visibility and the filters of a listing, as a WHERE clause.
std::string whereOf(const LetterFilter& f, Params& p, bool withFilters) {
  std::string w = " WHERE " + scopeSql(f.scope_region, "l.region_code", p);
  if (!f.all) {
    std::string any;
    auto orAdd = [&](const std::string& cond, std::int64_t v) {
      any += (any.empty() ? "" : " OR ") + cond;
      p.push_back(v);
    };
    if (f.to_unit) orAdd("l.recipient_unit_id = ?", *f.to_unit);
    if (f.to_user) orAdd("l.recipient_user_id = ?", *f.to_user);
    if (f.led_by) orAdd("p.leader_id = ?", *f.led_by);
    // A letter is the recipient's once it has been issued; drafts are headquarters' own.
    w += any.empty() ? " AND 1 = 0" : " AND (" + any + ") AND l.status NOT IN ('draft', 'discarded')";
  }
  if (!withFilters) return w;
  if (!f.status.empty()) {
    w += " AND l.status = ?";
    p.push_back(f.status);
  } else {
    w += " AND l.status <> 'discarded'";
  }
  if (!f.kind.empty()) {
    w += " AND l.kind = ?";
    p.push_back(f.kind);
  }
  if (f.unit_id) {
    w += " AND l.recipient_unit_id = ?";
    p.push_back(*f.unit_id);
  }
  if (f.project_id) {
    w += " AND l.project_id = ?";
    p.push_back(*f.project_id);
  }
  if (f.open_only) w += " AND l.status IN ('issued', 'signed')";
  if (f.overdue_only) {
    w += " AND ((l.status = 'issued' AND l.sign_due < ?) OR (l.status IN ('issued', 'signed') AND l.answer_due < ?))";
    p.push_back(f.today);
    p.push_back(f.today);
  }
  return w;
}

const char* kSummonsSelect =
    "SELECT s.id, s.region_code, s.project_id, s.unit_id, s.letter_id, s.principal, s.held_on, s.attendees, "
    "s.reason, s.commitments, s.follow_up_due, s.followed_up_at, s.follow_up_note, s.created_by, s.created_at, "
    "s.version, COALESCE(p.code, '') AS project_code, COALESCE(p.name, '') AS project_name, "
    "COALESCE(u.name, '') AS unit_name FROM summons s LEFT JOIN projects p ON p.id = s.project_id "
    "LEFT JOIN org_units u ON u.id = s.unit_id";

SummonsRecord summonsOf(const Row& r) {
  SummonsRecord s;
  s.id = r.i64("id");
  s.region_code = r.str("region_code");
  s.project_id = r.optI64("project_id");
  s.unit_id = r.optI64("unit_id").value_or(0);
  s.letter_id = r.optI64("letter_id");
  s.principal = r.str("principal");
  s.held_on = r.str("held_on");
  s.attendees = r.str("attendees");
  s.reason = r.str("reason");
  s.commitments = r.str("commitments");
  s.follow_up_due = r.optStr("follow_up_due");
  s.followed_up_at = r.optStr("followed_up_at");
  s.follow_up_note = r.str("follow_up_note");
  s.created_by = r.optI64("created_by");
  s.created_at = r.str("created_at");
  s.version = r.i64("version");
  s.project_code = r.str("project_code");
  s.project_name = r.str("project_name");
  s.unit_name = r.str("unit_name");
  return s;
}

std::string summonsWhere(const std::string& scopeRegion, std::optional<std::int64_t> projectId,
                         std::optional<std::int64_t> unitId, Params& p) {
  std::string w = " WHERE " + scopeSql(scopeRegion, "s.region_code", p);
  if (projectId) {
    w += " AND s.project_id = ?";
    p.push_back(*projectId);
  }
  if (unitId) {
    w += " AND s.unit_id = ?";
    p.push_back(*unitId);
  }
  return w;
}

}  // namespace

std::int64_t LetterRepo::insert(const LetterRecord& l) { return c_.insert(kInsertLetter, insertParams(l)); }

std::optional<std::int64_t> LetterRepo::insertTriggered(const LetterRecord& l) {
  auto n = c_.exec(std::string(kInsertLetter) +
                       " ON CONFLICT (project_id, kind, trigger_key) WHERE trigger_key <> '' DO NOTHING",
                   insertParams(l));
  if (n == 0) return std::nullopt;
  return c_.query("SELECT id FROM letters WHERE project_id = ? AND kind = ? AND trigger_key = ?",
                  {optParam(l.project_id), l.kind, l.trigger_key})
      .one()
      .i64("id");
}

std::optional<LetterRecord> LetterRepo::find(std::int64_t id) {
  auto res = c_.query(std::string(kLetterSelect) + " WHERE l.id = ?", {id});
  if (res.empty()) return std::nullopt;
  return letterOf(res.one());
}

bool LetterRepo::updateDraft(const LetterRecord& l, std::int64_t version) {
  return c_.exec("UPDATE letters SET title = ?, recipient_unit_id = ?, recipient_user_id = ?, facts = ?, action = ?, "
                 "answer_due = ?, version = version + 1 WHERE id = ? AND status = 'draft' AND version = ?",
                 {l.title, optParam(l.recipient_unit_id), optParam(l.recipient_user_id), l.facts, l.action,
                  optParam(l.answer_due), l.id, version}) > 0;
}

std::int64_t LetterRepo::nextSeq(const std::string& region, const std::string& kind, std::int64_t year) {
  c_.exec("INSERT INTO letter_sequences (region_code, kind, year, last) VALUES (?, ?, ?, 1) "
          "ON CONFLICT (region_code, kind, year) DO UPDATE SET last = letter_sequences.last + 1",
          {region, kind, year});
  return c_.query("SELECT last FROM letter_sequences WHERE region_code = ? AND kind = ? AND year = ?",
                  {region, kind, year})
      .one()
      .i64("last");
}

bool LetterRepo::markIssued(std::int64_t id, std::int64_t year, std::int64_t seq, const std::string& number,
                            const std::string& signDue, const std::string& answerDue, const std::string& at,
                            std::optional<std::int64_t> by) {
  return c_.exec("UPDATE letters SET status = 'issued', year = ?, seq = ?, number = ?, sign_due = ?, answer_due = ?, "
                 "issued_at = ?, issued_by = ?, version = version + 1 WHERE id = ? AND status = 'draft'",
                 {year, seq, number, signDue, answerDue, at, optParam(by), id}) > 0;
}

bool LetterRepo::markSigned(std::int64_t id, const std::string& at, std::optional<std::int64_t> by) {
  return c_.exec("UPDATE letters SET status = 'signed', signed_at = ?, signed_by = ?, version = version + 1 "
                 "WHERE id = ? AND status = 'issued'",
                 {at, optParam(by), id}) > 0;
}

bool LetterRepo::markAnswered(std::int64_t id, const std::string& answer, const std::string& at,
                              std::optional<std::int64_t> by) {
  return c_.exec("UPDATE letters SET status = 'answered', answer = ?, answered_at = ?, answered_by = ?, "
                 "version = version + 1 WHERE id = ? AND status = 'signed'",
                 {answer, at, optParam(by), id}) > 0;
}

bool LetterRepo::markClosed(std::int64_t id, const std::string& note, const std::string& at,
                            std::optional<std::int64_t> by) {
  return c_.exec("UPDATE letters SET status = 'closed', close_note = ?, closed_at = ?, closed_by = ?, "
                 "version = version + 1 WHERE id = ? AND status = 'answered'",
                 {note, at, optParam(by), id}) > 0;
}

bool LetterRepo::markDiscarded(std::int64_t id, const std::string& at, std::optional<std::int64_t> by) {
  return c_.exec("UPDATE letters SET status = 'discarded', closed_at = ?, closed_by = ?, version = version + 1 "
                 "WHERE id = ? AND status = 'draft'",
                 {at, optParam(by), id}) > 0;
}

std::vector<LetterRecord> LetterRepo::page(const LetterFilter& f, int limit, int offset) {
  Params p;
  auto sql = std::string(kLetterSelect) + whereOf(f, p, true) + " ORDER BY l.id DESC LIMIT ? OFFSET ?";
  p.push_back(std::int64_t(limit));
  p.push_back(std::int64_t(offset));
  std::vector<LetterRecord> out;
  for (const auto& r : c_.query(sql, p).rows) out.push_back(letterOf(r));
  return out;
}

std::int64_t LetterRepo::count(const LetterFilter& f) {
  Params p;
  return c_.query("SELECT COUNT(*) AS n FROM letters l LEFT JOIN projects p ON p.id = l.project_id" +
                      whereOf(f, p, true),
                  p)
      .one()
      .i64("n");
}

std::map<std::string, std::int64_t> LetterRepo::countsByStatus(const LetterFilter& f) {
  Params p;
  auto w = whereOf(f, p, false);
  std::map<std::string, std::int64_t> out;
  for (const auto& r : c_.query("SELECT l.status, COUNT(*) AS n FROM letters l LEFT JOIN projects p ON "
                                "p.id = l.project_id" + w + " GROUP BY l.status",
                                p)
                           .rows)
    out[r.str("status")] = r.i64("n");
  Params q;
  auto w2 = whereOf(f, q, false);
  q.push_back(f.today);
  q.push_back(f.today);
  out["overdue"] = c_.query("SELECT COUNT(*) AS n FROM letters l LEFT JOIN projects p ON p.id = l.project_id" + w2 +
                                " AND ((l.status = 'issued' AND l.sign_due < ?) OR "
                                "(l.status IN ('issued', 'signed') AND l.answer_due < ?))",
                            q)
                       .one()
                       .i64("n");
  return out;
}

std::vector<std::int64_t> LetterRepo::draftIds(const std::string& region, int limit) {
  std::vector<std::int64_t> out;
  for (const auto& r : c_.query("SELECT id FROM letters WHERE region_code = ? AND status = 'draft' ORDER BY id LIMIT ?",
                                {region, std::int64_t(limit)})
                           .rows)
    out.push_back(r.i64("id"));
  return out;
}



std::optional<std::string> LetterRepo::orgUnitName(std::int64_t id, const std::string& region) {
  auto res = c_.query("SELECT name FROM org_units WHERE id = ? AND region_code = ?", {id, region});
  if (res.empty()) return std::nullopt;
  return res.one().str("name");
}

std::optional<std::string> LetterRepo::userName(std::int64_t id, const std::string& region) {
  auto res = c_.query("SELECT display_name FROM users WHERE id = ? AND region_code = ? AND disabled = 0", {id, region});
  if (res.empty()) return std::nullopt;
  return res.one().str("display_name");
}

std::int64_t LetterRepo::insertSummons(const SummonsRecord& s) {
  return c_.insert(
      "INSERT INTO summons (region_code, project_id, unit_id, letter_id, principal, held_on, attendees, reason, "
      "commitments, follow_up_due, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {s.region_code, optParam(s.project_id), s.unit_id, optParam(s.letter_id), s.principal, s.held_on, s.attendees,
       s.reason, s.commitments, optParam(s.follow_up_due), optParam(s.created_by), s.created_at});
}

std::optional<SummonsRecord> LetterRepo::findSummons(std::int64_t id) {
  auto res = c_.query(std::string(kSummonsSelect) + " WHERE s.id = ?", {id});
  if (res.empty()) return std::nullopt;
  return summonsOf(res.one());
}

bool LetterRepo::followUpSummons(std::int64_t id, const std::string& note, const std::string& at) {
  return c_.exec("UPDATE summons SET followed_up_at = ?, follow_up_note = ?, version = version + 1 "
                 "WHERE id = ? AND followed_up_at IS NULL",
                 {at, note, id}) > 0;
}

std::vector<SummonsRecord> LetterRepo::summonsPage(const std::string& scopeRegion, std::optional<std::int64_t> projectId,
                                                   std::optional<std::int64_t> unitId, int limit, int offset) {
  Params p;
  auto sql = std::string(kSummonsSelect) + summonsWhere(scopeRegion, projectId, unitId, p) +
             " ORDER BY s.held_on DESC, s.id DESC LIMIT ? OFFSET ?";
  p.push_back(std::int64_t(limit));
  p.push_back(std::int64_t(offset));
  std::vector<SummonsRecord> out;
  for (const auto& r : c_.query(sql, p).rows) out.push_back(summonsOf(r));
  return out;
}

std::int64_t LetterRepo::summonsCount(const std::string& scopeRegion, std::optional<std::int64_t> projectId,
                                      std::optional<std::int64_t> unitId) {
  Params p;
  return c_.query("SELECT COUNT(*) AS n FROM summons s" + summonsWhere(scopeRegion, projectId, unitId, p), p)
      .one()
      .i64("n");
}

}  // namespace steward::store
