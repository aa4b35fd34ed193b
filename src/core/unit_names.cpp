#include "core/unit_names.h"

#include <algorithm>
#include <map>

#include "core/embedded_data.h"

namespace steward::core {

namespace {

struct KindRule {
  bool suffix;  // else contains
  std::string pattern, kind;
};

const std::vector<KindRule>& kindRules() {
  static const auto rules = [] {
    std::vector<KindRule> out;
    for (const auto& r : embeddedRecords("unit_kinds.tsv"))
      if (r.size() >= 3) out.push_back({r[0] == "suffix", std::string(r[1]), std::string(r[2])});
    return out;
  }();
  return rules;
}

struct AliasTable {
  std::map<std::string, std::string> full;  // short form → full form
  std::vector<std::string> drops;           // trailing words that do not change the unit
};

const AliasTable& aliases() {
  static const auto table = [] {
    AliasTable t;
    for (const auto& r : embeddedRecords("unit_aliases.tsv")) {
      if (r.size() >= 3 && r[0] == "alias") t.full.emplace(std::string(r[1]), std::string(r[2]));
      else if (r.size() >= 2 && r[0] == "drop") t.drops.emplace_back(r[1]);
    }
    return t;
  }();
  return table;
}

// Whitespace and punctuation that people put into names in both scripts; they never tell two units apart.
constexpr std::string_view kIgnored[] = {" ",  "\t", "\u3000", "(",  ")",  "（", "）", "·", "•", "、", ",", "，",
                                         ".",  "。", "-",      "—",  "_",  "[",  "]",  "【", "】", "《", "》", "\"",
                                         "“", "”", "'",      "‘", "’", "/",  "\\", ":",  "：", ";",  "；"};

void eraseAll(std::string& s, std::string_view what) {
  if (what.empty()) return;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p)) s.erase(p, what.size());
}

}  // namespace

std::string inferUnitKind(std::string_view name) {
  for (const auto& r : kindRules()) {
    const bool hit = r.suffix ? name.ends_with(r.pattern) : name.find(r.pattern) != std::string_view::npos;
    if (hit) return r.kind;
  }
  return "";
}

std::string unitNameKey(std::string_view name, std::string_view countyName) {
  std::string s(name);
  for (auto w : kIgnored) eraseAll(s, w);
  if (!countyName.empty()) {
    // 衡东县 and 衡东, wherever they stand (市生态环境局衡东分局).
    std::string county(countyName);
    eraseAll(s, county);
    for (std::string_view suffix : {"县", "市", "区", "自治县", "旗"})
      if (county.size() > suffix.size() && county.ends_with(suffix))
        eraseAll(s, county.substr(0, county.size() - suffix.size()));
  }
  if (s.starts_with("县")) s.erase(0, std::string_view("县").size());
  const auto& t = aliases();
  for (const auto& d : t.drops)
    if (s.size() > d.size() && s.ends_with(d)) s.erase(s.size() - d.size());
  if (auto it = t.full.find(s); it != t.full.end()) s = it->second;
  return s;
}

std::vector<NearDuplicate> findNearDuplicates(const std::vector<std::string>& newNames,
                                              const std::vector<std::string>& existing, std::string_view countyName) {
  std::multimap<std::string, std::string> existingByKey;
  for (const auto& e : existing) existingByKey.emplace(unitNameKey(e, countyName), e);
  std::vector<NearDuplicate> out;
  std::vector<std::string> keys;
  for (const auto& n : newNames) keys.push_back(unitNameKey(n, countyName));
  for (std::size_t i = 0; i < newNames.size(); ++i) {
    if (keys[i].empty()) continue;
    auto [lo, hi] = existingByKey.equal_range(keys[i]);
    for (auto it = lo; it != hi; ++it)
      if (it->second != newNames[i]) out.push_back({newNames[i], it->second, true});
    for (std::size_t j = 0; j < i; ++j)
      if (keys[j] == keys[i] && newNames[j] != newNames[i]) out.push_back({newNames[i], newNames[j], false});
  }
  return out;
}

}  // namespace steward::core
