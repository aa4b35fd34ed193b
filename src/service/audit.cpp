#include "service/audit.h"

#include <map>

#include "service/errors.h"
#include "store/audit_repo.h"
#include "store/region_repo.h"

namespace steward::service {

using nlohmann::json;

void lockAuditHead(store::Connection& c, const std::string& region) {
  if (!region.empty()) store::AuditRepository(c).lockHead(region);
}

std::string regionOfRow(const Env& env, const char* table, std::int64_t id, const std::string& fallback) {
  auto c = env.db->acquire();
  return store::RegionRepository(*c).regionOfRow(table, id).value_or(fallback);
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

AuditAppender::AuditAppender(store::Connection& c, const Env& env) : repo_(c), env_(env) {}

AuditAppender::Head& AuditAppender::head(const std::string& region) {
  auto it = heads_.find(region);
  if (it != heads_.end()) return it->second;
  auto stored = repo_.lockHead(region);
  Head h;
  h.seq = stored.seq;
  h.id = stored.id;
  h.hash = stored.hash;
  h.keyed = stored.keyed;
  return heads_.emplace(region, h).first->second;
}

void AuditAppender::append(const core::Actor* actor, const AuditWrite& w) {
  auto& h = head(w.region_code);
  // A keyed chain never continues unkeyed: that would be a downgrade, and verify reports it as a break.
  if (h.keyed && env_.audit_key.empty())
    throw std::runtime_error("the audit chain of region " + w.region_code +
                             " is keyed: configure the audit key ([audit] key_file) to write");
  core::AuditEntry e;
  e.id = repo_.nextId();
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
  repo_.insert(e);
  h.seq = *e.seq;
  h.id = e.id;
  h.hash = e.hash;
  h.keyed = e.scheme == core::kSchemeHmac;
  h.dirty = true;
}

void AuditAppender::finish() {
  for (auto& [region, h] : heads_) {
    if (!h.dirty) continue;
    repo_.saveHead(region, {h.seq, h.id, h.hash, h.keyed});
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
// Names the entity of each entry ("项目「…」" rather than "项目 #40"), looked up in one query per kind.
void attachEntityNames(store::AuditRepository& repo, json& items) {
  for (const char* entity : {"project", "org_unit", "user"}) {
    std::vector<std::int64_t> ids;
    for (const auto& it : items)
      if (it["entity"] == entity && ids.size() < 500) {
        auto id = it["entity_id"].get<std::string>();
        if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos || id.size() > 18) continue;
        ids.push_back(std::stoll(id));
      }
    if (ids.empty()) continue;
    auto names = repo.entityNames(entity, ids);
    for (auto& it : items)
      if (it["entity"] == entity) {
        auto n = names.find(it["entity_id"].get<std::string>());
        it["entity_name"] = n == names.end() ? "" : n->second;
      }
  }
}

// One page, newest first: {"items", "next_before"}.
json pageBefore(store::AuditRepository& repo, const store::AuditQuery& q, std::optional<std::int64_t> before,
                int limit) {
  auto rows = repo.pageBefore(q, before, std::int64_t(limit) + 1);
  json items = json::array();
  for (auto& r : rows.rows) {
    if (items.size() == std::size_t(limit)) break;
    items.push_back(auditRowJson(r));
  }
  json next = rows.rows.size() > std::size_t(limit) ? json(items.back()["id"]) : json();
  return {{"items", items}, {"next_before", next}};
}
}  // namespace

json AuditService::list(const core::Actor& a, const std::string& entity, const std::string& entityId,
                        std::optional<std::int64_t> actorId, int page, int pageSize) {
  if (!core::canReadAudit(a)) throw forbidden();
  store::AuditQuery q{.scope_region = a.region_code, .entity = entity, .entity_id = entityId, .actor_id = actorId};
  auto c = env_.db->acquire();
  store::AuditRepository repo(*c);
  auto total = repo.count(q);
  json items = json::array();
  for (auto& r : repo.page(q, pageSize, std::int64_t(page - 1) * pageSize).rows) items.push_back(auditRowJson(r));
  attachEntityNames(repo, items);
  return {{"items", items}, {"total", total}, {"page", page}, {"page_size", pageSize}};
}

json AuditService::history(const core::Actor& a, const std::string& entity, const std::string& entityId,
                           std::optional<std::int64_t> before, int limit) {
  auto c = env_.db->acquire();
  store::AuditRepository repo(*c);
  return pageBefore(repo, {.scope_region = a.region_code, .entity = entity, .entity_id = entityId}, before, limit);
}

json recentAudit(store::Connection& c, const core::Actor& a, bool projectsOnly, std::optional<std::int64_t> before,
                 int limit) {
  store::AuditQuery q{.scope_region = a.region_code};
  if (projectsOnly) q.entity = "project";
  else q.exclude_sign_ins = true;
  store::AuditRepository repo(c);
  auto page = pageBefore(repo, q, before, limit);
  attachEntityNames(repo, page["items"]);
  return page;
}

json AuditService::recent(const core::Actor& a, int n, bool projectsOnly, std::optional<std::int64_t> before) {
  auto c = env_.db->acquire();
  return recentAudit(*c, a, projectsOnly, before, n)["items"];
}

json AuditService::activity(const core::Actor& a, std::optional<std::int64_t> before, int limit) {
  auto c = env_.db->acquire();
  return recentAudit(*c, a, !core::canReadAudit(a), before, limit);
}

namespace {
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
// Entries read per query while verifying.
constexpr int kVerifyBatch = 5000;
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
  store::AuditRepository repo(*c);
  std::optional<std::string> key;
  if (!env_.audit_key.empty()) key = env_.audit_key;
  // Heads first: every entry up to a head was committed with it, and later entries are left alone.
  const auto [legacyId, base] = repo.legacyHead();
  auto heads = repo.heads(scope);

  // The legacy chain covers every region, so it is checked only for an unscoped verify or a scope holding all
  // of it.
  bool legacyInScope = !scope || !repo.hasLegacyEntriesOutside(*scope);
  if (legacyInScope) {
    core::ChainVerifier v;
    std::int64_t after = 0;
    for (;;) {
      auto rows = repo.legacyEntries(after, kVerifyBatch);
      if (rows.empty()) break;
      for (auto& e : rows) {
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
  for (const auto& h : heads) {
    const auto& region = h.region;
    seen[region] = true;
    auto headSeq = h.seq;
    std::optional<core::AnchorPoint> ap;
    if (auto it = anchored.find(region); it != anchored.end()) ap = it->second;
    core::RegionVerifier v(region, base, key, ap);
    std::int64_t after = 0;
    while (!v.failed()) {
      auto rows = repo.regionEntries(region, after, headSeq, kVerifyBatch);
      if (rows.empty()) break;
      for (auto& e : rows) {
        v.add(e);
        after = e.seq.value_or(after);
      }
    }
    rep.regions.push_back(v.finish(headSeq, h.hash));
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
  for (const auto& region : repo.regionsWithEntries(scope)) {
    if (seen.count(region) || anchored.count(region)) continue;
    if (repo.hasHead(region)) continue;
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
  store::AuditRepository repo(*c);
  const auto [legacyId, legacyHash] = repo.legacyHead();
  json regions = json::array();
  for (const auto& h : repo.anchorHeads())
    regions.push_back({{"region", h.region}, {"seq", h.seq}, {"id", h.id}, {"hash", h.hash}, {"at", h.at}});
  return {{"steward_audit_anchor", 1},
          {"anchored_at", env_.nowIso()},
          {"legacy", {{"id", legacyId}, {"hash", legacyHash}}},
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
  return store::AuditRepository(*c).anyKeyed();
}

}  // namespace steward::service
