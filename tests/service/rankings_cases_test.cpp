// The ranking rules as table-driven cases (tests/core/cases/rankings_*.txt): units' figures + rule set → scores,
// ranks, grades, yellow cards, summons; and quarterly award candidates. The rule set is a preset of the "rankings"
// kind ("default" is the fallback) with optional overrides "path=value" (JSON values), so a reviewer reads every
// rule without C++. Every row is also recomputed from its inputs in reverse order and must serialise to the same
// bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/rankings.h"
#include "service/ranking_rules.h"
#include "service/rules.h"
#include "support/case_file.h"

using namespace steward;
using namespace steward::core::rankings;
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

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

json bodyOf(const std::string& cell) {
  auto words = split(cell, ' ');
  const auto* kind = service::findRuleKind("rankings");
  if (!kind) throw std::runtime_error("no rankings kind");
  json body;
  if (words.empty() || words[0] == "default") body = kind->fallback;
  else
    for (const auto& [n, b] : kind->presets)
      if (n == words[0]) body = b;
  if (body.is_null()) throw std::runtime_error("no rankings preset " + words[0]);
  for (std::size_t i = 1; i < words.size(); ++i) {
    const auto eq = words[i].find('=');
    json* at = &body;
    for (const auto& part : split(words[i].substr(0, eq), '.'))
      at = at->is_array() ? &at->at(std::stoul(part)) : &(*at)[part];
    *at = json::parse(words[i].substr(eq + 1));
  }
  return body;
}

RankingRules rulesOf(const std::string& cell) {
  std::vector<service::FieldError> errs;
  auto r = service::rankingRulesFromJson(bodyOf(cell), &errs);
  if (!r) throw std::runtime_error("rules do not parse: " + (errs.empty() ? "" : errs[0].field + " " + errs[0].reason));
  return *r;
}

std::vector<UnitInput> unitsOf(const std::string& cell) {
  std::vector<UnitInput> out;
  for (const auto& spec : split(cell, ';')) {
    auto words = split(trim(spec), ' ');
    if (words.empty()) continue;
    UnitInput u;
    u.id = u.name = words[0];
    for (std::size_t i = 1; i < words.size(); ++i) {
      const auto eq = words[i].find('=');
      if (eq == std::string::npos) throw std::runtime_error("not key=value: " + words[i]);
      const auto k = words[i].substr(0, eq), v = words[i].substr(eq + 1);
      if (k == "cards") {
        u.cards_before = std::stoi(v);
        continue;
      }
      Figure f;
      if (auto slash = v.find('/'); slash != std::string::npos) {
        f.num = std::stoll(v.substr(0, slash));
        f.den = std::stoll(v.substr(slash + 1));
      } else {
        f.value = std::stoll(v);
      }
      u.figures[k] = f;
    }
    out.push_back(u);
  }
  return out;
}

std::string tokenOf(const UnitScore& u) {
  std::string s = u.id + ":" + std::to_string(u.total) + ":" + u.grade;
  if (u.tied) s += ":T";
  if (u.proposed) s += ":P";
  if (u.yellow_card) s += ":Y";
  if (u.summons) s += ":S";
  return s;
}

std::string joined(const std::vector<std::string>& v, const char* sep = " ") {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s.empty() ? "-" : s;
}

