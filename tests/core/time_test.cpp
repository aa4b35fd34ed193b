#include "core/time.h"

#include <gtest/gtest.h>

using namespace steward::core;

TEST(Time, TimestampRoundTrip) {
  TimePoint t;
  ASSERT_TRUE(parseTimestamp("2026-11-23T15:59:59Z", t));
  EXPECT_EQ(formatTimestamp(t), "2026-11-23T15:59:59Z");
  EXPECT_FALSE(parseTimestamp("2026-11-23 15:59:59", t));
  EXPECT_FALSE(parseTimestamp("garbage", t));
}

TEST(Time, CountyDayIsUtcPlusEight) {
  TimePoint t;
  ASSERT_TRUE(parseTimestamp("2026-11-23T15:59:59Z", t));
  EXPECT_EQ(localDay(t), "2026-11-23");
  ASSERT_TRUE(parseTimestamp("2026-11-23T16:00:00Z", t));
  EXPECT_EQ(localDay(t), "2026-11-24");  // midnight in Asia/Shanghai
  ASSERT_TRUE(parseTimestamp("2024-02-28T16:00:00Z", t));
  EXPECT_EQ(localDay(t), "2024-02-29");
}

TEST(Time, CivilDaysRoundTripAcrossCenturies) {
  for (std::int64_t d = -800000; d <= 800000; d += 997) {
    int y;
    unsigned m, dd;
    civilFromDays(d, y, m, dd);
    EXPECT_EQ(daysFromCivil(y, m, dd), d);
  }
  EXPECT_EQ(daysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(daysFromCivil(2000, 3, 1) - daysFromCivil(2000, 2, 28), 2);  // 2000 is a leap year
  EXPECT_EQ(daysFromCivil(1900, 3, 1) - daysFromCivil(1900, 2, 28), 1);  // 1900 is not
}
