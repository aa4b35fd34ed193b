#include "service/setup.h"

#include <sodium.h>

#include <set>

#include "core/region_list.h"
#include "core/time.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/hasher.h"
#include "service/json_input.h"
#include "service/org.h"
#include "service/presets.h"
#include "store/org_repo.h"
#include "store/region_repo.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

json divisionJson(const core::Division& d) {
  return {{"code", d.code}, {"name", d.name}, {"level", core::divisionLevelName(d.level)}};
}

ServiceError unknownPreset(const std::string& name) {
  return ServiceError(ErrorKind::Validation, "unknown_preset",
                      "没有这个县情预设：" + name + "（现有：" + countyPresetNames() + "）", {{"preset", "unknown"}});
}

// The county's input as the API sends it: {region_code, preset?, admin: {username, display_name?, password}}.
CountySetup setupFromJson(const json& in) {
  Validator v;
  JsonInput i(in, v);
  CountySetup s;
  s.region_code = i.str("region_code", true, 16).value_or("");
  s.preset = i.strOrEmpty("preset", 32).value_or("");
  if (!in.is_object() || !in.contains("admin") || !in["admin"].is_object()) {
    v.add("admin", "required");
  } else {
    JsonInput ai(in["admin"], v);
    s.admin_username = ai.str("username", true, 64).value_or("");
    s.admin_display_name = ai.strOrEmpty("display_name", 64).value_or("");
    s.admin_password = ai.str("password", true, 256).value_or("");
  }
  v.throwIfAny();
  return s;
}

// 20 letters and digits without look-alikes (0/O, 1/I/L), in groups of four: about 100 bits.
std::string newSetupCode() {
  static const char* kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  std::string code;
  for (int i = 0; i < 20; ++i) {
    if (i && i % 4 == 0) code += '-';
    code += kAlphabet[randombytes_uniform(31)];
  }
  return code;
}

}  // namespace

json SetupService::status() {
  auto c = env_.db->acquire();
  json presets = json::array();
  for (const auto& p : countyPresets())
    presets.push_back({{"name", p.name}, {"county", p.county}, {"region_code", p.region_code}});
  return {{"configured", store::RegionRepository(*c).anyRegionConfigured()}, {"presets", presets}};
}

std::optional<std::string> SetupService::openFirstRun() {
  if (status()["configured"].get<bool>()) return std::nullopt;
  std::lock_guard lock(codeMutex_);
  if (setupCode_.empty()) setupCode_ = newSetupCode();
  return setupCode_;
}

json SetupService::firstRun(const json& in) {
  std::string given = in.is_object() && in.contains("setup_code") && in["setup_code"].is_string()
                          ? in["setup_code"].get<std::string>()
                          : "";
  for (auto& ch : given) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  {
    std::lock_guard lock(codeMutex_);
    bool ok = !setupCode_.empty() && given.size() == setupCode_.size() &&
              sodium_memcmp(given.data(), setupCode_.data(), given.size()) == 0;
    if (!ok) {
      if (setupCode_.empty() && status()["configured"].get<bool>())
        throw ServiceError(ErrorKind::Conflict, "already_configured", "本系统已完成初始化，请登录");
      throw ServiceError(ErrorKind::Unauthenticated, "bad_setup_code",
                         "初始化码不正确：请使用 steward serve 启动时日志中打印的初始化码", {{"setup_code", "invalid"}});
    }
  }
  auto s = setupFromJson(in);
  auto out = setUp(nullptr, s, true);
  std::lock_guard lock(codeMutex_);
  setupCode_.clear();  // one time only
  return out;
}

json SetupService::addCounty(const core::Actor& a, const json& in) {
  auto s = setupFromJson(in);
  s.add = true;
  // Only an administrator of a city or province adds a county, and only one within its own scope.
  const auto* mine = core::findDivision(a.region_code);
  if (!a.has("admin") || !mine || mine->level == core::DivisionLevel::County) throw forbidden();
  requireListedRegion(s.region_code, "region_code");
  if (!core::inScope(a, s.region_code)) throw forbidden("只能添加本辖区内的县");
  return setUp(&a, s, false);
}

