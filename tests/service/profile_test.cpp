// The county profile kind (县情配置): its validator's caps and field-named errors, its fallback, and the five
// seed counties' presets, each accepted by the validator with what its report is silent on marked inherited.
#include "service/profile.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "service/presets.h"
#include "service/rules.h"

using namespace steward;
using nlohmann::json;

namespace {
const service::RuleKind& kind() { return *service::findRuleKind("profile"); }

std::vector<service::FieldError> errorsOf(const json& body) {
  std::vector<service::FieldError> errs;
  kind().normalise(body, errs);
  return errs;
}
bool hasError(const json& body, const std::string& field, const std::string& reason) {
  auto errs = errorsOf(body);
  return std::any_of(errs.begin(), errs.end(), [&](const auto& e) { return e.field == field && e.reason == reason; });
}
json preset(const std::string& name) { return service::RulesService(service::Env{}).preset("profile", name); }
std::vector<std::string> inheritedPaths(const json& body) {
  std::vector<std::string> out;
  for (const auto& i : body["inherited"]) out.push_back(i["path"]);
  return out;
}
std::vector<std::string> itemKeys(const json& body) {
  std::vector<std::string> out;
  for (const auto& i : body["ones"]["items"]) out.push_back(i["key"]);
  return out;
}
}  // namespace

TEST(Profile, IsOneRegisteredKindWithTheDocumentedDefaultAsFallback) {
  ASSERT_NE(service::findRuleKind("profile"), nullptr);
  EXPECT_EQ(kind().fallback, service::defaultProfile());
  EXPECT_EQ(itemKeys(kind().fallback), (std::vector<std::string>{"leader", "unit", "team", "plan", "schedule"}));
  EXPECT_TRUE(errorsOf(kind().fallback).empty());
}

TEST(Profile, EverySeedPresetPassesItsOwnValidatorUnchanged) {
  for (const char* name : {"zhuxi", "xianfeng", "jingle", "lianshui", "hengdong"}) {
    SCOPED_TRACE(name);
    const auto body = preset(name);
    std::vector<service::FieldError> errs;
    EXPECT_EQ(kind().normalise(body, errs), body);
    EXPECT_TRUE(errs.empty());
    EXPECT_EQ(body["preset"], name);
  }
}

TEST(Profile, EachCountyHasItsOwnChecklistModelAndWords) {
  EXPECT_EQ(itemKeys(preset("hengdong")), (std::vector<std::string>{"project", "leader", "team", "plan", "schedule"}));
  EXPECT_EQ(itemKeys(preset("zhuxi")), (std::vector<std::string>{"schedule", "drawing", "task_book"}));
  EXPECT_EQ(itemKeys(preset("lianshui")), (std::vector<std::string>{"leader", "plan", "schedule", "service_group"}));
  EXPECT_EQ(preset("lianshui")["ones"]["name"], "四个一");
  EXPECT_EQ(preset("jingle")["ones"]["items"].back()["name"], "一抓到底");
  EXPECT_EQ(preset("zhuxi")["model"]["ratios"],
            (json{{"projects", 181}, {"county_leader", 37}, {"unit_principal", 43}, {"unit_leader", 56}, {"section_chief", 69}}));
  EXPECT_EQ(preset("hengdong")["model"]["group_count"], 8);
  EXPECT_EQ(preset("hengdong")["chains"]["count"], 7);
  EXPECT_TRUE(preset("hengdong")["chains"]["names"].empty());  // the seed gives only the count
  EXPECT_EQ(preset("zhuxi")["chains"]["names"].size(), 7u);
  EXPECT_EQ(preset("zhuxi")["vocabulary"]["leader"], "项目长");
  EXPECT_EQ(preset("hengdong")["vocabulary"]["leader"], "牵头领导");
  EXPECT_EQ(preset("hengdong")["roles"][0]["use"], "required_under_construction");
}

