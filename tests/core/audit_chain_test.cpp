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
