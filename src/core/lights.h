// Warning lights (亮灯预警), the three letters' triggers (三函) and earned value, as pure rules: a project's facts
// as they stood on a day, the county's light rules in force on that day, and the day itself go in; the light, its
// reasons with their numbers, and the letters the rules call for come out. No I/O, no clock.
//
// Replay: the caller builds the facts "as of" the day (an actual start dated after it is no start, a report for a
// later period is left out, a letter step taken after it is not taken), so evaluating a past day gives what the
// rules in force then said about the data as it stood then.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace steward::core::lights {

enum class Light { Green = 0, Yellow = 1, Red = 2 };
const char* lightKey(Light l);                       // "green" | "yellow" | "red"
std::optional<Light> lightFromKey(std::string_view k);
const char* lightLabel(Light l);                     // 绿灯 | 黄灯 | 红灯

// The dimensions of a light, each with its own thresholds in the rule set. Keys are stable (storage, JSON, UI).
enum class Dimension {
  StartSlip,       // "start_slip": the planned start passed without an actual start
  NodeSlip,        // "node_slip": days overdue on the node plan (the worst open node)
  InvestmentTime,  // "investment_time": investment done this year behind time progress (时序进度), in points
  InvestmentPlan,  // "investment_plan": investment done this year behind the project's own monthly plan, in points
  Reports,         // "reports": due reports missing or late
  Letters,         // "letters": letter steps overdue (signing for, answering)
  Problems,        // "problems": problems overdue (when the problem list exists)
};
const char* dimensionKey(Dimension d);
std::optional<Dimension> dimensionFromKey(std::string_view k);
const char* dimensionLabel(Dimension d);             // 开工滞后 | 节点滞后 | 投资滞后于时序 | 投资滞后于计划 | 报送缺报 | 函件逾期 | 问题逾期
// Progress dimensions (start, nodes, investment) may trigger a supervision letter; reports, letters and problems
// never do, so a light that is red only because of them cannot loop into another letter.
bool isProgressDimension(Dimension d);

// ---- the rule set (kind "lights"), parsed from its JSON body by lightRulesFromJson --------------------------------
// A span of time: calendar months or days. "one month before" = {1, Months}; "half a month" = {15, Days} or
// {0.5 month}: half months are expressed as days by the rule set.
struct Span {
  int amount = 0;
  bool months = false;  // true: calendar months (the same day of the month, clamped to its end); false: days
};
std::string addSpan(std::string_view isoDay, const Span& s);       // isoDay + s
std::string subtractSpan(std::string_view isoDay, const Span& s);  // isoDay - s

// A threshold pair on one measure: yellow at or beyond `yellow`, red beyond `red` (strictly). A disabled measure
// never lights. Units: start slip in months or days (Span), node slip in days, investment in percentage points,
// reports in missing periods, letters and problems in overdue items.
struct Threshold {
  bool enabled = false;
  std::int64_t yellow = 0;
  std::int64_t red = 0;
};

struct StartSlipRule {
  bool enabled = false;
  Span yellow_after{0, true};  // yellow once the planned start (month) has passed by this much without a start
  Span red_after{3, true};     // red once it has passed by this much
  bool by_month = true;        // the planned start counts from the end of its month (Yinchuan: "the planned month")
};

struct LetterRule {
  bool enabled = false;
  Span span{};                  // reminder: before the planned start; assignment: overdue by
  std::string recipient = "unit";  // "unit" (the responsible unit) | "township" | "leader" (work reminders)
  Span sign_within{3, false};   // the recipient signs for it within
  Span answer_within{10, false};  // and answers within
  std::string prefix;           // numbering: 衡重项提 → 衡重项提〔2023〕3号
  std::string title;            // 提醒函 | 交办函 | 督办函 | 工作提示
  std::string action;           // the required action, in the county's words
};

// The defaults (LightRules{}) are the rules in force while a county stores none: Yinchuan's published thresholds
// for start slip and investment, and Hengdong's letters in its own words.
struct LightRules {
  StartSlipRule start_slip{true, {0, true}, {3, true}, true};
  Threshold node_slip{true, 1, 30};         // days overdue on the worst open node
  Threshold investment_time{true, 10, 30};  // points behind time progress (时序进度)
  Threshold investment_plan{false, 10, 30}; // points behind the monthly plan to date
  Threshold reports{true, 1, 2};            // due periods without a report (consecutive, newest first)
  Threshold letters{true, 1, 2};            // letter steps overdue
  Threshold problems{false, 1, 3};          // problems overdue
  // The letters. reminder: `span` before the planned start; assignment: start or production overdue by `span`;
  // supervision: a progress dimension is red; work_reminder: to the leading leader when the project turns yellow.
  LetterRule reminder{true, {1, true}, "unit", {3, false}, {15, false}, "重项提", "提醒函",
                      "请对照计划开工时间，抓紧完成开工前各项准备工作，确保按期开工。"};
  LetterRule assignment{true, {15, false}, "unit", {2, false}, {10, false}, "重项交", "交办函",
                        "请于收函后10日内查明滞后原因、制定整改措施并书面反馈县重点项目建设指挥部办公室。"};
  LetterRule supervision{true, {0, false}, "unit", {1, false}, {7, false}, "重项督", "督办函",
                         "请单位主要负责人亲自研究，于收函后7日内将整改落实情况书面报县重点项目建设指挥部办公室。"};
  LetterRule work_reminder{true, {0, false}, "leader", {3, false}, {7, false}, "重项示", "工作提示",
                           "请联系县级领导关注项目进展，督促责任单位加快推进。"};
  bool auto_issue = false;      // triggered letters go out at once (numbered) instead of waiting as drafts
};

