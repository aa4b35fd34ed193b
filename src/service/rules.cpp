#include "service/rules.h"

#include <set>

#include "core/limits.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/cadence_rules.h"
#include "service/light_rules.h"
#include "service/ranking_rules.h"
#include "service/org.h"  // requireListedRegion
#include "service/problem_rules.h"
#include "service/profile.h"

namespace steward::service {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------------------------
// The lifecycle kind: a county's project stages with their gates, and its node templates.
namespace {

// The project fields a stage gate may require: those core::projectFieldValue can read.
const std::set<std::string> kGateFields = {"signed_date",        "planned_start",     "actual_start",
                                           "planned_completion", "actual_completion", "production_date",
                                           "code",               "enterprise_name",   "enterprise_credit_code",
                                           "leader_id",          "unit_id",           "total_investment"};
constexpr std::size_t kMaxStages = 50;

bool isKeyText(const std::string& k) {
  if (k.empty()) return false;
  for (char ch : k)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') return false;
  return true;
}

// Reads a lifecycle body. `strict` (storing a new version) also checks caps and that every gate field exists;
// reading what is stored stays lenient so a version stored under older rules keeps working.
std::optional<core::Lifecycle> parseLifecycle(const json& j, std::vector<FieldError>& errs, bool strict) {
  namespace L = core::limits;
  const auto before = errs.size();
  auto add = [&](std::string f, std::string r) { errs.push_back({std::move(f), std::move(r)}); };
  // A string member: absent is "", wrong type is an error.
  auto text = [&](const json& o, const char* k, const std::string& path, std::size_t cap, bool required) {
    if (!o.contains(k) || o[k].is_null()) {
      if (required) add(path, "required");
      return std::string();
    }
    if (!o[k].is_string()) {
      add(path, "invalid");
      return std::string();
    }
    auto s = o[k].get<std::string>();
    if (required && s.empty()) add(path, "required");
    else if (strict && core::textLength(s) > cap) add(path, "too_long");
    return s;
  };
  if (!j.is_object()) {
    add("body", "invalid");
    return std::nullopt;
  }
  core::Lifecycle lc;
  lc.preset = text(j, "preset", "body.preset", L::kCode, false);
  if (!j.contains("stages") || !j["stages"].is_array() || j["stages"].empty()) {
    add("body.stages", "required");
    return std::nullopt;
  }
  if (strict && j["stages"].size() > kMaxStages) {
    add("body.stages", "too_many");
    return std::nullopt;
  }
  std::set<std::string> keys;
  for (std::size_t i = 0; i < j["stages"].size(); ++i) {
    const auto& s = j["stages"][i];
    const auto path = "body.stages[" + std::to_string(i) + "]";
    if (!s.is_object()) {
      add(path, "invalid");
      continue;
    }
    core::Stage st;
    st.key = text(s, "key", path + ".key", L::kCode, true);
    if (!st.key.empty() && !isKeyText(st.key)) add(path + ".key", "invalid");
    else if (!st.key.empty() && !keys.insert(st.key).second) add(path + ".key", "duplicate");
    st.name = text(s, "name", path + ".name", L::kShortText, true);
    if (s.contains("requires") && !s["requires"].is_null()) {
      const auto& req = s["requires"];
      if (!req.is_array() || (strict && req.size() > kGateFields.size())) {
        add(path + ".requires", req.is_array() ? "too_many" : "invalid");
      } else {
        for (std::size_t k = 0; k < req.size(); ++k) {
          const auto rpath = path + ".requires[" + std::to_string(k) + "]";
          if (!req[k].is_string()) add(rpath, "invalid");
          else if (strict && !kGateFields.count(req[k].get<std::string>())) add(rpath, "unknown_field");
          else st.requires_fields.push_back(req[k].get<std::string>());
        }
      }
    }
    lc.stages.push_back(std::move(st));
  }
  if (j.contains("nodes") && !j["nodes"].is_null()) {
    const auto& nodes = j["nodes"];
    if (!nodes.is_array() || (strict && nodes.size() > L::kNodes)) {
      add("body.nodes", nodes.is_array() ? "too_many" : "invalid");
    } else {
      std::set<std::string> nodeKeys;
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        const auto& n = nodes[i];
        const auto path = "body.nodes[" + std::to_string(i) + "]";
        if (!n.is_object()) {
          add(path, "invalid");
          continue;
        }
        core::NodeTemplate t{text(n, "key", path + ".key", L::kCode, strict), text(n, "name", path + ".name", L::kShortText, strict),
                             text(n, "unit_hint", path + ".unit_hint", L::kShortText, false)};
        if (strict && !t.key.empty() && !nodeKeys.insert(t.key).second) add(path + ".key", "duplicate");
        lc.nodes.push_back(std::move(t));
      }
    }
  }
  if (errs.size() != before) return std::nullopt;
  if (lc.nodes.empty()) lc.nodes = core::defaultLifecycle().nodes;
  return lc;
}

json lifecycleJson(const core::Lifecycle& lc) {
  json stages = json::array();
  for (const auto& s : lc.stages) stages.push_back({{"key", s.key}, {"name", s.name}, {"requires", s.requires_fields}});
  json nodes = json::array();
  for (const auto& n : lc.nodes) nodes.push_back({{"key", n.key}, {"name", n.name}, {"unit_hint", n.unit_hint}});
  return json{{"preset", lc.preset}, {"stages", stages}, {"nodes", nodes}};
}

// A county preset's lifecycle: its seed's stages (or the default's, marked inherited when the seed names none);
// the node templates are the standard approval steps, which no seed lists, so they are marked inherited too.
json lifecyclePreset(const std::string& name) {
  const auto own = core::presetLifecycle(name);
  auto lc = own ? *own : core::defaultLifecycle();
  lc.preset = name;
  auto body = lifecycleJson(lc);
  body["inherited"] = json::array();
  if (!own)
    body["inherited"].push_back({{"path", "stages"},
                                 {"from", "default"},
                                 {"note", "本县报告未涉及项目阶段，沿用默认（策划包装至竣工投产运营七个阶段）"}});
  body["inherited"].push_back(
      {{"path", "nodes"}, {"from", "default"}, {"note", "本县报告未涉及审批节点，沿用默认节点模板"}});
  return body;
}

RuleKind lifecycleKind() {
  RuleKind k;
  k.name = "lifecycle";
  k.title = "项目生命周期";
  k.normalise = [](const json& body, std::vector<FieldError>& errs) {
    auto lc = parseLifecycle(body, errs, true);
    auto inherited = normaliseInherited(body, errs);
    if (!lc || !errs.empty()) return json();
    auto out = lifecycleJson(*lc);
    if (!inherited.empty()) out["inherited"] = inherited;
    return out;
  };
  for (const char* name : {"zhuxi", "xianfeng", "jingle", "lianshui", "hengdong"}) k.presets.emplace_back(name, lifecyclePreset(name));
  k.fallback = lifecycleJson(core::defaultLifecycle());
  // Projects may not be left in a stage the new rules do not know.
  k.canReplace = [](store::RuleSetRepository& repo, const std::string& region, const json& body) {
    std::vector<FieldError> errs;
    auto lc = parseLifecycle(body, errs, false);
    for (const auto& stage : repo.projectStagesInUse(region))
      if (!lc || !lc->find(stage))
        throw conflict("仍有项目处于阶段“" + stage + "”，新规则中没有该阶段", {{"body.stages", "missing_in_use"}});
  };
  k.describe = [](const json& body) { return std::to_string(body.value("stages", json::array()).size()) + " stages"; };
  return k;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// The registry: one entry per kind.
const std::vector<RuleKind>& ruleKinds() {
  static const std::vector<RuleKind> all = {lifecycleKind(), profileKind(), cadenceKind(), lightsKind(),
                                               problemsKind(), rankingsKind()};
  return all;
}

const RuleKind* findRuleKind(std::string_view name) {
  for (const auto& k : ruleKinds())
    if (k.name == name) return &k;
  return nullptr;
}

std::string ruleKindNames() {
  std::string out;
  for (const auto& k : ruleKinds()) out += (out.empty() ? "" : ", ") + k.name;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The service.
namespace {

const RuleKind& requireKind(const std::string& name) {
  const auto* k = findRuleKind(name);
  if (!k) throw ServiceError(ErrorKind::NotFound, "unknown_kind", "没有这种规则：" + name + "（现有：" + ruleKindNames() + "）");
  return *k;
}

json recordJson(const store::RuleSetRecord& r) {
  auto body = json::parse(r.body, nullptr, false);
  return {{"kind", r.kind},
          {"region_code", r.region_code},
          {"version", r.version},
          {"effective_from", r.effective_from},
          {"body", body.is_discarded() ? json() : body},
          {"created_at", r.created_at},
          {"author", r.author}};
}

// The region a read is about: the actor's own unless `region` names one in the actor's scope.
std::string readRegion(const core::Actor& a, const std::string& region) {
  if (region.empty()) return a.region_code;
  if (!core::isValidRegionCode(region) || !core::inScope(a, region)) throw notFound("行政区划不存在或不在您的范围内");
  return region;
}

}  // namespace

json RulesService::store(const core::Actor* a, const std::string& kindName, const std::string& region,
                         const json& body, const std::string& effectiveFrom) {
  requireKind(kindName);
  if (a && !core::canSetRules(*a, region)) throw forbidden();
  return writeTransaction(env_, region, [&](store::Connection& c) { return storeIn(c, a, kindName, region, body, effectiveFrom); });
}

json RulesService::storeIn(store::Connection& c, const core::Actor* a, const std::string& kindName,
                           const std::string& region, const json& body, const std::string& effectiveFrom) {
  const auto& kind = requireKind(kindName);
  if (a && !core::canSetRules(*a, region)) throw forbidden();
  requireListedRegion(region, "region");
  Validator v;
  if (!core::isIsoDate(effectiveFrom)) v.add("effective_from", "invalid_date");
  v.throwIfAny();
  std::vector<FieldError> errs;
  json normal;
  if (body.dump().size() > kRuleSetMaxBytes) errs.push_back({"body", "too_large"});
  else normal = kind.normalise(body, errs);
  if (!errs.empty() || normal.is_null())
    throw ServiceError(ErrorKind::Validation, "invalid_rule_set", "规则内容不正确，请检查标出的字段", errs);
  store::RuleSetRecord rec;
  rec.region_code = region;
  rec.kind = kind.name;
  rec.effective_from = effectiveFrom;
  rec.body = normal.dump();
  rec.created_at = env_.nowIso();
  rec.author = a ? (a->display_name.empty() ? a->username : a->display_name) : "system";
  store::RuleSetRepository repo(c);
  if (!repo.regionExists(region)) throw notFound("行政区划不存在");
  if (kind.canReplace) kind.canReplace(repo, region, normal);
  rec.version = repo.latestVersion(region, kind.name) + 1;
  repo.insert(rec);
  appendAudit(c, env_, a,
              {region, "create", "rule_set", kind.name + "/" + std::to_string(rec.version), nullptr,
               {{"kind", kind.name},
                {"version", rec.version},
                {"effective_from", effectiveFrom},
                {"author", rec.author},
                {"body", normal}}});
  auto out = recordJson(rec);
  if (kind.describe) out["summary"] = kind.describe(normal);
  return out;
}

json RulesService::preset(const std::string& kindName, const std::string& name) const {
  const auto& kind = requireKind(kindName);
  std::string known;
  for (const auto& [n, body] : kind.presets) {
    if (n == name) return body;
    known += (known.empty() ? "" : ", ") + n;
  }
  throw ServiceError(ErrorKind::Validation, "unknown_preset",
                     "没有这个预设：" + name + "（" + kind.name + " 的预设：" + (known.empty() ? "无" : known) + "）",
                     {{"preset", "unknown"}});
}

json RulesService::inForce(const core::Actor& a, const std::string& kindName, const std::string& regionParam,
                           const std::string& asOf) {
  const auto& kind = requireKind(kindName);
  const auto region = readRegion(a, regionParam);
  if (!asOf.empty() && !core::isIsoDate(asOf)) {
    Validator v;
    v.add("as_of", "invalid_date");
    v.throwIfAny("日期格式应为 YYYY-MM-DD");
  }
  const auto day = asOf.empty() ? core::localDay(env_.now()) : asOf;
  auto c = env_.db->acquire();
  store::RuleSetRepository repo(*c);
  if (!repo.regionExists(region)) throw notFound("行政区划不存在或不在您的范围内");
  json out;
  if (auto rec = repo.inForce(region, kind.name, day)) {
    out = recordJson(*rec);
  } else {
    if (kind.fallback.is_null()) throw ServiceError(ErrorKind::NotFound, "no_rule_set", "该日期没有生效的规则");
    out = {{"kind", kind.name}, {"region_code", region}, {"version", 0},      {"effective_from", nullptr},
           {"body", kind.fallback}, {"created_at", nullptr},  {"author", nullptr}};
  }
  out["as_of"] = day;
  return out;
}

json RulesService::versions(const core::Actor& a, const std::string& kindName, const std::string& regionParam,
                            int limit, std::optional<int> before) {
  const auto& kind = requireKind(kindName);
  const auto region = readRegion(a, regionParam);
  limit = std::clamp(limit, 1, kRuleVersionsMax);
  auto c = env_.db->acquire();
  store::RuleSetRepository repo(*c);
  if (!repo.regionExists(region)) throw notFound("行政区划不存在或不在您的范围内");
  auto rows = repo.versions(region, kind.name, limit + 1, before);
  json items = json::array();
  for (std::size_t i = 0; i < rows.size() && i < static_cast<std::size_t>(limit); ++i) items.push_back(recordJson(rows[i]));
  json next = rows.size() > static_cast<std::size_t>(limit) ? json(rows[limit - 1].version) : json();
  return {{"kind", kind.name}, {"region_code", region}, {"items", items}, {"next_before", next}};
}

json RulesService::list(const std::string& region) {
  auto c = env_.db->acquire();
  store::RuleSetRepository repo(*c);
  if (!repo.regionExists(region)) throw notFound("行政区划不存在");
  const auto today = core::localDay(env_.now());
  json kinds = json::array();
  for (const auto& kind : ruleKinds()) {
    json versions = json::array();
    for (const auto& r : repo.versions(region, kind.name, kRuleVersionsMax))
      versions.push_back({{"version", r.version}, {"effective_from", r.effective_from}, {"created_at", r.created_at},
                          {"author", r.author}});
    auto cur = repo.inForce(region, kind.name, today);
    kinds.push_back({{"kind", kind.name},
                     {"title", kind.title},
                     {"in_force", cur ? json(cur->version) : json(0)},
                     {"versions", versions}});
  }
  return {{"region_code", region}, {"today", today}, {"kinds", kinds}};
}

// ---------------------------------------------------------------------------------------------------------------
// The lifecycle as the project library reads it.
std::string lifecycleToJson(const core::Lifecycle& lc) { return lifecycleJson(lc).dump(); }

std::optional<core::Lifecycle> lifecycleFromJson(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  std::vector<FieldError> errs;
  return parseLifecycle(j, errs, false);
}

core::Lifecycle loadLifecycle(store::Connection& c, const std::string& region, const std::string& day) {
  auto rec = store::RuleSetRepository(c).inForce(region, "lifecycle", day);
  if (!rec) return core::defaultLifecycle();
  auto lc = lifecycleFromJson(rec->body);
  return lc ? *lc : core::defaultLifecycle();
}

}  // namespace steward::service
