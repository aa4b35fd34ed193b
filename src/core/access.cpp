#include "core/access.h"

#include "core/validate.h"

namespace steward::core {

bool inScope(const Actor& a, std::string_view rowRegion) {
  auto p = regionScopePrefix(a.region_code);
  return !p.empty() && rowRegion.substr(0, p.size()) == p;
}

std::pair<std::string, std::string> scopeRange(std::string_view code) {
  auto p = regionScopePrefix(code);
  std::string lo = p, hi = p;
  while (lo.size() < 6) lo += '0';
  while (hi.size() < 6) hi += '9';
  return {lo, hi};
}

bool canWrite(const Actor& a, WriteKind kind, std::string_view rowRegion) {
  if (!inScope(a, rowRegion)) return false;
  switch (kind) {
    case WriteKind::Business:
      return a.region_code == rowRegion;
    case WriteKind::Supervision:
      return true;
    case WriteKind::AccountSetup:
      return a.has("admin");
  }
  return false;
}

bool canManageUsers(const Actor& a) { return a.has("admin"); }
bool canSetUpAccount(const Actor& a, std::string_view userRegion) {
  return canWrite(a, WriteKind::AccountSetup, userRegion);
}
bool canEditPerson(const Actor& a, std::string_view userRegion) {
  return a.has("admin") && canWrite(a, WriteKind::Business, userRegion);
}
bool canEditOrg(const Actor& a, std::string_view unitRegion) {
  return (a.has("admin") || a.has("hq")) && canWrite(a, WriteKind::Business, unitRegion);
}
bool canReadAudit(const Actor& a) { return a.has("admin") || a.has("hq"); }
bool canCreateProject(const Actor& a) {
  if (regionLevel(a.region_code) != RegionLevel::County) return false;
  return a.has("admin") || a.has("hq") || (a.has("unit") && a.org_unit_id);
}

bool canEditProject(const Actor& a, std::string_view projectRegion, std::optional<std::int64_t> projectUnit) {
  if (!canWrite(a, WriteKind::Business, projectRegion)) return false;
  if (a.has("admin") || a.has("hq")) return true;
  return a.has("unit") && a.org_unit_id && projectUnit && *a.org_unit_id == *projectUnit;
}

bool canAssignUnit(const Actor& a, std::optional<std::int64_t> newUnit) {
  if (a.has("admin") || a.has("hq")) return true;
  return a.org_unit_id && newUnit && *a.org_unit_id == *newUnit;
}

bool canSetRules(const Actor& a, std::string_view ruleRegion) {
  return a.has("admin") && canWrite(a, WriteKind::Business, ruleRegion);
}

}  // namespace steward::core
