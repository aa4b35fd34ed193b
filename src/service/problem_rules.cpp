#include "service/problem_rules.h"

#include <set>
#include <tuple>

#include "core/limits.h"
#include "core/validate.h"
#include "service/profile.h"  // attachInherited
#include "store/rule_set_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxCategories = 30;
constexpr std::size_t kMaxCategoryName = 10;
constexpr std::size_t kMaxUsername = 64;
constexpr const char* kDeadlineKeys[] = {"feedback", "solve_ordinary", "solve_complex", "plan_feedback", "near"};

bool isKeyText(const std::string& k) {
  if (k.empty() || k.size() > core::limits::kCode) return false;
  for (char ch : k)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') return false;
  return true;
}

json dayCountJson(const core::DayCount& c) { return {{"amount", c.amount}, {"unit", core::dayUnitKey(c.unit)}}; }

struct Parsed {
  ProblemRuleSet set;
  std::string preset;
};

std::optional<Parsed> parse(const json& j, std::vector<FieldError>& errs) {
  namespace L = core::limits;
  const auto before = errs.size();
  auto add = [&](std::string f, std::string r) { errs.push_back({std::move(f), std::move(r)}); };
  if (!j.is_object()) {
    add("body", "invalid");
    return std::nullopt;
  }
  Parsed out;
  auto& r = out.set.rules;
  auto dayCountAt = [&](const json& v, const std::string& path, bool zeroOk) -> std::optional<core::DayCount> {
    if (!v.is_object()) {
      add(path, "invalid");
      return std::nullopt;
    }
    core::DayCount c;
    bool ok = true;
    if (!v.contains("unit") || !v["unit"].is_string()) {
      add(path + ".unit", v.contains("unit") ? "invalid" : "required");
      ok = false;
    } else if (auto u = core::dayUnitFromKey(v["unit"].get<std::string>())) {
      c.unit = *u;
    } else {
      add(path + ".unit", "unknown_unit");
      ok = false;
    }
    if (!v.contains("amount") || !v["amount"].is_number_integer()) {
      add(path + ".amount", v.contains("amount") ? "invalid" : "required");
      return std::nullopt;
    }
    const auto n = v["amount"].get<std::int64_t>();
    const std::int64_t hi = c.unit == core::DayUnit::Months ? 12 : 366;
    if (!ok) return std::nullopt;
    if (n < (zeroOk ? 0 : 1) || n > hi) {
      add(path + ".amount", "out_of_range");
      return std::nullopt;
    }
    c.amount = static_cast<int>(n);
    return c;
  };
  auto levelAt = [&](const json& v, const std::string& path) -> std::optional<core::EscalationLevel> {
    auto l = v.is_string() ? core::escalationLevelFromKey(v.get<std::string>()) : std::nullopt;
    if (!l || *l == core::EscalationLevel::LeadingLeader) {
      add(path, "unknown_level");
      return std::nullopt;
    }
    return l;
  };

  if (j.contains("preset") && !j["preset"].is_null()) {
    if (!j["preset"].is_string()) add("body.preset", "invalid");
    else if (core::textLength(j["preset"].get<std::string>()) > L::kCode) add("body.preset", "too_long");
    else out.preset = j["preset"].get<std::string>();
  }

  // Deadlines: all five required.
  if (!j.contains("deadlines") || !j["deadlines"].is_object()) {
    add("body.deadlines", j.contains("deadlines") ? "invalid" : "required");
  } else {
    const auto& d = j["deadlines"];
    for (auto it = d.begin(); it != d.end(); ++it) {
      bool known = false;
      for (const char* k : kDeadlineKeys) known = known || it.key() == k;
      if (!known) add("body.deadlines." + it.key(), "unknown_deadline");
    }
    core::DayCount* targets[] = {&r.feedback, &r.solve_ordinary, &r.solve_complex, &r.plan_feedback, &r.near};
    for (std::size_t i = 0; i < std::size(kDeadlineKeys); ++i) {
      const std::string path = std::string("body.deadlines.") + kDeadlineKeys[i];
      if (!d.contains(kDeadlineKeys[i])) {
        add(path, "required");
        continue;
      }
      if (auto c = dayCountAt(d[kDeadlineKeys[i]], path, i == 4)) *targets[i] = *c;
    }
  }

  if (!j.contains("enterprise_answer_hours") || !j["enterprise_answer_hours"].is_number_integer()) {
    add("body.enterprise_answer_hours", j.contains("enterprise_answer_hours") ? "invalid" : "required");
  } else {
    const auto h = j["enterprise_answer_hours"].get<std::int64_t>();
    if (h < 1 || h > 24 * 60) add("body.enterprise_answer_hours", "out_of_range");
    else r.enterprise_answer_hours = static_cast<int>(h);
  }

  std::set<std::string> keys;
  if (!j.contains("categories") || !j["categories"].is_array()) {
    add("body.categories", j.contains("categories") ? "invalid" : "required");
  } else if (j["categories"].empty()) {
    add("body.categories", "required");
  } else if (j["categories"].size() > kMaxCategories) {
    add("body.categories", "too_many");
  } else {
    const auto& cs = j["categories"];
    for (std::size_t i = 0; i < cs.size(); ++i) {
      const auto path = "body.categories[" + std::to_string(i) + "]";
      const auto& c = cs[i];
      if (!c.is_object()) {
        add(path, "invalid");
        continue;
      }
      core::ProblemCategory cat;
      if (!c.contains("key") || !c["key"].is_string()) add(path + ".key", c.contains("key") ? "invalid" : "required");
      else if (!isKeyText(c["key"].get<std::string>())) add(path + ".key", "invalid");
      else if (!keys.insert(c["key"].get<std::string>()).second) add(path + ".key", "duplicate");
      else cat.key = c["key"].get<std::string>();
      if (!c.contains("name") || !c["name"].is_string() || c["name"].get<std::string>().empty())
        add(path + ".name", c.contains("name") && !c["name"].is_string() ? "invalid" : "required");
      else if (core::textLength(c["name"].get<std::string>()) > kMaxCategoryName) add(path + ".name", "too_long");
      else cat.name = c["name"].get<std::string>();
      if (c.contains("factor") && !c["factor"].is_null() && !c["factor"].is_boolean()) add(path + ".factor", "invalid");
      else cat.factor = c.value("factor", false);
      r.categories.push_back(std::move(cat));
    }
  }

  if (!j.contains("escalation") || !j["escalation"].is_object()) {
    add("body.escalation", j.contains("escalation") ? "invalid" : "required");
  } else {
    const auto& e = j["escalation"];
    if (!e.contains("default")) add("body.escalation.default", "required");
    else if (auto l = levelAt(e["default"], "body.escalation.default")) r.escalate_to = *l;
    if (e.contains("by_category") && !e["by_category"].is_null()) {
      const auto& m = e["by_category"];
      if (!m.is_object()) add("body.escalation.by_category", "invalid");
      else
        for (auto it = m.begin(); it != m.end(); ++it) {
          const auto path = "body.escalation.by_category." + it.key();
          if (!keys.count(it.key())) add(path, "unknown_category");
          else if (auto l = levelAt(it.value(), path)) r.escalate_by_category[it.key()] = *l;
        }
    }
    if (e.contains("by_severity") && !e["by_severity"].is_null()) {
      const auto& m = e["by_severity"];
      if (!m.is_object()) add("body.escalation.by_severity", "invalid");
      else
        for (auto it = m.begin(); it != m.end(); ++it) {
          const auto path = "body.escalation.by_severity." + it.key();
          auto s = core::severityFromKey(it.key());
          if (!s) add(path, "unknown_severity");
          else if (auto l = levelAt(it.value(), path)) r.escalate_by_severity[*s] = *l;
        }
    }
    if (e.contains("auto_after") && !e["auto_after"].is_null())
      r.auto_escalate_after = dayCountAt(e["auto_after"], "body.escalation.auto_after", false);
    if (e.contains("holders") && !e["holders"].is_null()) {
      const auto& h = e["holders"];
      if (!h.is_object()) add("body.escalation.holders", "invalid");
      else
        for (auto it = h.begin(); it != h.end(); ++it) {
          const auto path = "body.escalation.holders." + it.key();
          auto l = core::escalationLevelFromKey(it.key());
          if (!l || *l == core::EscalationLevel::LeadingLeader) {
            add(path, "unknown_level");
            continue;
          }
          if (it.value().is_null()) continue;
          if (!it.value().is_string() || it.value().get<std::string>().empty()) {
            add(path, "invalid");
            continue;
          }
          const auto u = it.value().get<std::string>();
          if (u.size() > kMaxUsername) add(path, "too_long");
          else (*l == core::EscalationLevel::CountyHead ? out.set.county_head : out.set.executive_vice_head) = u;
        }
    }
  }

  if (errs.size() != before) return std::nullopt;
  return out;
}