json SetupService::divisions(const std::string& parent) {
  if (!parent.empty() && !core::findDivision(parent)) requireListedRegion(parent, "parent");
  json items = json::array();
  bool truncated = false;
  for (const auto* d : core::divisionChildren(parent)) {
    if (items.size() >= kMaxDivisionItems) {
      truncated = true;
      break;
    }
    auto item = divisionJson(*d);
    if (d->level == core::DivisionLevel::Township) item["park"] = core::isParkName(d->name);
    items.push_back(item);
  }
  json p = nullptr;
  if (const auto* d = parent.empty() ? nullptr : core::findDivision(parent)) p = divisionJson(*d);
  return {{"parent", p}, {"items", items}, {"truncated", truncated}};
}

json SetupService::setUp(const core::Actor* a, const CountySetup& s, bool firstRunOnly) {
  Validator v;
  NewUser admin;
  admin.username = s.admin_username;
  admin.display_name = s.admin_display_name.empty() ? "系统管理员" : s.admin_display_name;
  admin.password = s.admin_password;
  admin.roles = {"admin", "hq"};
  checkNewUser(admin, v);
  if (!core::isValidRegionCode(s.region_code)) v.add("region_code", "invalid");
  v.throwIfAny();
  requireListedRegion(s.region_code, "region_code");
  const auto* county = core::findDivision(s.region_code);
  if (county->level != core::DivisionLevel::County)
    throw ServiceError(ErrorKind::Validation, "not_a_county",
                       "行政区划代码 " + s.region_code + "（" + std::string(county->name) + "）不是县级行政区划",
                       {{"region_code", "not_a_county"}});
  if (!s.preset.empty() && !findCountyPreset(s.preset)) throw unknownPreset(s.preset);
  auto hash = hashPasswordBounded(admin.password);  // outside the transaction: it takes ~0.2 s

  const std::string code = s.region_code;
  json report = writeTransaction(env_, code, [&](store::Connection& c) {
    store::RegionRepository regions(c);
    auto counties = regions.configuredCounties();
    if (std::find(counties.begin(), counties.end(), code) != counties.end())
      throw ServiceError(ErrorKind::Conflict, "county_exists", std::string(county->name) + "（" + code + "）已经建立",
                         {{"region_code", "exists"}});
    if (firstRunOnly && regions.anyRegionConfigured())
      throw ServiceError(ErrorKind::Conflict, "already_configured", "本系统已完成初始化，请登录");
    if (!s.add && !counties.empty()) {
      std::string names;
      for (const auto& other : counties) names += (names.empty() ? "" : "、") + regions.name(other).value_or(other);
      throw ServiceError(ErrorKind::Conflict, "another_county",
                         "数据库中已有 " + names + "；要在同一数据库中再建一个县，请加 --add",
                         {{"region_code", "another_county"}});
    }
    const auto now = env_.nowIso();
    json created = json::array();
    for (const auto& r : regions.ensureFromList(code)) {
      appendAudit(c, env_, a, {code, "create", "region", r, nullptr, {{"code", r}, {"name", regions.name(r).value_or("")}}});
      created.push_back(r);
    }

    store::OrgUnitRepository units(c);
    std::int64_t sort = 0;
    auto addUnit = [&](const std::string& name, const char* kind) -> std::int64_t {
      auto id = units.idByName(code, name);
      if (id) return *id;  // a unit created before (a county that had units but no users yet) is kept
      store::OrgUnitFields f;
      f.name = name;
      f.kind = kind;
      f.sort = ++sort;
      auto newId = units.insert(code, f, now);
      appendAudit(c, env_, a,
                  {code, "create", "org_unit", std::to_string(newId), nullptr,
                   {{"id", newId}, {"name", name}, {"kind", kind}, {"sort", f.sort}}});
      return newId;
    };
    auto hq = addUnit(kHeadquartersName, "hq");
    int townships = 0, parks = 0;
    for (const auto& t : core::townshipsOf(code)) {
      addUnit(std::string(t.name), t.park ? "park" : "township");
      ++(t.park ? parks : townships);
    }

    store::NewUserRow row;
    row.region_code = code;
    row.username = admin.username;
    row.display_name = admin.display_name;
    row.org_unit_id = hq;
    row.rank = admin.rank;
    row.roles = "admin,hq";
    row.password_hash = hash;
    row.password_changed_at = now;
    row.at = now;
    std::int64_t userId;
    try {
      userId = store::UserRepository(c).insert(row);
    } catch (const store::ConstraintError&) {
      throw conflict("用户名已存在", {{"admin.username", "duplicate"}});
    }
    appendAudit(c, env_, a,
                {code, "create", "user", std::to_string(userId), nullptr,
                 {{"id", userId}, {"username", admin.username}, {"display_name", admin.display_name},
                  {"roles", admin.roles}, {"org_unit_id", hq}}});
    json chain = json::array();
    for (const auto* d : core::divisionChain(code)) chain.push_back(divisionJson(*d));
    json out = {{"county", divisionJson(*county)},
                {"chain", chain},
                {"regions_created", created},
                {"townships", townships},
                {"parks", parks},
                {"headquarters", {{"id", hq}, {"name", kHeadquartersName}}},
                {"admin", {{"id", userId}, {"username", admin.username}, {"display_name", admin.display_name}}},
                {"preset", s.preset.empty() ? json() : json(s.preset)},
                {"rule_sets", json::array()}};
    appendAudit(c, env_, a, {code, "setup", "county", code, nullptr,
                             {{"townships", townships}, {"parks", parks}, {"preset", out["preset"]}}});
    // The preset's rule sets (and its working groups) in the same transaction: a county is set up whole or not
    // at all. They are stored as the system's: a city administrator adding a county does not set its rules.
    if (!s.preset.empty()) {
      auto applied = switchCountyPresetIn(c, env_, nullptr, code, s.preset, core::localDay(env_.now()), {});
      out["rule_sets"] = applied["stored"];
      out["groups"] = applied["groups"];
    }
    return out;
  });
  return report;
}

