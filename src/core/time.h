// Time as the domain sees it: UTC timestamps as ISO strings; the county's local day (Asia/Shanghai, UTC+8)
// decides "today". Pure functions; the clock itself is injected by the service layer.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace steward::core {

using TimePoint = std::chrono::system_clock::time_point;

// The only place the wall clock is read; services take a Clock so tests can inject "now".
TimePoint systemNow();
// "2026-11-23T10:00:00Z"
std::string formatTimestamp(TimePoint t);
// Parses formatTimestamp's output; returns false on anything else.
bool parseTimestamp(const std::string& s, TimePoint& out);
// The county's calendar day (UTC+8) of a moment, as "YYYY-MM-DD".
std::string localDay(TimePoint t);

// Days since 1970-01-01 for an ISO date (no validation beyond the shape), and back.
std::int64_t daysFromCivil(int y, unsigned m, unsigned d);
void civilFromDays(std::int64_t z, int& y, unsigned& m, unsigned& d);

}  // namespace steward::core
