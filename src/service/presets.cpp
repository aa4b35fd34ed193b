#include "service/presets.h"

#include "core/time.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/rules.h"
#include "store/org_repo.h"
#include "store/project_repo.h"
#include "store/rule_set_repo.h"

namespace steward::service {

using nlohmann::json;

const std::vector<CountyPreset>& countyPresets() {
  static const std::vector<CountyPreset> all = {
      {"zhuxi", "竹溪县", "420324", "[Zhuxi 000]"},
      {"xianfeng", "咸丰县", "422826", "[Xianfeng 001]"},
      {"jingle", "静乐县", "140926", "[Jingle 002]"},
      {"lianshui", "涟水县", "320826", "[Lianshui 003]"},
      {"hengdong", "衡东县", "430424", "[Hengdong 004]"},
  };
  return all;
}

const CountyPreset* findCountyPreset(std::string_view name) {
  for (const auto& p : countyPresets())
    if (p.name == name) return &p;
  return nullptr;
}

std::string countyPresetNames() {
  std::string out;
  for (const auto& p : countyPresets()) out += (out.empty() ? "" : ", ") + p.name;
  return out;
}

json applyCountyPreset(Env env, const core::Actor* a, const std::string& region, const std::string& name,
                       const std::string& effectiveFrom) {
  return switchCountyPreset(env, a, region, name, effectiveFrom, {})["stored"];
}

json switchCountyPresetIn(store::Connection& c, Env env, const core::Actor* a, const std::string& region,
                          const std::string& name, const std::string& effectiveFrom,
                          const std::map<std::string, std::string>& stageMap) {
  if (!findCountyPreset(name))
    throw ServiceError(ErrorKind::Validation, "unknown_preset", "没有这个县情预设：" + name + "（现有：" + countyPresetNames() + "）",
                       {{"preset", "unknown"}});
  RulesService rules(env);
  json out = {{"stored", json::array()}, {"moved", json::array()}, {"groups", json::array()}};
  // Stages first: every project must have a stage under the new lifecycle before it is stored.
  std::vector<FieldError> errs;
  std::optional<core::Lifecycle> lc;
  for (const auto& kind : ruleKinds())
    if (kind.name == "lifecycle")
      for (const auto& [n, body] : kind.presets)
        if (n == name) lc = lifecycleFromJson(body.dump());
  if (lc) {
    store::RuleSetRepository repo(c);
    const auto projects = repo.projectStages(region);
    std::map<std::string, std::int64_t> counts;
    for (const auto& [id, stage] : projects) ++counts[stage];
    std::vector<FieldError> bad;
    std::string names;
    for (const auto& [from, to] : stageMap)
      if (!lc->find(to)) bad.push_back({"stage_map." + from, "unknown_stage"});
    if (!bad.empty())
      throw ServiceError(ErrorKind::Validation, "stage_map_invalid", "阶段映射指向新规则中没有的阶段", bad);
    json unmapped = json::array();
    for (const auto& [stage, n] : counts) {
      if (stageMap.count(stage) || lc->find(stage)) continue;
      bad.push_back({"stage_map." + stage, "missing"});
      unmapped.push_back({{"stage", stage}, {"count", n}});
      names += (names.empty() ? "" : "、") + stage + "（" + std::to_string(n) + " 个项目）";
    }
    if (!bad.empty())
      throw ServiceError(ErrorKind::Validation, "stage_map_incomplete",
                         "以下阶段在预设“" + name + "”中没有对应阶段，请在映射中给出：" + names, bad,
                         {{"unmapped", unmapped}});
    store::ProjectRepo projectsRepo(c);
    const auto now = env.nowIso();
    const auto today = core::localDay(env.now());
    std::map<std::pair<std::string, std::string>, std::int64_t> moved;
    for (const auto& [id, stage] : projects) {
      auto it = stageMap.find(stage);
      if (it == stageMap.end() || it->second == stage) continue;
      projectsRepo.setStage(id, it->second);
      projectsRepo.logStage({id, stage, it->second, today, "切换县情预设：" + name, a ? a->user_id : 0, now});
      projectsRepo.bump(id, now);
      appendAudit(c, env, a,
                  {region, "stage", "project", std::to_string(id), {{"stage", stage}},
                   {{"stage", it->second}, {"date", today}, {"note", "切换县情预设：" + name}}});
      ++moved[{stage, it->second}];
    }
    for (const auto& [ft, n] : moved) out["moved"].push_back({{"from", ft.first}, {"to", ft.second}, {"count", n}});
  }
  for (const auto& kind : ruleKinds()) {
    bool has = false;
    for (const auto& [n, body] : kind.presets) has = has || n == name;
    if (!has) continue;
    auto rec = rules.storeIn(c, a, kind.name, region, rules.preset(kind.name, name), effectiveFrom);
    json item = {{"kind", kind.name}, {"version", rec["version"]}};
    if (rec.contains("summary")) item["summary"] = rec["summary"];
    out["stored"].push_back(item);
    // The model's working groups (Hengdong's 1+8+N) as org units, once.
    if (kind.name == "profile") {
      const auto& groups = rec["body"]["model"].value("groups", json::array());
      store::OrgUnitRepository units(c);
      std::int64_t sort = 0;
      for (const auto& g : groups) {
        const auto gname = g["name"].get<std::string>();
        ++sort;
        if (units.idByName(region, gname)) continue;
        auto id = units.insert(region, {gname, g["name"].get<std::string>(), "group", 900 + sort}, env.nowIso());
        appendAudit(c, env, a,
                    {region, "create", "org_unit", std::to_string(id), nullptr,
                     {{"id", id}, {"region_code", region}, {"name", gname}, {"kind", "group"}, {"preset", name}}});
        out["groups"].push_back({{"id", id}, {"name", gname}});
      }
    }
  }
  return out;
}

json switchCountyPreset(Env env, const core::Actor* a, const std::string& region, const std::string& name,
                        const std::string& effectiveFrom, const std::map<std::string, std::string>& stageMap) {
  if (!findCountyPreset(name))
    throw ServiceError(ErrorKind::Validation, "unknown_preset", "没有这个县情预设：" + name + "（现有：" + countyPresetNames() + "）",
                       {{"preset", "unknown"}});
  if (a && !core::canSetRules(*a, region)) throw forbidden();
  return writeTransaction(env, region, [&](store::Connection& c) {
    return switchCountyPresetIn(c, env, a, region, name, effectiveFrom, stageMap);
  });
}

std::map<std::string, std::string> parseStageMap(const std::string& text) {
  std::map<std::string, std::string> out;
  auto bad = [](const std::string& where) {
    return ServiceError(ErrorKind::Validation, "stage_map_invalid", "阶段映射文件格式不正确：" + where,
                        {{"stage_map", "invalid"}});
  };
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') {
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw bad("不是 JSON 对象");
    for (const auto& [k, v] : j.items()) {
      if (!v.is_string() || k.empty() || v.get<std::string>().empty()) throw bad("“" + k + "”的值应为阶段键");
      out[k] = v.get<std::string>();
    }
    return out;
  }
  std::size_t lineNo = 0, pos = 0;
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    auto line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? text.size() + 1 : end + 1;
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto t = line.find_first_not_of(" \t");
    if (t == std::string::npos || line[t] == '#') continue;
    auto tab = line.find('\t');
    if (tab == std::string::npos) throw bad("第 " + std::to_string(lineNo) + " 行应为“旧阶段<TAB>新阶段”");
    auto trim = [](std::string s) {
      auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    auto from = trim(line.substr(0, tab)), to = trim(line.substr(tab + 1));
    if (from.empty() || to.empty() || to.find('\t') != std::string::npos)
      throw bad("第 " + std::to_string(lineNo) + " 行应为“旧阶段<TAB>新阶段”");
    out[from] = to;
  }
  return out;
}

std::map<std::string, std::string> demoStageMap(const std::string& name) {
  if (name == "zhuxi")
    return {{"planning", "reserve"},       {"prereview", "negotiation"},   {"signing", "negotiation"},
            {"siting", "approvals"},       {"construction", "construction"}, {"review", "construction"},
            {"operation", "operation"}};
  if (name == "jingle")
    return {{"planning", "intent"},         {"prereview", "intent"},        {"signing", "signing"},
            {"siting", "contract"},         {"construction", "construction"}, {"review", "construction"},
            {"operation", "construction"}};
  return {};
}

json presetsJson() {
  json out = json::array();
  for (const auto& p : countyPresets()) {
    json kinds = json::array();
    for (const auto& kind : ruleKinds())
      for (const auto& [n, body] : kind.presets) {
        if (n != p.name) continue;
        json k = {{"kind", kind.name}, {"title", kind.title}, {"inherited", body.value("inherited", json::array())}};
        if (kind.describe) k["summary"] = kind.describe(body);
        kinds.push_back(k);
      }
    out.push_back({{"name", p.name}, {"county", p.county}, {"region_code", p.region_code}, {"seed", p.seed}, {"kinds", kinds}});
  }
  return out;
}

}  // namespace steward::service
