#include "core/rate_limit.h"

#include <gtest/gtest.h>

using namespace steward;
using namespace std::chrono_literals;

TEST(RateLimiter, AllowsABurstThenRefillsEvenly) {
  core::RateLimiter rl(6);  // 6 a minute: one every 10 s
  core::TimePoint t{};
  int retry = 0;
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(rl.take("a", t, retry)) << i;
  EXPECT_FALSE(rl.take("a", t, retry));
  EXPECT_EQ(retry, 10);
  EXPECT_TRUE(rl.take("b", t, retry));  // keys are independent
  t += 9s;
  EXPECT_FALSE(rl.take("a", t, retry));
  EXPECT_EQ(retry, 1);
  t += 1s;
  EXPECT_TRUE(rl.take("a", t, retry));
  EXPECT_FALSE(rl.take("a", t, retry));
  t += 1h;  // never more than the burst
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(rl.take("a", t, retry)) << i;
  EXPECT_FALSE(rl.take("a", t, retry));
}

TEST(RateLimiter, ZeroTurnsTheLimitOff) {
  core::RateLimiter rl(0);
  int retry = 0;
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(rl.take("a", core::TimePoint{}, retry));
}

TEST(RateLimiter, MemoryIsBoundedAndIdleKeysAreForgotten) {
  core::RateLimiter rl(60, 100);
  core::TimePoint t{};
  int retry = 0;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(rl.take("k" + std::to_string(i), t, retry));
  EXPECT_FALSE(rl.take("new", t, retry));  // 100 active keys: a flood of new keys is refused
  EXPECT_EQ(rl.keys(), 100u);
  t += 2min;  // every bucket has refilled: they are pruned to make room
  EXPECT_TRUE(rl.take("new", t, retry));
  EXPECT_EQ(rl.keys(), 1u);
}
