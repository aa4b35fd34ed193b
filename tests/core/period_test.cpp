#include "core/period.h"

#include <gtest/gtest.h>

#include "support/case_file.h"

using namespace steward::core;
using steward::testing::CaseRow;

TEST(Period, CasesFromTable) {
  int n = steward::testing::runCases("tests/core/cases/periods.txt", [](const CaseRow& row) {
    auto cadence = cadenceFromKey(row["cadence"]);
    ASSERT_TRUE(cadence) << "unknown cadence " << row["cadence"];
    auto p = periodOf(*cadence, row["day"]);
    EXPECT_EQ(p.start, row["start"]);
    EXPECT_EQ(p.end, row["end"]);
    EXPECT_EQ(p.key, row["key"]);
    EXPECT_EQ(p.label, row["label"]);
    EXPECT_EQ(cadenceKey(*cadence), row["cadence"]);
  });
  EXPECT_GE(n, 14);
}

TEST(Period, NextAndPreviousTileTheCalendar) {
  for (auto c : {Cadence::Day, Cadence::Week, Cadence::TenDay, Cadence::Month, Cadence::Quarter, Cadence::Year}) {
    auto p = periodOf(c, "2023-12-25");
    for (int i = 0; i < 60; ++i) {
      auto n = nextPeriod(p);
      EXPECT_EQ(n.start, addDays(p.end, 1)) << cadenceKey(c);
      EXPECT_EQ(previousPeriod(n).key, p.key) << cadenceKey(c);
      p = n;
    }
  }
}

TEST(Period, HalfTheTimeInBasisPoints) {
  auto year = periodOf(Cadence::Year, "2026-07-02");
  EXPECT_EQ(elapsedShareBp(year, "2026-07-02"), 5013);  // 183 of 365 days
  EXPECT_EQ(elapsedShareBp(year, "2026-12-31"), 10000);
  EXPECT_EQ(elapsedShareBp(year, "2025-12-31"), 0);
  EXPECT_EQ(elapsedShareBp(year, "2027-03-01"), 10000);
  auto leap = periodOf(Cadence::Year, "2024-01-01");
  EXPECT_EQ(elapsedShareBp(leap, "2024-07-01"), 183 * 10000 / 366);
}

TEST(Period, MalformedDaysAreRejected) {
  EXPECT_THROW(periodOf(Cadence::Month, "2026-02-30"), std::invalid_argument);
  EXPECT_THROW(periodOf(Cadence::Month, "yesterday"), std::invalid_argument);
  EXPECT_FALSE(cadenceFromKey("fortnight"));
  EXPECT_EQ(daysBetween("2026-01-01", "2026-12-31"), 364);
}

TEST(Period, ChineseDayIsHowDocumentsWriteADay) {
  EXPECT_EQ(steward::core::chineseDay("2026-03-09"), "2026年3月9日");
  EXPECT_EQ(steward::core::chineseDay("2026-11-23"), "2026年11月23日");
  EXPECT_THROW(steward::core::chineseDay("2026-13-01"), std::invalid_argument);
}
