// Who may do what: roles, ranks, org-unit kinds and the access rules, as pure functions.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace steward::core {

struct Named {
  const char* key;
  const char* name;
};

inline constexpr std::array<Named, 8> kRoles = {{{"admin", "系统管理员"},
                                                {"hq", "总指挥部办公室"},
                                                {"leader", "县级领导"},
                                                {"unit", "责任单位"},
                                                {"liaison", "项目联络员"},
                                                {"enterprise", "企业"},
                                                {"inspector", "督查组"},
                                                {"viewer", "只读"}}};
// The "3456" four levels plus staff.
inline constexpr std::array<Named, 5> kRanks = {{{"county_leader", "县级领导"},
                                                {"unit_principal", "单位主要负责人"},
                                                {"unit_leader", "单位班子成员"},
                                                {"section_chief", "股室负责人"},
                                                {"staff", "工作人员"}}};
inline constexpr std::array<Named, 6> kOrgUnitKinds = {{{"hq", "总指挥部办公室"},
                                                       {"department", "责任单位(部门)"},
                                                       {"township", "乡镇(街道)"},
                                                       {"approval", "审批部门"},
                                                       {"park", "园区"},
                                                       {"group", "专班(专项工作组)"}}};

template <std::size_t N>
bool isKey(const std::array<Named, N>& set, std::string_view key) {
  for (const auto& n : set)
    if (key == n.key) return true;
  return false;
}
template <std::size_t N>
std::string nameOf(const std::array<Named, N>& set, std::string_view key) {
  for (const auto& n : set)
    if (key == n.key) return n.name;
  return std::string(key);
}

// The signed-in person as the rules see them.
struct Actor {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::string region_code;
  std::optional<std::int64_t> org_unit_id;
  std::string rank;
  std::vector<std::string> roles;
  bool has(std::string_view role) const {
    for (const auto& r : roles)
      if (r == role) return true;
    return false;
  }
};

// The region codes an actor may see: a county its own, a city (xxxx00) its counties, a province (xx0000) all.
bool inScope(const Actor& a, std::string_view rowRegion);
// Inclusive bounds usable in an index range scan: region_code BETWEEN lo AND hi.
std::pair<std::string, std::string> scopeRange(std::string_view regionCode);

// The one write-access rule. A region's business data (projects, reports, its org units and people, its rule
// sets) is written by that region's own users only; a city or province above it reads it and supervises it
// (comments, instructions, its own letters), and its administrators may set up accounts in the counties below,
// but never edit a county's business data.
enum class WriteKind {
  Business,      // the region's own data: only actors of exactly that region
  Supervision,   // remarks on a region's data: the region itself and every level above it
  AccountSetup,  // creating accounts, disabling them, resetting passwords: administrators at or above the region
};
bool canWrite(const Actor& a, WriteKind kind, std::string_view rowRegion);

bool canManageUsers(const Actor& a);  // holds the administrator role (the region is checked per row)
// Creating an account in `userRegion`, disabling it or resetting its password.
bool canSetUpAccount(const Actor& a, std::string_view userRegion);
// Changing a person's profile (name, phone, rank, unit, roles): the person's own region's administrators.
bool canEditPerson(const Actor& a, std::string_view userRegion);
// Creating or changing the org units of `unitRegion`: that region's administrators and headquarters.
bool canEditOrg(const Actor& a, std::string_view unitRegion);
bool canReadAudit(const Actor& a);
// Headquarters (and admin) edit any project of their own county; a unit user edits its own unit's projects.
bool canCreateProject(const Actor& a);
bool canEditProject(const Actor& a, std::string_view projectRegion, std::optional<std::int64_t> projectUnit);
// A unit user may not hand a project to another unit or leave it without one; hq and admin may.
bool canAssignUnit(const Actor& a, std::optional<std::int64_t> newUnit);
// Rule sets (lifecycle stages, thresholds) are a county's own configuration, set by its administrators.
bool canSetRules(const Actor& a, std::string_view ruleRegion);

}  // namespace steward::core