void runScoreRow(const CaseRow& row) {
  const auto rules = rulesOf(row["rules"]);
  auto units = unitsOf(row["units"]);
  std::set<std::string> chosen;
  for (const auto& c : row.list("chosen")) chosen.insert(c);
  const auto r = scoreUnits(rules, units, chosen);
  std::vector<std::string> tokens;
  for (const auto& u : r.units) tokens.push_back(tokenOf(u));
  EXPECT_EQ(joined(tokens), row["ranking"]);
  for (const auto& check : split(row["detail"] == "-" ? "" : row["detail"], ' ')) {
    const auto eq = check.find('=');
    const auto lhs = check.substr(0, eq), rhs = check.substr(eq + 1);
    if (lhs == "refused") {
      EXPECT_EQ(joined(r.refused, ","), rhs);
      continue;
    }
    const auto dot = lhs.find('.');
    const auto id = lhs.substr(0, dot), key = lhs.substr(dot + 1);
    std::string got = "no such unit/factor";
    for (const auto& u : r.units)
      for (const auto& f : u.factors)
        if (u.id == id && f.key == key)
          got = (f.raw ? std::to_string(*f.raw) : "-") + "/" + std::to_string(f.points) + "/" +
                std::to_string(f.contribution);
    EXPECT_EQ(got, rhs) << lhs;
  }
  // The same inputs in another order recompute to the same bytes.
  std::reverse(units.begin(), units.end());
  EXPECT_EQ(service::rankingToJson(scoreUnits(rules, units, chosen)).dump(), service::rankingToJson(r).dump());
}

}  // namespace

TEST(RankingCases, ScoresFromTable) {
  EXPECT_GE(steward::testing::runCases("tests/core/cases/rankings_scores.txt", runScoreRow), 9);
}

TEST(RankingCases, TiesFromTable) {
  EXPECT_GE(steward::testing::runCases("tests/core/cases/rankings_ties.txt", runScoreRow), 4);
}

TEST(RankingCases, PresetsFromTable) {
  EXPECT_GE(steward::testing::runCases("tests/core/cases/rankings_presets.txt", runScoreRow), 7);
}

TEST(RankingCases, AwardsFromTable) {
  int n = steward::testing::runCases("tests/core/cases/rankings_awards.txt", [](const CaseRow& row) {
    const auto rules = rulesOf(row["rules"]);
    std::vector<AwardFact> facts;
    for (const auto& spec : split(row["facts"], ';')) {
      auto words = split(trim(spec), ' ');
      if (words.size() < 2) throw std::runtime_error("fact needs id and project|unit: " + spec);
      AwardFact f;
      f.id = f.name = words[0];
      f.project = words[1] == "project";
      for (std::size_t i = 2; i < words.size(); ++i) {
        const auto eq = words[i].find('=');
        f.figures[words[i].substr(0, eq)] = std::stoll(words[i].substr(eq + 1));
      }
      facts.push_back(f);
    }
    const auto c = awardCandidates(rules, facts, row["quarter"]);
    std::vector<std::string> got;
    for (const auto& a : c) got.push_back(a.award + ":" + a.id);
    EXPECT_EQ(joined(got), row["expect"]);
    if (row["message"] != "-") {
      ASSERT_FALSE(c.empty());
      EXPECT_NE(c[0].message.find(row["message"]), std::string::npos) << c[0].message;
    }
    std::reverse(facts.begin(), facts.end());
    EXPECT_EQ(service::awardCandidatesToJson(awardCandidates(rules, facts, row["quarter"])).dump(),
              service::awardCandidatesToJson(c).dump());
  });
  EXPECT_GE(n, 3);
}

// A ranking explains itself in Chinese and serialises to one canonical text.
TEST(RankingCases, EveryScoreExplainsItselfAndSerialisesCanonically) {
  auto rules = rulesOf("default yellow.summons_after=2");
  auto units = unitsOf("B investment=1/2 start=0/1 visits=0/1 problems=0/1 letters=0/1 cards=1 ; A investment=9/10 start=1/1 reports=1/1 visits=1/1 "
                       "problems=1/1 letters=1/1");
  const auto r = scoreUnits(rules, units);
  ASSERT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.units[0].factors[0].message, "投资完成率 90.00%，得 90.00 分 × 权重 30% = 27.00 分");
  EXPECT_EQ(r.units[1].factors[1].message, "开工率 0.00%，得 0.00 分 × 权重 20% = 0.00 分");
  EXPECT_EQ(r.units[1].factors[2].message, "按时报送率 无数据，得 100.00 分 × 权重 15% = 15.00 分");
  EXPECT_EQ(r.units[0].message, "第1名，总分 97.00 分，等次优");
  EXPECT_EQ(r.units[1].message,
            "第2名，总分 30.00 分，等次差；低于黄牌线 60.00 分，亮黄牌（连续2个月）；连续黄牌达到2次，约谈主要负责人");
  const std::string prefix =
      R"({"refused":[],"units":[{"factors":[{"contribution":2700,"key":"investment","message":"投资完成率 90.00%，得 90.00)";
  EXPECT_EQ(service::rankingToJson(r).dump().rfind(prefix, 0), 0u) << service::rankingToJson(r).dump();
  EXPECT_EQ(hundredths(-5), "-0.05");
  EXPECT_EQ(hundredths(123456), "1234.56");
}

