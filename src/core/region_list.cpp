#include "core/region_list.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/embedded_data.h"

namespace steward::core {
namespace {

struct RegionList {
  std::vector<Division> all;                      // in code order
  std::vector<std::vector<std::uint32_t>> below;  // indexes of each division's children, in code order
  std::vector<std::uint32_t> provinces;
};

bool parseLevel(std::string_view s, DivisionLevel& out) {
  static constexpr std::array<std::pair<std::string_view, DivisionLevel>, 4> kLevels{{
      {"province", DivisionLevel::Province},
      {"city", DivisionLevel::City},
      {"county", DivisionLevel::County},
      {"township", DivisionLevel::Township},
  }};
  for (const auto& [name, level] : kLevels)
    if (s == name) {
      out = level;
      return true;
    }
  return false;
}

std::int64_t find(const RegionList& l, std::string_view code) {
  auto it = std::lower_bound(l.all.begin(), l.all.end(), code,
                             [](const Division& d, std::string_view c) { return d.code < c; });
  return it != l.all.end() && it->code == code ? it - l.all.begin() : -1;
}

// Reads the embedded text in place: every string_view points into the binary's own copy of the file.
RegionList parse() {
  RegionList l;
  auto text = embeddedData("regions.tsv");
  l.all.reserve(std::count(text.begin(), text.end(), '\n'));
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    std::array<std::string_view, 4> f;
    std::size_t n = 0;
    while (n < f.size()) {
      auto tab = line.find('\t');
      f[n++] = line.substr(0, tab);
      if (tab == std::string_view::npos) break;
      line = line.substr(tab + 1);
    }
    Division d{f[0], f[2], DivisionLevel::County, f[3]};
    if (n < 3 || d.code.empty() || !parseLevel(f[1], d.level)) continue;  // the generator writes none of these
    l.all.push_back(d);
  }
  std::sort(l.all.begin(), l.all.end(), [](const Division& a, const Division& b) { return a.code < b.code; });
  l.below.resize(l.all.size());
  for (std::uint32_t i = 0; i < l.all.size(); ++i) {
    if (l.all[i].parent.empty()) {
      l.provinces.push_back(i);
    } else if (auto p = find(l, l.all[i].parent); p >= 0) {
      l.below[p].push_back(i);
    }
  }
  return l;
}

const RegionList& regionList() {
  static const RegionList list = parse();
  return list;
}

}  // namespace

std::string_view divisionLevelName(DivisionLevel level) {
  switch (level) {
    case DivisionLevel::Province:
      return "province";
    case DivisionLevel::City:
      return "city";
    case DivisionLevel::County:
      return "county";
    case DivisionLevel::Township:
      return "township";
  }
  return "";
}

const Division* findDivision(std::string_view code) {
  const auto& l = regionList();
  auto i = find(l, code);
  return i < 0 ? nullptr : &l.all[i];
}

std::vector<const Division*> divisionChain(std::string_view code) {
  std::vector<const Division*> out;
  for (const Division* d = findDivision(code); d && out.size() < 4; d = d->parent.empty() ? nullptr : findDivision(d->parent))
    out.push_back(d);
  return out;
}

std::vector<const Division*> divisionChildren(std::string_view code) {
  const auto& l = regionList();
  std::vector<const Division*> out;
  if (code.empty()) {
    for (auto i : l.provinces) out.push_back(&l.all[i]);
    return out;
  }
  auto i = find(l, code);
  if (i < 0) return out;
  for (auto c : l.below[i]) out.push_back(&l.all[c]);
  return out;
}

bool isParkName(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kParkWords{
      "开发区", "园区", "工业园", "产业园", "工业区", "产业区", "高新区", "高新技术", "示范区", "试验区", "保税", "管委会"};
  return std::any_of(kParkWords.begin(), kParkWords.end(),
                     [&](std::string_view w) { return name.find(w) != std::string_view::npos; });
}

std::vector<Township> townshipsOf(std::string_view countyCode) {
  std::vector<Township> out;
  const auto* d = findDivision(countyCode);
  if (!d || d->level == DivisionLevel::Township || d->level == DivisionLevel::Province) return out;
  for (const auto* c : divisionChildren(countyCode))
    if (c->level == DivisionLevel::Township) out.push_back({c->code, c->name, isParkName(c->name)});
  return out;
}

std::size_t divisionCount(DivisionLevel level) {
  const auto& l = regionList();
  return static_cast<std::size_t>(
      std::count_if(l.all.begin(), l.all.end(), [&](const Division& d) { return d.level == level; }));
}

}  // namespace steward::core
