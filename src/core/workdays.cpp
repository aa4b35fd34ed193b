#include "core/workdays.h"

#include <cstdio>
#include <stdexcept>

#include "core/embedded_data.h"
#include "core/time.h"
#include "core/validate.h"

namespace steward::core {

std::optional<std::int64_t> parseIsoDay(std::string_view s) {
  if (!isIsoDate(s)) return std::nullopt;
  const int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  const unsigned m = static_cast<unsigned>((s[5] - '0') * 10 + (s[6] - '0'));
  const unsigned d = static_cast<unsigned>((s[8] - '0') * 10 + (s[9] - '0'));
  return daysFromCivil(y, m, d);
}

std::string isoDayOf(std::int64_t z) {
  int y;
  unsigned m, d;
  civilFromDays(z, y, m, d);
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02u-%02u", y, m, d);
  return b;
}

namespace {

std::int64_t need(std::string_view s) {
  auto d = parseIsoDay(s);
  if (!d) throw std::invalid_argument("not an ISO day: " + std::string(s));
  return *d;
}

int yearOfDays(std::int64_t z) {
  int y;
  unsigned m, d;
  civilFromDays(z, y, m, d);
  return y;
}

// 1970-01-01 was a Thursday; 0 = Monday … 6 = Sunday.
int weekday(std::int64_t z) { return static_cast<int>(((z % 7) + 7 + 3) % 7); }

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned monthDays(int y, unsigned m) {
  static const unsigned n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : n[m - 1];
}

}  // namespace

void WorkCalendar::setYear(const CalendarYear& y) {
  const auto lo = daysFromCivil(y.year, 1, 1), hi = daysFromCivil(y.year, 12, 31);
  holidays_.erase(holidays_.lower_bound(lo), holidays_.upper_bound(hi));
  workdays_.erase(workdays_.lower_bound(lo), workdays_.upper_bound(hi));
  for (const auto& d : y.holidays) holidays_[need(d.day)] = d.name;
  for (const auto& d : y.workdays) workdays_[need(d.day)] = d.name;
  years_.insert(y.year);
}

bool WorkCalendar::isCovered(std::string_view isoDay) const { return isCovered(yearOfDays(need(isoDay))); }

std::optional<CalendarYear> WorkCalendar::year(int y) const {
  if (!isCovered(y)) return std::nullopt;
  CalendarYear out;
  out.year = y;
  const auto lo = daysFromCivil(y, 1, 1), hi = daysFromCivil(y, 12, 31);
  for (auto it = holidays_.lower_bound(lo); it != holidays_.end() && it->first <= hi; ++it)
    out.holidays.push_back({isoDayOf(it->first), it->second});
  for (auto it = workdays_.lower_bound(lo); it != workdays_.end() && it->first <= hi; ++it)
    out.workdays.push_back({isoDayOf(it->first), it->second});
  return out;
}

bool WorkCalendar::workingOn(std::int64_t z) const {
  if (holidays_.count(z)) return false;
  if (workdays_.count(z)) return true;
  return weekday(z) < 5;
}

bool WorkCalendar::isWorkingDay(std::string_view isoDay) const { return workingOn(need(isoDay)); }

std::string WorkCalendar::dayName(std::string_view isoDay) const {
  const auto z = need(isoDay);
  if (auto it = holidays_.find(z); it != holidays_.end()) return it->second;
  if (auto it = workdays_.find(z); it != workdays_.end()) return it->second;
  return "";
}

std::string WorkCalendar::addWorkingDays(std::string_view isoDay, int n) const {
  auto z = need(isoDay);
  if (n < 0) throw std::invalid_argument("negative working days");
  while (n > 0) {
    ++z;
    if (workingOn(z)) --n;
  }
  return isoDayOf(z);
}

std::int64_t WorkCalendar::workingDaysBetween(std::string_view from, std::string_view to) const {
  auto a = need(from), b = need(to);
  const bool neg = b < a;
  if (neg) std::swap(a, b);
  std::int64_t n = 0;
  for (auto z = a + 1; z <= b; ++z)
    if (workingOn(z)) ++n;
  return neg ? -n : n;
}

std::vector<CalendarYear> embeddedCalendarYears() {
  std::map<int, CalendarYear> years;
  for (const auto& r : embeddedRecords("cn_calendar.tsv")) {
    if (r.size() < 3) continue;
    const std::string day(r[0]);
    const auto z = parseIsoDay(day);
    if (!z) continue;
    auto& y = years[yearOfDays(*z)];
    y.year = yearOfDays(*z);
    (r[1] == "workday" ? y.workdays : y.holidays).push_back({day, std::string(r[2])});
  }
  std::vector<CalendarYear> out;
  for (auto& [k, y] : years) out.push_back(std::move(y));
  return out;
}

const WorkCalendar& embeddedWorkCalendar() {
  static const WorkCalendar cal = [] {
    WorkCalendar c;
    for (const auto& y : embeddedCalendarYears()) c.setYear(y);
    return c;
  }();
  return cal;
}

std::optional<DayUnit> dayUnitFromKey(std::string_view k) {
  if (k == "calendar_days") return DayUnit::CalendarDays;
  if (k == "working_days") return DayUnit::WorkingDays;
  if (k == "months") return DayUnit::Months;
  return std::nullopt;
}
const char* dayUnitKey(DayUnit u) {
  switch (u) {
    case DayUnit::CalendarDays: return "calendar_days";
    case DayUnit::WorkingDays: return "working_days";
    case DayUnit::Months: return "months";
  }
  return "";
}
const char* dayUnitLabel(DayUnit u) {
  switch (u) {
    case DayUnit::CalendarDays: return "日";
    case DayUnit::WorkingDays: return "个工作日";
    case DayUnit::Months: return "个月";
  }
  return "";
}
std::string describeDayCount(const DayCount& c) { return std::to_string(c.amount) + dayUnitLabel(c.unit); }

std::string addMonths(std::string_view isoDay, int months) {
  int y;
  unsigned m, d;
  civilFromDays(need(isoDay), y, m, d);
  const int total = y * 12 + static_cast<int>(m) - 1 + months;
  const int ny = total / 12;
  const unsigned nm = static_cast<unsigned>(total % 12) + 1;
  const unsigned nd = std::min(d, monthDays(ny, nm));
  return isoDayOf(daysFromCivil(ny, nm, nd));
}

std::string dueDay(const WorkCalendar& cal, std::string_view from, const DayCount& c) {
  switch (c.unit) {
    case DayUnit::CalendarDays: return isoDayOf(need(from) + c.amount);
    case DayUnit::WorkingDays: return cal.addWorkingDays(from, c.amount);
    case DayUnit::Months: return addMonths(from, c.amount);
  }
  return std::string(from);
}

}  // namespace steward::core
