// Reporting periods: the cadence of the dispatch machine (daily, weekly, ten-day 旬, monthly, quarterly,
// yearly) as pure calendar arithmetic on ISO days. "Half the time, half the task" (时间过半、任务过半) compares
// an investment completion rate with elapsedShare().
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace steward::core {

enum class Cadence { Day, Week, TenDay, Month, Quarter, Year };

std::optional<Cadence> cadenceFromKey(std::string_view key);  // "day", "week", "ten_day", "month", "quarter", "year"
const char* cadenceKey(Cadence c);

struct Period {
  Cadence cadence;
  std::string start;  // first day, ISO
  std::string end;    // last day, ISO (inclusive)
  std::string key;    // stable id: 2026-11-23, 2026-W48, 2026-11-3 (下旬), 2026-11, 2026-Q4, 2026
  std::string label;  // Chinese: 2026年11月23日, 2026年第48周, 2026年11月下旬, 2026年11月, 2026年第四季度, 2026年
};

// The period of a cadence containing an ISO day (weeks are ISO weeks, Monday first). Throws
// std::invalid_argument on a malformed day.
Period periodOf(Cadence c, std::string_view isoDay);
Period nextPeriod(const Period& p);
// An ISO day as official documents write it: "2026年3月9日". Throws std::invalid_argument on a malformed day.
std::string chineseDay(std::string_view isoDay);
Period previousPeriod(const Period& p);
// Whole days from a to b (b - a).
std::int64_t daysBetween(std::string_view a, std::string_view b);
std::string addDays(std::string_view isoDay, std::int64_t n);
// Share of the period elapsed at the end of `isoDay`, in basis points (0..10000): integer, no floating point.
int elapsedShareBp(const Period& p, std::string_view isoDay);

}  // namespace steward::core
