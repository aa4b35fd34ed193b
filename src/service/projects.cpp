#include "service/projects.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/money.h"
#include "core/project.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "service/rules.h"
#include "service/scope.h"
#include "office/project_sheet.h"
#include "office/xlsx_reader.h"

namespace steward::service {

using nlohmann::json;

namespace {

const char* kDateFields[] = {"signed_date",        "planned_start",     "actual_start",
                             "planned_completion", "actual_completion", "production_date"};
const char* kTextFields[] = {"name", "code", "category", "industry", "chain", "enterprise_name",
                             "enterprise_credit_code", "address", "content"};

// The cap of each project text field (core/limits.h).
std::size_t textCap(std::string_view field) {
  namespace L = core::limits;
  if (field == "name" || field == "enterprise_name") return L::kName;
  if (field == "code" || field == "category" || field == "enterprise_credit_code") return L::kCode;
  if (field == "industry" || field == "chain") return L::kShortText;
  if (field == "address") return L::kNote;
  if (field == "content") return L::kContent;
  return L::kText;
}
const char* kPersonFields[] = {"leader_id",  "steward_id",    "police_id",       "inspector_id",
                               "liaison_id", "principal_id", "unit_leader_id", "section_chief_id"};

const char* kSelect =
    "SELECT p.*, t.name AS township_name, u.name AS unit_name, l.display_name AS leader_name, "
    "s.display_name AS steward_name, po.display_name AS police_name, i.display_name AS inspector_name, "
    "li.display_name AS liaison_name FROM projects p LEFT JOIN org_units t ON t.id = p.township_id "
    "LEFT JOIN org_units u ON u.id = p.unit_id LEFT JOIN users l ON l.id = p.leader_id "
    "LEFT JOIN users s ON s.id = p.steward_id LEFT JOIN users po ON po.id = p.police_id "
    "LEFT JOIN users i ON i.id = p.inspector_id LEFT JOIN users li ON li.id = p.liaison_id";

std::vector<std::string> splitComma(const std::string& s) {
  std::vector<std::string> out;
  std::size_t p = 0;
  while (p < s.size()) {
    auto q = s.find(',', p);
    auto part = s.substr(p, q == std::string::npos ? std::string::npos : q - p);
    if (!part.empty()) out.push_back(part);
    if (q == std::string::npos) break;
    p = q + 1;
  }
  return out;
}

std::string joinComma(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

json optId(const store::Row& r, const char* col) { return r.isNull(col) ? json() : json(r.i64(col)); }
json optText(const store::Row& r, const char* col) { return r.isNull(col) ? json() : json(r.str(col)); }

core::Project projectFromRow(const store::Row& r) {
  core::Project p;
  p.id = r.i64("id");
  p.region_code = r.str("region_code");
  p.name = r.str("name");
  p.code = r.str("code");
  p.category = r.str("category");
  p.industry = r.str("industry");
  p.chain = r.str("chain");
  p.enterprise_name = r.str("enterprise_name");
  p.enterprise_credit_code = r.str("enterprise_credit_code");
  p.township_id = r.optI64("township_id");
  p.address = r.str("address");
  p.lng = r.optF64("lng");
  p.lat = r.optF64("lat");
  p.levels = splitComma(r.str("levels"));
  p.total_investment = r.i64("total_investment");
  for (std::size_t i = 0; i < core::kFundingKeys.size(); ++i)
    p.funding[i] = r.i64(std::string("fund_") + core::kFundingKeys[i]);
  p.signed_date = r.optStr("signed_date");
  p.planned_start = r.optStr("planned_start");
  p.actual_start = r.optStr("actual_start");
  p.planned_completion = r.optStr("planned_completion");
  p.actual_completion = r.optStr("actual_completion");
  p.production_date = r.optStr("production_date");
  p.content = r.str("content");
  p.stage = r.str("stage");
  p.status = r.str("status");
  p.status_reason = r.str("status_reason");
  p.unit_id = r.optI64("unit_id");
  p.leader_id = r.optI64("leader_id");
  p.version = r.i64("version");
  return p;
}

core::Responsibility responsibilityOf(const store::Row& r) {
  core::Responsibility x;
  x.leader = !r.isNull("leader_id");
  x.unit = !r.isNull("unit_id");
  x.team = r.i64("team_size") > 0;
  x.plan = r.boolean("has_plan");
  x.schedule = r.boolean("has_schedule");
  return x;
}

// The fields every view shares (list rows and the detail page).
json summaryJson(const store::Row& r, const core::Lifecycle& lc) {
  json funding = json::object();
  for (const auto* k : core::kFundingKeys) funding[k] = r.i64(std::string("fund_") + k);
  const auto* st = lc.find(r.str("stage"));
  return {{"id", r.i64("id")},
          {"region_code", r.str("region_code")},
          {"name", r.str("name")},
          {"code", r.str("code")},
          {"category", r.str("category")},
          {"industry", r.str("industry")},
          {"chain", r.str("chain")},
          {"enterprise_name", r.str("enterprise_name")},
          {"enterprise_credit_code", r.str("enterprise_credit_code")},
          {"township_id", optId(r, "township_id")},
          {"township_name", r.str("township_name")},
          {"address", r.str("address")},
          {"lng", r.isNull("lng") ? json() : json(*r.optF64("lng"))},
          {"lat", r.isNull("lat") ? json() : json(*r.optF64("lat"))},
          {"levels", splitComma(r.str("levels"))},
          {"total_investment", r.i64("total_investment")},
          {"funding", funding},
          {"signed_date", optText(r, "signed_date")},
          {"planned_start", optText(r, "planned_start")},
          {"actual_start", optText(r, "actual_start")},
          {"planned_completion", optText(r, "planned_completion")},
          {"actual_completion", optText(r, "actual_completion")},
          {"production_date", optText(r, "production_date")},
          {"content", r.str("content")},
          {"stage", r.str("stage")},
          {"stage_name", st ? st->name : r.str("stage")},
          {"status", r.str("status")},
          {"status_reason", r.str("status_reason")},
          {"unit_id", optId(r, "unit_id")},
          {"unit_name", r.str("unit_name")},
          {"leader_id", optId(r, "leader_id")},
          {"leader_name", r.str("leader_name")},
          {"steward_id", optId(r, "steward_id")},
          {"steward_name", r.str("steward_name")},
          {"police_id", optId(r, "police_id")},
          {"police_name", r.str("police_name")},
          {"inspector_id", optId(r, "inspector_id")},
          {"inspector_name", r.str("inspector_name")},
          {"liaison_id", optId(r, "liaison_id")},
          {"liaison_name", r.str("liaison_name")},
          {"has_plan", r.boolean("has_plan")},
          {"has_schedule", r.boolean("has_schedule")},
          {"missing_ones", core::missingOnes(responsibilityOf(r))},
          {"version", r.i64("version")},
          {"created_at", r.str("created_at")},
          {"updated_at", r.str("updated_at")}};
}

// The audited shape of a project: its own fields, without joined names or timestamps.
json auditShape(const json& p) {
  json a = p;
  for (const char* k : {"township_name", "unit_name", "leader_name", "steward_name", "police_name", "inspector_name",
                        "liaison_name", "stage_name", "missing_ones", "updated_at", "created_at", "version", "nodes",
                        "team", "plan", "levels_3456"})
    a.erase(k);
  return a;
}

store::Row loadRow(store::Connection& c, std::int64_t id) {
  auto r = c.query(std::string(kSelect) + " WHERE p.id = ?", {id});
  if (r.empty()) throw notFound("项目不存在");
  return r.rows.front();
}

json detailJson(store::Connection& c, const store::Row& r, const core::Lifecycle& lc, const std::string& year,
                const core::Actor* viewer = nullptr) {
  json p = summaryJson(r, lc);
  if (viewer) p["can_edit"] = core::canEditProject(*viewer, r.str("region_code"), r.optI64("unit_id"));
  auto id = r.i64("id");
  json team = json::array();
  for (auto& t : c.query("SELECT u.id, u.display_name, u.rank, o.name AS org_unit_name FROM project_team pt JOIN "
                         "users u ON u.id = pt.user_id LEFT JOIN org_units o ON o.id = u.org_unit_id WHERE "
                         "pt.project_id = ? ORDER BY u.id",
                         {id})
                     .rows)
    team.push_back({{"id", t.i64("id")},
                    {"display_name", t.str("display_name")},
                    {"rank", t.str("rank")},
                    {"org_unit_name", t.str("org_unit_name")}});
  p["team"] = team;
  auto person = [&](const char* col) -> json {
    if (r.isNull(col)) return nullptr;
    auto u = c.query("SELECT id, display_name FROM users WHERE id = ?", {r.i64(col)});
    if (u.empty()) return nullptr;
    return {{"id", u.one().i64("id")}, {"display_name", u.one().str("display_name")}};
  };
  p["levels_3456"] = {{"county_leader", person("leader_id")},
                      {"unit_principal", person("principal_id")},
                      {"unit_leader", person("unit_leader_id")},
                      {"section_chief", person("section_chief_id")}};
  json nodes = json::array();
  for (auto& n : c.query("SELECT n.*, o.name AS unit_name FROM project_nodes n LEFT JOIN org_units o ON o.id = "
                         "n.unit_id WHERE n.project_id = ? ORDER BY n.sort",
                         {id})
                     .rows)
    nodes.push_back({{"key", n.str("key")},
                     {"name", n.str("name")},
                     {"planned_date", optText(n, "planned_date")},
                     {"actual_date", optText(n, "actual_date")},
                     {"unit_id", optId(n, "unit_id")},
                     {"unit_name", n.str("unit_name")},
                     {"note", n.str("note")}});
  p["nodes"] = nodes;
  json plans = json::array();
  json current = nullptr;
  for (auto& pl : c.query("SELECT year, annual, months FROM project_plans WHERE project_id = ? ORDER BY year", {id})
                      .rows) {
    json months = json::array();
    for (const auto& m : splitComma(pl.str("months"))) months.push_back(std::stoll(m));
    json one = {{"year", pl.i64("year")}, {"annual", pl.i64("annual")}, {"months", months}};
    if (std::to_string(pl.i64("year")) == year) current = one;
    plans.push_back(one);
  }
  p["plan"] = current.is_null() && !plans.empty() ? plans.back() : current;
  p["plans"] = plans;
  return p;
}

// Validated column values from a create/update body. Only keys present in the body are set.
struct Columns {
  std::vector<std::pair<std::string, store::Param>> set;
  json audit = json::object();
  void put(const std::string& col, store::Param v) { set.emplace_back(col, std::move(v)); }
  bool has(const std::string& col) const {
    for (const auto& [k, v] : set)
      if (k == col) return true;
    return false;
  }
};

void checkOrgUnit(store::Connection& c, Validator& v, const char* field, std::int64_t id, const std::string& region,
                  const char* kindSql) {
  auto r = c.query(std::string("SELECT 1 FROM org_units WHERE id = ? AND region_code = ?") + kindSql, {id, region});
  if (r.empty()) v.add(field, "unknown");
}

void checkPerson(store::Connection& c, Validator& v, const std::string& field, std::int64_t id,
                 const std::string& region) {
  if (c.query("SELECT 1 FROM users WHERE id = ? AND region_code = ?", {id, region}).empty()) v.add(field, "unknown");
}

Columns parseProjectInput(store::Connection& c, const json& in, bool creating, const std::string& region,
                          const std::string& today, const core::Lifecycle& lc) {
  Validator v;
  JsonInput i(in, v);
  Columns cols;
  for (const char* k : kTextFields) {
    bool required = creating && std::string(k) == "name";
    auto s = i.str(k, required, textCap(k));
    if (!s && i.isNull(k) && std::string(k) != "name" && std::string(k) != "category") s = "";
    if (!s) continue;
    std::string val = *s;
    // Trim surrounding blanks: a pasted code or name often carries them.
    while (!val.empty() && (val.back() == ' ' || val.back() == '\t')) val.pop_back();
    while (!val.empty() && (val.front() == ' ' || val.front() == '\t')) val.erase(0, 1);
    std::string key = k;
    if (key == "name" && val.empty()) v.add(k, "required");
    if (key == "code" && !val.empty() && !core::isValidProjectCode(val)) v.add(k, "invalid_format");
    if (key == "category" && std::find_if(core::kCategoryKeys.begin(), core::kCategoryKeys.end(),
                                          [&](const char* x) { return val == x; }) == core::kCategoryKeys.end())
      v.add(k, "invalid");
    if (key == "enterprise_credit_code") {
      for (auto& ch : val) ch = static_cast<char>(std::toupper((unsigned char)ch));
      if (!val.empty() && !core::isValidCreditCode(val)) v.add(k, "invalid_check_digit");
    }
    cols.put(key, val);
    cols.audit[key] = val;
  }
  if (creating && !cols.has("category")) cols.put("category", std::string("industrial"));
  for (const char* k : kDateFields) {
    if (!i.has(k)) continue;
    if (i.isNull(k) || (in[k].is_string() && in[k].get<std::string>().empty())) {
      cols.put(k, store::Null{});
      cols.audit[k] = nullptr;
      continue;
    }
    auto s = i.str(k, false);
    if (!s) continue;
    if (!core::isIsoDate(*s)) {
      v.add(k, "invalid_date");
      continue;
    }
    if ((std::string(k) == "actual_start" || std::string(k) == "actual_completion" ||
         std::string(k) == "production_date") &&
        *s > today)
      v.add(k, "in_future");
    cols.put(k, *s);
    cols.audit[k] = *s;
  }
  if (i.has("total_investment")) {
    auto t = i.money("total_investment", false);
    if (t) cols.put("total_investment", *t), cols.audit["total_investment"] = *t;
  }
  if (i.has("funding") && !i.isNull("funding")) {
    if (!in["funding"].is_object()) {
      v.addType("funding", "must_be_object");
    } else if (in["funding"].size() > core::limits::kFundingKeys) {
      v.add("funding", "too_many");
    } else {
      for (auto it = in["funding"].begin(); it != in["funding"].end(); ++it) {
        auto k = it.key();
        bool known = std::find(core::kFundingKeys.begin(), core::kFundingKeys.end(), k) != core::kFundingKeys.end();
        if (!known) {
          v.add("funding." + k, "unknown");
          continue;
        }
        auto amount = JsonInput::amount(it.value(), "funding." + k, v);
        if (!amount) continue;
        cols.put("fund_" + k, *amount);
        cols.audit["funding." + k] = *amount;
      }
    }
  }
  if (i.has("levels")) {
    auto lv = i.strList("levels", false, core::limits::kLevels, core::limits::kCode);
    if (lv) {
      std::vector<std::string> ordered;
      for (const auto* k : core::kLevelKeys)
        if (std::find(lv->begin(), lv->end(), k) != lv->end()) ordered.push_back(k);
      for (const auto& l : *lv)
        if (std::find(core::kLevelKeys.begin(), core::kLevelKeys.end(), l) == core::kLevelKeys.end())
          v.add("levels", "invalid");
      cols.put("levels", joinComma(ordered));
      cols.audit["levels"] = ordered;
    } else if (i.isNull("levels")) {
      cols.put("levels", std::string());
    }
  }
  for (const char* k : {"lng", "lat"}) {
    if (!i.has(k)) continue;
    if (i.isNull(k)) {
      cols.put(k, store::Null{});
      continue;
    }
    if (!in[k].is_number()) {
      v.addType(k, "must_be_number");
      continue;
    }
    double d = in[k].get<double>();
    double lim = std::string(k) == "lng" ? 180 : 90;
    if (d < -lim || d > lim) {
      v.add(k, "out_of_range");
      continue;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", d);
    cols.put(k, std::string(buf));
    cols.audit[k] = d;
  }
  auto idField = [&](const char* k, auto check) {
    if (!i.has(k)) return;
    if (i.isNull(k)) {
      cols.put(k, store::Null{});
      cols.audit[k] = nullptr;
      return;
    }
    auto id = i.i64(k, false);
    if (!id) return;
    check(*id);
    cols.put(k, *id);
    cols.audit[k] = *id;
  };
  idField("township_id", [&](std::int64_t id) { checkOrgUnit(c, v, "township_id", id, region, " AND kind = 'township'"); });
  idField("unit_id", [&](std::int64_t id) { checkOrgUnit(c, v, "unit_id", id, region, ""); });
  idField("leader_id", [&](std::int64_t id) { checkPerson(c, v, "leader_id", id, region); });
  if (i.has("stage")) {
    auto s = i.str("stage", false, core::limits::kCode);
    if (s && !lc.find(*s)) v.add("stage", "invalid");
    if (s && lc.find(*s)) cols.put("stage", *s), cols.audit["stage"] = *s;
  }
  v.throwIfAny();
  return cols;
}

void checkDateOrder(const json& p) {
  Validator v;
  auto get = [&](const char* k) { return p[k].is_string() ? p[k].get<std::string>() : std::string(); };
  if (!get("planned_start").empty() && !get("planned_completion").empty() && get("planned_completion") < get("planned_start"))
    v.add("planned_completion", "before_start");
  if (!get("actual_start").empty() && !get("actual_completion").empty() && get("actual_completion") < get("actual_start"))
    v.add("actual_completion", "before_start");
  std::vector<core::Yuan> parts;
  for (auto it = p["funding"].begin(); it != p["funding"].end(); ++it) parts.push_back(it.value().get<std::int64_t>());
  auto funded = core::sumAmounts(parts);
  if (!funded || *funded > p["total_investment"].get<std::int64_t>()) v.add("funding", "exceeds_total");
  v.throwIfAny("项目信息前后矛盾，请检查标出的字段");
}

std::string searchText(const std::string& name, const std::string& enterprise, const std::string& code,
                       const std::string& creditCode) {
  std::string s = name + " " + enterprise + " " + code + " " + creditCode;
  for (auto& ch : s) ch = static_cast<char>(std::toupper((unsigned char)ch));
  return s;
}
std::string searchText(const json& p) {
  return searchText(p["name"].get<std::string>(), p["enterprise_name"].get<std::string>(), p["code"].get<std::string>(),
                    p["enterprise_credit_code"].get<std::string>());
}

void requireEdit(const core::Actor& a, const store::Row& r) {
  if (!core::inScope(a, r.str("region_code"))) throw notFound("项目不存在");
  if (!core::canEditProject(a, r.str("region_code"), r.optI64("unit_id")))
    throw forbidden("只有总指挥部办公室或项目责任单位可以修改此项目");
}

void bump(store::Connection& c, std::int64_t id, const std::string& now) {
  c.exec("UPDATE projects SET version = version + 1, updated_at = ? WHERE id = ?", {now, id});
}

// A stage gate that fails is a 409 naming every missing field.
void requireGate(const core::Lifecycle& lc, const core::Project& p, const std::string& stage, const std::string& msg) {
  auto missing = core::gateFailures(lc, p, stage);
  if (missing.empty()) return;
  std::vector<FieldError> f;
  for (const auto& g : missing) f.push_back({g, "required_for_stage"});
  throw conflict(msg, f);
}
std::string gateMessage(const core::Lifecycle& lc, const std::string& stage) {
  const auto* st = lc.find(stage);
  return "进入“" + (st ? st->name : stage) + "”阶段前需先填写必填信息";
}

// What every change to an existing project starts with: the row, the right to edit it, the county's rules.
struct Editing {
  store::Row row;
  std::string region;
  core::Lifecycle lc;
};
Editing beginEdit(store::Connection& c, const core::Actor& a, std::int64_t id, const std::string& today) {
  auto row = loadRow(c, id);
  requireEdit(a, row);
  auto region = row.str("region_code");
  auto lc = loadLifecycle(c, region, today);
  return {std::move(row), std::move(region), std::move(lc)};
}

}  // namespace

std::string missingOnesSql() {
  return "(leader_id IS NULL OR unit_id IS NULL OR team_size = 0 OR has_plan = 0 OR has_schedule = 0)";
}

std::string moneySumColumns(const std::string& column) {
  const std::string max = std::to_string(core::limits::kMaxYuan), unit = std::to_string(core::kSplitSumUnit);
  const std::string clamped =
      "(CASE WHEN " + column + " > " + max + " THEN " + max + " WHEN " + column + " < 0 THEN 0 ELSE " + column + " END)";
  return "COALESCE(SUM(" + clamped + " / " + unit + "), 0), COALESCE(SUM(" + clamped + " % " + unit + "), 0)";
}

json ProjectService::meta(const core::Actor& a) {
  auto c = env_.db->acquire();
  auto lc = loadLifecycle(*c, a.region_code, core::localDay(env_.now()));
  auto named = [](const auto& arr) {
    json out = json::array();
    for (const auto& n : arr) out.push_back({{"key", n.key}, {"name", n.name}});
    return out;
  };
  auto pairs = [](const auto& keys, const auto& names) {
    json out = json::array();
    for (std::size_t i = 0; i < keys.size(); ++i) out.push_back({{"key", keys[i]}, {"name", names[i]}});
    return out;
  };
  json stages = json::array();
  for (const auto& s : lc.stages) stages.push_back({{"key", s.key}, {"name", s.name}, {"requires", s.requires_fields}});
  json nodes = json::array();
  for (const auto& n : lc.nodes) nodes.push_back({{"key", n.key}, {"name", n.name}, {"unit_hint", n.unit_hint}});
  auto [lo, hi] = core::scopeRange(a.region_code);
  auto distinct = [&](const char* col, std::vector<std::string> defaults) {
    std::set<std::string> s(defaults.begin(), defaults.end());
    for (auto& r : c->query(std::string("SELECT DISTINCT ") + col + " FROM projects WHERE region_code BETWEEN ? AND ?",
                            {lo, hi})
                       .rows)
      if (!r.str(0).empty()) s.insert(r.str(0));
    return json(std::vector<std::string>(s.begin(), s.end()));
  };
  return {{"roles", named(core::kRoles)},
          {"ranks", named(core::kRanks)},
          {"org_unit_kinds", named(core::kOrgUnitKinds)},
          {"categories", pairs(core::kCategoryKeys, core::kCategoryNames)},
          {"levels", pairs(core::kLevelKeys, core::kLevelNames)},
          {"funding_sources", pairs(core::kFundingKeys, core::kFundingNames)},
          {"stages", stages},
          {"lifecycle_preset", lc.preset},
          {"node_templates", nodes},
          {"missing_ones",
           json::array({{{"key", "leader"}, {"name", "项目长"}},
                        {{"key", "unit"}, {"name", "责任单位"}},
                        {{"key", "team"}, {"name", "工作专班"}},
                        {{"key", "plan"}, {"name", "工作方案"}},
                        {{"key", "schedule"}, {"name", "进度计划"}}})},
          {"chains", distinct("chain", {"一金", "一药", "两材", "三特", "先进材料"})},
          {"industries", distinct("industry", {"新材料", "生物医药", "装备制造", "有色金属", "交通", "水利", "能源",
                                               "教育", "卫生健康", "文化旅游", "农产品加工"})}};
}

namespace {
// The WHERE clause of a filtered project query, shared by the list and the export.
std::string projectWhere(const core::Actor& a, const ProjectFilter& f, store::Params& p) {
  p.clear();
  std::string where = " WHERE " + scopeSql(a.region_code, "p.region_code", p);
  if (!f.q.empty()) {
    std::string q = f.q;
    for (auto& ch : q) ch = static_cast<char>(std::toupper((unsigned char)ch));
    // Wildcards typed by the user match themselves.
    where += " AND p.search_text LIKE ? ESCAPE '\\'";
    p.push_back("%" + core::escapeLike(q) + "%");
  }
  if (!f.stage.empty()) where += " AND p.stage = ?", p.push_back(f.stage);
  if (!f.category.empty()) where += " AND p.category = ?", p.push_back(f.category);
  if (!f.chain.empty()) where += " AND p.chain = ?", p.push_back(f.chain);
  if (!f.status.empty()) where += " AND p.status = ?", p.push_back(f.status);
  if (!f.level.empty())
    where += " AND (',' || p.levels || ',') LIKE ? ESCAPE '\\'", p.push_back("%," + core::escapeLike(f.level) + ",%");
  if (f.township_id) where += " AND p.township_id = ?", p.push_back(*f.township_id);
  if (f.unit_id) where += " AND p.unit_id = ?", p.push_back(*f.unit_id);
  if (f.leader_id) where += " AND p.leader_id = ?", p.push_back(*f.leader_id);
  if (!f.missing.empty()) {
    static const std::map<std::string, std::string> one = {{"leader", "p.leader_id IS NULL"},
                                                           {"unit", "p.unit_id IS NULL"},
                                                           {"team", "p.team_size = 0"},
                                                           {"plan", "p.has_plan = 0"},
                                                           {"schedule", "p.has_schedule = 0"}};
    if (f.missing == "1" || f.missing == "any" || f.missing == "true") {
      std::string m = missingOnesSql();
      where += " AND " + m;
    } else if (auto it = one.find(f.missing); it != one.end()) {
      where += " AND " + it->second;
    } else {
      Validator v;
      v.add("missing", "invalid");
      v.throwIfAny("查询参数不正确");
    }
  }
  if (f.mine) {
    std::string me = std::to_string(a.user_id);
    std::string cond = "p.leader_id = ? OR p.steward_id = ? OR p.police_id = ? OR p.inspector_id = ? OR "
                       "p.liaison_id = ? OR p.principal_id = ? OR p.unit_leader_id = ? OR p.section_chief_id = ? OR "
                       "EXISTS (SELECT 1 FROM project_team pt WHERE pt.project_id = p.id AND pt.user_id = ?)";
    for (int k = 0; k < 9; ++k) p.push_back(a.user_id);
    if (a.org_unit_id && (a.has("unit") || a.has("liaison"))) {
      cond += " OR p.unit_id = ?";
      p.push_back(*a.org_unit_id);
    }
    where += " AND (" + cond + ")";
  }
  return where;
}
std::string projectOrder(const ProjectFilter& f, const core::Lifecycle& lc) {
  static const std::map<std::string, std::string> sorts = {{"name", "p.name"},
                                                           {"total_investment", "p.total_investment"},
                                                           {"planned_start", "p.planned_start"},
                                                           {"updated_at", "p.updated_at"},
                                                           {"created_at", "p.created_at"},
                                                           {"code", "p.code"},
                                                           {"stage", "stage_order"}};
  auto sit = sorts.find(f.sort);
  if (sit == sorts.end() || (f.order != "asc" && f.order != "desc")) {
    Validator v;
    if (sit == sorts.end()) v.add("sort", "invalid");
    if (f.order != "asc" && f.order != "desc") v.add("order", "invalid");
    v.throwIfAny("查询参数不正确");
  }
  std::string col = sit->second;
  if (col == "stage_order") {
    col = "CASE p.stage";
    // Stage keys come from the county's rule set; quote them as literals defensively.
    for (std::size_t i = 0; i < lc.stages.size(); ++i) {
      std::string key;
      for (char ch : lc.stages[i].key)
        if (std::isalnum((unsigned char)ch) || ch == '_') key += ch;
      col += " WHEN '" + key + "' THEN " + std::to_string(i);
    }
    col += " ELSE 99 END";
  }
  return col + " " + f.order + ", p.id " + f.order;
}
}  // namespace

json ProjectService::list(const core::Actor& a, const ProjectFilter& f) {
  store::Params p;
  std::string where = projectWhere(a, f, p);
  auto c = env_.db->acquire();
  auto lc = loadLifecycle(*c, a.region_code, core::localDay(env_.now()));
  auto order = projectOrder(f, lc);
  auto totals = c->query("SELECT COUNT(*), " + moneySumColumns("p.total_investment") + " FROM projects p" + where, p).one();
  store::Params pp = p;
  pp.push_back(std::int64_t(f.page_size));
  pp.push_back(std::int64_t(f.page - 1) * f.page_size);
  json items = json::array();
  // Page over the bare table first, then join names onto the 20 rows that are shown.
  auto ids = c->query("SELECT p.id FROM projects p" + where + " ORDER BY " + order + " LIMIT ? OFFSET ?", pp);
  if (!ids.empty()) {
    std::string in;
    store::Params ip;
    for (auto& r : ids.rows) in += in.empty() ? "?" : ", ?", ip.push_back(r.i64(0));
    std::map<std::int64_t, json> byId;
    for (auto& r : c->query(std::string(kSelect) + " WHERE p.id IN (" + in + ")", ip).rows)
      byId[r.i64("id")] = summaryJson(r, lc);
    for (auto& r : ids.rows) items.push_back(std::move(byId[r.i64(0)]));
  }
  return {{"items", items},
          {"total", totals.i64(0)},
          {"total_investment", core::joinSplitSum(totals.i64(1), totals.i64(2))},
          {"page", f.page},
          {"page_size", f.page_size}};
}

json ProjectService::get(const core::Actor& a, std::int64_t id) {
  auto c = env_.db->acquire();
  auto r = loadRow(*c, id);
  if (!core::inScope(a, r.str("region_code"))) throw notFound("项目不存在");
  auto today = core::localDay(env_.now());
  auto lc = loadLifecycle(*c, r.str("region_code"), today);
  return detailJson(*c, r, lc, today.substr(0, 4), &a);
}

json ProjectService::create(const core::Actor& a, const json& in) {
  const auto region = a.region_code;
  if (core::regionLevel(region) != core::RegionLevel::County)
    throw forbidden("项目属于县（市、区），请以县级账号新建");
  if (!core::canCreateProject(a)) throw forbidden("只有总指挥部办公室或责任单位可以新建项目");
  auto today = core::localDay(env_.now());
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto lc = loadLifecycle(c, region, today);
    auto cols = parseProjectInput(c, in, true, region, today, lc);
    // A unit creates projects for itself only.
    if (!a.has("admin") && !a.has("hq")) {
      std::int64_t unit = *a.org_unit_id;
      bool other = false;
      for (auto& [k, v] : cols.set)
        if (k == "unit_id") other = !std::holds_alternative<std::int64_t>(v) || std::get<std::int64_t>(v) != unit;
      if (other) throw forbidden("责任单位只能为本单位新建项目");
      if (!cols.has("unit_id")) cols.put("unit_id", unit);
    }
    if (!cols.has("stage")) cols.put("stage", lc.stages.front().key);
    auto now = env_.nowIso();
    std::string names = "region_code, created_at, updated_at, search_text", marks = "?, ?, ?, ''";
    store::Params p{region, now, now};
    for (auto& [k, v] : cols.set) names += ", " + k, marks += ", ?", p.push_back(v);
    auto id = c.insert("INSERT INTO projects (" + names + ") VALUES (" + marks + ")", p);
    auto row = loadRow(c, id);
    auto j = summaryJson(row, lc);
    checkDateOrder(j);
    requireGate(lc, projectFromRow(row), row.str("stage"), gateMessage(lc, row.str("stage")));
    c.exec("UPDATE projects SET search_text = ? WHERE id = ?", {searchText(j), id});
    appendAudit(c, env_, &a, {region, "create", "project", std::to_string(id), nullptr, auditShape(j)});
    return detailJson(c, loadRow(c, id), lc, today.substr(0, 4), &a);
  });
}

json ProjectService::update(const core::Actor& a, std::int64_t id, const json& in) {
  auto today = core::localDay(env_.now());
  return writeTransaction(env_, regionOfRow(env_, "projects", id, a.region_code), [&](store::Connection& c) {
    auto [before, region, lc] = beginEdit(c, a, id, today);
    if (in.contains("version")) {
      if (!in["version"].is_number_integer()) throw badRequest("version 必须是整数");
      if (in["version"].get<std::int64_t>() != before.i64("version"))
        throw conflict("项目已被他人修改，请刷新后重试", {{"version", "stale"}});
    }
    json body = in;
    body.erase("version");
    body.erase("stage");  // stages change through POST /projects/{id}/stage, which checks the gate
    auto cols = parseProjectInput(c, body, false, region, today, lc);
    for (auto& [k, v] : cols.set)
      if (k == "unit_id" && !core::canAssignUnit(a, std::holds_alternative<std::int64_t>(v)
                                                         ? std::optional<std::int64_t>(std::get<std::int64_t>(v))
                                                         : std::nullopt))
        throw forbidden("责任单位不能把项目转给其他单位或清空责任单位");
    auto bj = summaryJson(before, lc);
    if (!cols.set.empty()) {
      std::string sets;
      store::Params p;
      for (auto& [k, v] : cols.set) sets += (sets.empty() ? "" : ", ") + k + " = ?", p.push_back(v);
      p.push_back(id);
      c.exec("UPDATE projects SET " + sets + " WHERE id = ?", p);
    }
    auto afterRow = loadRow(c, id);
    auto aj = summaryJson(afterRow, lc);
    checkDateOrder(aj);
    // A change may not take away what the current stage requires (e.g. clearing actual_start while started).
    requireGate(lc, projectFromRow(afterRow), afterRow.str("stage"), "当前阶段要求填写此项，不能清空");
    json b, d;
    diffJson(auditShape(bj), auditShape(aj), b, d);
    if (!d.empty()) {
      c.exec("UPDATE projects SET search_text = ? WHERE id = ?", {searchText(aj), id});
      bump(c, id, env_.nowIso());
      appendAudit(c, env_, &a, {region, "update", "project", std::to_string(id), b, d});
    }
    return detailJson(c, loadRow(c, id), lc, today.substr(0, 4), &a);
  });
}

json ProjectService::changeStage(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto stage = i.str("stage", true, core::limits::kCode);
  auto date = i.str("date", false, core::limits::kCode);
  auto note = i.str("note", false, core::limits::kNote);
  auto today = core::localDay(env_.now());
  if (date && !core::isIsoDate(*date)) v.add("date", "invalid_date");
  v.throwIfAny();
  return writeTransaction(env_, regionOfRow(env_, "projects", id, a.region_code), [&](store::Connection& c) {
    auto [row, region, lc] = beginEdit(c, a, id, today);
    if (!lc.find(*stage)) {
      Validator w;
      w.add("stage", "invalid");
      w.throwIfAny("未知的项目阶段");
    }
    if (row.str("status") != "active") throw conflict("项目已暂停或取消，不能推进阶段", {{"status", row.str("status")}});
    if (row.str("stage") == *stage) throw conflict("项目已处于该阶段", {{"stage", "unchanged"}});
    requireGate(lc, projectFromRow(row), *stage, gateMessage(lc, *stage));
    auto now = env_.nowIso();
    c.exec("UPDATE projects SET stage = ? WHERE id = ?", {*stage, id});
    c.exec("INSERT INTO project_stage_log (project_id, from_stage, to_stage, date, note, actor_id, at) VALUES "
           "(?,?,?,?,?,?,?)",
           {id, row.str("stage"), *stage, date.value_or(today), note.value_or(""), a.user_id, now});
    bump(c, id, now);
    appendAudit(c, env_, &a,
                {row.str("region_code"), "stage", "project", std::to_string(id), {{"stage", row.str("stage")}},
                 {{"stage", *stage}, {"date", date.value_or(today)}, {"note", note.value_or("")}}});
    return detailJson(c, loadRow(c, id), lc, today.substr(0, 4), &a);
  });
}

json ProjectService::changeStatus(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto status = i.str("status", true, core::limits::kCode);
  auto reason = std::string(core::trimText(i.str("reason", false, core::limits::kNote).value_or("")));
  if (status && *status != "active" && *status != "suspended" && *status != "cancelled") v.add("status", "invalid");
  if (status && *status != "active" && reason.empty()) v.add("reason", "required");
  v.throwIfAny();
  auto today = core::localDay(env_.now());
  return writeTransaction(env_, regionOfRow(env_, "projects", id, a.region_code), [&](store::Connection& c) {
    auto [row, region, lc] = beginEdit(c, a, id, today);
    auto from = row.str("status");
    if (from == *status) throw conflict("项目已处于该状态", {{"status", "unchanged"}});
    if (from == "cancelled") throw conflict("已取消的项目不能恢复，请新建项目", {{"status", "cancelled"}});
    auto now = env_.nowIso();
    c.exec("UPDATE projects SET status = ?, status_reason = ? WHERE id = ?", {*status, reason, id});
    bump(c, id, now);
    appendAudit(c, env_, &a,
                {row.str("region_code"), "status", "project", std::to_string(id),
                 {{"status", from}, {"status_reason", row.str("status_reason")}},
                 {{"status", *status}, {"status_reason", reason}}});
    return detailJson(c, loadRow(c, id), lc, today.substr(0, 4), &a);
  });
}

json ProjectService::setTeam(const core::Actor& a, std::int64_t id, const json& in) {
  auto today = core::localDay(env_.now());
  return writeTransaction(env_, regionOfRow(env_, "projects", id, a.region_code), [&](store::Connection& c) {
    auto [row, region, lc] = beginEdit(c, a, id, today);
    auto before = detailJson(c, row, lc, today.substr(0, 4));
    Validator v;
    JsonInput i(in, v);
    std::vector<std::pair<std::string, store::Param>> sets;
    auto person = [&](const char* field, const std::string& col) {
      if (!i.has(field)) return;
      if (i.isNull(field)) {
        sets.emplace_back(col, store::Null{});
        return;
      }
      auto pid = i.i64(field, false);
      if (!pid) return;
      checkPerson(c, v, field, *pid, region);
      sets.emplace_back(col, *pid);
    };
    for (const char* k : {"leader_id", "steward_id", "police_id", "inspector_id", "liaison_id"}) person(k, k);
    if (i.has("unit_id")) {
      // A unit user may neither hand its project to another unit nor leave it without one (and out of reach).
      std::optional<std::int64_t> u;
      if (!i.isNull("unit_id")) u = i.i64("unit_id", false);
      if (i.isNull("unit_id") || u) {
        if (!core::canAssignUnit(a, u))
          throw forbidden(u ? "责任单位不能把项目转给其他单位" : "责任单位不能清空项目的责任单位");
        if (u) checkOrgUnit(c, v, "unit_id", *u, region, "");
        sets.emplace_back("unit_id", store::optParam(u));
      }
    }
    if (in.contains("levels_3456") && !in["levels_3456"].is_null() && !in["levels_3456"].is_object())
      v.addType("levels_3456", "must_be_object");
    if (in.contains("levels_3456") && in["levels_3456"].is_object()) {
      const auto& l = in["levels_3456"];
      static const std::pair<const char*, const char*> map[] = {{"county_leader", "leader_id"},
                                                                {"unit_principal", "principal_id"},
                                                                {"unit_leader", "unit_leader_id"},
                                                                {"section_chief", "section_chief_id"}};
      for (auto [key, col] : map) {
        if (!l.contains(key)) continue;
        // The county leader of the 3456 chain is the project chief: an explicit leader_id wins.
        if (std::string(col) == "leader_id" && in.contains("leader_id")) continue;
        if (l[key].is_null()) {
          sets.emplace_back(col, store::Null{});
        } else if (auto pid = JsonInput::integer(l[key], std::string("levels_3456.") + key, v)) {
          checkPerson(c, v, std::string("levels_3456.") + key, *pid, region);
          sets.emplace_back(col, *pid);
        }
      }
    }
    for (const char* k : {"has_plan", "has_schedule"}) {
      auto b = i.boolean(k, false);
      if (b) sets.emplace_back(k, std::int64_t(*b));
    }
    std::optional<std::vector<std::int64_t>> team;
    if (i.has("team") && !i.isNull("team")) {
      if (const auto* list = i.array("team", false, core::limits::kTeam)) {
        team.emplace();
        for (const auto& t : *list) {
          auto pid = JsonInput::integer(t, "team", v);
          if (!pid) break;
          checkPerson(c, v, "team", *pid, region);
          team->push_back(*pid);
        }
        std::sort(team->begin(), team->end());
        team->erase(std::unique(team->begin(), team->end()), team->end());
      }
    }
    v.throwIfAny();
    if (!sets.empty()) {
      std::string s;
      store::Params p;
      for (auto& [k, val] : sets) s += (s.empty() ? "" : ", ") + k + " = ?", p.push_back(val);
      p.push_back(id);
      c.exec("UPDATE projects SET " + s + " WHERE id = ?", p);
    }
    if (team) {
      c.exec("DELETE FROM project_team WHERE project_id = ?", {id});
      for (auto uid : *team) c.exec("INSERT INTO project_team (project_id, user_id) VALUES (?, ?)", {id, uid});
      c.exec("UPDATE projects SET team_size = ? WHERE id = ?", {std::int64_t(team->size()), id});
    }
    auto after = detailJson(c, loadRow(c, id), lc, today.substr(0, 4));
    auto shape = [](const json& p) {
      json s;
      for (const char* k : {"leader_id", "unit_id", "steward_id", "police_id", "inspector_id", "liaison_id",
                            "has_plan", "has_schedule", "levels_3456", "missing_ones"})
        s[k] = p[k];
      json t = json::array();
      for (const auto& m : p["team"]) t.push_back(m["display_name"]);
      s["team"] = t;
      return s;
    };
    json b, d;
    diffJson(shape(before), shape(after), b, d);
    if (!d.empty()) {
      bump(c, id, env_.nowIso());
      appendAudit(c, env_, &a, {region, "team", "project", std::to_string(id), b, d});
    }
    return detailJson(c, loadRow(c, id), lc, today.substr(0, 4), &a);
  });
}

json ProjectService::setNodes(const core::Actor& a, std::int64_t id, const json& in) {
  auto today = core::localDay(env_.now());
  {
    Validator v;
    JsonInput i(in, v);
    if (!i.array("nodes", true, core::limits::kNodes) && v.ok()) v.add("nodes", "required");
    v.throwIfAny();
  }
  return writeTransaction(env_, regionOfRow(env_, "projects", id, a.region_code), [&](store::Connection& c) {
    auto [row, region, lc] = beginEdit(c, a, id, today);
    auto before = detailJson(c, row, lc, today.substr(0, 4));
    Validator v;
    struct Node {
      std::string key, name, note;
      std::optional<std::string> planned, actual;
      std::optional<std::int64_t> unit;
    };
    std::vector<Node> nodes;
    int idx = 0;
    for (const auto& n : in["nodes"]) {
      auto f = [&](const char* k) { return "nodes[" + std::to_string(idx) + "]." + k; };
      Node x;
      if (!n.is_object()) {
        v.addType("nodes[" + std::to_string(idx) + "]", "must_be_object");
        ++idx;
        continue;
      }
      JsonInput ni(n, v, "nodes[" + std::to_string(idx) + "].");
      x.name = ni.str("name", true, core::limits::kShortText).value_or("");
      x.key = ni.str("key", false, core::limits::kCode).value_or("custom");
      x.note = ni.str("note", false, core::limits::kNote).value_or("");
      if (n.contains("name") && n["name"].is_string() && n["name"].get_ref<const std::string&>().empty())
        v.add(f("name"), "required");
      for (auto [k, dst] : {std::pair<const char*, std::optional<std::string>*>{"planned_date", &x.planned},
                            {"actual_date", &x.actual}}) {
        auto d = ni.str(k, false, core::limits::kCode);
        if (!d || d->empty()) continue;
        if (!core::isIsoDate(*d)) {
          v.add(f(k), "invalid_date");
          continue;
        }
        *dst = *d;
      }
      if (x.actual && *x.actual > today) v.add(f("actual_date"), "in_future");
      x.unit = ni.i64("unit_id", false);
      if (x.unit) checkOrgUnit(c, v, f("unit_id").c_str(), *x.unit, region, "");
      nodes.push_back(x);
      ++idx;
    }
    v.throwIfAny();
    c.exec("DELETE FROM project_nodes WHERE project_id = ?", {id});
    int sort = 0;
    bool scheduled = false;
    for (const auto& n : nodes) {
      c.exec("INSERT INTO project_nodes (project_id, sort, key, name, planned_date, actual_date, unit_id, note) "
             "VALUES (?,?,?,?,?,?,?,?)",
             {id, std::int64_t(++sort), n.key, n.name, store::optParam(n.planned), store::optParam(n.actual),
              store::optParam(n.unit), n.note});
      scheduled = scheduled || n.planned.has_value();
    }
    // A node plan with dates is the project's schedule (进度计划表).
    c.exec("UPDATE projects SET has_schedule = ? WHERE id = ?", {std::int64_t(scheduled), id});
    auto after = detailJson(c, loadRow(c, id), lc, today.substr(0, 4));
    if (before["nodes"] != after["nodes"]) {
      bump(c, id, env_.nowIso());
      appendAudit(c, env_, &a, {region, "nodes", "project", std::to_string(id), {{"nodes", before["nodes"]}},
                                {{"nodes", after["nodes"]}}});
    }
    return detailJson(c, loadRow(c, id), lc, today.substr(0, 4), &a);
  });
}

json ProjectService::setPlan(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto year = i.i64("year", true);
  auto annual = i.money("annual", true);
  if (year && (*year < 2000 || *year > 2100)) v.add("year", "out_of_range");
  std::vector<std::int64_t> months;
  if (!in.contains("months") || !in["months"].is_array() || in["months"].size() != core::limits::kMonths) {
    v.add("months", "need_12_values");
  } else {
    for (std::size_t k = 0; k < in["months"].size(); ++k) {
      auto m = JsonInput::amount(in["months"][k], "months[" + std::to_string(k) + "]", v);
      if (!m) break;
      months.push_back(*m);
    }
  }
  if (annual && months.size() == core::limits::kMonths) {
    auto sum = core::sumAmounts(months);
    if (!sum || *sum != *annual) v.add("months", "sum_mismatch");
  }
  v.throwIfAny("月度计划之和必须等于年度计划投资");
  auto today = core::localDay(env_.now());
  return writeTransaction(env_, regionOfRow(env_, "projects", id, a.region_code), [&](store::Connection& c) {
    auto [row, region, lc] = beginEdit(c, a, id, today);
    std::string ms;
    for (auto m : months) ms += (ms.empty() ? "" : ",") + std::to_string(m);
    auto old = c.query("SELECT annual, months FROM project_plans WHERE project_id = ? AND year = ?", {id, *year});
    json before = old.empty() ? json() : json{{"year", *year}, {"annual", old.one().i64(0)}, {"months", old.one().str(1)}};
    c.exec("DELETE FROM project_plans WHERE project_id = ? AND year = ?", {id, *year});
    c.exec("INSERT INTO project_plans (project_id, year, annual, months) VALUES (?,?,?,?)", {id, *year, *annual, ms});
    json after = {{"year", *year}, {"annual", *annual}, {"months", ms}};
    if (before != after) {
      bump(c, id, env_.nowIso());
      appendAudit(c, env_, &a, {row.str("region_code"), "plan", "project", std::to_string(id), before, after});
    }
    return detailJson(c, loadRow(c, id), lc, std::to_string(*year), &a);
  });
}

json ProjectService::history(const core::Actor& a, std::int64_t id, std::optional<std::int64_t> before, int limit) {
  {
    auto c = env_.db->acquire();
    auto r = c->query("SELECT region_code FROM projects WHERE id = ?", {id});
    if (r.empty() || !core::inScope(a, r.one().str(0))) throw notFound("项目不存在");
  }
  AuditService audit(env_);
  return audit.history(a, "project", std::to_string(id), before, limit);
}

}  // namespace steward::service

