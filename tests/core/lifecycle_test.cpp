#include "core/lifecycle.h"

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
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string part; std::getline(ss, part, sep);) out.push_back(trim(part));
  return out;
}
}  // namespace

TEST(Lifecycle, GateCasesFromTable) {
  std::ifstream in(std::string(STEWARD_SOURCE_DIR) + "/tests/core/cases/lifecycle_gates.txt");
  ASSERT_TRUE(in) << "case file missing";
  int cases = 0;
  for (std::string line; std::getline(in, line);) {
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    auto cols = split(line, '|');
    ASSERT_EQ(cols.size(), 4u) << line;
    auto lc = presetLifecycle(cols[0]);
    ASSERT_TRUE(lc) << "unknown preset " << cols[0];
    Project p;
    if (cols[2] != "-")
      for (const auto& f : split(cols[2], ',')) {
        if (f == "signed_date") p.signed_date = "2026-01-05";
        else if (f == "actual_start") p.actual_start = "2026-03-01";
        else if (f == "actual_completion") p.actual_completion = "2026-10-01";
        else if (f == "planned_start") p.planned_start = "2026-02-01";
        else FAIL() << "unknown field in case file: " << f;
      }
    std::vector<std::string> expected;
    if (cols[3] != "-") expected = split(cols[3], ',');
    EXPECT_EQ(gateFailures(*lc, p, cols[1]), expected) << line;
    ++cases;
  }
  EXPECT_GE(cases, 15);
}

TEST(Lifecycle, HengdongIsTheDefaultWithSevenStagesInOrder) {
  const auto& lc = defaultLifecycle();
  ASSERT_EQ(lc.stages.size(), 7u);
  EXPECT_EQ(lc.stages.front().name, "策划包装");
  EXPECT_EQ(lc.stages.back().name, "竣工投产运营");
  EXPECT_EQ(lc.indexOf("construction"), 4);
  EXPECT_EQ(lc.indexOf("nope"), -1);
  EXPECT_EQ(lc.nodes.size(), 10u);
  EXPECT_FALSE(presetLifecycle("unknown-county"));
}

TEST(Lifecycle, MissingOnesListsExactlyWhatIsAbsent) {
  Responsibility r;
  EXPECT_EQ(missingOnes(r), (std::vector<std::string>{"leader", "unit", "team", "plan", "schedule"}));
  r.leader = r.unit = r.team = true;
  EXPECT_EQ(missingOnes(r), (std::vector<std::string>{"plan", "schedule"}));
  r.plan = r.schedule = true;
  EXPECT_TRUE(missingOnes(r).empty());
}