json toJson(const Parsed& p) {
  const auto& r = p.set.rules;
  json cats = json::array();
  for (const auto& c : r.categories) cats.push_back({{"key", c.key}, {"name", c.name}, {"factor", c.factor}});
  json byCategory = json::object(), bySeverity = json::object();
  for (const auto& [k, l] : r.escalate_by_category) byCategory[k] = core::escalationLevelKey(l);
  for (const auto& [s, l] : r.escalate_by_severity) bySeverity[core::severityKey(s)] = core::escalationLevelKey(l);
  auto holder = [](const std::optional<std::string>& u) { return u ? json(*u) : json(nullptr); };
  return {{"preset", p.preset},
          {"deadlines",
           {{"feedback", dayCountJson(r.feedback)},
            {"solve_ordinary", dayCountJson(r.solve_ordinary)},
            {"solve_complex", dayCountJson(r.solve_complex)},
            {"plan_feedback", dayCountJson(r.plan_feedback)},
            {"near", dayCountJson(r.near)}}},
          {"enterprise_answer_hours", r.enterprise_answer_hours},
          {"categories", cats},
          {"escalation",
           {{"default", core::escalationLevelKey(r.escalate_to)},
            {"by_category", byCategory},
            {"by_severity", bySeverity},
            {"auto_after", r.auto_escalate_after ? dayCountJson(*r.auto_escalate_after) : json(nullptr)},
            {"holders",
             {{"executive_vice_head", holder(p.set.executive_vice_head)}, {"county_head", holder(p.set.county_head)}}}}},
          {"inherited", json::array()}};
}

