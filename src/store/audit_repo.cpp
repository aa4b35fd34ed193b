#include "store/audit_repo.h"

#include "store/scope.h"

namespace steward::store {

namespace {
bool isPg(Connection& c) { return c.dialect() == Dialect::Postgres; }

const char* kReadCols = "id, at, region_code, actor_id, actor_name, action, entity, entity_id, before_json, after_json";
const char* kChainCols =
    "id, seq, scheme, at, region_code, actor_id, actor_name, action, entity, entity_id, before_json, after_json, "
    "prev_hash, hash";

core::AuditEntry entryOf(const Row& r) {
  core::AuditEntry e;
  e.id = r.i64("id");
  e.seq = r.optI64("seq");
  e.scheme = r.str("scheme");
  e.at = r.str("at");
  e.region_code = r.str("region_code");
  e.actor_id = r.optI64("actor_id");
  e.actor_name = r.str("actor_name");
  e.action = r.str("action");
  e.entity = r.str("entity");
  e.entity_id = r.str("entity_id");
  e.before_json = r.optStr("before_json");
  e.after_json = r.optStr("after_json");
  e.prev_hash = r.str("prev_hash");
  e.hash = r.str("hash");
  return e;
}

std::vector<core::AuditEntry> entriesOf(const Result& r) {
  std::vector<core::AuditEntry> out;
  out.reserve(r.rows.size());
  for (const auto& row : r.rows) out.push_back(entryOf(row));
  return out;
}

std::string whereOf(const AuditQuery& q, Params& p) {
  std::string where = " WHERE " + scopeSql(q.scope_region, "region_code", p);
  if (!q.entity.empty()) where += " AND entity = ?", p.push_back(q.entity);
  if (!q.entity_id.empty()) where += " AND entity_id = ?", p.push_back(q.entity_id);
  if (q.actor_id) where += " AND actor_id = ?", p.push_back(*q.actor_id);
  if (q.exclude_sign_ins)
    where += " AND action NOT IN ('login', 'login_failed', 'logout', 'account_locked', 'password_change')";
  return where;
}

std::string rangeWhere(const char* prefix, const std::optional<CodeRange>& range, Params& p) {
  if (!range) return "";
  p.push_back(range->first);
  p.push_back(range->second);
  return std::string(prefix) + "region_code BETWEEN ? AND ?";
}
}  // namespace

AuditHead AuditRepository::lockHead(const std::string& region) {
  const char* sql = isPg(c_)
                        ? "SELECT last_seq, last_id, last_hash, keyed FROM audit_heads WHERE region_code = ? FOR UPDATE"
                        : "SELECT last_seq, last_id, last_hash, keyed FROM audit_heads WHERE region_code = ?";
  auto r = c_.query(sql, {region});
  if (r.empty()) {
    c_.exec("INSERT INTO audit_heads (region_code, last_seq, last_id, last_hash) SELECT ?, 0, 0, last_hash "
            "FROM audit_head WHERE id = 1 ON CONFLICT (region_code) DO NOTHING",
            {region});
    r = c_.query(sql, {region});
  }
  const auto& row = r.one();
  return AuditHead{row.i64(0), row.i64(1), row.str(2), row.i64(3) != 0};
}

std::int64_t AuditRepository::nextId() {
  if (isPg(c_)) return c_.query("SELECT nextval('audit_log_id_seq')").one().i64(0);
  if (nextId_ == 0) nextId_ = c_.query("SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log").one().i64(0);
  return nextId_++;
}

void AuditRepository::insert(const core::AuditEntry& e) {
  c_.exec(
      "INSERT INTO audit_log (id, seq, scheme, at, region_code, actor_id, actor_name, action, entity, entity_id, "
      "before_json, after_json, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {e.id, optParam(e.seq), e.scheme, e.at, e.region_code, optParam(e.actor_id), e.actor_name, e.action, e.entity,
       e.entity_id, optParam(e.before_json), optParam(e.after_json), e.prev_hash, e.hash});
}

void AuditRepository::saveHead(const std::string& region, const AuditHead& h) {
  c_.exec("UPDATE audit_heads SET last_seq = ?, last_id = ?, last_hash = ?, keyed = ? WHERE region_code = ?",
          {h.seq, h.id, h.hash, std::int64_t(h.keyed), region});
}

std::pair<std::int64_t, std::string> AuditRepository::legacyHead() {
  auto r = c_.query("SELECT last_id, last_hash FROM audit_head WHERE id = 1");
  return {r.one().i64(0), r.one().str(1)};
}

