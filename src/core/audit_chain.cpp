#include "core/audit_chain.h"

#include <sodium.h>

namespace steward::core {

std::string sha256Hex(const std::string& data) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  static const char* hex = "0123456789abcdef";
  std::string s(2 * sizeof out, '0');
  for (std::size_t i = 0; i < sizeof out; ++i) {
    s[2 * i] = hex[out[i] >> 4];
    s[2 * i + 1] = hex[out[i] & 15];
  }
  return s;
}

namespace {
// Length-prefixed fields, so no choice of content can make two different entries serialise alike.
void field(std::string& s, const std::string& v) {
  s += std::to_string(v.size());
  s += ':';
  s += v;
  s += ';';
}
void optField(std::string& s, const std::optional<std::string>& v) {
  if (v) field(s, *v);
  else s += "-;";
}
}  // namespace

std::string auditHash(const AuditEntry& e) {
  std::string s;
  field(s, e.prev_hash);
  field(s, std::to_string(e.id));
  field(s, e.at);
  field(s, e.region_code);
  optField(s, e.actor_id ? std::optional<std::string>(std::to_string(*e.actor_id)) : std::nullopt);
  field(s, e.actor_name);
  field(s, e.action);
  field(s, e.entity);
  field(s, e.entity_id);
  optField(s, e.before_json);
  optField(s, e.after_json);
  return sha256Hex(s);
}

void ChainVerifier::add(const AuditEntry& e) {
  if (!r_.ok) return;
  ++r_.rows;
  auto fail = [&](std::string why) {
    r_.ok = false;
    r_.broken_at = e.id;
    r_.reason = std::move(why);
  };
  if (e.id != lastId_ + 1) return fail("entry " + std::to_string(lastId_ + 1) + " is missing");
  if (e.prev_hash != lastHash_) return fail("previous-hash link does not match entry " + std::to_string(lastId_));
  if (auditHash(e) != e.hash) return fail("content does not match its hash");
  lastId_ = e.id;
  lastHash_ = e.hash;
}

ChainCheck ChainVerifier::finish(std::int64_t headId, const std::string& headHash) {
  if (r_.ok && (headId != lastId_ || headHash != lastHash_)) {
    r_.ok = false;
    r_.broken_at = lastId_ + 1;
    r_.reason = "entries after " + std::to_string(lastId_) + " are missing (head records " + std::to_string(headId) +
                ")";
  }
  return r_;
}

}  // namespace steward::core
