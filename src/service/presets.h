// The five seed counties as named presets. A preset name selects, for every rule kind that has a preset of
// that name, its body (rules.cpp, ruleKinds()); applying a preset stores them all for a region.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.h"
#include "service/context.h"
#include "store/db.h"

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
// Returns [{"kind", "version", "summary"?}] for what was stored. (switchCountyPreset with no stage map.)
nlohmann::json applyCountyPreset(Env env, const core::Actor* a, const std::string& region, const std::string& name,
                                 const std::string& effectiveFrom);

// The same with a stage mapping, all in one transaction. Projects in a stage the new lifecycle lacks move through `stageMap` (old key → new key; a
// stage the new lifecycle also has stays unless mapped), each move audited and logged; 422 stage_map_incomplete
// naming every stage left without a target (with its project count), 422 stage_map_invalid for a target the
// new lifecycle does not have. The profile's working groups (1+8+N) become org units of kind "group" unless
// the region has a unit of that name. Returns {"stored": [{"kind", "version", "summary"?}], "moved":
// [{"from", "to", "count"}], "groups": [{"id", "name"}]}.
nlohmann::json switchCountyPreset(Env env, const core::Actor* a, const std::string& region, const std::string& name,
                                  const std::string& effectiveFrom, const std::map<std::string, std::string>& stageMap);

// The same inside a write transaction the caller holds (steward init stores the county and its rules at once).
nlohmann::json switchCountyPresetIn(store::Connection& c, Env env, const core::Actor* a, const std::string& region,
                                    const std::string& name, const std::string& effectiveFrom,
                                    const std::map<std::string, std::string>& stageMap);

// Parses a stage mapping file: a JSON object {"old": "new"} or TSV lines "old<TAB>new" (# comments, blank lines
// skipped). Throws a 422 stage_map_invalid naming the line for anything else.
std::map<std::string, std::string> parseStageMap(const std::string& text);

// How the demo county's stages (the default lifecycle's) map onto preset `name`'s: empty when they are the same.
std::map<std::string, std::string> demoStageMap(const std::string& name);

// Every preset with its county, seed and a summary of each kind it sets (GET /presets).
nlohmann::json presetsJson();

}  // namespace steward::service
