// The audit trail's storage: entries, the per-region chain heads and the frozen legacy head. What is hashed and
// how a chain is verified stay in core/audit_chain and service/audit; this is only where the rows are.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/audit_chain.h"
#include "store/db.h"

namespace steward::store {

struct AuditHead {
  std::int64_t seq = 0;
  std::int64_t id = 0;
  std::string hash;
  bool keyed = false;
};

struct RegionHead {
  std::string region;
  std::int64_t seq = 0;
  std::int64_t id = 0;
  std::string hash;
  std::string at;  // when the head entry was written (anchorHeads only)
};

// Which entries a reader sees: those of the scope of `scope_region`, narrowed by the fields that are set.
struct AuditQuery {
  std::string scope_region{};
  std::string entity{}, entity_id{};
  std::optional<std::int64_t> actor_id{};
  bool exclude_sign_ins = false;  // leave out login, login_failed, logout, account_locked, password_change
};

using CodeRange = std::pair<std::string, std::string>;

// One repository per transaction: on SQLite it counts entry ids itself (writers are serialised), on PostgreSQL
// they come from a sequence so writers of different regions never wait for each other.
class AuditRepository {
 public:
  explicit AuditRepository(Connection& c) : c_(c) {}

  // Reads a region's chain head, and on PostgreSQL locks it until the transaction ends; the region's first
  // entry creates it from the legacy chain's last digest.
  AuditHead lockHead(const std::string& region);
  std::int64_t nextId();
  void insert(const core::AuditEntry& e);
  void saveHead(const std::string& region, const AuditHead& h);

  // The frozen pre-region chain's head: last id and digest.
  std::pair<std::int64_t, std::string> legacyHead();
  // Region heads (within `range` when given), by region.
  std::vector<RegionHead> heads(const std::optional<CodeRange>& range);
  // Heads of chains with at least one entry, with the time of their last entry, by region.
  std::vector<RegionHead> anchorHeads();
  bool hasHead(const std::string& region);
  bool anyKeyed();
  bool hasLegacyEntriesOutside(const CodeRange& range);
  // Legacy entries with id > afterId, by id; at most `limit`.
  std::vector<core::AuditEntry> legacyEntries(std::int64_t afterId, int limit);
  // A region's entries with afterSeq < seq <= uptoSeq, by seq; at most `limit`.
  std::vector<core::AuditEntry> regionEntries(const std::string& region, std::int64_t afterSeq, std::int64_t uptoSeq,
                                              int limit);
  // Regions that have chained entries (within `range` when given).
  std::vector<std::string> regionsWithEntries(const std::optional<CodeRange>& range);

  // Rows for readers carry id, at, region_code, actor_id, actor_name, action, entity, entity_id, before_json,
  // after_json; newest first.
  std::int64_t count(const AuditQuery& q);
  Result page(const AuditQuery& q, std::int64_t limit, std::int64_t offset);
  // Entries older than `before` (an id) when given; at most `limit`.
  Result pageBefore(const AuditQuery& q, std::optional<std::int64_t> before, std::int64_t limit);
  // The names of the entities (project, org_unit or user) with these ids, by id as text.
  std::map<std::string, std::string> entityNames(const std::string& entity, const std::vector<std::int64_t>& ids);

 private:
  Connection& c_;
  std::int64_t nextId_ = 0;
};

}  // namespace steward::store
