#include "service/audit.h"

#include <map>

#include "service/errors.h"
#include "service/scope.h"

namespace steward::service {

using nlohmann::json;

namespace {
bool isPg(store::Connection& c) { return c.dialect() == store::Dialect::Postgres; }

// Reads (PostgreSQL: and locks) a region's head, creating it on the region's first entry: a new chain starts
// from the legacy chain's last digest.
store::Result readHead(store::Connection& c, const std::string& region) {
  const char* sql = isPg(c)
                        ? "SELECT last_seq, last_id, last_hash, keyed FROM audit_heads WHERE region_code = ? FOR UPDATE"
                        : "SELECT last_seq, last_id, last_hash, keyed FROM audit_heads WHERE region_code = ?";
  auto r = c.query(sql, {region});
  if (!r.empty()) return r;
  c.exec("INSERT INTO audit_heads (region_code, last_seq, last_id, last_hash) SELECT ?, 0, 0, last_hash "
         "FROM audit_head WHERE id = 1 ON CONFLICT (region_code) DO NOTHING",
         {region});
  return c.query(sql, {region});
}
}  // namespace

void lockAuditHead(store::Connection& c, const std::string& region) {
  if (!region.empty()) readHead(c, region);
}

std::string regionOfRow(const Env& env, const char* table, std::int64_t id, const std::string& fallback) {
  auto c = env.db->acquire();
  auto r = c->query(std::string("SELECT region_code FROM ") + table + " WHERE id = ?", {id});
  return r.empty() ? fallback : r.one().str(0);
}

std::optional<std::string> auditImage(const json& j) {
  if (j.is_null()) return std::nullopt;
  auto text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() <= kAuditImageMaxBytes) return text;
  json s = {{"_summary", true}, {"bytes", text.size()}, {"sha256", core::sha256Hex(text)}};
  if (j.is_object()) {
    json keys = json::array();
    for (auto it = j.begin(); it != j.end() && keys.size() < 64; ++it)
      if (it.key().size() <= 64) keys.push_back(it.key());
    s["keys"] = keys;
    s["key_count"] = j.size();
  } else if (j.is_array()) {
    s["length"] = j.size();
  }
  return s.dump(-1, ' ', false, json::error_handler_t::replace);
}

AuditAppender::AuditAppender(store::Connection& c, const Env& env) : c_(c), env_(env) {}

AuditAppender::Head& AuditAppender::head(const std::string& region) {
  auto it = heads_.find(region);
  if (it != heads_.end()) return it->second;
  auto r = readHead(c_, region);
  Head h;
  h.seq = r.one().i64(0);
  h.id = r.one().i64(1);
  h.hash = r.one().str(2);
  h.keyed = r.one().i64(3) != 0;
  return heads_.emplace(region, h).first->second;
}

std::int64_t AuditAppender::nextId() {
  if (isPg(c_)) return c_.query("SELECT nextval('audit_log_id_seq')").one().i64(0);
  if (nextId_ == 0) nextId_ = c_.query("SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log").one().i64(0);
  return nextId_++;
}

void AuditAppender::append(const core::Actor* actor, const AuditWrite& w) {
  auto& h = head(w.region_code);
  // A keyed chain never continues unkeyed: that would be a downgrade, and verify reports it as a break.
  if (h.keyed && env_.audit_key.empty())
    throw std::runtime_error("the audit chain of region " + w.region_code +
                             " is keyed: configure the audit key ([audit] key_file) to write");
  core::AuditEntry e;
  e.id = nextId();
  e.seq = h.seq + 1;
  e.scheme = env_.audit_key.empty() ? core::kSchemeSha256 : core::kSchemeHmac;
  e.prev_hash = h.hash;
  e.at = env_.nowIso();
  e.region_code = w.region_code;
  if (actor && actor->user_id > 0) {
    e.actor_id = actor->user_id;
    e.actor_name = actor->display_name.empty() ? actor->username : actor->display_name;
  } else {
    e.actor_name = "system";
  }
  e.action = w.action;
  e.entity = w.entity;
  e.entity_id = w.entity_id;
  e.before_json = auditImage(w.before);
  e.after_json = auditImage(w.after);
  e.hash = core::regionAuditHash(e, env_.audit_key);
  c_.exec(
      "INSERT INTO audit_log (id, seq, scheme, at, region_code, actor_id, actor_name, action, entity, entity_id, "
      "before_json, after_json, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      {e.id, *e.seq, e.scheme, e.at, e.region_code, store::optParam(e.actor_id), e.actor_name, e.action, e.entity,
       e.entity_id, store::optParam(e.before_json), store::optParam(e.after_json), e.prev_hash, e.hash});
  h.seq = *e.seq;
  h.id = e.id;
  h.hash = e.hash;
  h.keyed = e.scheme == core::kSchemeHmac;
  h.dirty = true;
}

