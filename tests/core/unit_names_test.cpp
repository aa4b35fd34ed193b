#include "core/unit_names.h"

#include <gtest/gtest.h>

#include "support/case_file.h"

using namespace steward::core;
using steward::testing::CaseRow;

TEST(UnitNames, KindCasesFromTable) {
  int cases = steward::testing::runCases("tests/core/cases/unit_kinds.txt", [](const CaseRow& row) {
    const std::string want = row["kind"] == "-" ? "" : row["kind"];
    EXPECT_EQ(inferUnitKind(row["name"]), want) << row["name"];
  });
  EXPECT_GE(cases, 25);
}

TEST(UnitNames, NearDuplicateCasesFromTable) {
  int cases = steward::testing::runCases("tests/core/cases/unit_near_duplicates.txt", [](const CaseRow& row) {
    auto found = findNearDuplicates({row["a"]}, {row["b"]}, row["county"]);
    if (row["same"] == "yes") {
      ASSERT_EQ(found.size(), 1u) << row["a"] << " / " << row["b"] << ": " << unitNameKey(row["a"], row["county"])
                                  << " vs " << unitNameKey(row["b"], row["county"]);
      EXPECT_EQ(found[0].other, row["b"]);
      EXPECT_TRUE(found[0].other_exists);
    } else {
      EXPECT_TRUE(found.empty()) << row["a"] << " / " << row["b"];
    }
  });
  EXPECT_GE(cases, 15);
}

TEST(UnitNames, NewNamesAreComparedWithEachOtherOncePerPair) {
  auto found = findNearDuplicates({"县发改局", "县交通运输局", "县发展和改革局", "县发改局"}, {"县交通运输局 "}, "衡东县");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].name, "县交通运输局");
  EXPECT_EQ(found[0].other, "县交通运输局 ");
  EXPECT_TRUE(found[0].other_exists);
  EXPECT_EQ(found[1].name, "县发展和改革局");
  EXPECT_EQ(found[1].other, "县发改局");
  EXPECT_FALSE(found[1].other_exists);
  // The repeated 县发改局 is the same name, not a near-duplicate of itself; it does meet 县发展和改革局.
  EXPECT_EQ(found[2].name, "县发改局");
  EXPECT_EQ(found[2].other, "县发展和改革局");
}

TEST(UnitNames, KeyWithoutCountyStillDropsTheLeadingCounty) {
  EXPECT_EQ(unitNameKey("县发改局", ""), "发展和改革局");
  EXPECT_EQ(unitNameKey("  ", "衡东县"), "");
}
