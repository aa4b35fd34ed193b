// The audit trail's hash chains. Each region (行政区划) has its own chain: an entry's digest covers its content,
// its position in the region's chain (seq) and the previous entry's digest, so an entry edited or deleted
// behind the application's back breaks the chain at a findable place. With a key kept outside the database the
// digest is an HMAC-SHA-256, which whoever can write the database cannot recompute. Entries written before
// per-region chains (schema 4) form one installation-wide "legacy" chain of plain SHA-256 ordered by id; every
// region chain starts from the legacy chain's last digest.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace steward::core {

inline const std::string kGenesisHash(64, '0');
inline constexpr const char* kSchemeSha256 = "sha256";
inline constexpr const char* kSchemeHmac = "hmac-sha256";
inline constexpr std::size_t kAuditKeyBytes = 32;

struct AuditEntry {
  std::int64_t id = 0;
  std::optional<std::int64_t> seq;  // position in its region's chain; absent for legacy entries
  std::string scheme;               // kSchemeSha256 or kSchemeHmac (region entries only)
  std::string at;
  std::string region_code;
  std::optional<std::int64_t> actor_id;
  std::string actor_name;
  std::string action;
  std::string entity;
  std::string entity_id;
  std::optional<std::string> before_json, after_json;
  std::string prev_hash;
  std::string hash;
};

std::string sha256Hex(const std::string& data);
std::string hmacSha256Hex(const std::string& key, const std::string& data);
// The digest a legacy entry must carry given its content and prev_hash (unkeyed SHA-256).
std::string auditHash(const AuditEntry& e);
// The digest a region entry must carry: SHA-256 or, for kSchemeHmac, HMAC-SHA-256 under `key`
// (kAuditKeyBytes bytes). Throws std::invalid_argument for an HMAC entry without a key.
std::string regionAuditHash(const AuditEntry& e, const std::string& key);
// A key file's content: 64 hex digits (what `steward audit keygen` writes) or exactly 32 raw bytes.
// Returns nullopt when it is neither.
std::optional<std::string> parseAuditKey(const std::string& fileContent);

struct ChainCheck {
  bool ok = true;
  std::string region;           // empty for the legacy chain
  std::int64_t rows = 0;
  std::int64_t keyed = 0;       // region entries under an HMAC
  std::int64_t broken_at = 0;   // id of the first entry that does not verify (0 when not known)
  std::int64_t broken_seq = 0;  // its position in the region's chain
  std::string reason;
};

// Incremental verification of the legacy chain: entries in id order, ending with the recorded head.
class ChainVerifier {
 public:
  void add(const AuditEntry& e);
  ChainCheck finish(std::int64_t headId, const std::string& headHash);

 private:
  ChainCheck r_;
  std::int64_t lastId_ = 0;
  std::string lastHash_ = kGenesisHash;
};

// A point of a region's chain recorded outside the database (`steward audit anchor`).
struct AnchorPoint {
  std::string region;
  std::int64_t seq = 0;
  std::int64_t id = 0;
  std::string hash;
};

// Incremental verification of one region's chain: entries in seq order, starting from `base` (the legacy
// chain's head digest) and ending with the recorded head. With a key, HMAC entries are checked and an unkeyed
// entry after a keyed one is a break (a downgrade); without one, an HMAC entry cannot be checked and fails.
// With an anchor, the anchored entry must be present with the anchored id and digest.
class RegionVerifier {
 public:
  RegionVerifier(std::string region, std::string base, std::optional<std::string> key,
                 std::optional<AnchorPoint> anchor = std::nullopt);
  void add(const AuditEntry& e);
  bool failed() const { return !r_.ok; }
  ChainCheck finish(std::int64_t headSeq, const std::string& headHash);

 private:
  ChainCheck r_;
  std::optional<std::string> key_;
  std::optional<AnchorPoint> anchor_;
  std::int64_t lastSeq_ = 0;
  std::string lastHash_;
  bool sawKeyed_ = false;
};

}  // namespace steward::core