void AuditAppender::finish() {
  for (auto& [region, h] : heads_) {
    if (!h.dirty) continue;
    c_.exec("UPDATE audit_heads SET last_seq = ?, last_id = ?, last_hash = ?, keyed = ? WHERE region_code = ?",
            {h.seq, h.id, h.hash, std::int64_t(h.keyed), region});
    h.dirty = false;
  }
}

void appendAudit(store::Connection& c, const Env& env, const core::Actor* actor, const AuditWrite& w) {
  AuditAppender a(c, env);
  a.append(actor, w);
  a.finish();
}

void diffJson(const json& before, const json& after, json& b, json& a) {
  b = json::object();
  a = json::object();
  for (auto it = after.begin(); it != after.end(); ++it) {
    auto bi = before.find(it.key());
    if (bi == before.end() || *bi != it.value()) {
      a[it.key()] = it.value();
      b[it.key()] = bi == before.end() ? json() : *bi;
    }
  }
}

json auditRowJson(const store::Row& r) {
  auto parse = [&](const char* col) -> json {
    auto v = r.optStr(col);
    if (!v) return nullptr;
    auto j = json::parse(*v, nullptr, false);
    return j.is_discarded() ? json(*v) : j;
  };
  return {{"id", r.i64("id")},
          {"at", r.str("at")},
          {"region_code", r.str("region_code")},
          {"actor_id", r.isNull("actor_id") ? json() : json(r.i64("actor_id"))},
          {"actor_name", r.str("actor_name")},
          {"action", r.str("action")},
          {"entity", r.str("entity")},
          {"entity_id", r.str("entity_id")},
          {"before", parse("before_json")},
          {"after", parse("after_json")}};
}

namespace {
const char* kCols = "id, at, region_code, actor_id, actor_name, action, entity, entity_id, before_json, after_json";

// Names the entity of each entry ("项目「…」" rather than "项目 #40"), looked up in one query per kind.
void attachEntityNames(store::Connection& c, json& items) {
  static const std::pair<const char*, const char*> kinds[] = {
      {"project", "SELECT id, name FROM projects WHERE id IN "},
      {"org_unit", "SELECT id, name FROM org_units WHERE id IN "},
      {"user", "SELECT id, display_name AS name FROM users WHERE id IN "}};
  for (auto [entity, sql] : kinds) {
    std::string in;
    store::Params p;
    for (const auto& it : items)
      if (it["entity"] == entity && p.size() < 500) {
        auto id = it["entity_id"].get<std::string>();
        if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos || id.size() > 18) continue;
        in += in.empty() ? "?" : ", ?";
        p.push_back(std::stoll(id));
      }
    if (p.empty()) continue;
    std::map<std::string, std::string> names;
    for (auto& r : c.query(std::string(sql) + "(" + in + ")", p).rows) names[r.str("id")] = r.str("name");
    for (auto& it : items)
      if (it["entity"] == entity) {
        auto n = names.find(it["entity_id"].get<std::string>());
        it["entity_name"] = n == names.end() ? "" : n->second;
      }
  }
}
}  // namespace

