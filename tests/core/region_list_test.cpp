#include "core/region_list.h"

#include <gtest/gtest.h>

#include <string>

namespace steward::core {
namespace {

TEST(RegionList, FindsACountyWithItsParent) {
  const auto* d = findDivision("430424");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->name, "衡东县");
  EXPECT_EQ(d->level, DivisionLevel::County);
  EXPECT_EQ(d->parent, "430400");
  EXPECT_EQ(divisionLevelName(d->level), "county");
}

TEST(RegionList, NormalisesProvinceAndCityCodesToSixDigits) {
  ASSERT_NE(findDivision("430000"), nullptr);
  EXPECT_EQ(findDivision("430000")->name, "湖南省");
  EXPECT_EQ(findDivision("430000")->level, DivisionLevel::Province);
  EXPECT_TRUE(findDivision("430000")->parent.empty());
  ASSERT_NE(findDivision("430400"), nullptr);
  EXPECT_EQ(findDivision("430400")->name, "衡阳市");
  EXPECT_EQ(findDivision("430400")->level, DivisionLevel::City);
  EXPECT_EQ(findDivision("43"), nullptr);
  EXPECT_EQ(findDivision("4304"), nullptr);
}

TEST(RegionList, RefusesCodesItDoesNotKnow) {
  EXPECT_EQ(findDivision("439999"), nullptr);
  EXPECT_EQ(findDivision(""), nullptr);
  EXPECT_EQ(findDivision("abc"), nullptr);
  EXPECT_TRUE(divisionChain("999999").empty());
  EXPECT_TRUE(divisionChildren("999999").empty());
  EXPECT_TRUE(townshipsOf("999999").empty());
}

TEST(RegionList, ChainGoesUpToTheProvince) {
  auto chain = divisionChain("430424101");
  ASSERT_EQ(chain.size(), 4u);
  EXPECT_EQ(chain[0]->level, DivisionLevel::Township);
  EXPECT_EQ(chain[1]->code, "430424");
  EXPECT_EQ(chain[2]->code, "430400");
  EXPECT_EQ(chain[3]->code, "430000");
}

TEST(RegionList, PseudoCitiesAreLeftOutSoCountiesHangUnderTheProvince) {
  // 东城区 under the municipality 北京市 (the source's "市辖区" 1101 is not a division).
  ASSERT_NE(findDivision("110101"), nullptr);
  EXPECT_EQ(findDivision("110101")->parent, "110000");
  EXPECT_EQ(findDivision("110100"), nullptr);
  // 仙桃市, a county-level city administered by 湖北省 directly (source: 省直辖县级行政区划 4290).
  ASSERT_NE(findDivision("429004"), nullptr);
  EXPECT_EQ(findDivision("429004")->parent, "420000");
  EXPECT_EQ(findDivision("429000"), nullptr);
  auto chain = divisionChain("429004");
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[1]->name, "湖北省");
}

TEST(RegionList, ACityWithoutCountiesIsWrittenOnceWithItsTownships) {
  const auto* d = findDivision("441900");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->name, "东莞市");
  EXPECT_EQ(d->level, DivisionLevel::City);
  EXPECT_FALSE(townshipsOf("441900").empty());
}

TEST(RegionList, TownshipsOfHengdongIncludeItsTownsAndMarkParks) {
  auto t = townshipsOf("430424");
  ASSERT_GE(t.size(), 15u);
  bool dapu = false;
  for (const auto& x : t) {
    EXPECT_EQ(x.code.substr(0, 6), "430424");
    EXPECT_EQ(x.code.size(), 9u);
    if (x.name == "大浦镇") {
      dapu = true;
      EXPECT_FALSE(x.park);
    }
  }
  EXPECT_TRUE(dapu);
  for (std::size_t i = 1; i < t.size(); ++i) EXPECT_LT(t[i - 1].code, t[i].code);
  EXPECT_TRUE(townshipsOf("430000").empty());  // a province has no townships of its own
}

TEST(RegionList, ParkNames) {
  EXPECT_TRUE(isParkName("衡东经济开发区"));
  EXPECT_TRUE(isParkName("新技术产业园区"));
  EXPECT_TRUE(isParkName("河北武安工业园区"));
  EXPECT_FALSE(isParkName("大浦镇"));
  EXPECT_FALSE(isParkName("东华门街道"));
  EXPECT_FALSE(isParkName("白莲乡"));
}

TEST(RegionList, ChildrenForAPicker) {
  auto provinces = divisionChildren("");
  EXPECT_EQ(provinces.size(), 31u);
  for (const auto* p : provinces) EXPECT_EQ(p->level, DivisionLevel::Province);
  auto hunan = divisionChildren("430000");
  ASSERT_FALSE(hunan.empty());
  bool hengyang = false;
  for (const auto* c : hunan) {
    EXPECT_EQ(c->parent, "430000");
    hengyang = hengyang || c->code == "430400";
  }
  EXPECT_TRUE(hengyang);
  auto hy = divisionChildren("430400");
  bool hengdong = false;
  for (const auto* c : hy) hengdong = hengdong || c->name == "衡东县";
  EXPECT_TRUE(hengdong);
}

TEST(RegionList, CountsMatchTheGeneratedHeader) {
  EXPECT_EQ(divisionCount(DivisionLevel::Province), 31u);
  EXPECT_EQ(divisionCount(DivisionLevel::City), 333u);
  EXPECT_EQ(divisionCount(DivisionLevel::County), 2975u);
  EXPECT_EQ(divisionCount(DivisionLevel::Township), 41352u);
}

}  // namespace
}  // namespace steward::core
