#include "core/password.h"

#include <gtest/gtest.h>

using namespace steward::core;

TEST(Password, HashIsArgon2idAndVerifies) {
  auto h = hashPassword("Steward@2026");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
  EXPECT_TRUE(verifyPassword(h, "Steward@2026"));
  EXPECT_FALSE(verifyPassword(h, "steward@2026"));
  EXPECT_FALSE(verifyPassword(h, ""));
  EXPECT_NE(h, hashPassword("Steward@2026"));  // salted
}

TEST(Password, UnusableHashNeverVerifies) {
  EXPECT_FALSE(verifyPassword("!", "anything"));
  EXPECT_FALSE(verifyPassword("", ""));
}