// ---------------------------------------------------------------------------------------------------------------
// Excel: export the filtered list, the blank template, and the all-or-nothing import.

namespace steward::service {

namespace {

office::ProjectRow exportRow(const store::Row& r, const core::Lifecycle& lc) {
  office::ProjectRow x;
  x.project = projectFromRow(r);
  x.project.township_name = r.str("township_name");
  x.project.unit_name = r.str("unit_name");
  x.project.leader_name = r.str("leader_name");
  x.townshipName = r.str("township_name");
  x.unitName = r.str("unit_name");
  x.leaderName = r.str("leader_name");
  const auto* st = lc.find(r.str("stage"));
  x.stageName = st ? st->name : r.str("stage");
  return x;
}

// The columns a sheet carries decide what an update may change: a missing column leaves the field alone.
std::vector<std::pair<std::string, store::Param>> importColumns(const core::Project& p,
                                                                const std::map<std::string, std::string>& present) {
  std::vector<std::pair<std::string, store::Param>> out;
  auto has = [&](const char* k) { return present.count(k) > 0; };
  auto text = [&](const char* k, const std::string& v) {
    if (has(k)) out.emplace_back(k, v);
  };
  auto date = [&](const char* k, const core::Date& v) {
    if (has(k)) out.emplace_back(k, store::optParam(v));
  };
  out.emplace_back("name", p.name);
  text("code", p.code);
  text("category", p.category);
  text("industry", p.industry);
  text("chain", p.chain);
  text("enterprise_name", p.enterprise_name);
  text("enterprise_credit_code", p.enterprise_credit_code);
  text("address", p.address);
  text("content", p.content);
  if (has("levels")) out.emplace_back("levels", joinComma(p.levels));
  if (has("total_investment")) out.emplace_back("total_investment", p.total_investment);
  for (std::size_t i = 0; i < core::kFundingKeys.size(); ++i)
    if (present.count(std::string("funding.") + core::kFundingKeys[i]))
      out.emplace_back(std::string("fund_") + core::kFundingKeys[i], p.funding[i]);
  date("signed_date", p.signed_date);
  date("planned_start", p.planned_start);
  date("actual_start", p.actual_start);
  date("planned_completion", p.planned_completion);
  date("actual_completion", p.actual_completion);
  date("production_date", p.production_date);
  if (has("township")) out.emplace_back("township_id", store::optParam(p.township_id));
  if (has("unit")) out.emplace_back("unit_id", store::optParam(p.unit_id));
  if (has("leader")) out.emplace_back("leader_id", store::optParam(p.leader_id));
  if (has("stage")) out.emplace_back("stage", p.stage);
  return out;
}

// The API's reasons (validation_failed fields) as a person reads them beside a cell.
std::string importReason(const std::string& reason) {
  static const std::map<std::string, std::string> kReasons = {
      {"required", "不能为空"},
      {"too_long", "内容过长"},
      {"too_large", "数值过大"},
      {"out_of_range", "超出允许范围"},
      {"invalid", "取值无效"},
      {"invalid_format", "格式不正确"},
      {"invalid_check_digit", "校验位不正确"},
      {"invalid_date", "日期格式不正确"},
      {"in_future", "实际日期不能晚于今天"},
      {"negative", "不能为负数"},
      {"before_start", "不能早于开工时间"},
      {"exceeds_total", "各项资金之和超过总投资"},
      {"unknown", "未知的取值"},
  };
  const auto it = kReasons.find(reason);
  return it == kReasons.end() ? "不符合要求（" + reason + "）" : it->second;
}

// The body the API's create/update would receive for a row, holding only the fields the sheet carries (and,
// for a new project, the category the sheet decided). Township, unit and leader are resolved by name instead.
json importBody(const core::Project& p, const std::map<std::string, std::string>& present, bool creating) {
  auto has = [&](const std::string& k) { return present.count(k) > 0; };
  json body = json::object();
  body["name"] = p.name;
  const std::pair<const char*, const std::string*> texts[] = {
      {"code", &p.code},       {"category", &p.category},
      {"industry", &p.industry}, {"chain", &p.chain},
      {"enterprise_name", &p.enterprise_name}, {"enterprise_credit_code", &p.enterprise_credit_code},
      {"address", &p.address}, {"content", &p.content}};
  for (const auto& [k, v] : texts)
    if (has(k) || (creating && std::string(k) == "category")) body[k] = *v;
  for (const char* k : kDateFields)
    if (has(k)) {
      const auto v = core::projectFieldValue(p, k);
      body[k] = v.empty() ? json(nullptr) : json(v);
    }
  if (has("total_investment")) body["total_investment"] = p.total_investment;
  json funding = json::object();
  for (std::size_t i = 0; i < core::kFundingKeys.size(); ++i)
    if (has(std::string("funding.") + core::kFundingKeys[i])) funding[core::kFundingKeys[i]] = p.funding[i];
  if (!funding.empty()) body["funding"] = funding;
  if (has("levels")) body["levels"] = p.levels;
  if (!p.stage.empty()) body["stage"] = p.stage;
  return body;
}

// The project as it would stand after the row is applied, in the shape checkDateOrder reads.
json importedState(const json& body, const std::optional<store::Row>& before, const core::Lifecycle& lc) {
  json state;
  if (before) {
    state = summaryJson(*before, lc);
  } else {
    json funding = json::object();
    for (const auto* k : core::kFundingKeys) funding[k] = 0;
    state = {{"total_investment", 0}, {"funding", funding}};
    for (const char* k : kDateFields) state[k] = nullptr;
  }
  for (const char* k : kDateFields)
    if (body.contains(k)) state[k] = body[k];
  if (body.contains("total_investment")) state["total_investment"] = body["total_investment"];
  if (body.contains("funding"))
    for (auto it = body["funding"].begin(); it != body["funding"].end(); ++it) state["funding"][it.key()] = it.value();
  return state;
}

}  // namespace

std::string ProjectService::exportXlsx(const core::Actor& a, const ProjectFilter& f) {
  store::Params p;
  std::string where = projectWhere(a, f, p);
  auto c = env_.db->acquire();
  auto lc = loadLifecycle(*c, a.region_code, core::localDay(env_.now()));
  auto order = projectOrder(f, lc);
  std::vector<office::ProjectRow> rows;
  for (auto& r : c->query(std::string(kSelect) + where + " ORDER BY " + order, p).rows) rows.push_back(exportRow(r, lc));
  auto rn = c->query("SELECT name FROM regions WHERE code = ?", {a.region_code});
  std::string title = (rn.empty() ? std::string() : rn.one().str(0)) + "重点项目库";
  return office::writeProjectSheet(rows, title);
}

std::string ProjectService::templateXlsx() { return office::writeProjectSheet({}, "重点项目导入模板"); }

ImportOutcome ProjectService::importXlsx(const core::Actor& a, const std::string& bytes, bool dryRun) {
  if (!core::canCreateProject(a)) throw forbidden("只有总指挥部办公室或责任单位可以导入项目");
  const auto region = a.region_code;
  if (core::regionLevel(region) != core::RegionLevel::County) throw forbidden("请以县级账号导入项目");
  auto fileError = [](const std::string& reason) {
    json cells = json::array({{{"sheet", ""}, {"row", 0}, {"column", ""}, {"header", ""}, {"reason", reason}}});
    return ServiceError(ErrorKind::Validation, "import_invalid", "文件无法导入：" + reason, {}, {{"cells", cells}});
  };
  if (bytes.empty()) throw fileError("文件为空");
  office::Workbook wb;
  try {
    wb = office::readXlsx(bytes);
  } catch (const office::XlsxError& e) {
    // The reader's messages are complete sentences; a problem in one cell is reported at that cell.
    int row = 0, col = 0;
    const bool atCell = !e.cell.empty() && office::parseCellRef(e.cell, row, col);
    json cells = json::array({{{"sheet", e.sheet},
                               {"row", atCell ? row + 1 : 0},
                               {"column", atCell ? office::columnLetter(col) : ""},
                               {"header", ""},
                               {"reason", e.what()}}});
    if (!e.limit.empty())
      throw ServiceError(ErrorKind::TooLarge, "import_too_large", std::string("文件无法导入：") + e.what(),
                         {{"file", e.limit}}, {{"limit", {{"name", e.limit}, {"max", e.max}}}, {"cells", cells}});
    throw ServiceError(ErrorKind::Validation, "import_invalid", std::string("文件无法导入：") + e.what(), {},
                       {{"cells", cells}});
  }
  auto parsed = office::parseProjectSheet(wb);
  const auto today = core::localDay(env_.now());

  json cells = json::array();
  for (const auto& e : parsed.errors)
    cells.push_back(json{{"sheet", e.sheet}, {"row", e.row}, {"column", e.column}, {"header", e.header}, {"reason", e.reason}});
  auto cellError = [&](int row, const std::string& field, const std::string& header, const std::string& reason) {
    auto it = parsed.columns.find(field);
    auto h = parsed.headers.find(field);
    cells.push_back({{"sheet", parsed.sheet},
                     {"row", row},
                     {"column", it == parsed.columns.end() ? "" : it->second},
                     {"header", h == parsed.headers.end() ? header : h->second},
                     {"reason", reason}});
  };
  // The sheet's column for a field the API names: ids are the township/unit/leader columns, and the funding
  // total points at 总投资 (or the first funding column when the sheet has no total).
  auto columnOf = [&](const std::string& field) -> std::string {
    if (field.ends_with("_id")) return field.substr(0, field.size() - 3);
    if (field == "funding") {
      if (parsed.columns.count("total_investment")) return "total_investment";
      for (const auto* k : core::kFundingKeys)
        if (parsed.columns.count(std::string("funding.") + k)) return std::string("funding.") + k;
    }
    return field;
  };
  // Each row goes through the API's own validation, and each failure becomes a cell error.
  auto apiErrors = [&](int row, const auto& check) {
    try {
      check();
    } catch (const ServiceError& e) {
      for (const auto& f : e.fields) cellError(row, columnOf(f.field), "", importReason(f.reason));
      if (e.fields.empty()) cellError(row, "name", "", e.what());
    }
  };
  if (parsed.headerRow == 0 && cells.empty()) throw fileError("没有找到表头（至少需要“项目名称”列）");

  ImportOutcome out;
  out.dry_run = dryRun;
  out.rows = static_cast<int>(parsed.rows.size());
  auto body = [&](store::Connection& c) -> ImportOutcome {
    auto lc = loadLifecycle(c, region, today);
    std::map<std::string, std::int64_t> townships, units, leaders;
    std::set<std::string> ambiguousLeaders;
    for (auto& r : c.query("SELECT id, name, kind FROM org_units WHERE region_code = ?", {region}).rows) {
      units[r.str("name")] = r.i64("id");
      if (r.str("kind") == "township") townships[r.str("name")] = r.i64("id");
    }
    for (auto& r : c.query("SELECT id, display_name FROM users WHERE region_code = ? ORDER BY CASE rank WHEN "
                           "'county_leader' THEN 0 ELSE 1 END, id",
                           {region})
                       .rows) {
      if (leaders.count(r.str("display_name"))) ambiguousLeaders.insert(r.str("display_name"));
      else leaders[r.str("display_name")] = r.i64("id");
    }
    // The county's projects, loaded once, for matching rows to them by national code, else by name and owner.
    std::map<std::int64_t, store::Row> existingRows;
    std::map<std::string, std::int64_t> byCode, byName;
    for (auto& r : c.query(std::string(kSelect) + " WHERE p.region_code = ?", {region}).rows) {
      auto id = r.i64("id");
      if (!r.str("code").empty()) byCode.emplace(r.str("code"), id);
      byName.emplace(r.str("name") + '\x1f' + r.str("enterprise_name"), id);
      existingRows.emplace(id, std::move(r));
    }
    // Resolve names and check every row before anything is written.
    struct Planned {
      core::Project p;
      std::optional<std::int64_t> existing;
      std::optional<store::Row> before;
    };
    std::vector<Planned> plan;
    for (auto& row : parsed.rows) {
      auto p = row.project;
      if (!row.townshipName.empty()) {
        auto it = townships.find(row.townshipName);
        if (it == townships.end()) cellError(row.excelRow, "township", "所在乡镇", "未知的乡镇：" + row.townshipName);
        else p.township_id = it->second;
      }
      if (!row.unitName.empty()) {
        auto it = units.find(row.unitName);
        if (it == units.end()) cellError(row.excelRow, "unit", "责任单位", "未知的责任单位：" + row.unitName);
        else p.unit_id = it->second;
      }
      if (!row.leaderName.empty()) {
        auto it = leaders.find(row.leaderName);
        if (ambiguousLeaders.count(row.leaderName)) cellError(row.excelRow, "leader", "项目长", "重名人员，无法确定：" + row.leaderName);
        else if (it == leaders.end()) cellError(row.excelRow, "leader", "项目长", "未知的人员：" + row.leaderName);
        else p.leader_id = it->second;
      }
      if (!row.stageName.empty()) {
        std::string key;
        for (const auto& s : lc.stages)
          if (s.name == row.stageName || s.key == row.stageName) key = s.key;
        if (key.empty()) cellError(row.excelRow, "stage", "项目阶段", "未知的项目阶段：" + row.stageName);
        else p.stage = key;
      } else {
        p.stage = "";
      }
      if (!row.valid) continue;
      Planned pl{p, std::nullopt, std::nullopt};
      std::optional<std::int64_t> found;
      if (auto it = byCode.find(p.code); !p.code.empty() && it != byCode.end()) found = it->second;
      else if (auto it2 = byName.find(p.name + '\x1f' + p.enterprise_name); it2 != byName.end()) found = it2->second;
      if (found) {
        pl.existing = *found;
        pl.before = existingRows.at(*found);
        if (!core::canEditProject(a, region, pl.before->optI64("unit_id")))
          cellError(row.excelRow, "name", "项目名称", "无权修改此项目（属于其他责任单位）");
        if (pl.p.stage.empty()) pl.p.stage = pl.before->str("stage");
      } else if (pl.p.stage.empty()) {
        pl.p.stage = lc.stages.front().key;
      }
      if (!a.has("admin") && !a.has("hq")) {
        if (pl.p.unit_id && *pl.p.unit_id != *a.org_unit_id)
          cellError(row.excelRow, "unit", "责任单位", "责任单位只能导入本单位的项目");
        pl.p.unit_id = *a.org_unit_id;
      }
      const json input = importBody(pl.p, parsed.columns, !pl.existing);
      apiErrors(row.excelRow, [&] { parseProjectInput(c, input, !pl.existing, region, today, lc); });
      apiErrors(row.excelRow, [&] { checkDateOrder(importedState(input, pl.before, lc)); });
      // Gates apply to imported stages as to any other stage change.
      auto merged = pl.p;
      if (pl.before) {
        auto old = projectFromRow(*pl.before);
        for (const char* k : {"signed_date", "actual_start", "actual_completion"})
          if (!parsed.columns.count(k) && core::projectFieldValue(merged, k).empty()) {
            if (std::string(k) == "signed_date") merged.signed_date = old.signed_date;
            if (std::string(k) == "actual_start") merged.actual_start = old.actual_start;
            if (std::string(k) == "actual_completion") merged.actual_completion = old.actual_completion;
          }
      }
      for (const auto& g : core::gateFailures(lc, merged, merged.stage))
        cellError(row.excelRow, "stage", "项目阶段", "进入该阶段需先填写：" + g);
      plan.push_back(std::move(pl));
    }
    if (!cells.empty())
      throw ServiceError(ErrorKind::Validation, "import_invalid",
                         "表格中有 " + std::to_string(cells.size()) + " 处错误，未导入任何数据，请修改后重新导入", {},
                         {{"cells", cells}});
    ImportOutcome o;
    o.rows = static_cast<int>(parsed.rows.size());
    o.dry_run = dryRun;
    for (const auto& pl : plan) (pl.existing ? o.updated : o.created)++;
    if (dryRun) return o;
    auto columns = parsed.columns;
    columns["stage"] = "";  // the stage is always decided (kept, given, or the first stage)
    const auto now = env_.nowIso();
    AuditAppender audit(c, env_);
    for (auto& pl : plan) {
      auto cols = importColumns(pl.p, columns);
      // The search text from the sheet's values, falling back to the stored ones for columns it lacks.
      auto keep = [&](const char* field, const std::string& fromSheet) {
        return columns.count(field) || !pl.before ? fromSheet : pl.before->str(field);
      };
      cols.emplace_back("search_text", searchText(pl.p.name, keep("enterprise_name", pl.p.enterprise_name),
                                                  keep("code", pl.p.code),
                                                  keep("enterprise_credit_code", pl.p.enterprise_credit_code)));
      if (!pl.existing) {
        if (!pl.p.unit_id || !columns.count("unit")) cols.emplace_back("unit_id", store::optParam(pl.p.unit_id));
        // A sheet without 项目类别 still makes a project with one (category is NOT NULL).
        if (!columns.count("category")) cols.emplace_back("category", pl.p.category);
        std::string names = "region_code, created_at, updated_at", marks = "?, ?, ?";
        store::Params p{region, now, now};
        for (auto& [k, v] : cols) names += ", " + k, marks += ", ?", p.push_back(v);
        auto id = c.insert("INSERT INTO projects (" + names + ") VALUES (" + marks + ")", p);
        auto j = summaryJson(loadRow(c, id), lc);
        audit.append(&a, {region, "import_create", "project", std::to_string(id), nullptr, auditShape(j)});
      } else {
        auto id = *pl.existing;
        auto bj = summaryJson(*pl.before, lc);
        std::string sets;
        store::Params p;
        for (auto& [k, v] : cols) sets += (sets.empty() ? "" : ", ") + k + " = ?", p.push_back(v);
        p.push_back(id);
        c.exec("UPDATE projects SET " + sets + " WHERE id = ?", p);
        auto aj = summaryJson(loadRow(c, id), lc);
        json b, d;
        diffJson(auditShape(bj), auditShape(aj), b, d);
        if (!d.empty()) {
          bump(c, id, now);
          audit.append(&a, {region, "import_update", "project", std::to_string(id), b, d});
        }
      }
    }
    audit.finish();
    return o;
  };
  // A dry run only reads; a real import is one write transaction, all rows or none.
  return dryRun ? env_.db->transact(false, body) : writeTransaction(env_, region, body);
}

}  // namespace steward::service
