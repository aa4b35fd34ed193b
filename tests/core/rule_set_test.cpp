#include "core/rule_set.h"

#include <gtest/gtest.h>

#include "support/case_file.h"

using namespace steward::core;
using steward::testing::CaseFileError;
using steward::testing::CaseRow;

namespace {
// "1@2023-01-01, 2@2026-03-16" as versions.
std::vector<RuleVersion> versionsOf(const CaseRow& row) {
  std::vector<RuleVersion> out;
  for (const auto& item : row.list("versions")) {
    auto at = item.find('@');
    if (at == std::string::npos) throw CaseFileError(row.where() + ": a version is VERSION@YYYY-MM-DD: " + item);
    out.push_back({std::stoi(item.substr(0, at)), item.substr(at + 1)});
  }
  return out;
}
}  // namespace

TEST(RuleSet, VersionInForceFromTable) {
  int n = steward::testing::runCases("tests/core/cases/rule_versions.txt", [](const CaseRow& row) {
    auto versions = versionsOf(row);
    auto i = ruleInForce(versions, row["day"]);
    const std::string got = i ? std::to_string(versions[*i].version) : "-";
    EXPECT_EQ(got, row["in force"]);
  });
  EXPECT_GE(n, 16);
}
