#include "service/org.h"

#include "core/limits.h"
#include "core/password.h"
#include "core/region_list.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/hasher.h"
#include "service/auth.h"  // the password policy
#include "service/errors.h"
#include "service/json_input.h"
#include "service/user_view.h"
#include "store/login_guard_repo.h"
#include "store/org_repo.h"
#include "store/region_repo.h"
#include "store/session_repo.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;

json orgUnitRowJson(const store::Row& r) {
  return {{"id", r.i64("id")},         {"region_code", r.str("region_code")}, {"name", r.str("name")},
          {"short_name", r.str("short_name")}, {"kind", r.str("kind")},       {"sort", r.i64("sort")}};
}

json OrgService::regions(const core::Actor& a) {
  auto c = env_.db->acquire();
  // The actor's own region, those below it, and those above it (for breadcrumbs).
  auto rows = store::RegionRepository(*c).visibleFrom(a.region_code);
  json items = json::array();
  for (auto& r : rows.rows)
    items.push_back({{"code", r.str("code")},
                     {"name", r.str("name")},
                     {"level", r.str("level")},
                     {"parent_code", r.isNull("parent_code") ? json() : json(r.str("parent_code"))}});
  return {{"items", items}};
}

json OrgService::orgUnits(const core::Actor& a, const std::string& kind) {
  auto c = env_.db->acquire();
  json items = json::array();
  for (auto& r : store::OrgUnitRepository(*c).listInScope(a.region_code, kind, core::limits::kMaxPickerItems + 1).rows)
    items.push_back(orgUnitRowJson(r));
  bool truncated = items.size() > static_cast<std::size_t>(core::limits::kMaxPickerItems);
  if (truncated) items.erase(items.end() - 1);
  return {{"items", items}, {"truncated", truncated}};
}

namespace {

// The display order of a unit in lists; anything outside is a typing error.
constexpr std::int64_t kMaxSort = 1'000'000;

struct OrgUnitInput {
  std::optional<std::string> name, short_name, kind;
  std::optional<std::int64_t> sort;
};

// Creating (partial = false): name and kind are required, a null short_name or sort means the default. Changing
// (partial = true): only the keys given change; name, kind and sort cannot be cleared, a null short_name clears it.
OrgUnitInput validateOrgUnit(const json& in, bool partial, Validator& v) {
  JsonInput i(in, v);
  OrgUnitInput u;
  u.name = i.str("name", !partial, core::limits::kName);
  if (u.name && std::string(core::trimText(*u.name)).empty()) v.add("name", "required");
  u.kind = i.str("kind", !partial, core::limits::kCode);
  if (u.kind && !core::isKey(core::kOrgUnitKinds, *u.kind)) v.add("kind", "invalid");
  u.short_name = i.strOrEmpty("short_name", core::limits::kShortText);
  u.sort = i.i64("sort", false);
  if (u.sort && (*u.sort < -kMaxSort || *u.sort > kMaxSort)) v.add("sort", "out_of_range");
  if (partial)
    for (const char* k : {"name", "kind", "sort"})
      if (i.isNull(k)) v.add(k, "required");
  if (!partial) {
    if (!u.short_name) u.short_name = "";
    if (!u.sort) u.sort = 0;
  }
  return u;
}

json loadOrgUnit(store::Connection& c, std::int64_t id) {
  auto r = store::OrgUnitRepository(c).find(id);
  if (!r) throw notFound("单位不存在");
  return orgUnitRowJson(*r);
}

}  // namespace

json OrgService::createOrgUnit(const core::Actor& a, const json& in) {
  if (!core::canEditOrg(a, a.region_code)) throw forbidden();
  Validator v;
  auto u = validateOrgUnit(in, false, v);
  v.throwIfAny();
  return writeTransaction(env_, a.region_code, [&](store::Connection& c) {
    auto now = env_.nowIso();
    std::int64_t id;
    try {
      id = store::OrgUnitRepository(c).insert(a.region_code, {*u.name, *u.short_name, *u.kind, *u.sort}, now);
    } catch (const store::ConstraintError&) {
      throw conflict("同名单位已存在", {{"name", "duplicate"}});
    }
    auto after = loadOrgUnit(c, id);
    appendAudit(c, env_, &a, {a.region_code, "create", "org_unit", std::to_string(id), nullptr, after});
    return after;
  });
}

