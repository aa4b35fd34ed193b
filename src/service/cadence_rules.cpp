#include "service/cadence_rules.h"

#include <cstdio>
#include <set>
#include <tuple>

#include "core/limits.h"
#include "core/validate.h"
#include "service/profile.h"  // attachInherited
#include "store/rule_set_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxStageEntries = 50;

// "18:00" → 1080; -1 when malformed.
int minuteOf(const std::string& t) {
  if (t.size() != 5 || t[2] != ':') return -1;
  for (int i : {0, 1, 3, 4})
    if (t[i] < '0' || t[i] > '9') return -1;
  const int h = (t[0] - '0') * 10 + (t[1] - '0'), m = (t[3] - '0') * 10 + (t[4] - '0');
  if (h > 23 || m > 59) return -1;
  return h * 60 + m;
}

std::string timeText(int minute) {
  char b[32];
  std::snprintf(b, sizeof b, "%02d:%02d", minute / 60, minute % 60);
  return b;
}

bool isKeyText(const std::string& k) {
  if (k.empty()) return false;
  for (char ch : k)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') return false;
  return true;
}

struct Parsed {
  core::CadenceRules rules;
  std::string preset;
};

// Reads a cadence body; every problem is a field error named after its path ("body.deadlines.month.time").
std::optional<Parsed> parse(const json& j, std::vector<FieldError>& errs) {
  namespace L = core::limits;
  const auto before = errs.size();
  auto add = [&](std::string f, std::string r) { errs.push_back({std::move(f), std::move(r)}); };
  if (!j.is_object()) {
    add("body", "invalid");
    return std::nullopt;
  }
  Parsed out;
  auto cadenceAt = [&](const json& v, const std::string& path) -> std::optional<core::Cadence> {
    if (!v.is_string()) {
      add(path, "invalid");
      return std::nullopt;
    }
    auto c = core::cadenceFromKey(v.get<std::string>());
    if (!c || !core::isReportCadence(*c)) {
      add(path, "unknown_cadence");
      return std::nullopt;
    }
    return c;
  };
  if (j.contains("preset") && !j["preset"].is_null()) {
    if (!j["preset"].is_string()) add("body.preset", "invalid");
    else if (core::textLength(j["preset"].get<std::string>()) > L::kCode) add("body.preset", "too_long");
    else out.preset = j["preset"].get<std::string>();
  }
  if (!j.contains("default")) add("body.default", "required");
  else if (auto c = cadenceAt(j["default"], "body.default")) out.rules.fallback = *c;

  if (j.contains("by_stage") && !j["by_stage"].is_null()) {
    const auto& m = j["by_stage"];
    if (!m.is_object()) add("body.by_stage", "invalid");
    else if (m.size() > kMaxStageEntries) add("body.by_stage", "too_many");
    else
      for (auto it = m.begin(); it != m.end(); ++it) {
        const auto path = "body.by_stage." + it.key();
        if (!isKeyText(it.key()) || it.key().size() > L::kCode) add(path, "invalid");
        else if (auto c = cadenceAt(it.value(), path)) out.rules.by_stage[it.key()] = *c;
      }
  }

  if (!j.contains("deadlines") || !j["deadlines"].is_object()) {
    add("body.deadlines", j.contains("deadlines") ? "invalid" : "required");
  } else {
    const auto& m = j["deadlines"];
    for (auto it = m.begin(); it != m.end(); ++it) {
      const auto path = "body.deadlines." + it.key();
      auto c = core::cadenceFromKey(it.key());
      if (!c || !core::isReportCadence(*c)) {
        add(path, "unknown_cadence");
        continue;
      }
      const auto& d = it.value();
      if (!d.is_object()) {
        add(path, "invalid");
        continue;
      }
      core::ReportDeadline rd;
      if (!d.contains("after_end_days") || !d["after_end_days"].is_number_integer()) {
        add(path + ".after_end_days", d.contains("after_end_days") ? "invalid" : "required");
      } else {
        const auto n = d["after_end_days"].get<std::int64_t>();
        if (n < 0 || n > core::maxDeadlineDays(*c)) add(path + ".after_end_days", "out_of_range");
        else rd.after_end_days = static_cast<int>(n);
      }
      if (!d.contains("time") || !d["time"].is_string()) add(path + ".time", d.contains("time") ? "invalid" : "required");
      else if (int m2 = minuteOf(d["time"].get<std::string>()); m2 < 0) add(path + ".time", "invalid_time");
      else rd.minute = m2;
      out.rules.deadlines[*c] = rd;
    }
    // Every cadence a project may be put on needs its deadline.
    std::set<core::Cadence> used = {out.rules.fallback};
    for (const auto& [stage, c] : out.rules.by_stage) used.insert(c);
    for (auto c : used)
      if (!out.rules.deadlines.count(c)) add(std::string("body.deadlines.") + core::cadenceKey(c), "required");
  }

  if (j.contains("registration_gap_bp") && !j["registration_gap_bp"].is_null()) {
    const auto& g = j["registration_gap_bp"];
    if (!g.is_number_integer()) add("body.registration_gap_bp", "invalid");
    else if (g.get<std::int64_t>() < 0 || g.get<std::int64_t>() > 10000) add("body.registration_gap_bp", "out_of_range");
    else out.rules.registration_gap_bp = static_cast<int>(g.get<std::int64_t>());
  }

  // The bulletin's cadence: week, ten_day or month, or none (by hand).
  if (j.contains("bulletin") && !j["bulletin"].is_null()) {
    const auto& b = j["bulletin"];
    if (!b.is_string()) add("body.bulletin", "invalid");
    else if (b.get<std::string>() != "none") {
      auto c = core::cadenceFromKey(b.get<std::string>());
      if (!c || (*c != core::Cadence::Week && *c != core::Cadence::TenDay && *c != core::Cadence::Month))
        add("body.bulletin", "unknown_cadence");
      else out.rules.bulletin = *c;
    }
  }

  // Photos as evidence: how many days before the period and how many metres from the site a photo may be taken
  // before the report marks it questionable.
  for (auto [key, target, hi] : {std::tuple{"photo_max_days_before", &out.rules.photo_max_days_before, 3660},
                                 std::tuple{"photo_max_distance_m", &out.rules.photo_max_distance_m, 1'000'000}}) {
    if (!j.contains(key) || j[key].is_null()) continue;
    const auto& g = j[key];
    if (!g.is_number_integer()) add(std::string("body.") + key, "invalid");
    else if (g.get<std::int64_t>() < 0 || g.get<std::int64_t>() > hi) add(std::string("body.") + key, "out_of_range");
    else *target = static_cast<int>(g.get<std::int64_t>());
  }

  if (errs.size() != before) return std::nullopt;
  return out;
}