std::string setupReportText(const json& r, const std::string& dbUrl) {
  std::string out;
  auto line = [&](const std::string& s) { out += s + "\n"; };
  std::string chain;
  for (auto it = r["chain"].rbegin(); it != r["chain"].rend(); ++it)
    chain += (chain.empty() ? "" : " / ") + (*it)["name"].get<std::string>();
  line("county " + r["county"]["code"].get<std::string>() + " " + chain + " set up:");
  line("  regions created from the national list: " +
       (r["regions_created"].empty() ? std::string("none (already there)") : [&] {
         std::string s;
         for (const auto& c : r["regions_created"]) s += (s.empty() ? "" : ", ") + c.get<std::string>();
         return s;
       }()));
  line("  org units: " + std::string(kHeadquartersName) + " (hq), " + std::to_string(r["townships"].get<int>()) +
       " townships, " + std::to_string(r["parks"].get<int>()) + " parks");
  line("  administrator: " + r["admin"]["username"].get<std::string>() + " (" +
       r["admin"]["display_name"].get<std::string>() + "), roles admin + hq, in " + kHeadquartersName);
  if (r["preset"].is_null()) {
    line("  rules: the defaults (no --preset; presets: " + countyPresetNames() + ")");
  } else {
    std::string kinds;
    for (const auto& k : r["rule_sets"]) kinds += (kinds.empty() ? "" : ", ") + k["kind"].get<std::string>();
    line("  rules: preset " + r["preset"].get<std::string>() + " stored (" + (kinds.empty() ? "none" : kinds) + ")");
    std::string groups;
    for (const auto& g : r.value("groups", json::array())) groups += (groups.empty() ? "" : ", ") + g["name"].get<std::string>();
    if (!groups.empty()) line("  working groups (org units of kind group): " + groups);
  }
  const auto code = r["county"]["code"].get<std::string>();
  const auto user = r["admin"]["username"].get<std::string>();
  line("next steps:");
  line("  1. import the county's project sheet:  steward import projects SHEET.xlsx --db " + dbUrl + " --region " +
       code + " --as " + user + " --dry-run");
  line("     it lists the units and people the sheet names that the county lacks; then import with");
  line("     --create-missing to create them with the projects (or fix the names in the sheet)");
  line("  2. add users:                          steward user add --db " + dbUrl + " --region " + code +
       " --username NAME --display-name 姓名 --role unit");
  line("  3. serve:                              steward serve --db " + dbUrl);
  return out;
}

}  // namespace steward::service
