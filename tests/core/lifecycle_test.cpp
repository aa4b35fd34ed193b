#include "core/lifecycle.h"

#include <gtest/gtest.h>

#include "support/case_file.h"

using namespace steward::core;
using steward::testing::CaseFileError;
using steward::testing::CaseRow;

TEST(Lifecycle, GateCasesFromTable) {
  int cases = steward::testing::runCases("tests/core/cases/lifecycle_gates.txt", [](const CaseRow& row) {
    auto lc = presetLifecycle(row["preset"]);
    ASSERT_TRUE(lc) << "unknown preset " << row["preset"];
    Project p;
    for (const auto& f : row.list("fields set")) {
      if (f == "signed_date") p.signed_date = "2026-01-05";
      else if (f == "actual_start") p.actual_start = "2026-03-01";
      else if (f == "actual_completion") p.actual_completion = "2026-10-01";
      else if (f == "planned_start") p.planned_start = "2026-02-01";
      else throw CaseFileError(row.where() + ": unknown field " + f);
    }
    EXPECT_EQ(gateFailures(*lc, p, row["target"]), row.list("missing"));
  });
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