// Lianshui's rules [Lianshui 003] are the default: feedback within 3 days, ordinary problems solved within 7 days,
// complex ones within a month, the unsolvable plan reported monthly, enterprise demands answered within 48 hours.
json baseBody(const std::string& preset) {
  Parsed p;
  p.set.rules = core::defaultProblemRules();
  p.preset = preset;
  return toJson(p);
}

json inherited(const char* path, const char* from, const std::string& note) {
  return {{"path", path}, {"from", from}, {"note", "本县报告未涉及，沿用" + note}};
}

const std::string kLianshuiDeadlines = "涟水县：3日内反馈，一般问题7日、复杂问题1个月内办结，无法解决的制定计划按月反馈";
const std::string kLianshuiEnterprise = "涟水县：企业诉求48小时内书面答复";
const std::string kDefaultEscalation = "默认：跨领域问题由分管县级领导提请常务副县长协调，不自动提级";

}  // namespace

RuleKind problemsKind() {
  RuleKind k;
  k.name = "problems";
  k.title = "问题清单";
  k.normalise = [](const json& body, std::vector<FieldError>& errs) {
    auto p = parse(body, errs);
    if (!p) return json();
    auto out = toJson(*p);
    return attachInherited(out, body, errs) ? out : json();
  };
  // [Lianshui 003] 发现—提出—分析—解决: the deadlines and the 48-hour enterprise answer are its own.
  {
    auto b = baseBody("lianshui");
    b["inherited"] = json::array({inherited("escalation", "default", kDefaultEscalation),
                                  inherited("categories", "default", "默认问题分类（用地、征拆、审批、资金、用能、用水、用工、环评、其他）")});
    k.presets.emplace_back("lianshui", b);
  }
  // [Hengdong 004] 跨领域、跨分工问题由分管县领导提请常务副县长或县长协调: complex problems and land
  // acquisition go to the county head, the rest to the executive vice county head.
  {
    auto b = baseBody("hengdong");
    b["escalation"]["default"] = "executive_vice_head";
    b["escalation"]["by_severity"] = {{"complex", "county_head"}};
    b["escalation"]["by_category"] = {{"land_acquisition", "county_head"}};
    b["inherited"] = json::array({inherited("deadlines", "lianshui", kLianshuiDeadlines),
                                  inherited("enterprise_answer_hours", "lianshui", kLianshuiEnterprise),
                                  inherited("categories", "default", "默认问题分类")});
    k.presets.emplace_back("hengdong", b);
  }
  // [Zhuxi 000], [Xianfeng 001], [Jingle 002]: their reports say nothing of problem deadlines or escalation.
  for (const char* name : {"zhuxi", "xianfeng", "jingle"}) {
    auto b = baseBody(name);
    b["inherited"] = json::array({inherited("deadlines", "lianshui", kLianshuiDeadlines),
                                  inherited("enterprise_answer_hours", "lianshui", kLianshuiEnterprise),
                                  inherited("escalation", "default", kDefaultEscalation),
                                  inherited("categories", "default", "默认问题分类")});
    k.presets.emplace_back(name, b);
  }
  k.fallback = baseBody("");
  k.describe = [](const json& body) {
    auto p = problemRulesFromJson(body);
    if (!p) return std::string("invalid");
    const auto& r = p->rules;
    return "feedback " + core::describeDayCount(r.feedback) + ", ordinary " + core::describeDayCount(r.solve_ordinary) +
           ", complex " + core::describeDayCount(r.solve_complex) + ", " + std::to_string(r.categories.size()) +
           " categories";
  };
  return k;
}

std::optional<ProblemRuleSet> problemRulesFromJson(const json& body) {
  std::vector<FieldError> errs;
  auto p = parse(body, errs);
  if (!p) return std::nullopt;
  return p->set;
}

ProblemRuleSet loadProblemRules(store::Connection& c, const std::string& region, const std::string& day) {
  static const auto fallback = *problemRulesFromJson(problemsKind().fallback);
  auto rec = store::RuleSetRepository(c).inForce(region, "problems", day);
  if (!rec) return fallback;
  auto j = json::parse(rec->body, nullptr, false);
  if (j.is_discarded()) return fallback;
  auto r = problemRulesFromJson(j);
  return r ? *r : fallback;
}

}  // namespace steward::service