TEST(RankingRulesJson, DefaultsRoundTripAndBadBodiesNameTheirFields) {
  const auto d = service::defaultRankingRules();
  auto back = service::rankingRulesFromJson(service::rankingRulesToJson(d));
  ASSERT_TRUE(back);
  EXPECT_EQ(service::rankingRulesToJson(*back), service::rankingRulesToJson(d));
  const auto* kind = service::findRuleKind("rankings");
  ASSERT_NE(kind, nullptr);
  std::vector<service::FieldError> errs;
  auto out = kind->normalise(json::parse(R"({
     "factors":[{"key":"investment","label":"投资","weight":"30"},
                {"key":"investment","label":"","weight":120,"measure":"volume","curve":"bands",
                 "bands":[{"min":5000,"points":1},{"min":6000,"points":20000},{"min":1}],"extra":1},
                {"key":"Bad Key","label":"x","weight":10,"curve":"deduct"}],
     "tie_break":["nope"],
     "grades":{"mode":"curve","excellent_min":5000,"poor_below":6000,"excellent_share":70,"poor_share":40},
     "yellow":{"mode":"random","line":-1,"summons_after":99,"enabled":"yes"},
     "awards":{"start":{"label":"","max":-1},"gold":{}},
     "bogus":1})"), errs);
  EXPECT_TRUE(out.is_null());
  std::set<std::string> fields;
  for (const auto& e : errs) fields.insert(e.field + "/" + e.reason);
  for (const char* f : {"body.factors[0].weight/invalid", "body.factors[1].key/duplicate",
                        "body.factors[1].label/required", "body.factors[1].weight/out_of_range",
                        "body.factors[1].measure/unknown_value", "body.factors[1].bands[1].min/not_descending",
                        "body.factors[1].bands[1].points/out_of_range", "body.factors[1].bands[2].points/required",
                        "body.factors[1].extra/unknown_field", "body.factors[2].key/invalid",
                        "body.factors[2].per_item/required", "body.tie_break[0]/unknown_factor",
                        "body.grades.mode/unknown_value", "body.grades.poor_below/above_excellent",
                        "body.grades.poor_share/shares_over_100", "body.yellow.mode/unknown_value",
                        "body.yellow.line/out_of_range", "body.yellow.summons_after/out_of_range",
                        "body.yellow.enabled/invalid", "body.awards.start.label/required",
                        "body.awards.start.max/out_of_range", "body.awards.gold/unknown_field",
                        "body.bogus/unknown_field"})
    EXPECT_TRUE(fields.count(f)) << f;
  // Weights must add up to 100; lists and strings are capped.
  errs.clear();
  out = kind->normalise(json::parse(R"({"factors":[{"key":"a","label":"甲","weight":60},{"key":"b","label":"乙","weight":30}]})"), errs);
  EXPECT_TRUE(out.is_null());
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].field + "/" + errs[0].reason, "body.factors/weights_not_100");
  errs.clear();
  json many = json::array();
  for (int i = 0; i < 21; ++i) many.push_back({{"key", "f" + std::to_string(i)}, {"label", "x"}, {"weight", 0}});
  out = kind->normalise(json{{"factors", many}, {"tie_break", json::array()}}, errs);
  ASSERT_FALSE(errs.empty());
  EXPECT_EQ(errs[0].field + "/" + errs[0].reason, "body.factors/too_many");
  errs.clear();
  out = kind->normalise(json{{"awards", {{"land", {{"label", std::string(101, 'x')}}}}}}, errs);
  ASSERT_FALSE(errs.empty());
  EXPECT_EQ(errs[0].field + "/" + errs[0].reason, "body.awards.land.label/too_long");
  // A body stating only its factors keeps the default grades, cards and awards; the tie-break keeps only its keys.
  errs.clear();
  out = kind->normalise(json::parse(R"({"factors":[{"key":"investment","label":"投资","weight":100}]})"), errs);
  ASSERT_TRUE(errs.empty());
  EXPECT_EQ(out["tie_break"], json::array({"investment"}));
  EXPECT_EQ(out["grades"], kind->fallback["grades"]);
  EXPECT_EQ(out["awards"], kind->fallback["awards"]);
  // Every preset normalises to itself and says where it is silent.
  std::set<std::string> names;
  for (const auto& [name, body] : kind->presets) {
    names.insert(name);
    errs.clear();
    EXPECT_EQ(kind->normalise(body, errs), body) << name;
    EXPECT_TRUE(errs.empty()) << name;
    EXPECT_FALSE(body["inherited"].empty()) << name;
  }
  EXPECT_EQ(names, (std::set<std::string>{"zhuxi", "xianfeng", "jingle", "lianshui", "hengdong"}));
  EXPECT_EQ(rulesOf("zhuxi").subject, "project");
  EXPECT_EQ(rulesOf("lianshui").yellow.mode, CardMode::Propose);
  EXPECT_EQ(rulesOf("jingle").grades.mode, GradeMode::Shares);
}

