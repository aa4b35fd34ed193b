// The checklist of "ones" per county profile: done/automatic per item and the missing keys in order.
#include "core/checklist.h"

#include <gtest/gtest.h>

using namespace steward::core;

namespace {

const std::vector<ChecklistItem> kFiveOnes = {{"project", "一个重点项目", "project"}, {"leader", "一名牵头领导", "leader"},
                                              {"team", "一个工作专班", "team"},      {"plan", "一套工作方案", "manual"},
                                              {"schedule", "一张时间进度表", "manual"}};
const std::vector<ChecklistItem> kZhuxi = {{"schedule", "时间表", "manual"}, {"drawing", "施工图", "manual"},
                                           {"task_book", "任务书", "manual"}};

}  // namespace

TEST(Checklist, NothingSetMissesEverythingButTheProject) {
  auto s = checklistState(kFiveOnes, {});
  EXPECT_EQ(s.missing, (std::vector<std::string>{"leader", "team", "plan", "schedule"}));
  ASSERT_EQ(s.items.size(), 5u);
  EXPECT_TRUE(s.items[0].done);
  EXPECT_TRUE(s.items[0].automatic);
  EXPECT_TRUE(s.items[1].automatic);
  EXPECT_FALSE(s.items[3].automatic);
  EXPECT_EQ(s.items[4].name, "一张时间进度表");
}

TEST(Checklist, FieldsAndTicksSatisfyTheirItems) {
  ChecklistFacts f;
  f.leader = f.team = true;
  f.ticked = {"schedule"};
  auto s = checklistState(kFiveOnes, f);
  EXPECT_EQ(s.missing, (std::vector<std::string>{"plan"}));
  EXPECT_TRUE(s.items[4].done);
  f.ticked.insert("plan");
  EXPECT_TRUE(checklistState(kFiveOnes, f).missing.empty());
}

TEST(Checklist, TicksOfAnotherCountysKeysAreIgnored) {
  ChecklistFacts f;
  f.leader = f.unit = f.team = f.steward = true;  // fields do not satisfy manual items
  f.ticked = {"plan", "drawing"};
  auto s = checklistState(kZhuxi, f);
  EXPECT_EQ(s.missing, (std::vector<std::string>{"schedule", "task_book"}));
  EXPECT_TRUE(s.items[1].done);
  EXPECT_FALSE(s.items[1].automatic);
}

TEST(Checklist, EachFieldSourceReadsItsOwnFact) {
  const std::vector<ChecklistItem> items = {{"a", "A", "unit"}, {"b", "B", "steward"}, {"c", "C", "nonsense"}};
  ChecklistFacts f;
  f.unit = true;
  auto s = checklistState(items, f);
  EXPECT_EQ(s.missing, (std::vector<std::string>{"b", "c"}));
  f.steward = true;
  EXPECT_EQ(checklistState(items, f).missing, (std::vector<std::string>{"c"}));
}
