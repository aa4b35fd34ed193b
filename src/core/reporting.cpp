#include "core/reporting.h"

#include <cstdio>
#include <stdexcept>

#include "core/validate.h"

namespace steward::core {
namespace {

constexpr std::int64_t kCountyOffsetSeconds = 8 * 3600;  // Asia/Shanghai: UTC+8, no daylight saving

bool digits(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s)
    if (ch < '0' || ch > '9') return false;
  return true;
}

std::int64_t dayNumber(std::string_view iso) {
  return daysFromCivil(std::stoi(std::string(iso.substr(0, 4))), unsigned(std::stoi(std::string(iso.substr(5, 2)))),
                       unsigned(std::stoi(std::string(iso.substr(8, 2)))));
}

std::string isoOf(std::int64_t z) {
  int y;
  unsigned m, d;
  civilFromDays(z, y, m, d);
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02u-%02u", y, m, d);
  return b;
}

// The period `c` of `day` when its key is `key`: the round trip rejects what only looks like a key.
std::optional<Period> roundTrip(Cadence c, const std::string& day, std::string_view key) {
  if (!isIsoDate(day)) return std::nullopt;
  auto p = periodOf(c, day);
  if (p.key != key) return std::nullopt;
  return p;
}

}  // namespace

bool isReportCadence(Cadence c) {
  return c == Cadence::Day || c == Cadence::Week || c == Cadence::TenDay || c == Cadence::Month;
}

int maxDeadlineDays(Cadence c) {
  switch (c) {
    case Cadence::Day: return 0;
    case Cadence::Week: return 6;
    case Cadence::TenDay: return 7;
    default: return 27;
  }
}

Cadence cadenceOfStage(const CadenceRules& r, std::string_view stage) {
  auto it = r.by_stage.find(std::string(stage));
  return it == r.by_stage.end() ? r.fallback : it->second;
}

ReportDeadline deadlineRuleOf(const CadenceRules& r, Cadence c) {
  auto it = r.deadlines.find(c);
  return it == r.deadlines.end() ? ReportDeadline{} : it->second;
}

TimePoint deadlineOf(const Period& p, const ReportDeadline& d) {
  const auto day = dayNumber(p.end) + d.after_end_days;
  const std::int64_t seconds = day * 86400 + std::int64_t(d.minute) * 60 - kCountyOffsetSeconds;
  return TimePoint(std::chrono::seconds(seconds));
}

Period reportingPeriod(Cadence c, const ReportDeadline& d, std::string_view isoDay) {
  auto cur = periodOf(c, isoDay);
  auto prev = previousPeriod(cur);
  if (dayNumber(prev.end) + d.after_end_days >= dayNumber(isoDay)) return prev;
  return cur;
}

PeriodState periodStateAt(const Period& p, const ReportDeadline& d, TimePoint now) {
  const auto today = localDay(now);
  if (today < p.start) return PeriodState::Future;
  if (now > deadlineOf(p, d)) return PeriodState::Overdue;
  if (today >= p.end) return PeriodState::Due;
  return PeriodState::Open;
}

const char* periodStateKey(PeriodState s) {
  switch (s) {
    case PeriodState::Future: return "future";
    case PeriodState::Open: return "open";
    case PeriodState::Due: return "due";
    case PeriodState::Overdue: return "overdue";
  }
  return "";
}

std::optional<Period> periodFromKey(std::string_view key) {
  if (key.size() < 7 || key.size() > 10 || !digits(key.substr(0, 4)) || key[4] != '-') return std::nullopt;
  const std::string k(key);
  try {
    if (key.size() == 10) return roundTrip(Cadence::Day, k, key);
    if (key.size() == 8 && key[5] == 'W' && digits(key.substr(6))) {
      // ISO week 1 holds 4 January; its Monday starts the count.
      const int year = std::stoi(k.substr(0, 4));
      const int week = std::stoi(k.substr(6));
      if (week < 1 || week > 53) return std::nullopt;
      const auto jan4 = daysFromCivil(year, 1, 4);
      const auto weekday = ((jan4 % 7) + 7 + 3) % 7;  // Monday = 0
      return roundTrip(Cadence::Week, isoOf(jan4 - weekday + (week - 1) * 7), key);
    }
    if (key.size() == 9 && digits(key.substr(5, 2)) && key[7] == '-' && key[8] >= '1' && key[8] <= '3')
      return roundTrip(Cadence::TenDay, k.substr(0, 8) + std::to_string((key[8] - '1') * 10 + 1 + 100).substr(1),
                       key);
    if (key.size() == 7 && digits(key.substr(5, 2))) return roundTrip(Cadence::Month, k + "-01", key);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::int64_t> runningTotals(const std::vector<std::int64_t>& amounts) {
  std::vector<std::int64_t> out;
  out.reserve(amounts.size());
  std::int64_t sum = 0;
  for (auto a : amounts) out.push_back(sum += a);
  return out;
}

bool exceedsTotalInvestment(std::int64_t othersSum, std::int64_t amount, std::int64_t totalInvestment) {
  // Amounts are capped at 10^15 each, so the sum of two cannot overflow.
  return othersSum + amount > totalInvestment;
}

bool reportedRunsAhead(std::int64_t reported, std::int64_t registered, int gapBp) {
  if (reported <= registered) return false;
  const __int128 ahead = static_cast<__int128>(reported) - registered;
  return ahead * 10000 > static_cast<__int128>(gapBp) * reported;
}

bool canReportProgress(const Actor& a, std::string_view projectRegion, std::optional<std::int64_t> projectUnit,
                       std::optional<std::int64_t> projectLiaison) {
  if (!canWrite(a, WriteKind::Business, projectRegion)) return false;
  if (a.has("admin") || a.has("hq")) return true;
  if (projectLiaison && *projectLiaison == a.user_id) return true;
  return a.has("unit") && a.org_unit_id && projectUnit && *a.org_unit_id == *projectUnit;
}

bool canSuperviseReports(const Actor& a, std::string_view region) {
  return (a.has("admin") || a.has("hq")) && canWrite(a, WriteKind::Business, region);
}

}  // namespace steward::core
