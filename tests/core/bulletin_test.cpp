#include "core/bulletin.h"

#include <gtest/gtest.h>

using namespace steward::core::bulletin;

namespace {
NamedFigures unit(std::int64_t id, const char* name, std::int64_t projects, std::int64_t due, std::int64_t started,
                  std::int64_t red, std::int64_t yellow, std::int64_t letters, std::int64_t problems,
                  std::int64_t investment) {
  NamedFigures f;
  f.id = id;
  f.name = name;
  f.projects = projects;
  f.due_to_start = due;
  f.started = started;
  f.red = red;
  f.yellow = yellow;
  f.letters_overdue = letters;
  f.problems_overdue = problems;
  f.investment = investment;
  return f;
}
}  // namespace

TEST(Bulletin, DemeritsCountEachShortfall) {
  EXPECT_EQ(demerits(unit(1, "a", 5, 4, 2, 1, 1, 1, 2, 0)), 2 + 1 + 4 + 1 + 2);
  EXPECT_EQ(demerits(unit(1, "a", 5, 2, 3, 0, 0, 0, 0, 0)), 0) << "more started than due is no credit";
}

TEST(Bulletin, BestAndWorstByFixedRules) {
  std::vector<NamedFigures> all = {
      unit(1, "甲", 3, 3, 3, 0, 0, 0, 0, 500),   // clean, most investment: praised first
      unit(2, "乙", 2, 2, 2, 0, 0, 0, 0, 100),   // clean
      unit(3, "丙", 4, 4, 1, 2, 0, 0, 0, 900),   // 3 not started, 2 red: 10 demerits
      unit(4, "丁", 1, 1, 1, 0, 1, 1, 0, 0),     // 2 demerits
      unit(5, "戊", 0, 0, 0, 0, 0, 0, 0, 0),     // no projects: never named
      unit(6, "己", 2, 0, 0, 0, 0, 0, 0, 0),     // clean but nothing done: not praised
  };
  auto r = bestAndWorst(all, 3);
  ASSERT_EQ(r.praised.size(), 2u);
  EXPECT_EQ(r.praised[0].name, "甲");
  EXPECT_EQ(r.praised[1].name, "乙");
  ASSERT_EQ(r.criticised.size(), 2u);
  EXPECT_EQ(r.criticised[0].name, "丙");
  EXPECT_EQ(r.criticised[1].name, "丁");
  auto one = bestAndWorst(all, 1);
  ASSERT_EQ(one.praised.size(), 1u);
  EXPECT_EQ(one.praised[0].name, "甲");
  ASSERT_EQ(one.criticised.size(), 1u);
  EXPECT_EQ(one.criticised[0].name, "丙");
  // Nobody clean: the fewest demerits are praised, the most criticised, none both.
  std::vector<NamedFigures> yellow = {unit(1, "甲", 2, 2, 2, 0, 1, 0, 0, 300), unit(2, "乙", 2, 2, 2, 0, 2, 0, 0, 900),
                                      unit(3, "丙", 2, 2, 1, 1, 1, 0, 0, 100)};
  auto y = bestAndWorst(yellow, 1);
  ASSERT_EQ(y.praised.size(), 1u);
  EXPECT_EQ(y.praised[0].name, "甲");
  ASSERT_EQ(y.criticised.size(), 1u);
  EXPECT_EQ(y.criticised[0].name, "丙");
}

TEST(Bulletin, PercentHalfUp) {
  EXPECT_EQ(percentOf(0, 0), 0);
  EXPECT_EQ(percentOf(1, 3), 33);
  EXPECT_EQ(percentOf(2, 3), 67);
  EXPECT_EQ(percentOf(1, 8), 13);  // 12.5 → 13
  EXPECT_EQ(percentOf(5, 5), 100);
}
