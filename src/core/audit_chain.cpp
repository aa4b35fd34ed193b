#include "core/audit_chain.h"

#include <sodium.h>

#include <stdexcept>

namespace steward::core {

namespace {
std::string hexOf(const unsigned char* p, std::size_t n) {
  static const char* hex = "0123456789abcdef";
  std::string s(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    s[2 * i] = hex[p[i] >> 4];
    s[2 * i + 1] = hex[p[i] & 15];
  }
  return s;
}
}  // namespace

std::string sha256Hex(const std::string& data) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return hexOf(out, sizeof out);
}

std::string hmacSha256Hex(const std::string& key, const std::string& data) {
  if (key.size() != kAuditKeyBytes) throw std::invalid_argument("audit key must be 32 bytes");
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                         reinterpret_cast<const unsigned char*>(key.data()));
  return hexOf(out, sizeof out);
}

std::optional<std::string> parseAuditKey(const std::string& content) {
  auto t = content;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
  if (t.size() == 2 * kAuditKeyBytes && t.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) {
    std::string key(kAuditKeyBytes, '\0');
    auto nib = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    for (std::size_t i = 0; i < kAuditKeyBytes; ++i) key[i] = char(nib(t[2 * i]) << 4 | nib(t[2 * i + 1]));
    return key;
  }
  if (content.size() == kAuditKeyBytes) return content;
  return std::nullopt;
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
// Who, when, what, before and after: the part of an entry both digest layouts cover, in this order.
void contentFields(std::string& s, const AuditEntry& e) {
  field(s, e.at);
  field(s, e.region_code);
  optField(s, e.actor_id ? std::optional<std::string>(std::to_string(*e.actor_id)) : std::nullopt);
  field(s, e.actor_name);
  field(s, e.action);
  field(s, e.entity);
  field(s, e.entity_id);
  optField(s, e.before_json);
  optField(s, e.after_json);
}
}  // namespace

std::string auditHash(const AuditEntry& e) {
  std::string s;
  field(s, e.prev_hash);
  field(s, std::to_string(e.id));
  contentFields(s, e);
  return sha256Hex(s);
}

std::string regionAuditHash(const AuditEntry& e, const std::string& key) {
  std::string s = "v2;";  // a different layout from legacy entries, so neither can pass for the other
  field(s, e.prev_hash);
  field(s, std::to_string(e.id));
  field(s, std::to_string(e.seq.value_or(0)));
  field(s, e.scheme);
  contentFields(s, e);
  if (e.scheme == kSchemeHmac) {
    if (key.empty()) throw std::invalid_argument("an HMAC audit entry needs the audit key");
    return hmacSha256Hex(key, s);
  }
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

namespace steward::core {

RegionVerifier::RegionVerifier(std::string region, std::string base, std::optional<std::string> key,
                               std::optional<AnchorPoint> anchor)
    : key_(std::move(key)), anchor_(std::move(anchor)), lastHash_(std::move(base)) {
  r_.region = std::move(region);
}

void RegionVerifier::add(const AuditEntry& e) {
  if (!r_.ok) return;
  ++r_.rows;
  auto fail = [&](std::string why) {
    r_.ok = false;
    r_.broken_at = e.id;
    r_.broken_seq = e.seq.value_or(0);
    r_.reason = std::move(why);
  };
  auto seq = e.seq.value_or(0);
  if (seq != lastSeq_ + 1) return fail("entry " + std::to_string(lastSeq_ + 1) + " of the chain is missing");
  if (e.prev_hash != lastHash_)
    return fail("previous-hash link does not match entry " + std::to_string(lastSeq_) + " of the chain");
  if (e.region_code != r_.region) return fail("entry belongs to region " + e.region_code);
  if (e.scheme == kSchemeHmac) {
    if (!key_) return fail("keyed entry, but no audit key was given to check it");
    sawKeyed_ = true;
    ++r_.keyed;
  } else if (e.scheme == kSchemeSha256) {
    if (sawKeyed_) return fail("unkeyed entry after keyed ones (downgraded)");
  } else {
    return fail("unknown digest scheme '" + e.scheme + "'");
  }
  if (regionAuditHash(e, key_.value_or("")) != e.hash)
    return fail(e.scheme == kSchemeHmac ? "content does not match its HMAC (edited, or the wrong key)"
                                        : "content does not match its hash");
  if (anchor_ && seq == anchor_->seq && (e.id != anchor_->id || e.hash != anchor_->hash))
    return fail("entry differs from the anchor (id " + std::to_string(anchor_->id) + ")");
  lastSeq_ = seq;
  lastHash_ = e.hash;
}

ChainCheck RegionVerifier::finish(std::int64_t headSeq, const std::string& headHash) {
  if (r_.ok && (headSeq != lastSeq_ || headHash != lastHash_)) {
    r_.ok = false;
    r_.broken_seq = lastSeq_ + 1;
    r_.reason = "entries after " + std::to_string(lastSeq_) + " of the chain are missing (head records " +
                std::to_string(headSeq) + ")";
  }
  if (r_.ok && anchor_ && anchor_->seq > lastSeq_) {
    r_.ok = false;
    r_.broken_at = anchor_->id;
    r_.broken_seq = anchor_->seq;
    r_.reason = "the chain ends at " + std::to_string(lastSeq_) + ", below the anchored entry " +
                std::to_string(anchor_->seq) + " (id " + std::to_string(anchor_->id) + "): truncated";
  }
  return r_;
}

}  // namespace steward::core
