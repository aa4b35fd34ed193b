#include "core/access.h"

#include <gtest/gtest.h>

using namespace steward::core;

namespace {
Actor actor(std::string region, std::vector<std::string> roles, std::optional<std::int64_t> unit = std::nullopt) {
  Actor a;
  a.user_id = 1;
  a.region_code = std::move(region);
  a.roles = std::move(roles);
  a.org_unit_id = unit;
  return a;
}
}  // namespace

TEST(Access, RegionScopeFollowsTheHierarchy) {
  EXPECT_TRUE(inScope(actor("430424", {"viewer"}), "430424"));
  EXPECT_FALSE(inScope(actor("430424", {"viewer"}), "430421"));
  EXPECT_TRUE(inScope(actor("430400", {"viewer"}), "430424"));   // city sees its counties
  EXPECT_FALSE(inScope(actor("430400", {"viewer"}), "430524"));  // not another city's
  EXPECT_TRUE(inScope(actor("430000", {"viewer"}), "431126"));   // province sees the province
  EXPECT_FALSE(inScope(actor("430000", {"viewer"}), "440305"));
  EXPECT_FALSE(inScope(actor("bogus", {"admin"}), "430424"));
}

TEST(Access, ScopeRangeBoundsAnIndexScan) {
  EXPECT_EQ(scopeRange("430424"), std::make_pair(std::string("430424"), std::string("430424")));
  EXPECT_EQ(scopeRange("430400"), std::make_pair(std::string("430400"), std::string("430499")));
  EXPECT_EQ(scopeRange("430000"), std::make_pair(std::string("430000"), std::string("439999")));
}

TEST(Access, ProjectEditingRules) {
  EXPECT_TRUE(canEditProject(actor("430424", {"hq"}), "430424", 7));
  EXPECT_TRUE(canEditProject(actor("430424", {"admin"}), "430424", std::nullopt));
  EXPECT_FALSE(canEditProject(actor("430424", {"hq"}), "430421", 7));  // another county
  EXPECT_TRUE(canEditProject(actor("430424", {"unit"}, 7), "430424", 7));
  EXPECT_FALSE(canEditProject(actor("430424", {"unit"}, 7), "430424", 8));
  EXPECT_FALSE(canEditProject(actor("430424", {"unit"}, 7), "430424", std::nullopt));
  for (const char* role : {"leader", "inspector", "viewer", "liaison", "enterprise"})
    EXPECT_FALSE(canEditProject(actor("430424", {role}, 7), "430424", 7)) << role;
  EXPECT_TRUE(canCreateProject(actor("430424", {"unit"}, 7)));
  EXPECT_FALSE(canCreateProject(actor("430424", {"unit"})));  // a unit role without a unit
  EXPECT_FALSE(canCreateProject(actor("430424", {"viewer"})));
}

TEST(Access, AdministrativeRights) {
  EXPECT_TRUE(canManageUsers(actor("430424", {"admin"})));
  EXPECT_FALSE(canManageUsers(actor("430424", {"hq"})));
  EXPECT_TRUE(canEditOrg(actor("430424", {"hq"})));
  EXPECT_FALSE(canEditOrg(actor("430424", {"unit"}, 3)));
  EXPECT_TRUE(canReadAudit(actor("430424", {"hq"})));
  EXPECT_FALSE(canReadAudit(actor("430424", {"leader"})));
  EXPECT_TRUE(isKey(kRoles, "inspector"));
  EXPECT_FALSE(isKey(kRoles, "root"));
  EXPECT_EQ(nameOf(kRanks, "county_leader"), "县级领导");
}
