#include "core/lights.h"

#include <algorithm>
#include <cstdio>

#include "core/time.h"

namespace steward::core::lights {

namespace {

struct Ymd {
  int y = 0;
  unsigned m = 0, d = 0;
};

// ISO day → its parts; false unless "YYYY-MM-DD".
bool parseDay(std::string_view s, Ymd& out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  out.y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  out.m = unsigned((s[5] - '0') * 10 + (s[6] - '0'));
  out.d = unsigned((s[8] - '0') * 10 + (s[9] - '0'));
  return out.m >= 1 && out.m <= 12 && out.d >= 1 && out.d <= 31;
}

unsigned daysInMonth(int y, unsigned m) {
  static const unsigned n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return n[m - 1];
}

std::string format(const Ymd& v) {
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02u-%02u", v.y, v.m, v.d);
  return b;
}

std::int64_t dayNumber(std::string_view s) {
  Ymd v;
  if (!parseDay(s, v)) return 0;
  return daysFromCivil(v.y, v.m, v.d);
}

std::string fromDayNumber(std::int64_t n) {
  Ymd v;
  civilFromDays(n, v.y, v.m, v.d);
  return format(v);
}

std::string addDays(std::string_view s, std::int64_t n) { return fromDayNumber(dayNumber(s) + n); }

Ymd addMonths(Ymd v, int months) {
  int idx = v.y * 12 + int(v.m) - 1 + months;
  v.y = idx / 12;
  v.m = unsigned(idx % 12 + 1);
  v.d = std::min(v.d, daysInMonth(v.y, v.m));
  return v;
}

std::string endOfMonth(std::string_view s) {
  Ymd v;
  parseDay(s, v);
  v.d = daysInMonth(v.y, v.m);
  return format(v);
}

// "2023年3月"
std::string monthText(std::string_view s) {
  Ymd v;
  parseDay(s, v);
  return std::to_string(v.y) + "年" + std::to_string(v.m) + "月";
}

// "2023年3月15日"
std::string dayText(std::string_view s) {
  Ymd v;
  parseDay(s, v);
  return std::to_string(v.y) + "年" + std::to_string(v.m) + "月" + std::to_string(v.d) + "日";
}

std::string spanText(const Span& s) {
  return std::to_string(s.amount) + (s.months ? "个月" : "天");
}

// Basis points as "49.6%" (one decimal).
std::string percentText(std::int64_t bp) {
  const bool neg = bp < 0;
  if (neg) bp = -bp;
  const std::int64_t tenths = (bp + 5) / 10;
  return std::string(neg ? "-" : "") + std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
}

// A threshold pair applied to a measure: yellow at or beyond `yellow`, red strictly beyond `red`.
std::optional<Light> classify(const Threshold& t, std::int64_t value) {
  if (!t.enabled) return std::nullopt;
  if (value > t.red) return Light::Red;
  if (value >= t.yellow && value > 0) return Light::Yellow;
  return std::nullopt;
}

std::string thresholdText(const Threshold& t, Light l, const char* unit) {
  if (l == Light::Red) return "（红灯：超过" + std::to_string(t.red) + unit + "）";
  return "（黄灯：达到" + std::to_string(t.yellow) + unit + "）";
}

// Share of `part` in `whole` in basis points, without overflow.
std::int64_t shareBp(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return 0;
  return static_cast<std::int64_t>(static_cast<__int128>(part) * 10000 / whole);
}

// The plan to date: months before the day's month in full, the day's month pro rata by day (yuan).
std::int64_t plannedToDate(const std::vector<std::int64_t>& plan, const Ymd& day) {
  if (plan.empty()) return 0;
  __int128 sum = 0;
  for (unsigned m = 1; m < day.m && m <= plan.size(); ++m) sum += plan[m - 1];
  if (day.m <= plan.size()) sum += static_cast<__int128>(plan[day.m - 1]) * day.d / daysInMonth(day.y, day.m);
  return static_cast<std::int64_t>(sum);
}

bool started(const Facts& f, std::string_view day) { return !f.actual_start.empty() && f.actual_start <= day; }

void startSlip(const LightRules& r, const Facts& f, std::string_view day, std::vector<Reason>& out) {
  const auto& rule = r.start_slip;
  if (!rule.enabled || f.planned_start.empty() || started(f, day)) return;
  Ymd ps, d;
  if (!parseDay(f.planned_start, ps) || !parseDay(day, d)) return;
  const std::string ref = rule.by_month ? endOfMonth(f.planned_start) : f.planned_start;
  const auto yellowFrom = addDays(addSpan(ref, rule.yellow_after), 1);
  const auto redFrom = addDays(addSpan(ref, rule.red_after), 1);
  if (day < yellowFrom && day < redFrom) return;
  const bool red = day >= redFrom;
  const auto& span = red ? rule.red_after : rule.yellow_after;
  // The measure in the unit of the rule that passed: whole months since the planned month, or days.
  std::int64_t value;
  if (span.months) value = (d.y * 12 + int(d.m)) - (ps.y * 12 + int(ps.m));
  else value = dayNumber(day) - dayNumber(ref);
  Reason reason;
  reason.dimension = Dimension::StartSlip;
  reason.light = red ? Light::Red : Light::Yellow;
  reason.rule = red ? "start_slip.red_after" : "start_slip.yellow_after";
  reason.value = value;
  reason.threshold = span.amount;
  reason.since = red ? redFrom : yellowFrom;
  const std::string planned = rule.by_month ? monthText(f.planned_start) : dayText(f.planned_start);
  reason.message = "计划" + planned + "开工，逾期" + std::to_string(value) + (span.months ? "个月" : "天") + "未开工" +
                   (red ? "（红灯：逾期超过" + spanText(rule.red_after) + "）"
                        : (rule.yellow_after.amount == 0 ? std::string("（黄灯：计划开工月已过）")
                                                         : "（黄灯：逾期超过" + spanText(rule.yellow_after) + "）"));
  out.push_back(std::move(reason));
}

void nodeSlip(const LightRules& r, const Facts& f, std::string_view day, std::vector<Reason>& out) {
  if (!r.node_slip.enabled) return;
  const std::int64_t today = dayNumber(day);
  const NodeFact* worst = nullptr;
  std::int64_t worstDays = 0;
  for (const auto& n : f.nodes) {
    if (n.planned.empty() || (!n.actual.empty() && n.actual <= day)) continue;
    const auto late = today - dayNumber(n.planned);
    if (late > worstDays) worstDays = late, worst = &n;
  }
  if (!worst) return;
  auto l = classify(r.node_slip, worstDays);
  if (!l) return;
  Reason reason;
  reason.dimension = Dimension::NodeSlip;
  reason.light = *l;
  reason.rule = *l == Light::Red ? "node_slip.red" : "node_slip.yellow";
  reason.value = worstDays;
  reason.threshold = *l == Light::Red ? r.node_slip.red : r.node_slip.yellow;
  reason.since = addDays(worst->planned, *l == Light::Red ? r.node_slip.red + 1 : std::max<std::int64_t>(r.node_slip.yellow, 1));
  reason.message = "节点“" + worst->name + "”计划" + dayText(worst->planned) + "完成，已逾期" + std::to_string(worstDays) +
                   "天" + thresholdText(r.node_slip, *l, "天");
  out.push_back(std::move(reason));
}

void investment(const LightRules& r, const Facts& f, std::string_view day, std::vector<Reason>& out) {
  if (!started(f, day)) return;  // before the start, the start slip speaks for the project
  Ymd d;
  if (!parseDay(day, d)) return;
  std::int64_t annual = f.annual_plan;
  if (annual <= 0)
    for (auto v : f.monthly_plan) annual += v;
  if (annual <= 0) return;
  const auto doneBp = shareBp(f.invested_this_year, annual);
  if (r.investment_time.enabled) {
    const auto tp = timeProgressBp(day);
    const auto behindBp = tp - doneBp;
    const auto points = behindBp / 100;
    if (auto l = classify(r.investment_time, points)) {
      Reason reason;
      reason.dimension = Dimension::InvestmentTime;
      reason.light = *l;
      reason.rule = *l == Light::Red ? "investment_time.red" : "investment_time.yellow";
      reason.value = points;
      reason.threshold = *l == Light::Red ? r.investment_time.red : r.investment_time.yellow;
      reason.message = "时序进度" + percentText(tp) + "，年度计划投资完成" + percentText(doneBp) + "，落后" +
                       percentText(behindBp).substr(0, percentText(behindBp).size() - 1) + "个百分点" +
                       thresholdText(r.investment_time, *l, "个百分点");
      out.push_back(std::move(reason));
    }
  }
  if (r.investment_plan.enabled && !f.monthly_plan.empty()) {
    const auto planBp = shareBp(plannedToDate(f.monthly_plan, d), annual);
    const auto behindBp = planBp - doneBp;
    const auto points = behindBp / 100;
    if (auto l = classify(r.investment_plan, points)) {
      Reason reason;
      reason.dimension = Dimension::InvestmentPlan;
      reason.light = *l;
      reason.rule = *l == Light::Red ? "investment_plan.red" : "investment_plan.yellow";
      reason.value = points;
      reason.threshold = *l == Light::Red ? r.investment_plan.red : r.investment_plan.yellow;
      const auto behind = percentText(behindBp);
      reason.message = "按月度计划截至当日应完成年度投资" + percentText(planBp) + "，实际完成" + percentText(doneBp) +
                       "，落后" + behind.substr(0, behind.size() - 1) + "个百分点" +
                       thresholdText(r.investment_plan, *l, "个百分点");
      out.push_back(std::move(reason));
    }
  }
}

void reports(const LightRules& r, const Facts& f, std::vector<Reason>& out) {
  auto l = classify(r.reports, f.missing_reports);
  if (!l) return;
  Reason reason;
  reason.dimension = Dimension::Reports;
  reason.light = *l;
  reason.rule = *l == Light::Red ? "reports.red" : "reports.yellow";
  reason.value = f.missing_reports;
  reason.threshold = *l == Light::Red ? r.reports.red : r.reports.yellow;
  reason.since = f.missing_since;
  reason.message = "连续" + std::to_string(f.missing_reports) + "期未按时报送进度" +
                   (f.missing_since.empty() ? std::string() : "（最早一期截止于" + dayText(f.missing_since) + "）") +
                   thresholdText(r.reports, *l, "期");
  out.push_back(std::move(reason));
}

void letters(const LightRules& r, const Facts& f, std::string_view day, std::vector<Reason>& out) {
  if (!r.letters.enabled) return;
  int overdue = 0;
  std::string since;
  auto note = [&](const std::string& due) {
    ++overdue;
    auto s = addDays(due, 1);
    if (since.empty() || s < since) since = s;
  };
  for (const auto& l : f.letters) {
    if (l.status == "draft" || l.status == "closed") continue;
    if (!l.sign_due.empty() && l.signed_on.empty() && l.sign_due < day) note(l.sign_due);
    if (!l.answer_due.empty() && l.answered_on.empty() && l.answer_due < day) note(l.answer_due);
  }
  auto lt = classify(r.letters, overdue);
  if (!lt) return;
  Reason reason;
  reason.dimension = Dimension::Letters;
  reason.light = *lt;
  reason.rule = *lt == Light::Red ? "letters.red" : "letters.yellow";
  reason.value = overdue;
  reason.threshold = *lt == Light::Red ? r.letters.red : r.letters.yellow;
  reason.since = since;
  reason.message = "函件签收或答复逾期" + std::to_string(overdue) + "项" + thresholdText(r.letters, *lt, "项");
  out.push_back(std::move(reason));
}

void problems(const LightRules& r, const Facts& f, std::vector<Reason>& out) {
  auto l = classify(r.problems, f.overdue_problems);
  if (!l) return;
  Reason reason;
  reason.dimension = Dimension::Problems;
  reason.light = *l;
  reason.rule = *l == Light::Red ? "problems.red" : "problems.yellow";
  reason.value = f.overdue_problems;
  reason.threshold = *l == Light::Red ? r.problems.red : r.problems.yellow;
  reason.since = f.overdue_problems_since;
  reason.message = "问题超期未解决" + std::to_string(f.overdue_problems) + "个" + thresholdText(r.problems, *l, "个");
  out.push_back(std::move(reason));
}

bool hasLetter(const Facts& f, const std::string& kind, const std::string& key) {
  for (const auto& l : f.letters)
    if (l.kind == kind && l.trigger_key == key) return true;
  return false;
}

// An earlier letter of `kind` that is not yet closed (a draft, issued, signed or answered).
bool hasOpenLetter(const Facts& f, const std::string& kind) {
  for (const auto& l : f.letters)
    if (l.kind == kind && l.status != "closed" && l.status != "discarded") return true;
  return false;
}

// A work reminder triggered less than `days` days before `day` (its key is "yellow:<day>").
bool recentWorkReminder(const Facts& f, std::string_view day, int days) {
  for (const auto& l : f.letters) {
    if (l.kind != "work_reminder" || l.trigger_key.rfind("yellow:", 0) != 0) continue;
    const auto on = l.trigger_key.substr(7);
    if (on.size() == 10 && dayNumber(day) - dayNumber(on) < days) return true;
  }
  return false;
}

void addTrigger(std::vector<LetterTrigger>& out, const Facts& f, const LetterRule& rule, const char* kind,
                std::string key, std::string facts, std::string_view day) {
  if (!rule.enabled || hasLetter(f, kind, key)) return;
  for (const auto& t : out)
    if (t.kind == kind && t.trigger_key == key) return;
  out.push_back({kind, std::move(key), std::move(facts), rule.action, addSpan(day, rule.answer_within)});
}

std::string reasonsText(const std::vector<Reason>& reasons, bool progressOnly) {
  std::string s;
  for (const auto& r : reasons) {
    if (progressOnly && !isProgressDimension(r.dimension)) continue;
    s += (s.empty() ? "" : "；") + r.message;
  }
  return s;
}

}  // namespace

const char* lightKey(Light l) {
  switch (l) {
    case Light::Green: return "green";
    case Light::Yellow: return "yellow";
    case Light::Red: return "red";
  }
  return "green";
}

std::optional<Light> lightFromKey(std::string_view k) {
  if (k == "green") return Light::Green;
  if (k == "yellow") return Light::Yellow;
  if (k == "red") return Light::Red;
  return std::nullopt;
}

const char* lightLabel(Light l) {
  switch (l) {
    case Light::Green: return "绿灯";
    case Light::Yellow: return "黄灯";
    case Light::Red: return "红灯";
  }
  return "绿灯";
}

namespace {
constexpr Dimension kDimensions[] = {Dimension::StartSlip, Dimension::NodeSlip, Dimension::InvestmentTime,
                                     Dimension::InvestmentPlan, Dimension::Reports, Dimension::Letters,
                                     Dimension::Problems};
}

const char* dimensionKey(Dimension d) {
  switch (d) {
    case Dimension::StartSlip: return "start_slip";
    case Dimension::NodeSlip: return "node_slip";
    case Dimension::InvestmentTime: return "investment_time";
    case Dimension::InvestmentPlan: return "investment_plan";
    case Dimension::Reports: return "reports";
    case Dimension::Letters: return "letters";
    case Dimension::Problems: return "problems";
  }
  return "";
}

std::optional<Dimension> dimensionFromKey(std::string_view k) {
  for (auto d : kDimensions)
    if (k == dimensionKey(d)) return d;
  return std::nullopt;
}

const char* dimensionLabel(Dimension d) {
  switch (d) {
    case Dimension::StartSlip: return "开工滞后";
    case Dimension::NodeSlip: return "节点滞后";
    case Dimension::InvestmentTime: return "投资滞后于时序";
    case Dimension::InvestmentPlan: return "投资滞后于计划";
    case Dimension::Reports: return "报送缺报";
    case Dimension::Letters: return "函件逾期";
    case Dimension::Problems: return "问题逾期";
  }
  return "";
}

bool isProgressDimension(Dimension d) {
  return d == Dimension::StartSlip || d == Dimension::NodeSlip || d == Dimension::InvestmentTime ||
         d == Dimension::InvestmentPlan;
}

std::string addSpan(std::string_view isoDay, const Span& s) {
  if (!s.months) return addDays(isoDay, s.amount);
  Ymd v;
  if (!parseDay(isoDay, v)) return std::string(isoDay);
  return format(addMonths(v, s.amount));
}

std::string subtractSpan(std::string_view isoDay, const Span& s) {
  return addSpan(isoDay, Span{-s.amount, s.months});
}

std::int64_t timeProgressBp(std::string_view isoDay) {
  Ymd v;
  if (!parseDay(isoDay, v)) return 0;
  const auto doy = daysFromCivil(v.y, v.m, v.d) - daysFromCivil(v.y, 1, 1) + 1;
  const auto len = daysFromCivil(v.y + 1, 1, 1) - daysFromCivil(v.y, 1, 1);
  return (doy * 10000 * 2 + len) / (2 * len);  // rounded
}

Evaluation evaluate(const LightRules& rules, const Facts& facts, std::string_view day, std::optional<Light> previous) {
  Evaluation ev;
  if (facts.status != "active") return ev;
  std::vector<Reason>& rs = ev.reasons;
  startSlip(rules, facts, day, rs);
  nodeSlip(rules, facts, day, rs);
  investment(rules, facts, day, rs);
  reports(rules, facts, rs);
  letters(rules, facts, day, rs);
  problems(rules, facts, rs);
  // Worst first; within a colour, in the order of the dimensions (stable).
  std::stable_sort(rs.begin(), rs.end(), [](const Reason& a, const Reason& b) { return a.light > b.light; });
  for (const auto& r : rs) ev.light = std::max(ev.light, r.light);

  // The letters the rules call for today.
  if (!facts.planned_start.empty() && !started(facts, day)) {
    const auto& ps = facts.planned_start;
    if (rules.reminder.enabled && day < ps && day >= subtractSpan(ps, rules.reminder.span))
      addTrigger(ev.letters, facts, rules.reminder, "reminder", "start:" + ps,
                 "项目计划于" + dayText(ps) + "开工，距计划开工已不足" + spanText(rules.reminder.span) + "。", day);
    if (rules.assignment.enabled && day >= addSpan(ps, rules.assignment.span) && day > ps)
      addTrigger(ev.letters, facts, rules.assignment, "assignment", "start:" + ps,
                 "项目计划于" + dayText(ps) + "开工，截至" + dayText(day) + "逾期" +
                     std::to_string(dayNumber(day) - dayNumber(ps)) + "天仍未开工。",
                 day);
  }
  if (!facts.planned_production.empty() && (facts.actual_production.empty() || facts.actual_production > day)) {
    const auto& pp = facts.planned_production;
    if (rules.assignment.enabled && day >= addSpan(pp, rules.assignment.span) && day > pp)
      addTrigger(ev.letters, facts, rules.assignment, "assignment", "production:" + pp,
                 "项目计划于" + dayText(pp) + "投产，截至" + dayText(day) + "逾期" +
                     std::to_string(dayNumber(day) - dayNumber(pp)) + "天仍未投产。",
                 day);
  }
  // Supervision only for a red progress dimension: reports, letters and problems alone never loop into a letter.
  // One letter names every red progress reason; no new one while an earlier supervision letter is still open (the
  // unit is working on it, and its overdue steps light the project), and at most one a month.
  const bool redProgress = std::any_of(rs.begin(), rs.end(), [](const Reason& r) {
    return r.light == Light::Red && isProgressDimension(r.dimension);
  });
  if (redProgress && !hasOpenLetter(facts, "supervision"))
    addTrigger(ev.letters, facts, rules.supervision, "supervision", "red:" + std::string(day.substr(0, 7)),
               reasonsText(rs, true) + "。", day);
  // A work reminder when the project turns yellow, at most one in 30 days (a project hovering at the threshold
  // does not flood its leader).
  if (previous && *previous == Light::Green && ev.light == Light::Yellow && !recentWorkReminder(facts, day, 30))
    addTrigger(ev.letters, facts, rules.work_reminder, "work_reminder", "yellow:" + std::string(day),
               reasonsText(rs, false) + "。", day);
  return ev;
}

EarnedValue earnedValue(const Facts& f, std::string_view day) {
  EarnedValue ev;
  Ymd d;
  if (!parseDay(day, d)) return ev;
  __int128 total = 0;
  for (auto v : f.monthly_plan) total += v;
  ev.earned_value = f.invested_this_year;
  if (f.monthly_plan.empty() || total <= 0) return ev;
  ev.has_plan = true;
  ev.planned_value = plannedToDate(f.monthly_plan, d);
  ev.sv_money = ev.earned_value - ev.planned_value;
  ev.spi_bp = ev.planned_value > 0 ? shareBp(ev.earned_value, ev.planned_value) : (ev.earned_value > 0 ? 10000 : 0);
  // Schedule variance in days: the day on which the plan reaches what was earned, minus today.
  const auto today = daysFromCivil(d.y, d.m, d.d);
  std::int64_t reached = daysFromCivil(d.y + 1, 1, 1) - 1;  // beyond the plan: the year's end
  __int128 cum = 0;
  for (unsigned m = 1; m <= 12; ++m) {
    const std::int64_t amount = m <= f.monthly_plan.size() ? f.monthly_plan[m - 1] : 0;
    if (cum + amount >= ev.earned_value && amount > 0) {
      const auto dim = daysInMonth(d.y, m);
      // The first day of month m whose pro-rata plan reaches the earned value.
      const __int128 need = ev.earned_value - cum;
      std::int64_t dayOf = static_cast<std::int64_t>((need * dim + amount - 1) / amount);
      dayOf = std::clamp<std::int64_t>(dayOf, 0, dim);
      reached = daysFromCivil(d.y, m, 1) - 1 + dayOf;
      break;
    }
    cum += amount;
    if (ev.earned_value <= 0) {
      reached = daysFromCivil(d.y, 1, 1) - 1;
      break;
    }
  }
  ev.sv_days = reached - today;
  if (ev.sv_days > 0 && ev.sv_money <= 0) ev.sv_days = 0;
  if (ev.sv_days < 0 && ev.sv_money >= 0) ev.sv_days = 0;
  if (!f.planned_completion.empty() && dayNumber(f.planned_completion) != 0)
    ev.forecast_completion = ev.sv_days < 0 ? addDays(f.planned_completion, -ev.sv_days) : f.planned_completion;
  return ev;
}

}  // namespace steward::core::lights
