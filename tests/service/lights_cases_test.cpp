// The light rules as table-driven cases (tests/core/cases/lights_*.txt): project facts + rule set + day →
// expected light, reasons, letters; and earned value. The rule set is a preset of the "lights" kind ("default" is
// the fallback) with optional overrides "path=value" (JSON values), so a reviewer reads every rule without C++.
#include <gtest/gtest.h>

#include <sstream>

#include "core/lights.h"
#include "service/light_rules.h"
#include "service/rules.h"
#include "support/case_file.h"

using namespace steward;
using namespace steward::core::lights;
using nlohmann::json;
using steward::testing::CaseRow;

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    if (ch == sep) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string dash(const std::string& s) { return s == "-" ? "" : s; }

// "hengdong start_slip.red_after={"months":1} investment_plan.enabled=true"
LightRules rulesOf(const std::string& cell) {
  auto words = split(cell, ' ');
  const auto* kind = service::findRuleKind("lights");
  json body;
  if (words.empty() || words[0] == "default") body = kind->fallback;
  else
    for (const auto& [n, b] : kind->presets)
      if (n == words[0]) body = b;
  if (body.is_null()) throw std::runtime_error("no lights preset " + words[0]);
  for (std::size_t i = 1; i < words.size(); ++i) {
    const auto eq = words[i].find('=');
    auto path = words[i].substr(0, eq);
    json* at = &body;
    for (const auto& part : split(path, '.')) at = &(*at)[part];
    *at = json::parse(words[i].substr(eq + 1));
  }
  std::vector<service::FieldError> errs;
  auto r = service::lightRulesFromJson(body, &errs);
  if (!r) throw std::runtime_error("rules do not parse: " + (errs.empty() ? "" : errs[0].field + " " + errs[0].reason));
  return *r;
}

// Space-separated key=value facts; see the case files' header comments.
Facts factsOf(const std::string& cell) {
  Facts f;
  for (const auto& w : split(cell, ' ')) {
    if (w == "-") continue;
    const auto eq = w.find('=');
    if (eq == std::string::npos) throw std::runtime_error("not key=value: " + w);
    const auto k = w.substr(0, eq), v = w.substr(eq + 1);
    auto parts = [&] { return split(v, ':'); };
    if (k == "status") f.status = v;
    else if (k == "ps") f.planned_start = v;
    else if (k == "as") f.actual_start = v;
    else if (k == "pp") f.planned_production = v;
    else if (k == "ap") f.actual_production = v;
    else if (k == "pc") f.planned_completion = v;
    else if (k == "node") {
      auto p = parts();
      f.nodes.push_back({p.at(0), p.at(1), p.size() > 2 ? dash(p[2]) : ""});
    } else if (k == "annual") f.annual_plan = std::stoll(v);
    else if (k == "monthly") {
      // "100x12" or "100,100,..."
      if (auto x = v.find('x'); x != std::string::npos)
        f.monthly_plan.assign(std::stoul(v.substr(x + 1)), std::stoll(v.substr(0, x)));
      else
        for (const auto& a : split(v, ',')) f.monthly_plan.push_back(std::stoll(a));
    } else if (k == "invested") f.invested_this_year = std::stoll(v);
    else if (k == "missing") {
      auto p = parts();
      f.missing_reports = std::stoi(p.at(0));
      if (p.size() > 1) f.missing_since = p[1];
    } else if (k == "problems") {
      auto p = parts();
      f.overdue_problems = std::stoi(p.at(0));
      if (p.size() > 1) f.overdue_problems_since = p[1];
    } else if (k == "letter") {
      // kind:status:sign_due:answer_due:signed_on:answered_on:trigger_key (trigger key may hold ':' → rest)
      auto p = parts();
      LetterFact l;
      l.kind = p.at(0);
      l.status = p.at(1);
      l.sign_due = dash(p.at(2));
      l.answer_due = dash(p.at(3));
      l.signed_on = dash(p.at(4));
      l.answered_on = dash(p.at(5));
      for (std::size_t i = 6; i < p.size(); ++i) l.trigger_key += (i > 6 ? ":" : "") + p[i];
      l.trigger_key = dash(l.trigger_key);
      f.letters.push_back(l);
    } else {
      throw std::runtime_error("unknown fact " + k);
    }
  }
  return f;
}

std::string reasonsOf(const Evaluation& e) {
  std::string s;
  for (const auto& r : e.reasons) {
    s += (s.empty() ? "" : ", ") + std::string(dimensionKey(r.dimension)) + ":" + lightKey(r.light) + ":" +
         std::to_string(r.value) + (r.since.empty() ? "" : "@" + r.since);
  }
  return s.empty() ? "-" : s;
}

std::string lettersOf(const Evaluation& e) {
  std::string s;
  for (const auto& l : e.letters) s += (s.empty() ? "" : ", ") + l.kind + "@" + l.trigger_key;
  return s.empty() ? "-" : s;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? "-" : s;
}

