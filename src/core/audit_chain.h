// The audit trail's hash chain: each entry's SHA-256 covers its content and the previous entry's hash,
// so an entry edited or deleted behind the application's back breaks the chain at a findable place.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace steward::core {

inline const std::string kGenesisHash(64, '0');

struct AuditEntry {
  std::int64_t id = 0;
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
// The hash an entry must carry given its content and prev_hash.
std::string auditHash(const AuditEntry& e);

struct ChainCheck {
  bool ok = true;
  std::int64_t rows = 0;
  std::int64_t broken_at = 0;  // id of the first entry that does not verify
  std::string reason;
};

// Incremental verification over entries in id order, ending with the recorded head.
class ChainVerifier {
 public:
  void add(const AuditEntry& e);
  ChainCheck finish(std::int64_t headId, const std::string& headHash);

 private:
  ChainCheck r_;
  std::int64_t lastId_ = 0;
  std::string lastHash_ = kGenesisHash;
};

}  // namespace steward::core