json AuditService::list(const core::Actor& a, const std::string& entity, const std::string& entityId,
                        std::optional<std::int64_t> actorId, int page, int pageSize) {
  if (!core::canReadAudit(a)) throw forbidden();
  store::Params p;
  std::string where = " WHERE " + scopeSql(a.region_code, "region_code", p);
  if (!entity.empty()) where += " AND entity = ?", p.push_back(entity);
  if (!entityId.empty()) where += " AND entity_id = ?", p.push_back(entityId);
  if (actorId) where += " AND actor_id = ?", p.push_back(*actorId);
  auto c = env_.db->acquire();
  auto total = c->query("SELECT COUNT(*) FROM audit_log" + where, p).one().i64(0);
  p.push_back(std::int64_t(pageSize));
  p.push_back(std::int64_t((page - 1) * pageSize));
  auto rows = c->query(std::string("SELECT ") + kCols + " FROM audit_log" + where + " ORDER BY id DESC LIMIT ? OFFSET ?", p);
  json items = json::array();
  for (auto& r : rows.rows) items.push_back(auditRowJson(r));
  attachEntityNames(*c, items);
  return {{"items", items}, {"total", total}, {"page", page}, {"page_size", pageSize}};
}

namespace {
// One page, newest first, of rows matching `where` (bound by p): {"items", "next_before"}.
json pageBefore(store::Connection& c, std::string where, store::Params p, std::optional<std::int64_t> before,
                int limit) {
  if (before) where += " AND id < ?", p.push_back(*before);
  p.push_back(std::int64_t(limit) + 1);
  auto rows =
      c.query(std::string("SELECT ") + kCols + " FROM audit_log WHERE " + where + " ORDER BY id DESC LIMIT ?", p);
  json items = json::array();
  for (auto& r : rows.rows) {
    if (items.size() == std::size_t(limit)) break;
    items.push_back(auditRowJson(r));
  }
  json next = rows.rows.size() > std::size_t(limit) ? json(items.back()["id"]) : json();
  return {{"items", items}, {"next_before", next}};
}
const char* kNotSignIns = " AND action NOT IN ('login', 'login_failed', 'logout', 'account_locked', 'password_change')";
}  // namespace

json AuditService::history(const core::Actor& a, const std::string& entity, const std::string& entityId,
                           std::optional<std::int64_t> before, int limit) {
  auto [lo, hi] = core::scopeRange(a.region_code);
  auto c = env_.db->acquire();
  return pageBefore(*c, "entity = ? AND entity_id = ? AND region_code BETWEEN ? AND ?", {entity, entityId, lo, hi},
                    before, limit);
}

json AuditService::recent(const core::Actor& a, int n, bool projectsOnly, std::optional<std::int64_t> before) {
  store::Params p;
  std::string where = scopeSql(a.region_code, "region_code", p);
  where += projectsOnly ? " AND entity = 'project'" : kNotSignIns;
  auto c = env_.db->acquire();
  auto page = pageBefore(*c, where, p, before, n);
  attachEntityNames(*c, page["items"]);
  return page["items"];
}

json AuditService::activity(const core::Actor& a, std::optional<std::int64_t> before, int limit) {
  store::Params p;
  std::string where = scopeSql(a.region_code, "region_code", p);
  where += !core::canReadAudit(a) ? " AND entity = 'project'" : kNotSignIns;
  auto c = env_.db->acquire();
  auto page = pageBefore(*c, where, p, before, limit);
  attachEntityNames(*c, page["items"]);
  return page;
}

