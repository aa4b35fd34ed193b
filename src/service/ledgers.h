// Jingle's five accounts (五账法, MECHANISMS.md §7): each unit's monthly ledger of its projects and open problems and
// tasks, set up (建账), sorted (理账), reconciled against headquarters' figures (对账: the reports' investment done
// and each item's status; the differences are listed and the ledger counts as unreconciled while any remain),
// handed in (交账) by the unit, and settled (算账) by headquarters, which freezes it. Steps run in order
// (409 step_out_of_order); a step may be repeated until the ledger is handed in (the first time is kept).
// Each step has a due day from the county's ranking rules (member `ledger`; by default set_up the 5th, sort the
// 20th, reconcile the 25th, hand_in the last weekday, settle the 5th of the next month); `late_steps` counts steps done after their due day, and in the month
// view also steps still undone after it. The stored late_steps and unreconciled columns are what the monthly
// ranking reads (ledger factor = late_steps + unreconciled).
//
// Readers: headquarters, admin, inspectors, viewers and leaders see every unit; a unit's own users see its row.
// Writers: the unit's own users or headquarters (settle: headquarters only).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

inline constexpr std::size_t kLedgerItemsMax = 500;
inline constexpr std::size_t kLedgerNoteMax = 2000;

class LedgerService {
 public:
  explicit LedgerService(Env env) : env_(env) {}
  nlohmann::json month(const core::Actor& a, const std::string& month);
  nlohmann::json get(const core::Actor& a, const std::string& month, std::int64_t unitId);
  // step: set_up | sort | reconcile | hand_in | settle (404 otherwise). Body {version?, items?, note?}.
  nlohmann::json step(const core::Actor& a, const std::string& month, std::int64_t unitId, const std::string& step,
                      const nlohmann::json& in);

 private:
  Env env_;
};

}  // namespace steward::service