TEST(Profile, WhatASeedIsSilentOnIsMarkedInherited) {
  EXPECT_TRUE(inheritedPaths(preset("hengdong")).empty());
  auto xf = inheritedPaths(preset("xianfeng"));
  for (const char* k : {"ones", "model", "roles", "ranks", "chains", "vocabulary"})
    EXPECT_NE(std::find(xf.begin(), xf.end(), k), xf.end()) << k;
  for (const char* name : {"zhuxi", "jingle", "lianshui"}) {
    auto p = inheritedPaths(preset(name));
    EXPECT_NE(std::find(p.begin(), p.end(), "ranks"), p.end()) << name;
  }
  auto lc = service::RulesService(service::Env{}).preset("lifecycle", "lianshui");
  ASSERT_EQ(lc["inherited"].size(), 2u);
  EXPECT_EQ(lc["inherited"][0]["path"], "stages");
  EXPECT_EQ(service::RulesService(service::Env{}).preset("lifecycle", "zhuxi")["inherited"][0]["path"], "nodes");
}

TEST(Profile, TheValidatorNamesEveryBadField) {
  auto b = service::defaultProfile();
  b["ones"]["items"][1]["key"] = "leader";
  EXPECT_TRUE(hasError(b, "body.ones.items[1].key", "duplicate"));
  b = service::defaultProfile();
  b["ones"]["items"][0]["satisfied_by"] = "horoscope";
  EXPECT_TRUE(hasError(b, "body.ones.items[0].satisfied_by", "unknown_value"));
  b = service::defaultProfile();
  b["ones"]["items"][0]["key"] = "a b";
  EXPECT_TRUE(hasError(b, "body.ones.items[0].key", "invalid"));
  b = service::defaultProfile();
  b["ones"]["items"] = json::array();
  EXPECT_TRUE(hasError(b, "body.ones.items", "required"));
  b = service::defaultProfile();
  b.erase("ranks");
  EXPECT_TRUE(hasError(b, "body.ranks", "required"));
  b = service::defaultProfile();
  b["colour"] = "red";
  EXPECT_TRUE(hasError(b, "body.colour", "unknown_field"));
  b = service::defaultProfile();
  b["model"]["key"] = "7+1";
  EXPECT_TRUE(hasError(b, "body.model.key", "unknown_value"));
  b = service::defaultProfile();
  b["model"]["ratios"] = {{"county_leader", -1}};
  EXPECT_TRUE(hasError(b, "body.model.ratios.county_leader", "out_of_range"));
  b = service::defaultProfile();
  b["chains"] = {{"count", 3}, {"names", {"a", "b"}}};
  EXPECT_TRUE(hasError(b, "body.chains.count", "mismatch"));
  b = service::defaultProfile();
  b["vocabulary"]["leader"] = std::string(101, 'x');
  EXPECT_TRUE(hasError(b, "body.vocabulary.leader", "too_long"));
  b = service::defaultProfile();
  b["roles"].push_back({{"key", "steward"}, {"name", "x"}, {"use", "optional"}});
  EXPECT_TRUE(hasError(b, "body.roles", "too_many"));
  b = service::defaultProfile();
  b["inherited"] = json::array({{{"path", "weather"}, {"from", "default"}, {"note", "x"}}});
  EXPECT_TRUE(hasError(b, "body.inherited[0].path", "unknown_field"));
  b = service::defaultProfile();
  b["inherited"] = json::array({{{"path", "ranks"}, {"from", "default"}}});
  EXPECT_TRUE(hasError(b, "body.inherited[0].note", "required"));
  json items = json::array();
  for (int i = 0; i < 13; ++i) items.push_back({{"key", "k" + std::to_string(i)}, {"name", "n"}, {"satisfied_by", "manual"}});
  b = service::defaultProfile();
  b["ones"]["items"] = items;
  EXPECT_TRUE(hasError(b, "body.ones.items", "too_many"));
  EXPECT_TRUE(hasError(json::array(), "body", "invalid"));
}

TEST(Profile, StageMapsReadFromJsonOrTsvAndRefuseAnythingElse) {
  EXPECT_EQ(service::parseStageMap(R"({"planning": "reserve"})"), (std::map<std::string, std::string>{{"planning", "reserve"}}));
  EXPECT_EQ(service::parseStageMap("# old\tnew\nplanning\treserve\r\n\nsiting\tapprovals\n"),
            (std::map<std::string, std::string>{{"planning", "reserve"}, {"siting", "approvals"}}));
  EXPECT_THROW(service::parseStageMap("planning reserve\n"), service::ServiceError);
  EXPECT_THROW(service::parseStageMap(R"({"planning": 3})"), service::ServiceError);
}
