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
  EXPECT_TRUE(canEditOrg(actor("430424", {"hq"}), "430424"));
  EXPECT_FALSE(canEditOrg(actor("430424", {"unit"}, 3), "430424"));
  EXPECT_TRUE(canReadAudit(actor("430424", {"hq"})));
  EXPECT_FALSE(canReadAudit(actor("430424", {"leader"})));
  EXPECT_TRUE(isKey(kRoles, "inspector"));
  EXPECT_FALSE(isKey(kRoles, "root"));
  EXPECT_EQ(nameOf(kRanks, "county_leader"), "县级领导");
}

// The one write-access rule: a county's business data is written by that county; a city or province above it
// supervises, and its administrators set up accounts, but never edit the county's data.
TEST(Access, WriteRuleTable) {
  struct Case {
    const char* actorRegion;
    const char* role;
    WriteKind kind;
    const char* rowRegion;
    bool allowed;
  };
  const Case cases[] = {
      // business data: exactly the owning region
      {"430424", "hq", WriteKind::Business, "430424", true},
      {"430424", "admin", WriteKind::Business, "430424", true},
      {"430400", "hq", WriteKind::Business, "430424", false},      // the city above
      {"430400", "admin", WriteKind::Business, "430424", false},   // the city's administrator
      {"430000", "admin", WriteKind::Business, "430424", false},   // the province's administrator
      {"430426", "admin", WriteKind::Business, "430424", false},   // a neighbouring county
      {"430400", "admin", WriteKind::Business, "430400", true},    // the city's own data
      // supervision: the region and every level above it
      {"430424", "viewer", WriteKind::Supervision, "430424", true},
      {"430400", "inspector", WriteKind::Supervision, "430424", true},
      {"430000", "viewer", WriteKind::Supervision, "430424", true},
      {"430424", "hq", WriteKind::Supervision, "430400", false},   // a county does not supervise its city
      {"430500", "admin", WriteKind::Supervision, "430424", false}, // another city
      // account setup: administrators at or above the region
      {"430424", "admin", WriteKind::AccountSetup, "430424", true},
      {"430400", "admin", WriteKind::AccountSetup, "430424", true},
      {"430000", "admin", WriteKind::AccountSetup, "430424", true},
      {"430400", "hq", WriteKind::AccountSetup, "430424", false},
      {"430424", "admin", WriteKind::AccountSetup, "430400", false},  // upwards, never
      {"430426", "admin", WriteKind::AccountSetup, "430424", false},
  };
  for (const auto& c : cases)
    EXPECT_EQ(canWrite(actor(c.actorRegion, {c.role}), c.kind, c.rowRegion), c.allowed)
        << c.actorRegion << " " << c.role << " kind " << int(c.kind) << " on " << c.rowRegion;
}

TEST(Access, CityAndProvinceNeverEditACountysBusinessData) {
  for (const char* region : {"430400", "430000"}) {
    for (const char* role : {"admin", "hq"}) {
      const auto a = actor(region, {role}, 7);
      EXPECT_FALSE(canEditProject(a, "430424", 7)) << region << " " << role;
      EXPECT_FALSE(canEditProject(a, "430424", std::nullopt)) << region << " " << role;
      EXPECT_FALSE(canCreateProject(a)) << region << " " << role;  // projects live in counties
      EXPECT_FALSE(canEditOrg(a, "430424")) << region << " " << role;
      EXPECT_FALSE(canEditPerson(a, "430424")) << region << " " << role;
      EXPECT_FALSE(canSetRules(a, "430424")) << region << " " << role;
    }
  }
  // ...while the county's own headquarters and administrators do, and the city administrator sets up accounts.
  EXPECT_TRUE(canEditOrg(actor("430424", {"hq"}), "430424"));
  EXPECT_TRUE(canEditPerson(actor("430424", {"admin"}), "430424"));
  EXPECT_FALSE(canEditPerson(actor("430424", {"hq"}), "430424"));
  EXPECT_TRUE(canSetRules(actor("430424", {"admin"}), "430424"));
  EXPECT_TRUE(canSetUpAccount(actor("430400", {"admin"}), "430424"));
  EXPECT_FALSE(canSetUpAccount(actor("430400", {"hq"}), "430424"));
  EXPECT_FALSE(canSetUpAccount(actor("430424", {"admin"}), "430400"));
}

TEST(Access, AUnitUserKeepsItsProjectsWithItsUnit) {
  const auto unit = actor("430424", {"unit"}, 7);
  EXPECT_TRUE(canAssignUnit(unit, 7));
  EXPECT_FALSE(canAssignUnit(unit, 8));             // handing it to another unit
  EXPECT_FALSE(canAssignUnit(unit, std::nullopt));  // leaving it without one
  EXPECT_FALSE(canAssignUnit(actor("430424", {"unit"}), std::nullopt));
  EXPECT_TRUE(canAssignUnit(actor("430424", {"hq"}), std::nullopt));
  EXPECT_TRUE(canAssignUnit(actor("430424", {"admin"}), 8));
}