void runLightRow(const CaseRow& row) {
  const auto rules = rulesOf(row["rules"]);
  const auto facts = factsOf(row["facts"]);
  std::optional<Light> prev;
  if (row["previous"] != "-") prev = lightFromKey(row["previous"]);
  const auto e = evaluate(rules, facts, row["day"], prev);
  EXPECT_STREQ(lightKey(e.light), row["light"].c_str());
  EXPECT_EQ(reasonsOf(e), joined(row.list("reasons")));
  EXPECT_EQ(lettersOf(e), joined(row.list("letters")));
  if (row["message"] != "-") {
    ASSERT_FALSE(e.reasons.empty());
    EXPECT_NE(e.reasons[0].message.find(row["message"]), std::string::npos) << e.reasons[0].message;
  }
}

}  // namespace

TEST(LightCases, DimensionsFromTable) {
  int n = steward::testing::runCases("tests/core/cases/lights_dimensions.txt", runLightRow);
  EXPECT_GE(n, 25);
}

TEST(LightCases, PresetsFromTable) {
  int n = steward::testing::runCases("tests/core/cases/lights_presets.txt", runLightRow);
  EXPECT_GE(n, 6);
}

TEST(LightCases, TriggersFromTable) {
  int n = steward::testing::runCases("tests/core/cases/lights_triggers.txt", runLightRow);
  EXPECT_GE(n, 10);
}

TEST(LightCases, RecoveryAndReplayFromTable) {
  int n = steward::testing::runCases("tests/core/cases/lights_replay.txt", runLightRow);
  EXPECT_GE(n, 6);
}

TEST(LightCases, EarnedValueFromTable) {
  int n = steward::testing::runCases("tests/core/cases/lights_earned_value.txt", [](const CaseRow& row) {
    const auto facts = factsOf(row["facts"]);
    const auto ev = earnedValue(facts, row["day"]);
    std::ostringstream s;
    if (!ev.has_plan) s << "no_plan ev=" << ev.earned_value;
    else
      s << "pv=" << ev.planned_value << " ev=" << ev.earned_value << " spi=" << ev.spi_bp << " sv=" << ev.sv_money
        << " days=" << ev.sv_days << " fc=" << (ev.forecast_completion.empty() ? "-" : ev.forecast_completion);
    EXPECT_EQ(s.str(), row["expect"]);
  });
  EXPECT_GE(n, 5);
}

TEST(LightCases, TimeProgressAndSpans) {
  EXPECT_EQ(timeProgressBp("2023-06-30"), 4959);
  EXPECT_EQ(timeProgressBp("2023-12-31"), 10000);
  EXPECT_EQ(timeProgressBp("2024-01-01"), 27);
  EXPECT_EQ(addSpan("2023-01-31", {1, true}), "2023-02-28");
  EXPECT_EQ(addSpan("2024-01-31", {1, true}), "2024-02-29");
  EXPECT_EQ(subtractSpan("2023-03-15", {1, true}), "2023-02-15");
  EXPECT_EQ(addSpan("2023-12-25", {15, false}), "2024-01-09");
  EXPECT_EQ(subtractSpan("2023-03-31", {1, true}), "2023-02-28");
}

TEST(LightRulesJson, DefaultsRoundTripAndBadBodiesNameTheirFields) {
  LightRules d;
  auto back = service::lightRulesFromJson(service::lightRulesToJson(d));
  ASSERT_TRUE(back);
  EXPECT_EQ(service::lightRulesToJson(*back), service::lightRulesToJson(d));
  std::vector<service::FieldError> errs;
  const auto* kind = service::findRuleKind("lights");
  ASSERT_NE(kind, nullptr);
  auto out = kind->normalise(json::parse(R"({"node_slip":{"yellow":"x","red":-1},"start_slip":{"red_after":{"weeks":2}},
     "triggers":{"reminder":{"recipient":"mayor"}},"bogus":1})"), errs);
  EXPECT_TRUE(out.is_null());
  std::set<std::string> fields;
  for (const auto& e : errs) fields.insert(e.field + "/" + e.reason);
  for (const char* f : {"body.node_slip.yellow/invalid", "body.node_slip.red/out_of_range",
                        "body.start_slip.red_after/invalid_span", "body.triggers.reminder.recipient/unknown_recipient",
                        "body.bogus/unknown_field"})
    EXPECT_TRUE(fields.count(f)) << f;
  errs.clear();
  out = kind->normalise(json::parse(R"({"node_slip":{"yellow":40,"red":30}})"), errs);
  EXPECT_TRUE(out.is_null());
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].field, "body.node_slip.red");
  // Every preset normalises to itself, and Hengdong numbers its letters in its own style.
  for (const auto& [name, body] : kind->presets) {
    errs.clear();
    auto n = kind->normalise(body, errs);
    EXPECT_TRUE(errs.empty()) << name << ": " << (errs.empty() ? "" : errs[0].field + " " + errs[0].reason);
    EXPECT_EQ(n, body) << name;
  }
  auto h = rulesOf("hengdong");
  EXPECT_EQ(h.reminder.prefix, "衡重项提");
  EXPECT_EQ(h.assignment.prefix, "衡重项交");
  EXPECT_EQ(h.supervision.prefix, "衡重项督");
  EXPECT_EQ(h.work_reminder.prefix, "衡重项示");
}
