#include "core/bulletin.h"

#include <algorithm>

namespace steward::core::bulletin {

std::int64_t demerits(const NamedFigures& f) {
  const auto notStarted = std::max<std::int64_t>(0, f.due_to_start - f.started);
  return 2 * f.red + f.yellow + 2 * notStarted + f.letters_overdue + f.problems_overdue;
}

Named bestAndWorst(std::vector<NamedFigures> all, std::size_t n) {
  Named out;
  std::vector<NamedFigures> bad;
  for (const auto& f : all)
    if (f.projects > 0 && demerits(f) > 0) bad.push_back(f);
  std::sort(bad.begin(), bad.end(), [](const NamedFigures& a, const NamedFigures& b) {
    const auto da = demerits(a), db = demerits(b);
    if (da != db) return da > db;
    if (a.red != b.red) return a.red > b.red;
    return a.name < b.name;
  });
  if (bad.size() > n) bad.resize(n);
  std::vector<NamedFigures> good;
  for (const auto& f : all) {
    if (f.projects == 0 || (f.investment == 0 && f.started == 0)) continue;
    const bool named = std::any_of(bad.begin(), bad.end(), [&](const NamedFigures& b) { return b.id == f.id; });
    if (!named) good.push_back(f);
  }
  std::sort(good.begin(), good.end(), [](const NamedFigures& a, const NamedFigures& b) {
    const auto da = demerits(a), db = demerits(b);
    if (da != db) return da < db;
    if (a.investment != b.investment) return a.investment > b.investment;
    if (a.started != b.started) return a.started > b.started;
    return a.name < b.name;
  });
  if (good.size() > n) good.resize(n);
  out.criticised = std::move(bad);
  out.praised = std::move(good);
  return out;
}

std::int64_t percentOf(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return 0;
  return (part * 200 + whole) / (2 * whole);
}

}  // namespace steward::core::bulletin
