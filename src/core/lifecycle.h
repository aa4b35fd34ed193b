// The project lifecycle as configuration: stages with gates and node templates.
// A county's preset is data (a rule set stored per region with an effective date), never code paths.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/project.h"

namespace steward::core {

struct Stage {
  std::string key;
  std::string name;
  std::vector<std::string> requires_fields;  // project fields that must be set to enter this stage
};

struct NodeTemplate {
  std::string key;
  std::string name;
  std::string unit_hint;  // the department usually answerable, matched by name in the county
};

struct Lifecycle {
  std::string preset;
  std::vector<Stage> stages;
  std::vector<NodeTemplate> nodes;
  const Stage* find(std::string_view key) const;
  int indexOf(std::string_view key) const;
};

// Presets from the county reports: hengdong (7 stages, the default), zhuxi (5), jingle (4).
std::optional<Lifecycle> presetLifecycle(std::string_view name);
const Lifecycle& defaultLifecycle();

// The value of a gate-able project field as text; empty when unset.
std::string projectFieldValue(const Project& p, std::string_view field);
// The fields a project lacks to enter `target`; empty means the gate passes.
std::vector<std::string> gateFailures(const Lifecycle& lc, const Project& p, std::string_view target);

// The checklist of "ones" is configured per county: core/checklist.h.

}  // namespace steward::core
