#include "core/period.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace steward::core;

namespace {
std::string trim(std::string s) {
  while (!s.empty() && std::isspace((unsigned char)s.back())) s.pop_back();
  while (!s.empty() && std::isspace((unsigned char)s.front())) s.erase(0, 1);
  return s;
}
}  // namespace

TEST(Period, CasesFromTable) {
  std::ifstream in(std::string(STEWARD_SOURCE_DIR) + "/tests/core/cases/periods.txt");
  ASSERT_TRUE(in);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    std::vector<std::string> c;
    std::stringstream ss(line);
    for (std::string part; std::getline(ss, part, '|');) c.push_back(trim(part));
    ASSERT_EQ(c.size(), 6u) << line;
    auto cadence = cadenceFromKey(c[0]);
    ASSERT_TRUE(cadence) << line;
    auto p = periodOf(*cadence, c[1]);
    EXPECT_EQ(p.start, c[2]) << line;
    EXPECT_EQ(p.end, c[3]) << line;
    EXPECT_EQ(p.key, c[4]) << line;
    EXPECT_EQ(p.label, c[5]) << line;
    EXPECT_EQ(cadenceKey(*cadence), c[0]);
    ++n;
  }
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
