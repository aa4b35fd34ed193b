#include "service/presets.h"

#include "service/errors.h"
#include "service/rules.h"

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
  if (!findCountyPreset(name))
    throw ServiceError(ErrorKind::Validation, "unknown_preset", "没有这个县情预设：" + name + "（现有：" + countyPresetNames() + "）",
                       {{"preset", "unknown"}});
  RulesService rules(env);
  json stored = json::array();
  for (const auto& kind : ruleKinds()) {
    bool has = false;
    for (const auto& [n, body] : kind.presets) has = has || n == name;
    if (!has) continue;
    auto rec = rules.store(a, kind.name, region, rules.preset(kind.name, name), effectiveFrom);
    json item = {{"kind", kind.name}, {"version", rec["version"]}};
    if (rec.contains("summary")) item["summary"] = rec["summary"];
    stored.push_back(item);
  }
  return stored;
}

}  // namespace steward::service
