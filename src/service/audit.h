// Audit trail: every change of business data appends, in the caller's transaction, who, when, what,
// before and after, hash-chained to the previous entry.
#pragma once
#include <nlohmann/json.hpp>
#include <map>
#include <optional>
#include <vector>
#include <string>

#include "core/access.h"
#include "core/audit_chain.h"
#include "service/context.h"
#include "store/audit_repo.h"

namespace steward::service {

struct AuditWrite {
  std::string region_code;
  std::string action;  // create, update, delete, login, login_failed, ...
  std::string entity;  // org_unit, user, project, ...
  std::string entity_id;
  nlohmann::json before;  // null when absent
  nlohmann::json after;
};

// Before and after images larger than this are stored as a summary (keys, size, SHA-256), never whole.
inline constexpr std::size_t kAuditImageMaxBytes = 16 * 1024;
// The image stored for `j`: its JSON text, or the summary of an oversized one; nullopt for null.
std::optional<std::string> auditImage(const nlohmann::json& j);

// Appends entries inside the open transaction `c`, holding each region's chain head in memory between them:
// bulk writers (imports) pay one head read and one head write per region and transaction instead of per entry.
// Writers of one region serialise on its audit_heads row; other regions' writers do not wait. finish() must run
// before the transaction commits. Entries are HMAC-keyed when env.audit_key is set.
class AuditAppender {
 public:
  AuditAppender(store::Connection& c, const Env& env);
  void append(const core::Actor* actor, const AuditWrite& w);
  void finish();

 private:
  struct Head {
    std::int64_t seq = 0;
    std::int64_t id = 0;
    std::string hash;
    bool keyed = false;
    bool dirty = false;
  };
  Head& head(const std::string& region);
  store::AuditRepository repo_;  // also hands out entry ids
  const Env& env_;
  std::map<std::string, Head> heads_;
};

// A transaction that changes business data of `region`. It takes that region's audit-chain head first, so every
// writer of a region locks in the same order (head, then rows) and two writers can never deadlock over it;
// writers of different regions do not wait for each other. SQLite's BEGIN IMMEDIATE serialises writers anyway.
// An entry for another region in the same transaction locks that region's head when it is appended.
// A serialization failure, deadlock, SQLite busy lock or a connection lost before the commit runs the whole
// transaction again, head lock included (Database::transact, a bounded number of times): fn must act only
// through `c`, or assign rather than accumulate what it hands back.
void lockAuditHead(store::Connection& c, const std::string& region);
template <class F>
auto writeTransaction(const Env& env, const std::string& region, F&& fn) {
  return env.db->transact(true, [&](store::Connection& c) {
    lockAuditHead(c, region);
    return fn(c);
  });
}
// The region of row `id` of `table` (a constant table name) for writeTransaction, read before the transaction
// (a row's region never changes); `fallback` when the row does not exist (the transaction then reports that).
std::string regionOfRow(const Env& env, const char* table, std::int64_t id, const std::string& fallback);

// Appends one entry inside the open transaction `c`.
void appendAudit(store::Connection& c, const Env& env, const core::Actor* actor, const AuditWrite& w);
// Keeps only the keys whose values differ, so an update entry shows what changed.
void diffJson(const nlohmann::json& before, const nlohmann::json& after, nlohmann::json& b, nlohmann::json& a);

class AuditService {
 public:
  explicit AuditService(Env env) : env_(env) {}
  nlohmann::json list(const core::Actor& a, const std::string& entity, const std::string& entityId,
                      std::optional<std::int64_t> actorId, int page, int pageSize);
  // One page of an entity's history, newest first: {"items", "next_before"}; pass next_before as `before` for
  // the next page (null when there is none).
  nlohmann::json history(const core::Actor& a, const std::string& entity, const std::string& entityId,
                         std::optional<std::int64_t> before, int limit);
  // The newest changes in the actor's region; projectsOnly limits them to project changes (what any reader
  // of the region may see through project histories). Entries older than `before` (an id) when given.
  nlohmann::json recent(const core::Actor& a, int n, bool projectsOnly = false,
                        std::optional<std::int64_t> before = std::nullopt);
  // One page of recent activity as the dashboard shows it: {"items", "next_before"}.
  nlohmann::json activity(const core::Actor& a, std::optional<std::int64_t> before, int limit);

  struct Report {
    bool ok = true;
    std::int64_t rows = 0;
    std::optional<core::ChainCheck> legacy;  // the pre-region chain, when checked
    std::vector<core::ChainCheck> regions;
    const core::ChainCheck* firstBreak() const;
  };
  struct Anchor {
    std::string at;
    std::optional<std::pair<std::int64_t, std::string>> legacy;  // id, hash of the legacy head
    std::vector<core::AnchorPoint> regions;
  };
  // Checks the legacy chain and every region's chain (within [lo, hi] when scoped), against `anchor` when given.
  // Heads are read first, so entries appended while it runs are left for the next check.
  Report verify(const std::optional<Anchor>& anchor = std::nullopt,
                const std::optional<std::pair<std::string, std::string>>& scope = std::nullopt);
  nlohmann::json verifyJson(const core::Actor& a);
  // The current head of every region and of the legacy chain, to keep outside the database.
  nlohmann::json anchor();
  // Parses what anchor() wrote; throws std::runtime_error when it is not an anchor.
  static Anchor parseAnchor(const nlohmann::json& j);
  // Whether any entry is HMAC-keyed (the server refuses to start without the key then).
  bool hasKeyedEntries();

 private:
  Env env_;
};

nlohmann::json auditRowJson(const store::Row& r);
// One page of the newest changes in the actor's region as lists show them, entity names attached:
// {"items", "next_before"}. projectsOnly: project changes only; otherwise everything but sign-ins.
nlohmann::json recentAudit(store::Connection& c, const core::Actor& a, bool projectsOnly,
                           std::optional<std::int64_t> before, int limit);

}  // namespace steward::service