json toJson(const Parsed& p) {
  json byStage = json::object();
  for (const auto& [stage, c] : p.rules.by_stage) byStage[stage] = core::cadenceKey(c);
  json deadlines = json::object();
  for (const auto& [c, d] : p.rules.deadlines)
    deadlines[core::cadenceKey(c)] = {{"after_end_days", d.after_end_days}, {"time", timeText(d.minute)}};
  return {{"preset", p.preset},
          {"default", core::cadenceKey(p.rules.fallback)},
          {"by_stage", byStage},
          {"deadlines", deadlines},
          {"registration_gap_bp", p.rules.registration_gap_bp},
          {"photo_max_days_before", p.rules.photo_max_days_before},
          {"photo_max_distance_m", p.rules.photo_max_distance_m},
          {"bulletin", p.rules.bulletin ? core::cadenceKey(*p.rules.bulletin) : "none"},
          {"inherited", json::array()}};
}

// The default deadlines: daily by 18:00 the same day, weekly by Monday 12:00, ten-day by 18:00 the next day,
// monthly by the 5th 18:00.
json defaultDeadlines() {
  return {{"day", {{"after_end_days", 0}, {"time", "18:00"}}},
          {"week", {{"after_end_days", 1}, {"time", "12:00"}}},
          {"ten_day", {{"after_end_days", 1}, {"time", "18:00"}}},
          {"month", {{"after_end_days", 5}, {"time", "18:00"}}}};
}

json inherited(const char* path, const char* note) {
  return {{"path", path}, {"from", "default"}, {"note", std::string("本县报告未涉及，沿用默认：") + note}};
}

