#include "core/audit_chain.h"

#include <gtest/gtest.h>

using namespace steward::core;

namespace {
std::vector<AuditEntry> chain(int n) {
  std::vector<AuditEntry> out;
  std::string prev = kGenesisHash;
  for (int i = 1; i <= n; ++i) {
    AuditEntry e;
    e.id = i;
    e.at = "2026-11-23T10:00:0" + std::to_string(i % 10) + "Z";
    e.region_code = "430424";
    e.actor_id = 3;
    e.actor_name = "刘建华";
    e.action = "update";
    e.entity = "project";
    e.entity_id = std::to_string(100 + i);
    e.before_json = R"({"name":"旧"})";
    e.after_json = R"({"name":"新)" + std::to_string(i) + R"("})";
    e.prev_hash = prev;
    e.hash = auditHash(e);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}
ChainCheck verify(const std::vector<AuditEntry>& es, std::int64_t headId, const std::string& headHash) {
  ChainVerifier v;
  for (const auto& e : es) v.add(e);
  return v.finish(headId, headHash);
}
}  // namespace

TEST(AuditChain, Sha256KnownVector) {
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuditChain, IntactChainVerifies) {
  auto es = chain(5);
  auto r = verify(es, 5, es.back().hash);
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.rows, 5);
}

TEST(AuditChain, EditedContentIsFoundAtItsEntry) {
  auto es = chain(5);
  es[2].after_json = R"({"name":"篡改"})";
  auto r = verify(es, 5, es.back().hash);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at, 3);
}

TEST(AuditChain, RehashedEditBreaksTheNextLink) {
  auto es = chain(5);
  es[1].actor_name = "别人";
  es[1].hash = auditHash(es[1]);  // the forger recomputes this entry's hash but cannot fix the next one's link
  auto r = verify(es, 5, es.back().hash);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at, 3);
}

TEST(AuditChain, DeletedMiddleAndTailEntriesAreFound) {
  auto es = chain(5);
  auto mid = es;
  mid.erase(mid.begin() + 2);
  auto r = verify(mid, 5, es.back().hash);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at, 4);
  auto tail = es;
  tail.pop_back();
  r = verify(tail, 5, es.back().hash);  // the head still records entry 5
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at, 5);
}

TEST(AuditChain, NullAndEmptyAreDistinct) {
  auto es = chain(1);
  auto e = es[0];
  e.before_json.reset();
  auto h1 = auditHash(e);
  e.before_json = "";
  EXPECT_NE(h1, auditHash(e));
}

// --- per-region chains, keyed digests, anchors

namespace {
const std::string kKey(32, 'k');
const std::string kBase = sha256Hex("legacy head");

std::vector<AuditEntry> regionChain(int n, const std::string& key, const std::string& region = "430424") {
  std::vector<AuditEntry> out;
  std::string prev = kBase;
  for (int i = 1; i <= n; ++i) {
    AuditEntry e;
    e.id = 100 + 2 * i;  // ids are global: a region's entries need not be consecutive
    e.seq = i;
    e.scheme = key.empty() ? kSchemeSha256 : kSchemeHmac;
    e.at = "2026-11-23T10:00:0" + std::to_string(i % 10) + "Z";
    e.region_code = region;
    e.actor_name = "刘建华";
    e.action = "update";
    e.entity = "project";
    e.entity_id = std::to_string(i);
    e.after_json = R"({"name":"新)" + std::to_string(i) + R"("})";
    e.prev_hash = prev;
    e.hash = regionAuditHash(e, key);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}
ChainCheck verifyRegion(const std::vector<AuditEntry>& es, std::optional<std::string> key, std::int64_t headSeq,
                        const std::string& headHash, std::optional<AnchorPoint> anchor = std::nullopt) {
  RegionVerifier v("430424", kBase, std::move(key), std::move(anchor));
  for (const auto& e : es) v.add(e);
  return v.finish(headSeq, headHash);
}
// What someone who can write the database but lacks the key can do: rewrite entries from `from` (0-based) on
// with unkeyed digests and fix every later link and the head.
void forgeFrom(std::vector<AuditEntry>& es, std::size_t from) {
  for (std::size_t i = from; i < es.size(); ++i) {
    es[i].scheme = kSchemeSha256;
    if (i > 0) es[i].prev_hash = es[i - 1].hash;
    es[i].hash = regionAuditHash(es[i], "");
  }
}
}  // namespace

TEST(AuditChain, HmacDependsOnTheKeyAndDiffersFromSha256) {
  auto e = regionChain(1, kKey)[0];
  auto keyed = regionAuditHash(e, kKey);
  EXPECT_NE(keyed, regionAuditHash(e, std::string(32, 'x')));
  e.scheme = kSchemeSha256;
  EXPECT_NE(keyed, regionAuditHash(e, kKey));
  e.scheme = kSchemeHmac;
  EXPECT_THROW(regionAuditHash(e, ""), std::invalid_argument);
}

TEST(AuditChain, RegionChainsVerifyFromTheLegacyHead) {
  for (const auto& key : {std::string(), kKey}) {
    auto es = regionChain(6, key);
    auto r = verifyRegion(es, key.empty() ? std::nullopt : std::optional(key), 6, es.back().hash);
    EXPECT_TRUE(r.ok) << r.reason;
    EXPECT_EQ(r.rows, 6);
    EXPECT_EQ(r.keyed, key.empty() ? 0 : 6);
  }
  // A chain that does not start from the legacy head (the legacy chain was rewritten) breaks at its first entry.
  auto es = regionChain(3, kKey);
  RegionVerifier v("430424", sha256Hex("another legacy head"), kKey);
  for (const auto& e : es) v.add(e);
  auto r = v.finish(3, es.back().hash);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_seq, 1);
}

