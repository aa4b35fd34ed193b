// A county's checklist of "ones" (四个一 / 五个一 …) applied to one project: which items are done, which are
// satisfied by a project field (automatic) and which by a manual tick, and the keys still missing.
#pragma once
#include <set>
#include <string>
#include <vector>

namespace steward::core {

// One item of a county profile's checklist (profile body ones.items[]).
struct ChecklistItem {
  std::string key, name;
  std::string satisfied_by;  // "project", "leader", "unit", "team", "steward" or "manual"
};

// What a project has that the checklist can look at.
struct ChecklistFacts {
  bool leader = false, unit = false, team = false, steward = false;
  std::set<std::string> ticked;  // the manual items ticked for the project (stored keys, any profile)
};

struct ChecklistEntry {
  std::string key, name;
  bool done = false;
  bool automatic = false;  // satisfied by a project field, not ticked by hand
};

struct ChecklistState {
  std::vector<ChecklistEntry> items;  // in the profile's order
  std::vector<std::string> missing;   // keys of the items not done, in the profile's order
};

// True for an item satisfied by hand (a tick), false for one read from the project.
bool isManual(const ChecklistItem& item);
// The state of `items` for a project. "project" is always done (the project is there); an unknown source is
// never done. Ticks of keys the checklist does not have are ignored.
ChecklistState checklistState(const std::vector<ChecklistItem>& items, const ChecklistFacts& facts);

}  // namespace steward::core
