#include "core/rankings.h"

#include <algorithm>
#include <cstdio>

#include "core/period.h"

namespace steward::core::rankings {

std::string hundredths(std::int64_t v) {
  const bool neg = v < 0;
  const std::int64_t a = neg ? -v : v;
  std::string frac = std::to_string(a % 100);
  if (frac.size() < 2) frac = "0" + frac;
  return (neg ? "-" : "") + std::to_string(a / 100) + "." + frac;
}

const char* measureKey(Measure m) {
  switch (m) {
    case Measure::Ratio: return "ratio";
    case Measure::Mark: return "mark";
    case Measure::Count: return "count";
  }
  return "ratio";
}

const char* curveKey(Curve c) {
  switch (c) {
    case Curve::Linear: return "linear";
    case Curve::Bands: return "bands";
    case Curve::Deduct: return "deduct";
  }
  return "linear";
}

const char* awardFigure(const std::string& key) {
  if (key == "start") return "started";
  if (key == "progress") return "progress_bp";
  if (key == "completion") return "completed";
  if (key == "service") return "service_mark";
  if (key == "land") return "land_bp";
  return "";
}

bool awardForProjects(const std::string& key) { return key == "start" || key == "progress" || key == "completion"; }

std::optional<std::int64_t> rawFigure(const Factor& f, const Figure& g) {
  if (f.measure == Measure::Ratio) {
    if (g.den <= 0) return std::nullopt;
    // In 128 bits, so a ratio of large sums of yuan cannot overflow before the division.
    const __int128 bp = static_cast<__int128>(std::max<std::int64_t>(0, g.num)) * kFull / g.den;
    return static_cast<std::int64_t>(bp);
  }
  return g.value;
}

std::int64_t factorPoints(const Factor& f, std::optional<std::int64_t> raw) {
  if (!raw) return f.missing_full ? kFull : 0;
  const std::int64_t r = *raw;
  switch (f.curve) {
    case Curve::Linear:
      if (r <= 0 || f.target <= 0) return f.target <= 0 ? kFull : 0;
      return r >= f.target ? kFull : r * kFull / f.target;
    case Curve::Bands:
      for (const auto& b : f.bands)
        if (r >= b.min) return b.points;
      return 0;
    case Curve::Deduct:
      return std::max<std::int64_t>(0, kFull - std::max<std::int64_t>(0, r) * f.per_item);
  }
  return 0;
}

namespace {

std::string rawText(const Factor& f, std::optional<std::int64_t> raw) {
  if (!raw) return "无数据";
  switch (f.measure) {
    case Measure::Ratio: return hundredths(*raw) + "%";
    case Measure::Mark: return "评分 " + hundredths(*raw);
    case Measure::Count: return std::to_string(*raw) + " 项";
  }
  return "";
}

std::string quarterText(const std::string& q) {
  // "2026-Q1" → "2026年第1季度"; anything else as given.
  if (q.size() == 7 && q[4] == '-' && q[5] == 'Q') return q.substr(0, 4) + "年第" + q.substr(6) + "季度";
  return q;
}

}  // namespace

Ranking scoreUnits(const RankingRules& rules, const std::vector<UnitInput>& units, const std::set<std::string>& chosen) {
  Ranking out;
  std::map<std::string, int> cardsBefore;
  for (const auto& u : units) cardsBefore.emplace(u.id, u.cards_before);
  for (const auto& u : units) {
    UnitScore s;
    s.id = u.id;
    s.name = u.name;
    for (const auto& f : rules.factors) {
      FactorScore fs;
      fs.key = f.key;
      fs.label = f.label;
      fs.weight = f.weight;
      auto it = u.figures.find(f.key);
      fs.raw = it == u.figures.end() ? std::nullopt : rawFigure(f, it->second);
      fs.points = factorPoints(f, fs.raw);
      fs.contribution = (fs.points * f.weight + 50) / 100;
      fs.message = f.label + " " + rawText(f, fs.raw) + "，得 " + hundredths(fs.points) + " 分 × 权重 " +
                   std::to_string(f.weight) + "% = " + hundredths(fs.contribution) + " 分";
      s.total += fs.contribution;
      s.factors.push_back(std::move(fs));
    }
    out.units.push_back(std::move(s));
  }
  // The stated order: total, then the tie-break factors' points, higher first; then id, ascending.
  auto pointsOf = [](const UnitScore& s, const std::string& key) -> std::int64_t {
    for (const auto& f : s.factors)
      if (f.key == key) return f.points;
    return 0;
  };
  std::sort(out.units.begin(), out.units.end(), [&](const UnitScore& a, const UnitScore& b) {
    if (a.total != b.total) return a.total > b.total;
    for (const auto& k : rules.tie_break) {
      const auto pa = pointsOf(a, k), pb = pointsOf(b, k);
      if (pa != pb) return pa > pb;
    }
    return a.id < b.id;
  });
  const auto n = static_cast<std::int64_t>(out.units.size());
  const std::int64_t excellentN = n * rules.grades.excellent_share / 100;
  const std::int64_t poorN = n * rules.grades.poor_share / 100;
  const std::int64_t proposeN = std::min<std::int64_t>(n, rules.yellow.propose);
  std::set<std::string> proposedIds;
  for (std::int64_t i = 0; i < n; ++i) {
    auto& s = out.units[static_cast<std::size_t>(i)];
    s.rank = static_cast<int>(i + 1);
    s.tied = (i > 0 && out.units[static_cast<std::size_t>(i - 1)].total == s.total) ||
             (i + 1 < n && out.units[static_cast<std::size_t>(i + 1)].total == s.total);
    if (rules.grades.mode == GradeMode::Thresholds)
      s.grade = s.total >= rules.grades.excellent_min ? "优" : s.total < rules.grades.poor_below ? "差" : "中";
    else
      s.grade = i < excellentN ? "优" : i >= n - poorN ? "差" : "中";
    if (rules.yellow.enabled) {
      if (rules.yellow.mode == CardMode::Line) {
        s.yellow_card = s.total < rules.yellow.line;
      } else {
        s.proposed = i >= n - proposeN;
        if (s.proposed) proposedIds.insert(s.id);
        s.yellow_card = s.proposed && chosen.count(s.id) > 0;
      }
    }
    const int inRow = s.yellow_card ? cardsBefore[s.id] + 1 : 0;
    s.summons = rules.yellow.summons_after > 0 && inRow >= rules.yellow.summons_after;
    s.message = "第" + std::to_string(s.rank) + "名，总分 " + hundredths(s.total) + " 分，等次" + s.grade;
    if (s.tied) s.message += "（与相邻单位同分，按规定次序排定）";
    if (s.yellow_card) {
      s.message += rules.yellow.mode == CardMode::Line
                       ? "；低于黄牌线 " + hundredths(rules.yellow.line) + " 分，亮黄牌"
                       : "；经指挥部从建议名单中选定，亮黄牌";
      if (inRow > 1) s.message += "（连续" + std::to_string(inRow) + "个月）";
    } else if (s.proposed) {
      s.message += "；列入黄牌建议名单，待指挥部选定";
    }
    if (s.summons) s.message += "；连续黄牌达到" + std::to_string(rules.yellow.summons_after) + "次，约谈主要负责人";
  }
  if (rules.yellow.enabled && rules.yellow.mode == CardMode::Propose)
    for (const auto& c : chosen)
      if (!proposedIds.count(c)) out.refused.push_back(c);
  return out;
}

std::vector<AwardCandidate> awardCandidates(const RankingRules& rules, const std::vector<AwardFact>& facts,
                                            const std::string& quarter) {
  std::vector<AwardCandidate> out;
  for (const auto& a : rules.awards) {
    if (!a.enabled) continue;
    const std::string figure = awardFigure(a.key);
    const bool projects = awardForProjects(a.key);
    std::vector<AwardCandidate> these;
    for (const auto& f : facts) {
      if (f.project != projects) continue;
      auto it = f.figures.find(figure);
      if (it == f.figures.end() || it->second < a.min) continue;
      these.push_back({a.key, f.id, f.name, it->second, ""});
    }
    std::sort(these.begin(), these.end(), [](const AwardCandidate& x, const AwardCandidate& y) {
      return x.figure != y.figure ? x.figure > y.figure : x.id < y.id;
    });
    if (a.max > 0 && static_cast<std::int64_t>(these.size()) > a.max) these.resize(static_cast<std::size_t>(a.max));
    for (auto& c : these) {
      std::string why;
      if (figure == "started") why = "本季度按期开工";
      else if (figure == "completed") why = "本季度竣工投产";
      else if (figure == "progress_bp") why = "季度计划完成率 " + hundredths(c.figure) + "%";
      else if (figure == "land_bp") why = "征地拆迁任务完成率 " + hundredths(c.figure) + "%";
      else why = "服务评分 " + hundredths(c.figure);
      c.message = quarterText(quarter) + a.label + "候选：" + c.name + "，" + why;
      out.push_back(std::move(c));
    }
  }
  return out;
}

namespace {
std::string monthDay(const std::string& month, std::int64_t day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s-%02d", month.substr(0, 7).c_str(), static_cast<int>(day));
  return buf;
}
std::string followingMonth(const std::string& month) {
  int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2));
  if (++m > 12) m = 1, ++y;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return buf;
}
// Day `day` of `month`, or its last day when the month is shorter; 0: its last Monday-to-Friday day.
std::string dayIn(const std::string& month, std::int64_t day) {
  const auto last = addDays(followingMonth(month) + "-01", -1);
  if (day <= 0) {
    auto d = last;
    // 2024-01-01 was a Monday.
    while (((daysBetween("2024-01-01", d) % 7) + 7) % 7 >= 5) d = addDays(d, -1);
    return d;
  }
  const auto d = monthDay(month, std::min<std::int64_t>(day, 31));
  return d > last ? last : d;
}
}  // namespace

std::array<std::string, 5> ledgerDues(const LedgerRule& r, const std::string& month) {
  return {dayIn(month, r.set_up_day), dayIn(month, r.sort_day), dayIn(month, r.reconcile_day),
          dayIn(month, r.hand_in_day), dayIn(followingMonth(month), r.settle_day)};
}

}  // namespace steward::core::rankings
