// The national working-day calendar: the embedded years (core/data/cn_calendar.tsv, from chinese-days) and the
// years the system administrator imports when the State Council publishes the next arrangement
// (`steward calendar import FILE`, PUT /api/v1/calendar/{year}). A stored year replaces the embedded one whole.
//
// A year's file (the CLI) and the PUT body share one JSON shape:
//   {"year": 2027,                                   (the CLI's file only; the API takes it from the URL)
//    "holidays": [{"day": "2027-02-06", "name": "春节"}, …],   at most 60, days of that year
//    "workdays": [{"day": "2027-02-14", "name": "春节"}, …]}   at most 60: weekend days worked (调休上班)
// A day both a holiday and a workday, a day outside the year, a duplicate or a missing name is a 422 naming the
// entry (field "holidays[3].day"); nothing is written then.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/access.h"
#include "core/workdays.h"
#include "service/context.h"
#include "store/db.h"

namespace steward::service {

inline constexpr std::size_t kCalendarMaxEntries = 60;
// The audit chain national data is recorded under (no county owns it).
inline constexpr const char* kNationalRegion = "000000";

// The calendar in force: embedded years, then stored years over them. Cached per connection and rebuilt only
// when a year was stored since (one small query per call).
std::shared_ptr<const core::WorkCalendar> workCalendar(store::Connection& c);
core::WorkCalendar loadWorkCalendar(store::Connection& c);

// Parses and validates a year's arrangement (`year` from the URL or the file). Throws the 422 described above.
core::CalendarYear parseCalendarYear(int year, const nlohmann::json& body);

class CalendarService {
 public:
  explicit CalendarService(Env env) : env_(env) {}
  // {"year", "covered", "source": "embedded"|"imported"|null, "updated_at", "author", "holidays", "workdays",
  //  "covered_years", "warning"?}. 422 for a year outside 1900..2200.
  nlohmann::json show(int year);
  // Replaces the year; `a` null is the command line. 403 unless a system administrator (an administrator of a
  // province, the top level the system knows), 422 as parseCalendarYear. Audited.
  nlohmann::json put(const core::Actor* a, int year, const nlohmann::json& body);
  // The CLI's file: {"year", "holidays", "workdays"}; 422 field "year" when it is missing.
  nlohmann::json importFile(const nlohmann::json& file);

 private:
  Env env_;
};

// The calendar is national: only an administrator at the top of the region tree (a province) writes it.
bool canSetCalendar(const core::Actor& a);
// Parses the year of the URL: 4 digits, 1900..2200; 422 field "year" otherwise.
int calendarYearParam(const std::string& text);

}  // namespace steward::service
