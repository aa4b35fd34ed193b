#include "service/light_rules.h"

#include "core/limits.h"
#include "core/validate.h"
#include "service/profile.h"  // normaliseInherited
#include "service/rules.h"
#include "store/rule_set_repo.h"

namespace steward::service {

using nlohmann::json;
namespace L = core::lights;

namespace {

constexpr std::int64_t kMaxSpanDays = 3660;
constexpr std::int64_t kMaxSpanMonths = 120;
constexpr std::int64_t kMaxThreshold = 100000;
const char* const kRecipients[] = {"unit", "township", "leader"};

json spanJson(const L::Span& s) { return s.months ? json{{"months", s.amount}} : json{{"days", s.amount}}; }

json thresholdJson(const L::Threshold& t) { return {{"enabled", t.enabled}, {"yellow", t.yellow}, {"red", t.red}}; }

json letterJson(const L::LetterRule& l) {
  return {{"enabled", l.enabled},         {"span", spanJson(l.span)},   {"recipient", l.recipient},
          {"sign_within", spanJson(l.sign_within)}, {"answer_within", spanJson(l.answer_within)},
          {"prefix", l.prefix},           {"title", l.title},           {"action", l.action}};
}

struct Reader {
  std::vector<FieldError>& errs;
  void add(std::string f, std::string r) { errs.push_back({std::move(f), std::move(r)}); }

