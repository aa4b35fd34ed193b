#include "service/audit.h"

#include <map>

#include "service/errors.h"
#include "service/scope.h"

namespace steward::service {

using nlohmann::json;

void lockAuditHead(store::Connection& c) {
  if (c.dialect() == store::Dialect::Postgres) c.query("SELECT last_id FROM audit_head WHERE id = 1 FOR UPDATE");
}

AuditAppender::AuditAppender(store::Connection& c, const Env& env) : c_(c), env_(env) {
  auto lockSql = c.dialect() == store::Dialect::Postgres
                     ? "SELECT last_id, last_hash FROM audit_head WHERE id = 1 FOR UPDATE"
                     : "SELECT last_id, last_hash FROM audit_head WHERE id = 1";
  auto head = c.query(lockSql);
  lastId_ = head.one().i64(0);
  lastHash_ = head.one().str(1);
}

void AuditAppender::append(const core::Actor* actor, const AuditWrite& w) {
  core::AuditEntry e;
  e.id = lastId_ + 1;
  e.prev_hash = lastHash_;
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
  if (!w.before.is_null()) e.before_json = w.before.dump();
  if (!w.after.is_null()) e.after_json = w.after.dump();
  e.hash = core::auditHash(e);
  c_.exec(
      "INSERT INTO audit_log (id, at, region_code, actor_id, actor_name, action, entity, entity_id, before_json, "
      "after_json, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
      {e.id, e.at, e.region_code, store::optParam(e.actor_id), e.actor_name, e.action, e.entity, e.entity_id,
       store::optParam(e.before_json), store::optParam(e.after_json), e.prev_hash, e.hash});
  lastId_ = e.id;
  lastHash_ = e.hash;
  dirty_ = true;
}

void AuditAppender::finish() {
  if (dirty_) c_.exec("UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1", {lastId_, lastHash_});
  dirty_ = false;
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

json AuditService::history(const core::Actor& a, const std::string& entity, const std::string& entityId) {
  auto [lo, hi] = core::scopeRange(a.region_code);
  auto c = env_.db->acquire();
  auto rows = c->query(std::string("SELECT ") + kCols +
                           " FROM audit_log WHERE entity = ? AND entity_id = ? AND region_code BETWEEN ? AND ? "
                           "ORDER BY id DESC LIMIT 500",
                       {entity, entityId, lo, hi});
  json items = json::array();
  for (auto& r : rows.rows) items.push_back(auditRowJson(r));
  return {{"items", items}};
}

json AuditService::recent(const core::Actor& a, int n, bool projectsOnly) {
  store::Params p;
  std::string where = scopeSql(a.region_code, "region_code", p);
  where += projectsOnly ? " AND entity = 'project'" : " AND action NOT IN ('login', 'login_failed', 'logout', 'account_locked', 'password_change')";
  p.push_back(std::int64_t(n));
  auto c = env_.db->acquire();
  auto rows = c->query(std::string("SELECT ") + kCols + " FROM audit_log WHERE " + where + " ORDER BY id DESC LIMIT ?", p);
  json items = json::array();
  for (auto& r : rows.rows) items.push_back(auditRowJson(r));
  attachEntityNames(*c, items);
  return items;
}

core::ChainCheck AuditService::verify() {
  auto c = env_.db->acquire();
  core::ChainVerifier v;
  // Paged by id so memory stays flat however long the trail is.
  std::int64_t after = 0;
  for (;;) {
    auto rows = c->query(std::string("SELECT ") + kCols +
                             ", prev_hash, hash FROM audit_log WHERE id > ? ORDER BY id LIMIT 5000",
                         {after});
    if (rows.empty()) break;
    for (auto& r : rows.rows) {
      core::AuditEntry e;
      e.id = r.i64("id");
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
      v.add(e);
      after = e.id;
    }
  }
  auto head = c->query("SELECT last_id, last_hash FROM audit_head WHERE id = 1");
  return v.finish(head.one().i64(0), head.one().str(1));
}

json AuditService::verifyJson(const core::Actor& a) {
  if (!core::canReadAudit(a)) throw forbidden();
  auto r = verify();
  json j = {{"ok", r.ok}, {"rows", r.rows}};
  if (!r.ok) j["broken_at"] = r.broken_at, j["reason"] = r.reason;
  return j;
}

}  // namespace steward::service