json preset(const char* name, json byStage, json extra = json::array(), const char* bulletin = "none") {
  json inh = json::array({inherited("deadlines", "日报当日18:00、周报次周一12:00、旬报次日18:00、月报次月5日18:00前"),
                          inherited("registration_gap_bp", "填报投资超出入统投资10%即提示"),
                          inherited("photo_max_days_before", "照片拍摄早于本期开始30天以上即标为存疑"),
                          inherited("photo_max_distance_m", "照片拍摄地点距项目2000米以上即标为存疑")});
  for (auto& e : extra) inh.push_back(e);
  return {{"preset", name},         {"default", "month"},           {"by_stage", std::move(byStage)},
          {"deadlines", defaultDeadlines()}, {"registration_gap_bp", 1000},
          {"photo_max_days_before", 30}, {"photo_max_distance_m", 2000}, {"bulletin", bulletin}, {"inherited", inh}};
}

}  // namespace

RuleKind cadenceKind() {
  RuleKind k;
  k.name = "cadence";
  k.title = "进度填报周期";
  k.normalise = [](const json& body, std::vector<FieldError>& errs) {
    auto p = parse(body, errs);
    if (!p) return json();
    auto out = toJson(*p);
    return attachInherited(out, body, errs) ? out : json();
  };
  // [Hengdong 004] 每日必盯: liaisons report daily while a project is under construction; the rest monthly.
  // [Hengdong 004] 10 inspection bulletins in January to September: issued as the work calls for them, not on a
  // fixed cadence, so headquarters generates them by hand.
  k.presets.emplace_back("hengdong", preset("hengdong", {{"construction", "day"}},
                                            json::array({inherited("default", "未开工项目按月填报")})));
  // [Zhuxi 000] 挂榜调度、月月拉练: every project monthly.
  k.presets.emplace_back("zhuxi", preset("zhuxi", json::object(),
                                         json::array({inherited("by_stage", "各阶段统一按月填报"),
                                                      inherited("bulletin", "督查通报由指挥部按需生成")})));
  // [Xianfeng 001] 每月至少联系一次: monthly; the report says nothing of stages.
  k.presets.emplace_back("xianfeng", preset("xianfeng", json::object(),
                                            json::array({inherited("by_stage", "各阶段统一按月填报"),
                                                         inherited("default", "按月填报"),
                                                         inherited("bulletin", "督查通报由指挥部按需生成")})));
  // [Jingle 002] 每周编发一期督查通报: projects under construction weekly, for the weekly bulletin.
  k.presets.emplace_back("jingle", preset("jingle", {{"construction", "week"}},
                                          json::array({inherited("default", "未开工项目按月填报")}), "week"));
  // [Lianshui 003] 按周督查项目进度: weekly progress inspection of projects under construction.
  k.presets.emplace_back("lianshui", preset("lianshui", {{"construction", "week"}},
                                            json::array({inherited("default", "未开工项目按月填报"),
                                                         inherited("bulletin", "督查通报由指挥部按需生成")})));
  k.fallback = {{"preset", ""},
                {"default", "month"},
                {"by_stage", json::object()},
                {"deadlines", defaultDeadlines()},
                {"registration_gap_bp", 1000},
                {"photo_max_days_before", 30},
                {"photo_max_distance_m", 2000},
                {"bulletin", "none"},
                {"inherited", json::array()}};
  k.describe = [](const json& body) {
    return std::string("default ") + body.value("default", "") + ", " +
           std::to_string(body.value("by_stage", json::object()).size()) + " stage overrides";
  };
  return k;
}

std::optional<core::CadenceRules> cadenceRulesFromJson(const json& body) {
  std::vector<FieldError> errs;
  auto p = parse(body, errs);
  if (!p) return std::nullopt;
  return p->rules;
}

core::CadenceRules loadCadenceRules(store::Connection& c, const std::string& region, const std::string& day) {
  static const auto fallback = *cadenceRulesFromJson(cadenceKind().fallback);
  auto rec = store::RuleSetRepository(c).inForce(region, "cadence", day);
  if (!rec) return fallback;
  auto j = json::parse(rec->body, nullptr, false);
  if (j.is_discarded()) return fallback;
  auto r = cadenceRulesFromJson(j);
  return r ? *r : fallback;
}

}  // namespace steward::service