// The five accounts' due days (五账法) under the default and a configured ledger rule; bad rules name their field.
TEST(RankingRulesJson, LedgerDueDaysFollowTheRule) {
  LedgerRule d;
  // February 2026: the 28th is a Saturday, so hand-in is Friday the 27th; settle on 5 March.
  EXPECT_EQ(ledgerDues(d, "2026-02"),
            (std::array<std::string, 5>{"2026-02-05", "2026-02-20", "2026-02-25", "2026-02-27", "2026-03-05"}));
  // December settles in January of the next year; the 31st is a Thursday.
  EXPECT_EQ(ledgerDues(d, "2026-12")[3], "2026-12-31");
  EXPECT_EQ(ledgerDues(d, "2026-12")[4], "2027-01-05");
  // Days past the month's end fall on its last day.
  auto rules = service::rankingRulesFromJson(
      {{"factors", json::array({{{"key", "investment"}, {"label", "投资完成率"}, {"weight", 100}}})},
       {"ledger", {{"set_up_day", 3}, {"sort_day", 15}, {"reconcile_day", 30}, {"hand_in_day", 31}, {"settle_day", 10}}}});
  ASSERT_TRUE(rules);
  EXPECT_EQ(ledgerDues(rules->ledger, "2026-02"),
            (std::array<std::string, 5>{"2026-02-03", "2026-02-15", "2026-02-28", "2026-02-28", "2026-03-10"}));
  EXPECT_EQ(service::rankingRulesToJson(*rules)["ledger"]["reconcile_day"], 30);
  std::vector<service::FieldError> errs;
  EXPECT_FALSE(service::rankingRulesFromJson(
      {{"factors", json::array({{{"key", "investment"}, {"label", "投资完成率"}, {"weight", 100}}})},
       {"ledger", {{"sort_day", 2}, {"set_up_day", 9}, {"settle_day", 0}, {"days", 1}}}},
      &errs));
  std::set<std::string> got;
  for (const auto& e : errs) got.insert(e.field + " " + e.reason);
  EXPECT_TRUE(got.count("body.ledger steps_out_of_order")) << ::testing::PrintToString(got);
  EXPECT_TRUE(got.count("body.ledger.settle_day out_of_range")) << ::testing::PrintToString(got);
  EXPECT_TRUE(got.count("body.ledger.days unknown_field")) << ::testing::PrintToString(got);
}
