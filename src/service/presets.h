// The five seed counties as named presets. A preset name selects, for every rule kind that has a preset of
// that name, its body (rules.cpp, ruleKinds()); applying a preset stores them all for a region.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

struct CountyPreset {
  std::string name;         // "hengdong": the name in the CLI, the API and rule-set bodies
  std::string county;       // "衡东县"
  std::string region_code;  // "430424": the seed county's own code
  std::string seed;         // the county report it is drawn from: "[Hengdong 004]"
};

// Every county preset, in the order of the seed reports.
const std::vector<CountyPreset>& countyPresets();
const CountyPreset* findCountyPreset(std::string_view name);
// "zhuxi, xianfeng, …" for messages.
std::string countyPresetNames();

// Stores for `region`, in force from `effectiveFrom`, every rule kind's preset `name`, each audited as a rule
// set; `a` null is the command line. 422 unknown_preset (field "preset") for a name that is not a preset.
// Returns [{"kind", "version", "summary"?}] for what was stored.
nlohmann::json applyCountyPreset(Env env, const core::Actor* a, const std::string& region, const std::string& name,
                                 const std::string& effectiveFrom);

}  // namespace steward::service
