// The working-day calendar: China's national holidays (法定节假日) and the weekend days worked in exchange
// (调休上班), per year. Inside a covered year a day rests when it is a holiday, or a Saturday/Sunday that is not a
// swapped working day; outside the covered years only weekends rest (isCovered() says so, so a page can warn
// "2028年节假日未导入"). Pure: the data comes from the embedded cn_calendar.tsv and years imported into the
// database (service/calendar.h). Days are ISO "YYYY-MM-DD"; a malformed day throws std::invalid_argument.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace steward::core {

struct CalendarDay {
  std::string day;   // "2026-02-16"
  std::string name;  // "春节"
};

// One year's arrangement as the State Council publishes it.
struct CalendarYear {
  int year = 0;
  std::vector<CalendarDay> holidays;  // days off (the whole block, weekends inside it included)
  std::vector<CalendarDay> workdays;  // weekend days worked (调休上班)
};

class WorkCalendar {
 public:
  // Replaces (or adds) a whole year: the year is then covered, with exactly these days.
  void setYear(const CalendarYear& y);
  bool isCovered(int year) const { return years_.count(year) != 0; }
  bool isCovered(std::string_view isoDay) const;
  std::vector<int> coveredYears() const { return {years_.begin(), years_.end()}; }
  // The year's arrangement, in day order; nullopt when the year is not covered.
  std::optional<CalendarYear> year(int y) const;

  bool isWorkingDay(std::string_view isoDay) const;
  // The holiday's or swapped workday's name ("春节"), empty for an ordinary day.
  std::string dayName(std::string_view isoDay) const;
  // The n-th working day after `isoDay` (n ≥ 1; n = 0 is the day itself). `isoDay` itself need not be working.
  std::string addWorkingDays(std::string_view isoDay, int n) const;
  // Working days in (from, to]: the count addWorkingDays would need to reach `to`; negative when to < from.
  std::int64_t workingDaysBetween(std::string_view from, std::string_view to) const;

 private:
  bool workingOn(std::int64_t days) const;
  std::set<int> years_;
  std::map<std::int64_t, std::string> holidays_;  // days since epoch → name
  std::map<std::int64_t, std::string> workdays_;
};

// The calendar compiled in from cn_calendar.tsv (built once).
const WorkCalendar& embeddedWorkCalendar();
// The years of the embedded data, each in day order.
std::vector<CalendarYear> embeddedCalendarYears();

// A deadline's length as a rule states it.
enum class DayUnit { CalendarDays, WorkingDays, Months };
std::optional<DayUnit> dayUnitFromKey(std::string_view key);  // "calendar_days", "working_days", "months"
const char* dayUnitKey(DayUnit u);
const char* dayUnitLabel(DayUnit u);  // "自然日", "工作日", "个月"

struct DayCount {
  int amount = 0;
  DayUnit unit = DayUnit::CalendarDays;
  bool operator==(const DayCount&) const = default;
};
// "7个工作日", "3日" (calendar days), "1个月".
std::string describeDayCount(const DayCount& c);

// The day a count ends when it starts on `from`: calendar days and months from the day itself (months keep the
// day of the month, clamped to the month's end: 01-31 + 1 month = 02-28), working days the n-th working day after.
std::string dueDay(const WorkCalendar& cal, std::string_view from, const DayCount& count);
// Calendar months added to an ISO day, clamped to the month's end.
std::string addMonths(std::string_view isoDay, int months);

// Parses "YYYY-MM-DD" strictly (a real date); nullopt otherwise.
std::optional<std::int64_t> parseIsoDay(std::string_view isoDay);
std::string isoDayOf(std::int64_t daysSinceEpoch);

}  // namespace steward::core
