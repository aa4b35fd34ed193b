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

bool canManageUsers(const Actor& a) { return a.has("admin"); }
bool canEditOrg(const Actor& a) { return a.has("admin") || a.has("hq"); }
bool canReadAudit(const Actor& a) { return a.has("admin") || a.has("hq"); }
bool canCreateProject(const Actor& a) { return a.has("admin") || a.has("hq") || (a.has("unit") && a.org_unit_id); }

bool canEditProject(const Actor& a, std::string_view projectRegion, std::optional<std::int64_t> projectUnit) {
  if (!inScope(a, projectRegion)) return false;
  if (a.has("admin") || a.has("hq")) return true;
  return a.has("unit") && a.org_unit_id && projectUnit && *a.org_unit_id == *projectUnit;
}

}  // namespace steward::core