TEST(AuditChain, ForgingWithoutTheKeyIsFound) {
  auto es = regionChain(6, kKey);
  // Recomputing with a guessed key fails at the edited entry.
  auto guessed = es;
  guessed[2].actor_name = "别人";
  guessed[2].hash = regionAuditHash(guessed[2], std::string(32, 'g'));
  auto r = verifyRegion(guessed, kKey, 6, es.back().hash);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_seq, 3);
  EXPECT_EQ(r.broken_at, es[2].id);
  // Rewriting the tail unkeyed is a downgrade.
  auto down = es;
  down[3].after_json = R"({"name":"篡改"})";
  forgeFrom(down, 3);
  r = verifyRegion(down, kKey, 6, down.back().hash);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_seq, 4);
  EXPECT_NE(r.reason.find("downgrade"), std::string::npos) << r.reason;
}

TEST(AuditChain, KeyedEntriesNeedTheKey) {
  auto es = regionChain(2, kKey);
  auto r = verifyRegion(es, std::nullopt, 2, es.back().hash);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_seq, 1);
}

TEST(AuditChain, UnkeyedRewriteOfAWholeChainPassesAloneButNotAgainstAnAnchor) {
  auto es = regionChain(6, "");
  AnchorPoint anchor{"430424", 4, es[3].id, es[3].hash};
  auto forged = es;
  forged[1].actor_name = "别人";
  forgeFrom(forged, 1);
  // Unkeyed and without an anchor, a full rewrite is indistinguishable: the limit the key and the anchor close.
  EXPECT_TRUE(verifyRegion(forged, std::nullopt, 6, forged.back().hash).ok);
  auto r = verifyRegion(forged, std::nullopt, 6, forged.back().hash, anchor);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_seq, 4);
  // Entries after the anchor may be added as usual.
  EXPECT_TRUE(verifyRegion(es, std::nullopt, 6, es.back().hash, anchor).ok);
}

TEST(AuditChain, TruncationBelowTheAnchorIsFound) {
  auto es = regionChain(6, kKey);
  AnchorPoint anchor{"430424", 5, es[4].id, es[4].hash};
  auto cut = es;
  cut.resize(3);  // the tail cut off and the head moved back with it
  auto r = verifyRegion(cut, kKey, 3, cut.back().hash);
  EXPECT_TRUE(r.ok) << "without an anchor a cut tail with a matching head goes unseen";
  r = verifyRegion(cut, kKey, 3, cut.back().hash, anchor);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_seq, 5);
  EXPECT_EQ(r.broken_at, es[4].id);
  // Cutting only entries newer than the anchor is not provable by it, but the head still catches a stale one.
  cut = es;
  cut.pop_back();
  EXPECT_FALSE(verifyRegion(cut, kKey, 6, es.back().hash, anchor).ok);
}

TEST(AuditChain, GapsAndLinksWithinARegion) {
  auto es = regionChain(5, "");
  auto gap = es;
  gap.erase(gap.begin() + 2);
  auto r = verifyRegion(gap, std::nullopt, 5, es.back().hash);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_seq, 4);
  EXPECT_EQ(r.broken_at, es[3].id);
  auto moved = es;
  moved[2].region_code = "430421";
  EXPECT_FALSE(verifyRegion(moved, std::nullopt, 5, es.back().hash).ok);
}

TEST(AuditChain, KeyFiles) {
  std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191A1B1C1D1E1F";
  auto k = parseAuditKey(hex + "\n");
  ASSERT_TRUE(k);
  ASSERT_EQ(k->size(), 32u);
  EXPECT_EQ((*k)[0], '\0');
  EXPECT_EQ((unsigned char)(*k)[31], 0x1f);
  EXPECT_EQ(parseAuditKey(std::string(32, '\xff')), std::string(32, '\xff'));
  EXPECT_FALSE(parseAuditKey(""));
  EXPECT_FALSE(parseAuditKey("short"));
  EXPECT_FALSE(parseAuditKey(std::string(63, 'a')));
  EXPECT_FALSE(parseAuditKey(std::string(64, 'g')));
}