  void flag(const json& o, const char* k, const std::string& path, bool& out) {
    if (!o.contains(k) || o[k].is_null()) return;
    if (!o[k].is_boolean()) add(path, "invalid");
    else out = o[k].get<bool>();
  }
  void integer(const json& o, const char* k, const std::string& path, std::int64_t lo, std::int64_t hi,
               std::int64_t& out) {
    if (!o.contains(k) || o[k].is_null()) return;
    if (!o[k].is_number_integer()) add(path, "invalid");
    else if (o[k].get<std::int64_t>() < lo || o[k].get<std::int64_t>() > hi) add(path, "out_of_range");
    else out = o[k].get<std::int64_t>();
  }
  void text(const json& o, const char* k, const std::string& path, std::size_t cap, std::string& out) {
    if (!o.contains(k) || o[k].is_null()) return;
    if (!o[k].is_string()) add(path, "invalid");
    else if (core::textLength(o[k].get<std::string>()) > cap) add(path, "too_long");
    else out = o[k].get<std::string>();
  }
  void onlyKeys(const json& o, const std::string& path, std::initializer_list<const char*> keys) {
    for (auto it = o.begin(); it != o.end(); ++it) {
      bool ok = false;
      for (const char* k : keys) ok = ok || it.key() == k;
      if (!ok) add(path + "." + it.key(), "unknown_field");
    }
  }
  bool object(const json& o, const char* k, const std::string& path) {
    if (!o.contains(k) || o[k].is_null()) return false;
    if (!o[k].is_object()) {
      add(path, "invalid");
      return false;
    }
    return true;
  }
  // {"months": n} | {"days": n}
  void span(const json& o, const char* k, const std::string& path, bool allowNegative, L::Span& out) {
    if (!object(o, k, path)) return;
    const auto& s = o[k];
    const bool m = s.contains("months"), d = s.contains("days");
    if (m == d || s.size() != 1) {
      add(path, "invalid_span");
      return;
    }
    std::int64_t v = 0;
    const auto hi = m ? kMaxSpanMonths : kMaxSpanDays;
    const auto before = errs.size();
    integer(s, m ? "months" : "days", path + (m ? ".months" : ".days"), allowNegative ? -hi : 0, hi, v);
    if (errs.size() == before) out = {static_cast<int>(v), m};
  }
  void threshold(const json& o, const char* k, L::Threshold& out) {
    const std::string path = std::string("body.") + k;
    if (!object(o, k, path)) return;
    const auto& t = o[k];
    onlyKeys(t, path, {"enabled", "yellow", "red"});
    flag(t, "enabled", path + ".enabled", out.enabled);
    integer(t, "yellow", path + ".yellow", 1, kMaxThreshold, out.yellow);
    integer(t, "red", path + ".red", 0, kMaxThreshold, out.red);
    if (out.red < out.yellow) add(path + ".red", "below_yellow");
  }
  void letter(const json& o, const char* k, L::LetterRule& out) {
    const std::string path = std::string("body.triggers.") + k;
    if (!object(o, k, path)) return;
    const auto& t = o[k];
    onlyKeys(t, path, {"enabled", "span", "recipient", "sign_within", "answer_within", "prefix", "title", "action"});
    flag(t, "enabled", path + ".enabled", out.enabled);
    span(t, "span", path + ".span", false, out.span);
    span(t, "sign_within", path + ".sign_within", false, out.sign_within);
    span(t, "answer_within", path + ".answer_within", false, out.answer_within);
    std::string rec = out.recipient;
    text(t, "recipient", path + ".recipient", core::limits::kCode, rec);
    bool known = false;
    for (const char* r : kRecipients) known = known || rec == r;
    if (!known) add(path + ".recipient", "unknown_recipient");
    else out.recipient = rec;
    text(t, "prefix", path + ".prefix", 20, out.prefix);
    text(t, "title", path + ".title", core::limits::kShortText, out.title);
    text(t, "action", path + ".action", core::limits::kNote, out.action);
    if (out.enabled && out.title.empty()) add(path + ".title", "required");
  }
};

std::optional<L::LightRules> parse(const json& j, std::vector<FieldError>& errs) {
  const auto before = errs.size();
  Reader r{errs};
  if (!j.is_object()) {
    r.add("body", "invalid");
    return std::nullopt;
  }
  r.onlyKeys(j, "body", {"preset", "start_slip", "node_slip", "investment_time", "investment_plan", "reports",
                         "letters", "problems", "triggers", "auto_issue", "inherited"});
  L::LightRules out;
  std::string preset;
  r.text(j, "preset", "body.preset", core::limits::kCode, preset);
  if (r.object(j, "start_slip", "body.start_slip")) {
    const auto& s = j["start_slip"];
    r.onlyKeys(s, "body.start_slip", {"enabled", "yellow_after", "red_after", "by_month"});
    r.flag(s, "enabled", "body.start_slip.enabled", out.start_slip.enabled);
    r.flag(s, "by_month", "body.start_slip.by_month", out.start_slip.by_month);
    r.span(s, "yellow_after", "body.start_slip.yellow_after", false, out.start_slip.yellow_after);
    r.span(s, "red_after", "body.start_slip.red_after", false, out.start_slip.red_after);
    // Compare both spans in days from a fixed day: red must not come before yellow.
    const std::string ref = "2023-01-31";
    if (L::addSpan(ref, out.start_slip.red_after) < L::addSpan(ref, out.start_slip.yellow_after))
      r.add("body.start_slip.red_after", "below_yellow");
  }
  r.threshold(j, "node_slip", out.node_slip);
  r.threshold(j, "investment_time", out.investment_time);
  r.threshold(j, "investment_plan", out.investment_plan);
  r.threshold(j, "reports", out.reports);
  r.threshold(j, "letters", out.letters);
  r.threshold(j, "problems", out.problems);
  if (r.object(j, "triggers", "body.triggers")) {
    const auto& t = j["triggers"];
    r.onlyKeys(t, "body.triggers", {"reminder", "assignment", "supervision", "work_reminder"});
    r.letter(t, "reminder", out.reminder);
    r.letter(t, "assignment", out.assignment);
    r.letter(t, "supervision", out.supervision);
    r.letter(t, "work_reminder", out.work_reminder);
  }
  r.flag(j, "auto_issue", "body.auto_issue", out.auto_issue);
  if (errs.size() != before) return std::nullopt;
  return out;
}

json inheritedItem(const char* path, const char* from, const std::string& note) {
  return {{"path", path}, {"from", from}, {"note", "本县报告未涉及，沿用" + note}};
}

// Hengdong's letters in its own words, with its numbering (衡重项提〔2023〕3号).
L::LightRules hengdongRules() {
  L::LightRules r;
  r.reminder.prefix = "衡重项提";
  r.assignment.prefix = "衡重项交";
  r.supervision.prefix = "衡重项督";
  r.work_reminder.prefix = "衡重项示";
  return r;
}

json presetBody(const char* name, const L::LightRules& r, json inherited) {
  auto body = lightRulesToJson(r);
  body["preset"] = name;
  body["inherited"] = std::move(inherited);
  return body;
}

const char* kYinchuan = "默认（银川市公布的亮灯规则：计划开工月已过未开工亮黄灯、逾期超过3个月亮红灯；投资完成落后时序进度10至30个百分点亮黄灯、超过30个百分点亮红灯）";

}  // namespace

json lightRulesToJson(const L::LightRules& r) {
  return {{"start_slip",
           {{"enabled", r.start_slip.enabled},
            {"yellow_after", spanJson(r.start_slip.yellow_after)},
            {"red_after", spanJson(r.start_slip.red_after)},
            {"by_month", r.start_slip.by_month}}},
          {"node_slip", thresholdJson(r.node_slip)},
          {"investment_time", thresholdJson(r.investment_time)},
          {"investment_plan", thresholdJson(r.investment_plan)},
          {"reports", thresholdJson(r.reports)},
          {"letters", thresholdJson(r.letters)},
          {"problems", thresholdJson(r.problems)},
          {"triggers",
           {{"reminder", letterJson(r.reminder)},
            {"assignment", letterJson(r.assignment)},
            {"supervision", letterJson(r.supervision)},
            {"work_reminder", letterJson(r.work_reminder)}}},
          {"auto_issue", r.auto_issue}};
}

std::optional<L::LightRules> lightRulesFromJson(const json& body, std::vector<FieldError>* errs) {
  std::vector<FieldError> local;
  return parse(body, errs ? *errs : local);
}

RuleKind lightsKind() {
  RuleKind k;
  k.name = "lights";
  k.title = "亮灯预警与三函";
  k.normalise = [](const json& body, std::vector<FieldError>& errs) {
    auto r = parse(body, errs);
    if (!r) return json();
    auto out = lightRulesToJson(*r);
    out["preset"] = body.value("preset", json("")).is_string() ? body.value("preset", "") : "";
    return attachInherited(out, body, errs) ? out : json();
  };
  const L::LightRules defaults;
  // [Zhuxi 000] 亮灯预警: "黄灯""红灯"预警提醒，工作滞后约谈，限期赶上时间进度 — the colours and time progress, no numbers.
  {
    auto r = defaults;
    r.node_slip.enabled = false;  // the report measures lag against time progress, not against node plans
    k.presets.emplace_back(
        "zhuxi", presetBody("zhuxi", r,
                            json::array({inheritedItem("start_slip", "default", kYinchuan),
                                         inheritedItem("investment_time", "default", "默认阈值（本县报告只规定黄灯、红灯两级，未给出数值）"),
                                         inheritedItem("reports", "default", "默认：缺报1期黄灯、超过2期红灯"),
                                         inheritedItem("letters", "default", "默认：函件签收或答复逾期1项黄灯、超过2项红灯"),
                                         inheritedItem("triggers", "hengdong", "衡东县的三函与工作提示")})));
  }
  // [Xianfeng 001], [Jingle 002], [Lianshui 003]: their reports describe no lights; the defaults throughout.
  for (const char* name : {"xianfeng", "jingle", "lianshui"})
    k.presets.emplace_back(
        name, presetBody(name, defaults,
                         json::array({inheritedItem("start_slip", "default", kYinchuan),
                                      inheritedItem("node_slip", "default", "默认：节点逾期1天黄灯、超过30天红灯"),
                                      inheritedItem("investment_time", "default", kYinchuan),
                                      inheritedItem("reports", "default", "默认：缺报1期黄灯、超过2期红灯"),
                                      inheritedItem("letters", "default", "默认：函件签收或答复逾期1项黄灯、超过2项红灯"),
                                      inheritedItem("triggers", "hengdong", "衡东县的三函与工作提示")})));
  // [Hengdong 004] 三函: 开工前一个月提醒函，逾期半个月未开工（投产）交办函，进度严重滞后督办函；工作提示发联系项目县级领导.
  k.presets.emplace_back(
      "hengdong", presetBody("hengdong", hengdongRules(),
                             json::array({inheritedItem("start_slip", "default", kYinchuan),
                                          inheritedItem("investment_time", "default", kYinchuan),
                                          inheritedItem("reports", "default", "默认：缺报1期黄灯、超过2期红灯")})));
  k.fallback = lightRulesToJson(defaults);
  k.fallback["preset"] = "";
  k.fallback["inherited"] = json::array();
  k.describe = [](const json& body) {
    int on = 0;
    for (const char* d : {"node_slip", "investment_time", "investment_plan", "reports", "letters", "problems"})
      on += body.contains(d) && body[d].value("enabled", false) ? 1 : 0;
    if (body.contains("start_slip") && body["start_slip"].value("enabled", false)) ++on;
    return std::to_string(on) + " dimensions";
  };
  return k;
}

L::LightRules loadLightRules(store::Connection& c, const std::string& region, const std::string& day) {
  auto rec = store::RuleSetRepository(c).inForce(region, "lights", day);
  if (!rec) return {};
  auto j = json::parse(rec->body, nullptr, false);
  if (j.is_discarded()) return {};
  auto r = lightRulesFromJson(j);
  return r ? *r : L::LightRules{};
}

}  // namespace steward::service
