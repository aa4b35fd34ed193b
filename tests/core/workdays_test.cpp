#include "core/workdays.h"

#include <gtest/gtest.h>

#include "core/embedded_data.h"
#include "support/case_file.h"

using namespace steward::core;
using steward::testing::CaseRow;

TEST(Workdays, DeadlinesFromTable) {
  const auto& cal = embeddedWorkCalendar();
  int n = steward::testing::runCases("tests/core/cases/workdays.txt", [&](const CaseRow& row) {
    auto unit = dayUnitFromKey(row["unit"]);
    ASSERT_TRUE(unit) << row["unit"];
    DayCount c{static_cast<int>(row.integer("amount")), *unit};
    EXPECT_EQ(dueDay(cal, row["from"], c), row["due"]);
    EXPECT_EQ(cal.isCovered(row["from"]), row["covered"] == "yes");
    if (*unit == DayUnit::WorkingDays) EXPECT_EQ(cal.workingDaysBetween(row["from"], row["due"]), c.amount);
  });
  EXPECT_GE(n, 18);
}

TEST(Workdays, EmbeddedDataCoversTheYearsOfThePackage) {
  const auto& cal = embeddedWorkCalendar();
  for (int y = 2024; y <= 2026; ++y) EXPECT_TRUE(cal.isCovered(y)) << y;
  EXPECT_FALSE(cal.isCovered(2028));
  EXPECT_NE(embeddedData("cn_calendar.tsv").find("chinese-days"), std::string_view::npos);
  EXPECT_FALSE(cal.isWorkingDay("2026-10-01"));
  EXPECT_TRUE(cal.isWorkingDay("2026-02-28"));  // a Saturday worked for 春节
  EXPECT_FALSE(cal.isWorkingDay("2026-03-01"));  // an ordinary Sunday
  EXPECT_EQ(cal.dayName("2026-02-17"), "春节");
  EXPECT_EQ(cal.dayName("2026-03-02"), "");
  auto y = cal.year(2026);
  ASSERT_TRUE(y);
  EXPECT_EQ(y->workdays.size(), 6u);
  EXPECT_EQ(y->holidays.front().day, "2026-01-01");
}

TEST(Workdays, AnImportedYearReplacesTheEmbeddedOne) {
  WorkCalendar cal = embeddedWorkCalendar();
  EXPECT_FALSE(cal.isCovered(2027));
  EXPECT_TRUE(cal.isWorkingDay("2027-02-08"));  // a Monday, uncovered
  cal.setYear({2027, {{"2027-02-08", "春节"}}, {{"2027-02-06", "春节"}}});
  EXPECT_TRUE(cal.isCovered("2027-06-01"));
  EXPECT_FALSE(cal.isWorkingDay("2027-02-08"));
  EXPECT_TRUE(cal.isWorkingDay("2027-02-06"));  // a Saturday worked
  cal.setYear({2026, {}, {}});                   // 2026 replaced by an empty arrangement
  EXPECT_TRUE(cal.isWorkingDay("2026-10-01"));
  EXPECT_FALSE(cal.isWorkingDay("2026-02-28"));
}

TEST(Workdays, BetweenIsSignedAndMalformedDaysThrow) {
  const auto& cal = embeddedWorkCalendar();
  EXPECT_EQ(cal.workingDaysBetween("2026-02-28", "2026-02-12"), -7);
  EXPECT_EQ(cal.workingDaysBetween("2026-02-12", "2026-02-12"), 0);
  EXPECT_THROW(cal.isWorkingDay("2026-02-30"), std::invalid_argument);
  EXPECT_THROW(dueDay(cal, "tomorrow", {1, DayUnit::WorkingDays}), std::invalid_argument);
  EXPECT_EQ(describeDayCount({7, DayUnit::WorkingDays}), "7个工作日");
  EXPECT_EQ(describeDayCount({1, DayUnit::Months}), "1个月");
}
