#include "core/period.h"

#include <array>
#include <cstdio>
#include <stdexcept>

#include "core/time.h"
#include "core/validate.h"

namespace steward::core {
namespace {

struct Ymd {
  int y;
  unsigned m, d;
};

Ymd parse(std::string_view s) {
  if (!isIsoDate(s)) throw std::invalid_argument("not an ISO day: " + std::string(s));
  return {std::stoi(std::string(s.substr(0, 4))), unsigned(std::stoi(std::string(s.substr(5, 2)))),
          unsigned(std::stoi(std::string(s.substr(8, 2))))};
}

std::string iso(int y, unsigned m, unsigned d) {
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02u-%02u", y, m, d);
  return b;
}

std::string isoFromDays(std::int64_t z) {
  int y;
  unsigned m, d;
  civilFromDays(z, y, m, d);
  return iso(y, m, d);
}

std::int64_t days(std::string_view s) {
  auto t = parse(s);
  return daysFromCivil(t.y, t.m, t.d);
}

unsigned lastDayOfMonth(int y, unsigned m) {
  return static_cast<unsigned>(daysFromCivil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1));
}

const std::array<const char*, 4> kQuarterNames = {"一", "二", "三", "四"};
const std::array<const char*, 3> kTenDayNames = {"上旬", "中旬", "下旬"};

}  // namespace

std::optional<Cadence> cadenceFromKey(std::string_view k) {
  if (k == "day") return Cadence::Day;
  if (k == "week") return Cadence::Week;
  if (k == "ten_day") return Cadence::TenDay;
  if (k == "month") return Cadence::Month;
  if (k == "quarter") return Cadence::Quarter;
  if (k == "year") return Cadence::Year;
  return std::nullopt;
}

const char* cadenceKey(Cadence c) {
  switch (c) {
    case Cadence::Day: return "day";
    case Cadence::Week: return "week";
    case Cadence::TenDay: return "ten_day";
    case Cadence::Month: return "month";
    case Cadence::Quarter: return "quarter";
    case Cadence::Year: return "year";
  }
  return "";
}

Period periodOf(Cadence c, std::string_view isoDay) {
  const auto t = parse(isoDay);
  Period p{c, "", "", "", ""};
  char key[32], label[64];
  switch (c) {
    case Cadence::Day:
      p.start = p.end = p.key = std::string(isoDay);
      std::snprintf(label, sizeof label, "%d年%u月%u日", t.y, t.m, t.d);
      p.label = label;
      return p;
    case Cadence::Week: {
      // ISO 8601: weeks start on Monday; week 1 holds the year's first Thursday.
      const auto z = daysFromCivil(t.y, t.m, t.d);
      const auto weekday = ((z % 7) + 7 + 3) % 7;  // 1970-01-01 was a Thursday: Monday = 0
      const auto monday = z - weekday;
      int ty;
      unsigned tm, td;
      civilFromDays(monday + 3, ty, tm, td);  // the Thursday decides the week's year
      const auto week = (monday + 3 - daysFromCivil(ty, 1, 1)) / 7 + 1;
      p.start = isoFromDays(monday);
      p.end = isoFromDays(monday + 6);
      std::snprintf(key, sizeof key, "%d-W%02lld", ty, (long long)week);
      std::snprintf(label, sizeof label, "%d年第%lld周", ty, (long long)week);
      break;
    }
    case Cadence::TenDay: {
      // 上旬 1–10, 中旬 11–20, 下旬 21 to the month's end.
      const unsigned part = t.d <= 10 ? 0 : t.d <= 20 ? 1 : 2;
      p.start = iso(t.y, t.m, part * 10 + 1);
      p.end = iso(t.y, t.m, part == 2 ? lastDayOfMonth(t.y, t.m) : part * 10 + 10);
      std::snprintf(key, sizeof key, "%04d-%02u-%u", t.y, t.m, part + 1);
      std::snprintf(label, sizeof label, "%d年%u月%s", t.y, t.m, kTenDayNames[part]);
      break;
    }
    case Cadence::Month:
      p.start = iso(t.y, t.m, 1);
      p.end = iso(t.y, t.m, lastDayOfMonth(t.y, t.m));
      std::snprintf(key, sizeof key, "%04d-%02u", t.y, t.m);
      std::snprintf(label, sizeof label, "%d年%u月", t.y, t.m);
      break;
    case Cadence::Quarter: {
      const unsigned q = (t.m - 1) / 3;
      p.start = iso(t.y, q * 3 + 1, 1);
      p.end = iso(t.y, q * 3 + 3, lastDayOfMonth(t.y, q * 3 + 3));
      std::snprintf(key, sizeof key, "%04d-Q%u", t.y, q + 1);
      std::snprintf(label, sizeof label, "%d年第%s季度", t.y, kQuarterNames[q]);
      break;
    }
    case Cadence::Year:
      p.start = iso(t.y, 1, 1);
      p.end = iso(t.y, 12, 31);
      std::snprintf(key, sizeof key, "%04d", t.y);
      std::snprintf(label, sizeof label, "%d年", t.y);
      break;
  }
  p.key = key;
  p.label = label;
  return p;
}

Period nextPeriod(const Period& p) { return periodOf(p.cadence, addDays(p.end, 1)); }
Period previousPeriod(const Period& p) { return periodOf(p.cadence, addDays(p.start, -1)); }

std::int64_t daysBetween(std::string_view a, std::string_view b) { return days(b) - days(a); }
std::string addDays(std::string_view isoDay, std::int64_t n) { return isoFromDays(days(isoDay) + n); }

int elapsedShareBp(const Period& p, std::string_view isoDay) {
  const auto total = daysBetween(p.start, p.end) + 1;
  auto done = daysBetween(p.start, isoDay) + 1;
  if (done < 0) done = 0;
  if (done > total) done = total;
  return static_cast<int>(done * 10000 / total);
}

std::string chineseDay(std::string_view isoDay) { return periodOf(Cadence::Day, isoDay).label; }

}  // namespace steward::core
