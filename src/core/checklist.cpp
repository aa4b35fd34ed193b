#include "core/checklist.h"

namespace steward::core {

bool isManual(const ChecklistItem& item) { return item.satisfied_by == "manual"; }

ChecklistState checklistState(const std::vector<ChecklistItem>& items, const ChecklistFacts& f) {
  ChecklistState s;
  for (const auto& it : items) {
    ChecklistEntry e{it.key, it.name, false, !isManual(it)};
    const auto& by = it.satisfied_by;
    if (by == "manual") e.done = f.ticked.count(it.key) > 0;
    else if (by == "project") e.done = true;
    else if (by == "leader") e.done = f.leader;
    else if (by == "unit") e.done = f.unit;
    else if (by == "team") e.done = f.team;
    else if (by == "steward") e.done = f.steward;
    if (!e.done) s.missing.push_back(it.key);
    s.items.push_back(std::move(e));
  }
  return s;
}

}  // namespace steward::core