namespace {
core::AuditEntry entryOf(const store::Row& r) {
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
const char* kChainCols =
    "id, seq, scheme, at, region_code, actor_id, actor_name, action, entity, entity_id, before_json, after_json, "
    "prev_hash, hash";

json checkJson(const core::ChainCheck& r) {
  json j = {{"ok", r.ok}, {"rows", r.rows}};
  if (!r.region.empty()) j["region"] = r.region, j["keyed"] = r.keyed;
  if (!r.ok) {
    j["broken_at"] = r.broken_at;
    if (!r.region.empty()) j["broken_seq"] = r.broken_seq;
    j["reason"] = r.reason;
  }
  return j;
}
}  // namespace

const core::ChainCheck* AuditService::Report::firstBreak() const {
  if (legacy && !legacy->ok) return &*legacy;
  for (const auto& r : regions)
    if (!r.ok) return &r;
  return nullptr;
}

AuditService::Report AuditService::verify(const std::optional<Anchor>& anchor,
                                          const std::optional<std::pair<std::string, std::string>>& scope) {
  Report rep;
  auto c = env_.db->acquire();
  std::optional<std::string> key;
  if (!env_.audit_key.empty()) key = env_.audit_key;
  // Heads first: every entry up to a head was committed with it, and later entries are left alone.
  auto legacyHead = c->query("SELECT last_id, last_hash FROM audit_head WHERE id = 1");
  const auto legacyId = legacyHead.one().i64(0);
  const auto base = legacyHead.one().str(1);
  store::Params hp;
  std::string hw;
  if (scope) hw = " WHERE region_code BETWEEN ? AND ?", hp = {scope->first, scope->second};
  auto heads = c->query("SELECT region_code, last_seq, last_hash FROM audit_heads" + hw + " ORDER BY region_code", hp);

  // The legacy chain covers every region, so it is checked only for an unscoped verify or a scope holding all
  // of it.
  bool legacyInScope = !scope || c->query("SELECT 1 FROM audit_log WHERE seq IS NULL AND (region_code < ? OR "
                                          "region_code > ?) LIMIT 1",
                                          {scope->first, scope->second})
                                     .empty();
  if (legacyInScope) {
    core::ChainVerifier v;
    std::int64_t after = 0;
    for (;;) {
      auto rows = c->query(std::string("SELECT ") + kChainCols +
                               " FROM audit_log WHERE seq IS NULL AND id > ? ORDER BY id LIMIT 5000",
                           {after});
      if (rows.empty()) break;
      for (auto& r : rows.rows) {
        auto e = entryOf(r);
        v.add(e);
        after = e.id;
      }
    }
    auto r = v.finish(legacyId, base);
    if (r.ok && anchor && anchor->legacy && (anchor->legacy->first != legacyId || anchor->legacy->second != base)) {
      r.ok = false;
      r.broken_at = anchor->legacy->first;
      r.reason = "the legacy chain's head differs from the anchor";
    }
    rep.legacy = r;
  }

  std::map<std::string, core::AnchorPoint> anchored;
  if (anchor)
    for (const auto& p : anchor->regions)
      if (!scope || (p.region >= scope->first && p.region <= scope->second)) anchored[p.region] = p;
  std::map<std::string, bool> seen;
  for (const auto& h : heads.rows) {
    auto region = h.str(0);
    seen[region] = true;
    auto headSeq = h.i64(1);
    std::optional<core::AnchorPoint> ap;
    if (auto it = anchored.find(region); it != anchored.end()) ap = it->second;
    core::RegionVerifier v(region, base, key, ap);
    std::int64_t after = 0;
    while (!v.failed()) {
      auto rows = c->query(std::string("SELECT ") + kChainCols +
                               " FROM audit_log WHERE region_code = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT 5000",
                           {region, after, headSeq});
      if (rows.empty()) break;
      for (auto& r : rows.rows) {
        auto e = entryOf(r);
        v.add(e);
        after = e.seq.value_or(after);
      }
    }
    rep.regions.push_back(v.finish(headSeq, h.str(2)));
  }
  // An anchored region whose head is gone lost its whole chain.
  for (const auto& [region, p] : anchored)
    if (!seen.count(region)) {
      core::ChainCheck r;
      r.ok = false;
      r.region = region;
      r.broken_at = p.id;
      r.broken_seq = p.seq;
      r.reason = "the anchored chain has no head: truncated or deleted";
      rep.regions.push_back(r);
    }
  // Entries of a region without a head (its head deleted, or a region created after the heads were read).
  store::Params op;
  std::string ow = " WHERE seq IS NOT NULL";
  if (scope) ow += " AND region_code BETWEEN ? AND ?", op = {scope->first, scope->second};
  for (const auto& r : c->query("SELECT DISTINCT region_code FROM audit_log" + ow, op).rows) {
    auto region = r.str(0);
    if (seen.count(region) || anchored.count(region)) continue;
    if (!c->query("SELECT 1 FROM audit_heads WHERE region_code = ?", {region}).empty()) continue;
    core::ChainCheck x;
    x.ok = false;
    x.region = region;
    x.reason = "entries without a chain head";
    rep.regions.push_back(x);
  }
  if (rep.legacy) rep.rows += rep.legacy->rows;
  for (const auto& r : rep.regions) rep.rows += r.rows;
  rep.ok = rep.firstBreak() == nullptr;
  return rep;
}

json AuditService::verifyJson(const core::Actor& a) {
  if (!core::canReadAudit(a)) throw forbidden();
  auto rep = verify(std::nullopt, core::scopeRange(a.region_code));
  json regions = json::array();
  for (const auto& r : rep.regions) regions.push_back(checkJson(r));
  json j = {{"ok", rep.ok}, {"rows", rep.rows}, {"regions", regions}};
  if (rep.legacy) j["legacy"] = checkJson(*rep.legacy);
  if (const auto* b = rep.firstBreak()) {
    j["broken_at"] = b->broken_at;
    j["reason"] = b->reason;
    if (!b->region.empty()) j["region"] = b->region, j["broken_seq"] = b->broken_seq;
  }
  return j;
}

json AuditService::anchor() {
  auto c = env_.db->acquire();
  auto legacy = c->query("SELECT last_id, last_hash FROM audit_head WHERE id = 1");
  json regions = json::array();
  auto heads = c->query(
      "SELECT h.region_code, h.last_seq, h.last_id, h.last_hash, l.at FROM audit_heads h LEFT JOIN audit_log l ON "
      "l.id = h.last_id WHERE h.last_seq > 0 ORDER BY h.region_code");
  for (const auto& h : heads.rows)
    regions.push_back({{"region", h.str(0)}, {"seq", h.i64(1)}, {"id", h.i64(2)}, {"hash", h.str(3)},
                       {"at", h.str(4)}});
  return {{"steward_audit_anchor", 1},
          {"anchored_at", env_.nowIso()},
          {"legacy", {{"id", legacy.one().i64(0)}, {"hash", legacy.one().str(1)}}},
          {"regions", regions}};
}

AuditService::Anchor AuditService::parseAnchor(const json& j) {
  auto bad = [] { return std::runtime_error("not a steward audit anchor (write one with `steward audit anchor`)"); };
  if (!j.is_object() || j.value("steward_audit_anchor", 0) != 1 || !j.contains("regions") || !j["regions"].is_array())
    throw bad();
  Anchor a;
  try {
    a.at = j.value("anchored_at", "");
    if (j.contains("legacy") && j["legacy"].is_object())
      a.legacy = std::make_pair(j["legacy"].at("id").get<std::int64_t>(), j["legacy"].at("hash").get<std::string>());
    for (const auto& r : j["regions"]) {
      core::AnchorPoint p;
      p.region = r.at("region").get<std::string>();
      p.seq = r.at("seq").get<std::int64_t>();
      p.id = r.at("id").get<std::int64_t>();
      p.hash = r.at("hash").get<std::string>();
      a.regions.push_back(p);
    }
  } catch (const json::exception&) {
    throw bad();
  }
  return a;
}

bool AuditService::hasKeyedEntries() {
  auto c = env_.db->acquire();
  return !c->query("SELECT 1 FROM audit_heads WHERE keyed = 1 LIMIT 1").empty();
}

}  // namespace steward::service