// ---- the facts --------------------------------------------------------------------------------------------------
struct NodeFact {
  std::string name;
  std::string planned;  // ISO day or empty
  std::string actual;   // ISO day or empty (empty when done after the day evaluated)
};
struct LetterFact {
  std::string kind;         // reminder | assignment | supervision | work_reminder
  std::string number;       // empty for a draft
  std::string status;       // draft | issued | signed | answered | closed
  std::string sign_due;     // ISO day or empty
  std::string answer_due;   // ISO day or empty
  std::string signed_on;    // ISO day or empty
  std::string answered_on;  // ISO day or empty
  std::string trigger_key;  // what triggered it ("start:2023-03" …): one letter per kind and trigger
};
struct Facts {
  std::string status = "active";  // only active projects light (completed, suspended, cancelled stay green)
  std::string stage;
  std::string planned_start, actual_start;            // ISO days or empty
  std::string planned_production, actual_production;  // ISO days or empty
  std::string planned_completion, actual_completion;
  std::vector<NodeFact> nodes;
  std::int64_t annual_plan = 0;                       // this year's planned investment, yuan (0: no plan)
  std::vector<std::int64_t> monthly_plan;             // 12 amounts, yuan (empty: no monthly plan)
  std::int64_t invested_this_year = 0;                // reported done this year up to the day, yuan
  std::vector<std::int64_t> invested_by_month;        // 12 amounts this year up to the day, yuan
  int missing_reports = 0;                            // due periods without a report, consecutive newest first
  std::string missing_since;                          // the oldest of them: its deadline day
  std::vector<LetterFact> letters;
  int overdue_problems = 0;
  std::string overdue_problems_since;
};

// ---- the result -------------------------------------------------------------------------------------------------
struct Reason {
  Dimension dimension;
  Light light = Light::Green;  // never green in a result
  std::string rule;            // the rule's path in the rule set: "start_slip.red_after"
  std::string message;         // in Chinese, with the numbers: "计划2023年3月开工，逾期7个月未开工（红灯：逾期超过3个月）"
  std::int64_t value = 0;      // the measure (months/days/points/count)
  std::int64_t threshold = 0;  // the threshold it passed
  std::string since;           // the day this dimension reached this light, when the facts say (else empty)
};
struct LetterTrigger {
  std::string kind;         // reminder | assignment | supervision | work_reminder
  std::string trigger_key;  // stable for one occasion: "start:2023-03-15", "production:2024-06-30", "red:2023-10"
  std::string facts;        // the body's facts in Chinese, from the reasons
  std::string action;       // the rule's required action
  std::string due;          // the deadline to answer, ISO day
};
struct Evaluation {
  Light light = Light::Green;
  std::vector<Reason> reasons;          // worst first; empty when green
  std::vector<LetterTrigger> letters;   // letters the rules call for on this day, not yet in facts.letters
};

// Evaluates one project on `isoDay` (the county's day). `previous` is the project's light on the day before when
// known (a work reminder goes out when the project turns yellow from green).
Evaluation evaluate(const LightRules& rules, const Facts& facts, std::string_view isoDay,
                    std::optional<Light> previous = std::nullopt);

// ---- earned value beside the lights -------------------------------------------------------------------------------
// Planned value from the monthly plan (months before the day's month in full, the day's month pro rata by day),
// earned value from the investment reported done this year. SPI in basis points (10000 = on schedule), the
// schedule variance in yuan and in days (negative: behind), and a forecast completion date (the planned
// completion pushed by the days behind; empty without a plan or a planned completion).
struct EarnedValue {
  bool has_plan = false;
  std::int64_t planned_value = 0;
  std::int64_t earned_value = 0;
  std::int64_t spi_bp = 0;
  std::int64_t sv_money = 0;
  std::int64_t sv_days = 0;
  std::string forecast_completion;
};
EarnedValue earnedValue(const Facts& facts, std::string_view isoDay);

// Time progress (时序进度) of the day's year in basis points: day of year / days in year (2023-06-30 → 4959).
std::int64_t timeProgressBp(std::string_view isoDay);

}  // namespace steward::core::lights
