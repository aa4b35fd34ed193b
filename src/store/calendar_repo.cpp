#include "store/calendar_repo.h"

#include <map>

namespace steward::store {

std::vector<StoredCalendarYear> CalendarRepository::all() {
  std::map<std::int64_t, StoredCalendarYear> years;
  for (const auto& r : c_.query("SELECT year, updated_at, author FROM work_calendar_years ORDER BY year", {}).rows) {
    auto& y = years[r.i64("year")];
    y.year.year = static_cast<int>(r.i64("year"));
    y.updated_at = r.str("updated_at");
    y.author = r.str("author");
  }
  for (const auto& r : c_.query("SELECT year, day, kind, name FROM work_calendar ORDER BY day", {}).rows) {
    auto it = years.find(r.i64("year"));
    if (it == years.end()) continue;
    (r.str("kind") == "workday" ? it->second.year.workdays : it->second.year.holidays)
        .push_back({r.str("day"), r.str("name")});
  }
  std::vector<StoredCalendarYear> out;
  for (auto& [k, y] : years) out.push_back(std::move(y));
  return out;
}

std::string CalendarRepository::stamp() {
  auto r = c_.query("SELECT COUNT(*), COALESCE(SUM(revision), 0), COALESCE(MAX(updated_at), '') FROM work_calendar_years",
                    {}).one();
  return std::to_string(r.i64(0)) + ":" + std::to_string(r.i64(1)) + ":" + r.str(2);
}

void CalendarRepository::replaceYear(const core::CalendarYear& y, const std::string& updatedAt,
                                     const std::string& author) {
  const std::int64_t year = y.year;
  std::int64_t revision = 1;
  for (auto& r : c_.query("SELECT revision FROM work_calendar_years WHERE year = ?", {year}).rows) revision = r.i64(0) + 1;
  c_.exec("DELETE FROM work_calendar WHERE year = ?", {year});
  c_.exec("DELETE FROM work_calendar_years WHERE year = ?", {year});
  c_.exec("INSERT INTO work_calendar_years (year, updated_at, author, revision) VALUES (?, ?, ?, ?)",
          {year, updatedAt, author, revision});
  for (const auto& d : y.holidays)
    c_.exec("INSERT INTO work_calendar (day, year, kind, name) VALUES (?, ?, 'holiday', ?)", {d.day, year, d.name});
  for (const auto& d : y.workdays)
    c_.exec("INSERT INTO work_calendar (day, year, kind, name) VALUES (?, ?, 'workday', ?)", {d.day, year, d.name});
}

}  // namespace steward::store
