#include "service/import_onboard.h"

#include "core/limits.h"
#include "core/unit_names.h"
#include "core/validate.h"
#include "service/errors.h"
#include "store/org_repo.h"
#include "store/user_repo.h"

namespace steward::service::onboard {

using nlohmann::json;

namespace {

// Kinds an import may create; the headquarters office (hq) is never one of them.
bool creatableKind(const std::string& k) { return k == "township" || k == "park" || k == "approval" || k == "department"; }

// The rows a list shows for one name; the count says how many there are in all.
constexpr std::size_t kRowsShown = 50;

json rowsJson(const std::vector<int>& rows) {
  json out = json::array();
  for (std::size_t i = 0; i < rows.size() && i < kRowsShown; ++i) out.push_back(rows[i]);
  return out;
}

}  // namespace

ImportDecisions parseDecisions(const json& in) {
  ImportDecisions d;
  if (in.is_null()) return d;
  Validator v;
  if (!in.is_object()) {
    v.add("decisions", "invalid");
    v.throwIfAny("导入的新建清单格式不正确");
  }
  for (auto it = in.begin(); it != in.end(); ++it)
    if (it.key() != "units" && it.key() != "people") v.add("decisions." + it.key(), "unknown");
  auto readMap = [&](const char* key, auto&& valid, std::map<std::string, std::string>& out) {
    if (!in.contains(key) || in[key].is_null()) return;
    const std::string field = std::string("decisions.") + key;
    const auto& m = in[key];
    if (!m.is_object()) return v.add(field, "invalid");
    if (m.size() > core::limits::kImportDecisions) return v.add(field, "too_many");
    for (auto it = m.begin(); it != m.end(); ++it) {
      const auto name = std::string(core::trimText(it.key()));
      if (name.empty()) return v.add(field, "required");
      if (core::textLength(it.key()) > core::limits::kName) return v.add(field, "too_long");
      if (!it.value().is_string() || !valid(it.value().template get<std::string>())) return v.add(field, "invalid");
      out[name] = it.value().template get<std::string>();
    }
  };
  readMap("units", [](const std::string& k) { return k == kSkip || creatableKind(k); }, d.units);
  readMap("people", [](const std::string& k) { return k == kSkip || k == kCreate; }, d.people);
  v.throwIfAny("导入的新建清单有误");
  return d;
}

void MissingNames::unit(const std::string& name, int row, const std::string& listedKind) {
  auto [it, fresh] = unitIndex_.emplace(name, units_.size());
  if (fresh)
    units_.push_back({name, "", listedKind.empty() ? core::inferUnitKind(name) : listedKind, {}, false, false,
                      !listedKind.empty()});
  units_[it->second].rows.push_back(row);
}

void MissingNames::person(const std::string& name, int row) {
  auto [it, fresh] = personIndex_.emplace(name, people_.size());
  if (fresh) {
    auto d = decisions_.people.find(name);
    people_.push_back({name, {}, d != decisions_.people.end() && d->second == kSkip});
  }
  people_[it->second].rows.push_back(row);
}

void MissingNames::settle(const std::vector<std::string>& existing, const std::string& countyName) {
  std::vector<std::string> candidates;
  for (auto& u : units_) {
    auto d = decisions_.units.find(u.name);
    u.skip = d != decisions_.units.end() && d->second == kSkip;
    u.chosen = d != decisions_.units.end() && !u.skip;
    // The headquarters office keeps its kind: whatever the user chose, it is never created.
    if (u.inferred == "hq") u.kind = "hq";
    else u.kind = u.chosen ? d->second : (u.inferred.empty() ? "department" : u.inferred);
    if (!u.skip) candidates.push_back(u.name);
  }
  warnings_ = json::array();
  for (const auto& n : core::findNearDuplicates(candidates, existing, countyName))
    warnings_.push_back(
        {{"name", n.name},
         {"similar_to", n.other},
         {"existing", n.other_exists},
         {"message", n.other_exists
                         ? "“" + n.name + "”可能就是已有单位“" + n.other + "”：若是，请把表格中的名称改为“" + n.other +
                               "”，以免一个部门有两个单位"
                         : "“" + n.name + "”与“" + n.other + "”可能是同一单位：请在表格中统一为一个名称"}});
}

std::vector<std::string> MissingNames::uncreatable() const {
  std::vector<std::string> out;
  for (const auto& u : units_)
    if (u.kind == "hq" && !u.skip) out.push_back(u.name);
  return out;
}

bool MissingNames::skippedUnit(const std::string& name) const {
  auto it = unitIndex_.find(name);
  return it != unitIndex_.end() && units_[it->second].skip;
}

bool MissingNames::skippedPerson(const std::string& name) const {
  auto it = personIndex_.find(name);
  return it != personIndex_.end() && people_[it->second].skip;
}

int MissingNames::unitCount(bool toCreate) const {
  int n = 0;
  for (const auto& u : units_) n += !toCreate || (!u.skip && u.kind != "hq");
  return n;
}

int MissingNames::personCount(bool toCreate) const {
  int n = 0;
  for (const auto& p : people_) n += !toCreate || !p.skip;
  return n;
}

json MissingNames::report() const {
  nlohmann::json units = nlohmann::json::array(), people = nlohmann::json::array();
  for (const auto& u : units_) {
    nlohmann::json j = {{"name", u.name},
                        {"kind", u.kind},
                        {"inferred_kind", u.inferred.empty() ? nlohmann::json() : nlohmann::json(u.inferred)},
                        {"creatable", u.kind != "hq"},
                        {"listed", u.listed},
                        {"decision", u.skip ? kSkip : kCreate},
                        {"rows", rowsJson(u.rows)},
                        {"row_count", u.rows.size()}};
    if (u.kind == "hq") j["reason"] = "总指挥部办公室不能通过导入新建，请使用已有的总指挥部办公室名称";
    if (u.listed) j["source"] = "全国行政区划表中本县的乡镇（街道）";
    units.push_back(std::move(j));
  }
  for (const auto& p : people_)
    people.push_back({{"name", p.name},
                      {"rank", "county_leader"},
                      {"decision", p.skip ? kSkip : kCreate},
                      {"rows", rowsJson(p.rows)},
                      {"row_count", p.rows.size()}});
  return {{"units", units}, {"people", people}, {"warnings", warnings_}};
}

MissingNames::Created MissingNames::create(store::Connection& c, const Env& env, const core::Actor& a,
                                           AuditAppender& audit, const std::string& region) const {
  Created out;
  nlohmann::json units = nlohmann::json::array(), people = nlohmann::json::array();
  nlohmann::json skippedUnits = nlohmann::json::array(), skippedPeople = nlohmann::json::array();
  const auto now = env.nowIso();
  store::OrgUnitRepository orgs(c);
  for (const auto& u : units_) {
    if (u.skip || u.kind == "hq") {
      if (u.skip) skippedUnits.push_back(u.name);
      continue;
    }
    std::int64_t id;
    try {
      id = orgs.insert(region, {u.name, "", u.kind, 0}, now);
    } catch (const store::ConstraintError&) {
      throw conflict("单位“" + u.name + "”已由他人同时建立，请重新导入", {{"decisions.units", "duplicate"}});
    }
    nlohmann::json after = {{"id", id}, {"region_code", region}, {"name", u.name}, {"short_name", ""},
                            {"kind", u.kind},  {"sort", 0}};
    audit.append(&a, {region, "import_create", "org_unit", std::to_string(id), nullptr, after});
    out.units[u.name] = id;
    units.push_back({{"id", id}, {"name", u.name}, {"kind", u.kind}});
  }
  store::UserRepository users(c);
  int serial = 0;
  for (const auto& p : people_) {
    if (p.skip) {
      skippedPeople.push_back(p.name);
      continue;
    }
    // A username nobody signs in with until an administrator gives the person a password (and may rename it).
    std::string username;
    do username = "leader-" + region + "-" + std::to_string(++serial);
    while (users.idByName(username));
    store::NewUserRow row;
    row.region_code = region;
    row.username = username;
    row.display_name = p.name;
    row.rank = "county_leader";
    row.roles = "leader";
    row.password_hash = "!";  // never verifies: no sign-in until an administrator sets a password
    row.at = now;
    const auto id = users.insert(row);
    audit.append(&a, {region, "import_create", "user", std::to_string(id), nullptr,
                      {{"username", username}, {"display_name", p.name}, {"rank", "county_leader"},
                       {"roles", {"leader"}}, {"has_login", false}}});
    out.people[p.name] = id;
    people.push_back({{"id", id}, {"display_name", p.name}, {"username", username}, {"rank", "county_leader"}});
  }
  out.report = {{"units", units},
                {"people", people},
                {"skipped", {{"units", skippedUnits}, {"people", skippedPeople}}}};
  return out;
}

}  // namespace steward::service::onboard
