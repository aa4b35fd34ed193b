#include "core/reporting.h"

#include <gtest/gtest.h>

#include "support/case_file.h"

using namespace steward::core;
using steward::testing::CaseRow;

namespace {

ReportDeadline deadlineOfRow(const CaseRow& row) {
  const auto& t = row["time"];
  return {static_cast<int>(row.integer("after")), std::stoi(t.substr(0, 2)) * 60 + std::stoi(t.substr(3, 2))};
}

}  // namespace

TEST(Reporting, CadenceCasesFromTable) {
  int n = steward::testing::runCases("tests/core/cases/report_deadlines.txt", [](const CaseRow& row) {
    const auto d = deadlineOfRow(row);
    if (row["check"] == "deadline") {
      auto p = periodFromKey(row["period"]);
      ASSERT_TRUE(p) << "not a period key: " << row["period"];
      EXPECT_EQ(formatTimestamp(deadlineOf(*p, d)), row["expect"]);
    } else if (row["check"] == "period") {
      auto c = cadenceFromKey(row["period"]);
      ASSERT_TRUE(c);
      EXPECT_EQ(reportingPeriod(*c, d, row["at"]).key, row["expect"]);
    } else if (row["check"] == "state") {
      auto p = periodFromKey(row["period"]);
      ASSERT_TRUE(p);
      TimePoint at;
      ASSERT_TRUE(parseTimestamp(row["at"], at));
      EXPECT_STREQ(periodStateKey(periodStateAt(*p, d, at)), row["expect"].c_str());
    } else {
      FAIL() << "unknown check " << row["check"];
    }
  });
  EXPECT_GE(n, 35);
}

TEST(Reporting, PeriodKeysRoundTripForEveryReportCadence) {
  for (auto c : {Cadence::Day, Cadence::Week, Cadence::TenDay, Cadence::Month}) {
    auto p = periodOf(c, "2020-12-20");
    for (int i = 0; i < 400; ++i, p = nextPeriod(p)) {
      auto back = periodFromKey(p.key);
      ASSERT_TRUE(back) << p.key;
      EXPECT_EQ(back->cadence, c) << p.key;
      EXPECT_EQ(back->start, p.start) << p.key;
      EXPECT_EQ(back->end, p.end) << p.key;
    }
  }
}

TEST(Reporting, MalformedPeriodKeysAreRefused) {
  for (const char* k : {"", "2026", "2026-13", "2026-00", "2026-W54", "2026-W00", "2025-W53", "2026-11-4", "2026-11-0",
                        "2026-02-30", "2026-Q4", "abcd-11", "2026-1-1", "2026-11-23x", "2026/11"})
    EXPECT_FALSE(periodFromKey(k)) << k;
  EXPECT_TRUE(periodFromKey("2020-W53"));
}

TEST(Reporting, StagesChooseTheirCadence) {
  CadenceRules r;
  r.fallback = Cadence::Month;
  r.by_stage["construction"] = Cadence::Day;
  EXPECT_EQ(cadenceOfStage(r, "construction"), Cadence::Day);
  EXPECT_EQ(cadenceOfStage(r, "signing"), Cadence::Month);
  EXPECT_EQ(deadlineRuleOf(r, Cadence::Week).minute, 18 * 60);  // none named: 18:00 on the last day
}

TEST(Reporting, RunningTotalsAreDerivedFromPeriodAmounts) {
  EXPECT_EQ(runningTotals({}), std::vector<std::int64_t>{});
  EXPECT_EQ(runningTotals({5, 0, 7, 3}), (std::vector<std::int64_t>{5, 5, 12, 15}));
  EXPECT_FALSE(exceedsTotalInvestment(90, 10, 100));
  EXPECT_TRUE(exceedsTotalInvestment(90, 11, 100));
  EXPECT_TRUE(exceedsTotalInvestment(0, 1, 0));
  const std::int64_t big = 1'000'000'000'000'000;
  EXPECT_TRUE(exceedsTotalInvestment(big, big, big));
}

TEST(Reporting, ReportedRunningAheadOfRegisteredByMoreThanTheShare) {
  EXPECT_FALSE(reportedRunsAhead(100, 100, 1000));
  EXPECT_FALSE(reportedRunsAhead(100, 120, 1000));
  EXPECT_FALSE(reportedRunsAhead(100, 90, 1000));  // exactly 10%: not more than the share
  EXPECT_TRUE(reportedRunsAhead(100, 89, 1000));
  EXPECT_TRUE(reportedRunsAhead(1, 0, 0));
  EXPECT_FALSE(reportedRunsAhead(0, 0, 0));
  const std::int64_t big = 1'000'000'000'000'000;
  EXPECT_TRUE(reportedRunsAhead(big, 0, 9999));  // no overflow at the cap
  EXPECT_FALSE(reportedRunsAhead(big, 0, 10000));
}

TEST(Reporting, WhoMayReport) {
  Actor hq{1, "hq", "", "430424", 10, "staff", {"hq"}};
  Actor unit{2, "unit", "", "430424", 20, "staff", {"unit"}};
  Actor liaison{3, "liaison", "", "430424", 30, "staff", {"liaison"}};
  Actor other{4, "qd", "", "430426", 10, "staff", {"hq"}};
  Actor city{5, "city", "", "430400", std::nullopt, "staff", {"hq"}};
  EXPECT_TRUE(canReportProgress(hq, "430424", 20, 3));
  EXPECT_TRUE(canReportProgress(unit, "430424", 20, 3));
  EXPECT_FALSE(canReportProgress(unit, "430424", 21, 3));  // another unit's project
  EXPECT_TRUE(canReportProgress(liaison, "430424", 21, 3));
  EXPECT_FALSE(canReportProgress(liaison, "430424", 30, 9));  // a liaison reports for their own projects only
  EXPECT_FALSE(canReportProgress(other, "430424", 20, 3));
  EXPECT_FALSE(canReportProgress(city, "430424", 20, 3));  // a city supervises, it does not report
  EXPECT_TRUE(canSuperviseReports(hq, "430424"));
  EXPECT_FALSE(canSuperviseReports(unit, "430424"));
  EXPECT_FALSE(canSuperviseReports(other, "430424"));
}