std::vector<RegionHead> AuditRepository::heads(const std::optional<CodeRange>& range) {
  Params p;
  auto where = rangeWhere(" WHERE ", range, p);
  std::vector<RegionHead> out;
  for (const auto& r :
       c_.query("SELECT region_code, last_seq, last_id, last_hash FROM audit_heads" + where + " ORDER BY region_code",
                p)
           .rows)
    out.push_back({r.str(0), r.i64(1), r.i64(2), r.str(3), ""});
  return out;
}

std::vector<RegionHead> AuditRepository::anchorHeads() {
  std::vector<RegionHead> out;
  for (const auto& r : c_.query("SELECT h.region_code, h.last_seq, h.last_id, h.last_hash, l.at FROM audit_heads h "
                                "LEFT JOIN audit_log l ON l.id = h.last_id WHERE h.last_seq > 0 ORDER BY h.region_code")
                           .rows)
    out.push_back({r.str(0), r.i64(1), r.i64(2), r.str(3), r.str(4)});
  return out;
}

bool AuditRepository::hasHead(const std::string& region) {
  return !c_.query("SELECT 1 FROM audit_heads WHERE region_code = ?", {region}).empty();
}

bool AuditRepository::anyKeyed() { return !c_.query("SELECT 1 FROM audit_heads WHERE keyed = 1 LIMIT 1").empty(); }

bool AuditRepository::hasLegacyEntriesOutside(const CodeRange& range) {
  return !c_.query("SELECT 1 FROM audit_log WHERE seq IS NULL AND (region_code < ? OR region_code > ?) LIMIT 1",
                   {range.first, range.second})
              .empty();
}

std::vector<core::AuditEntry> AuditRepository::legacyEntries(std::int64_t afterId, int limit) {
  return entriesOf(c_.query(std::string("SELECT ") + kChainCols +
                                " FROM audit_log WHERE seq IS NULL AND id > ? ORDER BY id LIMIT ?",
                            {afterId, std::int64_t(limit)}));
}

std::vector<core::AuditEntry> AuditRepository::regionEntries(const std::string& region, std::int64_t afterSeq,
                                                             std::int64_t uptoSeq, int limit) {
  return entriesOf(c_.query(std::string("SELECT ") + kChainCols +
                                " FROM audit_log WHERE region_code = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
                            {region, afterSeq, uptoSeq, std::int64_t(limit)}));
}

std::vector<std::string> AuditRepository::regionsWithEntries(const std::optional<CodeRange>& range) {
  Params p;
  auto where = " WHERE seq IS NOT NULL" + rangeWhere(" AND ", range, p);
  std::vector<std::string> out;
  for (const auto& r : c_.query("SELECT DISTINCT region_code FROM audit_log" + where, p).rows) out.push_back(r.str(0));
  return out;
}

std::int64_t AuditRepository::count(const AuditQuery& q) {
  Params p;
  auto where = whereOf(q, p);
  return c_.query("SELECT COUNT(*) FROM audit_log" + where, p).one().i64(0);
}

Result AuditRepository::page(const AuditQuery& q, std::int64_t limit, std::int64_t offset) {
  Params p;
  auto where = whereOf(q, p);
  p.push_back(limit);
  p.push_back(offset);
  return c_.query(std::string("SELECT ") + kReadCols + " FROM audit_log" + where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                  p);
}

Result AuditRepository::pageBefore(const AuditQuery& q, std::optional<std::int64_t> before, std::int64_t limit) {
  Params p;
  auto where = whereOf(q, p);
  if (before) where += " AND id < ?", p.push_back(*before);
  p.push_back(limit);
  return c_.query(std::string("SELECT ") + kReadCols + " FROM audit_log" + where + " ORDER BY id DESC LIMIT ?", p);
}

std::map<std::string, std::string> AuditRepository::entityNames(const std::string& entity,
                                                                const std::vector<std::int64_t>& ids) {
  static const std::pair<const char*, const char*> kinds[] = {
      {"project", "SELECT id, name FROM projects WHERE id IN ("},
      {"org_unit", "SELECT id, name FROM org_units WHERE id IN ("},
      {"user", "SELECT id, display_name AS name FROM users WHERE id IN ("}};
  std::map<std::string, std::string> names;
  if (ids.empty()) return names;
  for (auto [kind, sql] : kinds) {
    if (entity != kind) continue;
    std::string q = sql;
    Params p;
    for (auto id : ids) q += p.empty() ? "?" : ", ?", p.push_back(id);
    for (auto& r : c_.query(q + ")", p).rows) names[r.str("id")] = r.str("name");
  }
  return names;
}

}  // namespace steward::store
