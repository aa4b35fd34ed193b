// The county's lifecycle rule set: how it is stored, read and written.
#include <cctype>
#include <set>

#include "core/validate.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/projects.h"

namespace steward::service {

using nlohmann::json;

std::string lifecycleToJson(const core::Lifecycle& lc) {
  json stages = json::array();
  for (const auto& s : lc.stages) stages.push_back({{"key", s.key}, {"name", s.name}, {"requires", s.requires_fields}});
  json nodes = json::array();
  for (const auto& n : lc.nodes) nodes.push_back({{"key", n.key}, {"name", n.name}, {"unit_hint", n.unit_hint}});
  return json{{"preset", lc.preset}, {"stages", stages}, {"nodes", nodes}}.dump();
}

std::optional<core::Lifecycle> lifecycleFromJson(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("stages") || !j["stages"].is_array()) return std::nullopt;
  core::Lifecycle lc;
  lc.preset = j.value("preset", "");
  std::set<std::string> keys;
  try {
    for (const auto& s : j["stages"]) {
      core::Stage st{s.value("key", ""), s.value("name", ""), s.value("requires", std::vector<std::string>{})};
      if (st.key.empty() || st.name.empty() || !keys.insert(st.key).second) return std::nullopt;
      for (char ch : st.key)
        if (!std::isalnum((unsigned char)ch) && ch != '_') return std::nullopt;
      lc.stages.push_back(std::move(st));
    }
    for (const auto& n : j.value("nodes", json::array()))
      lc.nodes.push_back({n.value("key", ""), n.value("name", ""), n.value("unit_hint", "")});
  } catch (const json::exception&) {
    return std::nullopt;
  }
  if (lc.stages.empty()) return std::nullopt;
  if (lc.nodes.empty()) lc.nodes = core::defaultLifecycle().nodes;
  return lc;
}

core::Lifecycle loadLifecycle(store::Connection& c, const std::string& region, const std::string& day) {
  auto r = c.query(
      "SELECT body FROM rule_sets WHERE region_code = ? AND kind = 'lifecycle' AND effective_from <= ? ORDER BY "
      "effective_from DESC, version DESC LIMIT 1",
      {region, day});
  if (r.empty()) return core::defaultLifecycle();
  auto lc = lifecycleFromJson(r.one().str(0));
  return lc ? *lc : core::defaultLifecycle();
}

int ProjectService::setLifecycle(const core::Actor* a, const std::string& region, const core::Lifecycle& lc,
                                 const std::string& effectiveFrom) {
  if (a && !core::canSetRules(*a, region)) throw forbidden();
  Validator v;
  if (!core::isIsoDate(effectiveFrom)) v.add("effective_from", "invalid_date");
  if (lc.stages.empty()) v.add("stages", "required");
  v.throwIfAny();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    if (c.query("SELECT 1 FROM regions WHERE code = ?", {region}).empty()) throw notFound("行政区划不存在");
    // Projects may not be left in a stage the new rules do not know.
    for (auto& r : c.query("SELECT DISTINCT stage FROM projects WHERE region_code = ?", {region}).rows)
      if (!lc.find(r.str(0)))
        throw conflict("仍有项目处于阶段“" + r.str(0) + "”，新规则中没有该阶段", {{"stages", "missing_in_use"}});
    int version = static_cast<int>(
        c.query("SELECT COALESCE(MAX(version), 0) FROM rule_sets WHERE region_code = ? AND kind = 'lifecycle'",
                {region})
            .one()
            .i64(0) +
        1);
    auto body = lifecycleToJson(lc);
    c.exec("INSERT INTO rule_sets (region_code, kind, version, effective_from, body, created_at) VALUES (?, "
           "'lifecycle', ?, ?, ?, ?)",
           {region, std::int64_t(version), effectiveFrom, body, env_.nowIso()});
    appendAudit(c, env_, a,
                {region, "create", "rule_set", "lifecycle/" + std::to_string(version), nullptr,
                 {{"kind", "lifecycle"}, {"version", version}, {"effective_from", effectiveFrom},
                  {"body", json::parse(body)}}});
    return version;
  });
}

}  // namespace steward::service
