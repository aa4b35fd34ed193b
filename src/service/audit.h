// Audit trail: every change of business data appends, in the caller's transaction, who, when, what,
// before and after, hash-chained to the previous entry.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/access.h"
#include "core/audit_chain.h"
#include "service/context.h"

namespace steward::service {

struct AuditWrite {
  std::string region_code;
  std::string action;  // create, update, delete, login, login_failed, ...
  std::string entity;  // org_unit, user, project, ...
  std::string entity_id;
  nlohmann::json before;  // null when absent
  nlohmann::json after;
};

// Appends entries inside the open transaction `c`, holding the chain head in memory between them: bulk
// writers (imports) pay one head read and one head write per transaction instead of per entry. Writers
// serialise on audit_head. finish() must run before the transaction commits.
class AuditAppender {
 public:
  AuditAppender(store::Connection& c, const Env& env);
  void append(const core::Actor* actor, const AuditWrite& w);
  void finish();

 private:
  store::Connection& c_;
  const Env& env_;
  std::int64_t lastId_ = 0;
  std::string lastHash_;
  bool dirty_ = false;
};

// A transaction that changes business data. It takes the audit-chain head first, so every writer locks in the
// same order (head, then rows) and two writers can never deadlock over it; SQLite's BEGIN IMMEDIATE already
// serialises writers.
void lockAuditHead(store::Connection& c);
template <class F>
auto writeTransaction(const Env& env, F&& fn) {
  return env.db->transact(true, [&](store::Connection& c) {
    lockAuditHead(c);
    return fn(c);
  });
}

// Appends one entry inside the open transaction `c`.
void appendAudit(store::Connection& c, const Env& env, const core::Actor* actor, const AuditWrite& w);
// Keeps only the keys whose values differ, so an update entry shows what changed.
void diffJson(const nlohmann::json& before, const nlohmann::json& after, nlohmann::json& b, nlohmann::json& a);

class AuditService {
 public:
  explicit AuditService(Env env) : env_(env) {}
  nlohmann::json list(const core::Actor& a, const std::string& entity, const std::string& entityId,
                      std::optional<std::int64_t> actorId, int page, int pageSize);
  nlohmann::json history(const core::Actor& a, const std::string& entity, const std::string& entityId);
  // The newest changes in the actor's region; projectsOnly limits them to project changes (what any reader
  // of the region may see through project histories).
  nlohmann::json recent(const core::Actor& a, int n, bool projectsOnly = false);
  core::ChainCheck verify();
  nlohmann::json verifyJson(const core::Actor& a);

 private:
  Env env_;
};

nlohmann::json auditRowJson(const store::Row& r);

}  // namespace steward::service