json OrgService::updateOrgUnit(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  auto u = validateOrgUnit(in, true, v);
  v.throwIfAny();
  return writeTransaction(env_, regionOfRow(env_, "org_units", id, a.region_code), [&](store::Connection& c) {
    auto before = loadOrgUnit(c, id);
    if (!core::inScope(a, before["region_code"].get<std::string>())) throw notFound("单位不存在");
    // A county's org units are its own: a city or province above it reads them but does not change them.
    if (!core::canEditOrg(a, before["region_code"].get<std::string>())) throw forbidden();
    json after = before;
    if (u.name) after["name"] = *u.name;
    if (u.short_name) after["short_name"] = *u.short_name;
    if (u.kind) after["kind"] = *u.kind;
    if (u.sort) after["sort"] = *u.sort;
    try {
      store::OrgUnitRepository(c).update(id,
                                         {after["name"].get<std::string>(), after["short_name"].get<std::string>(),
                                          after["kind"].get<std::string>(), after["sort"].get<std::int64_t>()},
                                         env_.nowIso());
    } catch (const store::ConstraintError&) {
      throw conflict("同名单位已存在", {{"name", "duplicate"}});
    }
    json b, d;
    diffJson(before, after, b, d);
    if (!d.empty()) appendAudit(c, env_, &a, {before["region_code"], "update", "org_unit", std::to_string(id), b, d});
    return after;
  });
}

json OrgService::users(const core::Actor& a, const std::string& q, const std::string& role,
                       std::optional<std::int64_t> unitId, int page, int pageSize) {
  if (!a.has("admin") && !a.has("hq")) throw forbidden();
  const store::UserFilter f{.text = q, .role = role, .org_unit_id = unitId};
  auto c = env_.db->acquire();
  store::UserRepository users(*c);
  auto total = users.countMatching(a.region_code, f);
  json items = json::array();
  for (auto& r : users.pageMatching(a.region_code, f, pageSize, std::int64_t(page - 1) * pageSize).rows)
    items.push_back(userRowJson(r));
  return {{"items", items}, {"total", total}, {"page", page}, {"page_size", pageSize}};
}

json OrgService::people(const core::Actor& a, const std::string& rank, const std::string& role) {
  auto c = env_.db->acquire();
  json items = json::array();
  for (auto& r : store::UserRepository(*c)
                     .enabledPeople(a.region_code, rank, role, core::limits::kMaxPickerItems + 1)
                     .rows)
    items.push_back({{"id", r.i64("id")},
                     {"display_name", r.str("display_name")},
                     {"rank", r.str("rank")},
                     {"org_unit_id", r.isNull("org_unit_id") ? json() : json(r.i64("org_unit_id"))},
                     {"org_unit_name", r.str("org_unit_name")}});
  bool truncated = items.size() > static_cast<std::size_t>(core::limits::kMaxPickerItems);
  if (truncated) items.erase(items.end() - 1);
  return {{"items", items}, {"truncated", truncated}};
}

namespace {
// Passwords longer than this are refused before hashing: no one types more, and hashing cost grows with length.
constexpr std::size_t kMaxPassword = 128;

std::string joinRoles(const std::vector<std::string>& roles) {
  std::string s;
  for (const auto& r : roles) s += (s.empty() ? "" : ",") + r;
  return s;
}
}  // namespace

void checkNewUser(const NewUser& u, Validator& v) {
  if (u.username.empty()) v.add("username", "required");
  if (u.username.size() > core::limits::kCode) v.add("username", "too_long");
  for (char ch : u.username)
    if (!(std::isalnum((unsigned char)ch) || ch == '_' || ch == '.' || ch == '-')) {
      v.add("username", "invalid");
      break;
    }
  if (core::trimText(u.display_name).empty()) v.add("display_name", "required");
  if (core::textLength(u.display_name) > core::limits::kShortText) v.add("display_name", "too_long");
  if (core::textLength(u.phone) > core::limits::kPhone) v.add("phone", "too_long");
  if (core::textLength(u.password) > kMaxPassword) v.add("password", "too_long");
  else if (auto p = passwordProblem(u.password); !p.empty()) v.add("password", p);
  if (!core::isKey(core::kRanks, u.rank)) v.add("rank", "invalid");
  if (u.roles.empty()) v.add("roles", "required");
  if (u.roles.size() > core::limits::kRoles) v.add("roles", "too_many");
  for (const auto& r : u.roles)
    if (!core::isKey(core::kRoles, r)) v.add("roles", "invalid");
}

void requireListedRegion(const std::string& code, const std::string& field) {
  const auto* d = core::findDivision(code);
  if (d && d->level != core::DivisionLevel::Township) return;
  throw ServiceError(ErrorKind::Validation, "unknown_region", "行政区划代码 " + code + " 不在全国行政区划表中",
                     {{field, "unknown_region"}});
}

