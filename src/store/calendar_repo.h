// The working-day calendar's imported years (migration 0013): each stored year replaces the embedded one.
#pragma once
#include <string>
#include <vector>

#include "core/workdays.h"
#include "store/db.h"

namespace steward::store {

struct StoredCalendarYear {
  core::CalendarYear year;
  std::string updated_at;
  std::string author;
};

class CalendarRepository {
 public:
  explicit CalendarRepository(Connection& c) : c_(c) {}
  // Every stored year with its days, in year and day order.
  std::vector<StoredCalendarYear> all();
  // A number that changes whenever a year is stored: "count:max(updated_at)", for caching.
  std::string stamp();
  // Replaces the year `y.year` whole.
  void replaceYear(const core::CalendarYear& y, const std::string& updatedAt, const std::string& author);

 private:
  Connection& c_;
};

}  // namespace steward::store