json OrgService::createUser(const core::Actor* a, const NewUser& u) {
  if (a && !core::canManageUsers(*a)) throw forbidden();
  Validator v;
  checkNewUser(u, v);
  std::string region = u.region_code.empty() && a ? a->region_code : u.region_code;
  if (!core::isValidRegionCode(region)) v.add("region_code", "invalid");
  v.throwIfAny();
  requireListedRegion(region, "region_code");
  // Administrators set up accounts in their own region and in the regions below it.
  if (a && !core::canSetUpAccount(*a, region)) throw forbidden();
  auto hash = hashPasswordBounded(u.password);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    if (!store::RegionRepository(c).exists(region)) {
      Validator w;
      w.add("region_code", "not_configured");
      w.throwIfAny("行政区划 " + region + " 尚未建立：先用 steward init 建立本县");
    }
    if (u.org_unit_id && !store::OrgUnitRepository(c).existsInRegion(*u.org_unit_id, region)) {
      Validator w;
      w.add("org_unit_id", "unknown");
      w.throwIfAny("单位不存在");
    }
    auto now = env_.nowIso();
    std::int64_t id;
    try {
      store::NewUserRow row;
      row.region_code = region;
      row.username = u.username;
      row.display_name = u.display_name;
      row.phone = u.phone;
      row.org_unit_id = u.org_unit_id;
      row.rank = u.rank;
      row.roles = joinRoles(u.roles);
      row.password_hash = hash;
      row.password_changed_at = now;
      row.at = now;
      id = store::UserRepository(c).insert(row);
    } catch (const store::ConstraintError&) {
      throw conflict("用户名已存在", {{"username", "duplicate"}});
    }
    auto after = loadUserJson(c, id);
    appendAudit(c, env_, a, {region, "create", "user", std::to_string(id), nullptr, after});
    return after;
  });
}

json OrgService::updateUser(const core::Actor* a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto display = i.str("display_name", false, core::limits::kShortText);
  if (display && core::trimText(*display).empty()) v.add("display_name", "required");
  auto rank = i.str("rank", false, core::limits::kCode);
  if (rank && !core::isKey(core::kRanks, *rank)) v.add("rank", "invalid");
  auto roles = i.strList("roles", false, core::limits::kRoles, core::limits::kCode);
  if (roles) {
    if (roles->empty()) v.add("roles", "required");
    for (const auto& r : *roles)
      if (!core::isKey(core::kRoles, r)) v.add("roles", "invalid");
  }
  auto disabled = i.boolean("disabled", false);
  auto phone = i.strOrEmpty("phone", core::limits::kPhone);
  auto password = i.str("password", false, kMaxPassword);
  if (password)
    if (auto p = passwordProblem(*password); !p.empty()) v.add("password", p);
  std::optional<std::optional<std::int64_t>> unit;
  if (in.contains("org_unit_id")) unit = in["org_unit_id"].is_null() ? std::nullopt : i.i64("org_unit_id", true);
  for (const char* k : {"display_name", "rank", "roles", "disabled", "password"})
    if (i.isNull(k)) v.add(k, "required");
  v.throwIfAny();
  // A person's profile belongs to their own region; an administrator above it may only disable the account or
  // reset its password.
  const bool profileChange = display || rank || roles || phone || unit.has_value();
  std::string hash = password ? hashPasswordBounded(*password) : "";
  return writeTransaction(env_, regionOfRow(env_, "users", id, a ? a->region_code : std::string()),
                          [&](store::Connection& c) {
    auto before = loadUserJson(c, id);
    const auto userRegion = before["region_code"].get<std::string>();
    if (a && !core::inScope(*a, userRegion)) throw notFound("用户不存在");
    if (a && !core::canManageUsers(*a)) throw forbidden();
    if (a && !core::canSetUpAccount(*a, userRegion)) throw forbidden();
    if (a && profileChange && !core::canEditPerson(*a, userRegion))
      throw forbidden("下级地区人员的资料由其所在地区维护，上级管理员只能停用账号或重置密码");
    auto now = env_.nowIso();
    store::UserRepository users(c);
    store::SessionRepository sessions(c);
    if (display) users.setDisplayName(id, *display);
    if (rank) users.setRank(id, *rank);
    if (roles) users.setRoles(id, joinRoles(*roles));
    if (phone) users.setPhone(id, *phone);
    if (disabled) {
      users.setDisabled(id, *disabled);
      if (*disabled) sessions.removeAllOfUser(id);
    }
    if (unit) {
      if (*unit && !store::OrgUnitRepository(c).existsInRegion(**unit, userRegion)) {
        Validator w;
        w.add("org_unit_id", "unknown");
        w.throwIfAny("单位不存在");
      }
      users.setOrgUnit(id, *unit);
    }
    if (password) {
      users.setPassword(id, hash, now);
      sessions.removeAllOfUser(id);
      store::LoginGuardRepository(c).remove(before["username"].get<std::string>());
    }
    users.touch(id, now);
    auto after = loadUserJson(c, id);
    json b, d;
    diffJson(before, after, b, d);
    if (password) d["password"] = "(changed)", b["password"] = "(hidden)";
    if (!d.empty())
      appendAudit(c, env_, a, {before["region_code"], "update", "user", std::to_string(id), b, d});
    return after;
  });
}

std::int64_t OrgService::userIdByName(const std::string& username) {
  auto c = env_.db->acquire();
  auto id = store::UserRepository(*c).idByName(username);
  if (!id) throw notFound("用户不存在: " + username);
  return *id;
}

std::optional<std::int64_t> OrgService::firstAdminId() {
  auto c = env_.db->acquire();
  return store::UserRepository(*c).firstEnabledAdmin();
}

}  // namespace steward::service
