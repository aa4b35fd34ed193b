// The rules service and its repository against a real SQLite database with an injected clock.
#include "service/rules.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "service/audit.h"
#include "store/migrations.h"
#include "support/case_file.h"

using namespace steward;
using nlohmann::json;

namespace {
struct RulesFixture : ::testing::Test {
  void SetUp() override {
    auto dir = std::filesystem::temp_directory_path() / ("steward-rules-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::filesystem::remove(dir / "r.db");
    db = store::Database::open("sqlite:" + (dir / "r.db").string(), 2);
    store::migrate(*db);
    core::parseTimestamp("2026-03-15T02:00:00Z", now);
    env.db = db.get();
    env.now = [this] { return now; };
    auto c = db->acquire();
    c->exec("INSERT INTO regions (code, name, level) VALUES ('430400', '衡阳市', 'city')");
    c->exec("INSERT INTO regions (code, name, level, parent_code) VALUES ('430424', '衡东县', 'county', '430400')");
    hq.user_id = 1;
    hq.username = "hq";
    hq.display_name = "刘建华";
    hq.region_code = "430424";
    hq.roles = {"admin", "hq"};  // rule sets are set by the county's administrators
    viewer = hq;
    viewer.username = "viewer";
    viewer.roles = {"viewer"};
    city = viewer;
    city.region_code = "430400";
  }
  json preset(const std::string& name) { return service::RulesService(env).preset("lifecycle", name); }
  // The ErrorKind and code a call fails with.
  static std::pair<service::ErrorKind, std::string> failure(const std::function<void()>& f) {
    try {
      f();
    } catch (const service::ServiceError& e) {
      return {e.kind, e.code};
    }
    return {service::ErrorKind::BadRequest, "no error"};
  }
  std::int64_t ruleRows() { return db->acquire()->query("SELECT COUNT(*) FROM rule_sets").one().i64(0); }
  std::unique_ptr<store::Database> db;
  core::TimePoint now;
  service::Env env;
  core::Actor hq, viewer, city;
};
}  // namespace

// The same case file as the pure core::ruleInForce, run through the repository's SQL on a real database.
TEST_F(RulesFixture, TheRepositoryResolvesTheVersionInForceLikeTheCaseTable) {
  int row = 0;
  int n = steward::testing::runCases("tests/core/cases/rule_versions.txt", [&](const steward::testing::CaseRow& r) {
    const std::string kind = "case" + std::to_string(++row);  // each row its own history
    auto c = db->acquire();
    store::RuleSetRepository repo(*c);
    for (const auto& item : r.list("versions")) {
      auto at = item.find('@');
      ASSERT_NE(at, std::string::npos) << item;
      repo.insert({"430424", kind, std::stoi(item.substr(0, at)), item.substr(at + 1), "{}", "t", "a"});
    }
    auto got = repo.inForce("430424", kind, r["day"]);
    EXPECT_EQ(got ? std::to_string(got->version) : "-", r["in force"]);
  });
  EXPECT_GE(n, 16);
}

TEST_F(RulesFixture, StoringNumbersVersionsRecordsTheAuthorAndAudits) {
  service::RulesService rules(env);
  auto v1 = rules.store(&hq, "lifecycle", "430424", preset("hengdong"), "2023-01-01");
  EXPECT_EQ(v1["version"], 1);
  EXPECT_EQ(v1["author"], "刘建华");
  EXPECT_EQ(v1["summary"], "7 stages");
  auto v2 = rules.store(nullptr, "lifecycle", "430424", preset("hengdong"), "2026-03-16");
  EXPECT_EQ(v2["version"], 2);
  EXPECT_EQ(v2["author"], "system");

  auto today = rules.inForce(viewer, "lifecycle", "", "");
  EXPECT_EQ(today["version"], 1) << "version 2 comes into force tomorrow";
  EXPECT_EQ(today["as_of"], "2026-03-15");
  now += std::chrono::hours(14);  // 00:00 on the 16th in Asia/Shanghai
  EXPECT_EQ(rules.inForce(viewer, "lifecycle", "", "")["version"], 2);
  EXPECT_EQ(rules.inForce(viewer, "lifecycle", "", "2024-06-01")["version"], 1);

  auto audit = db->acquire()->query(
      "SELECT entity_id, actor_name, after_json FROM audit_log WHERE entity = 'rule_set' ORDER BY id");
  ASSERT_EQ(audit.rows.size(), 2u);
  EXPECT_EQ(audit.rows[0].str(0), "lifecycle/1");
  EXPECT_EQ(audit.rows[0].str(1), "刘建华");
  EXPECT_EQ(json::parse(audit.rows[1].str(2))["effective_from"], "2026-03-16");
}

TEST_F(RulesFixture, BadInputIsRefusedAndNothingIsWritten) {
  service::RulesService rules(env);
  using K = service::ErrorKind;
  EXPECT_EQ(failure([&] { rules.store(&hq, "league", "430424", json::object(), "2026-01-01"); }),
            std::make_pair(K::NotFound, std::string("unknown_kind")));
  EXPECT_EQ(failure([&] { rules.store(&hq, "lifecycle", "430424", preset("hengdong"), "2026-02-30"); }),
            std::make_pair(K::Validation, std::string("validation_failed")));
  EXPECT_EQ(failure([&] { rules.store(&viewer, "lifecycle", "430424", preset("hengdong"), "2026-01-01"); }).first,
            K::Forbidden);
  EXPECT_EQ(failure([&] { rules.store(&city, "lifecycle", "430424", preset("hengdong"), "2026-01-01"); }).first,
            K::Forbidden)
      << "a city reads a county's rules but never sets them";
  EXPECT_EQ(failure([&] { rules.store(nullptr, "lifecycle", "439999", preset("hengdong"), "2026-01-01"); }),
            std::make_pair(K::Validation, std::string("unknown_region")))
      << "a code the national region list does not know";
  EXPECT_EQ(failure([&] { rules.store(nullptr, "lifecycle", "430426", preset("hengdong"), "2026-01-01"); }).first,
            K::NotFound)
      << "a listed county that is not set up here";
  EXPECT_EQ(failure([&] { rules.preset("lifecycle", "nowhere"); }),
            std::make_pair(K::Validation, std::string("unknown_preset")));

  auto bodyErrors = [&](const json& body) {
    try {
      rules.store(&hq, "lifecycle", "430424", body, "2026-01-01");
    } catch (const service::ServiceError& e) {
      EXPECT_EQ(e.code, "invalid_rule_set");
      std::vector<std::string> out;
      for (const auto& f : e.fields) out.push_back(f.field + ":" + f.reason);
      return out;
    }
    return std::vector<std::string>{"stored"};
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(bodyErrors(json::array()), V{"body:invalid"});
  EXPECT_EQ(bodyErrors({{"stages", json::array()}}), V{"body.stages:required"});
  EXPECT_EQ(bodyErrors(json::parse(R"({"stages":[{"key":"a","name":"甲"},{"key":"a","name":"乙"}]})")),
            V{"body.stages[1].key:duplicate"});
  EXPECT_EQ(bodyErrors(json::parse(R"({"stages":[{"key":"a b","name":""},{"key":"c","name":"丙","requires":["nope",1]}]})")),
            (V{"body.stages[0].key:invalid", "body.stages[0].name:required", "body.stages[1].requires[0]:unknown_field",
               "body.stages[1].requires[1]:invalid"}));
  EXPECT_EQ(bodyErrors({{"stages", json::array({{{"key", "a"}, {"name", std::string(201, 'x')}}})}}),
            V{"body.stages[0].name:too_long"});
  EXPECT_EQ(bodyErrors({{"stages", json::array({{{"key", "a"}, {"name", "甲"}}})}, {"pad", std::string(70000, 'x')}}),
            V{"body:too_large"});
  EXPECT_EQ(ruleRows(), 0);
}

TEST_F(RulesFixture, LifecycleRefusesToStrandProjectsInAStageItDropsAndWritesNothing) {
  service::RulesService rules(env);
  rules.store(nullptr, "lifecycle", "430424", preset("hengdong"), "2023-01-01");
  db->acquire()->exec(
      "INSERT INTO projects (region_code, name, category, stage, created_at, updated_at) VALUES "
      "('430424', '甲', 'industrial', 'siting', 't', 't')");
  try {
    rules.store(nullptr, "lifecycle", "430424", preset("zhuxi"), "2026-01-01");
    FAIL() << "zhuxi has no siting stage";
  } catch (const service::ServiceError& e) {
    EXPECT_EQ(e.kind, service::ErrorKind::Conflict);
    EXPECT_NE(std::string(e.what()).find("siting"), std::string::npos);
  }
  EXPECT_EQ(ruleRows(), 1);
  auto audited = db->acquire()->query("SELECT COUNT(*) FROM audit_log WHERE entity = 'rule_set'").one().i64(0);
  EXPECT_EQ(audited, 1);
  // A preset keeping every stage in use is accepted.
  auto custom = preset("hengdong");
  custom["stages"][3]["name"] = "规划选址与供地";
  EXPECT_EQ(rules.store(nullptr, "lifecycle", "430424", custom, "2026-01-01")["version"], 2);
  auto c = db->acquire();
  EXPECT_EQ(service::loadLifecycle(*c, "430424", "2026-01-01").find("siting")->name, "规划选址与供地");
  EXPECT_EQ(service::loadLifecycle(*c, "430424", "2025-12-31").find("siting")->name, "规划选址");
}

TEST_F(RulesFixture, ReadsAreScopedAndVersionsAreBounded) {
  service::RulesService rules(env);
  for (int i = 0; i < 7; ++i) rules.store(nullptr, "lifecycle", "430424", preset("hengdong"), "2023-01-0" + std::to_string(i + 1));
  auto page = rules.versions(viewer, "lifecycle", "", 3, std::nullopt);
  ASSERT_EQ(page["items"].size(), 3u);
  EXPECT_EQ(page["items"][0]["version"], 7);
  EXPECT_EQ(page["next_before"], 5);
  auto last = rules.versions(viewer, "lifecycle", "", 3, 2);
  ASSERT_EQ(last["items"].size(), 1u);
  EXPECT_TRUE(last["next_before"].is_null());
  EXPECT_EQ(rules.versions(viewer, "lifecycle", "", 100000, std::nullopt)["items"].size(), 7u);

  EXPECT_EQ(rules.inForce(city, "lifecycle", "430424", "")["version"], 7);
  auto cityOwn = rules.inForce(city, "lifecycle", "", "");
  EXPECT_EQ(cityOwn["version"], 0);
  EXPECT_EQ(cityOwn["body"]["preset"], "hengdong");
  EXPECT_EQ(failure([&] { rules.inForce(viewer, "lifecycle", "430400", ""); }).first, service::ErrorKind::NotFound);
  EXPECT_EQ(failure([&] { rules.inForce(viewer, "lifecycle", "", "2026-13-01"); }).first,
            service::ErrorKind::Validation);

  auto list = rules.list("430424");
  ASSERT_EQ(list["kinds"].size(), service::ruleKinds().size());
  EXPECT_EQ(list["kinds"][0]["in_force"], 7);
  EXPECT_EQ(list["kinds"][0]["versions"].size(), 7u);
}

// Every registered kind is complete: a unique name, a validator, and presets the validator accepts unchanged.
TEST(RuleKinds, EveryKindsPresetsPassItsOwnValidatorUnchanged) {
  std::set<std::string> names;
  for (const auto& k : service::ruleKinds()) {
    EXPECT_TRUE(names.insert(k.name).second) << k.name;
    ASSERT_TRUE(k.normalise) << k.name;
    EXPECT_FALSE(k.presets.empty()) << k.name;
    for (const auto& [name, body] : k.presets) {
      std::vector<service::FieldError> errs;
      EXPECT_EQ(k.normalise(body, errs), body) << k.name << "/" << name;
      EXPECT_TRUE(errs.empty()) << k.name << "/" << name;
    }
    EXPECT_EQ(service::findRuleKind(k.name), &k);
  }
  EXPECT_TRUE(names.count("lifecycle"));
  EXPECT_EQ(service::findRuleKind("league"), nullptr);
  EXPECT_TRUE(names.count("rankings"));
  EXPECT_EQ(service::ruleKindNames(), "lifecycle, profile, cadence, lights, problems, rankings");
}

// Every kind checks its "inherited" list the same way: a path must name a key of the rules (one the body left to
// its default included), once; `from` and `note` are required; nothing else is accepted.
TEST(RuleKinds, EveryKindChecksItsInheritedListTheSameWay) {
  for (const auto& k : service::ruleKinds()) {
    ASSERT_FALSE(k.presets.empty()) << k.name;
    const json base = k.presets.front().second;
    auto refused = [&](const json& inherited, const std::string& field, const std::string& reason) {
      json body = base;
      body["inherited"] = inherited;
      std::vector<service::FieldError> errs;
      EXPECT_TRUE(k.normalise(body, errs).is_null()) << k.name << " " << inherited.dump();
      bool named = false;
      for (const auto& e : errs) named = named || (e.field == field && e.reason == reason);
      EXPECT_TRUE(named) << k.name << ": expected " << field << " " << reason << " for " << inherited.dump();
    };
    refused(json::array({{{"path", "no_such_key"}, {"from", "default"}, {"note", "本县报告未涉及"}}}),
            "body.inherited[0].path", "unknown_field");
    refused(json::array({{{"path", "preset"}, {"from", "default"}, {"note", "x"}}}), "body.inherited[0].path",
            "unknown_field");
    // A key of the normalised rules, named twice.
    std::vector<service::FieldError> none;
    const json full = k.normalise(base, none);
    ASSERT_TRUE(none.empty()) << k.name;
    std::string key;
    for (const auto& [name, v] : full.items())
      if (name != "preset" && name != "inherited") key = name;
    ASSERT_FALSE(key.empty()) << k.name;
    const json item = {{"path", key}, {"from", "default"}, {"note", "本县报告未涉及"}};
    refused(json::array({item, item}), "body.inherited[1].path", "duplicate");
    refused(json::array({{{"path", key}, {"from", "default"}}}), "body.inherited[0].note", "required");
    refused(json::array({{{"path", key}, {"from", "default"}, {"note", "n"}, {"extra", 1}}}),
            "body.inherited[0].extra", "unknown_field");
    refused(json::object(), "body.inherited", "invalid");
    // The key is accepted even when the body leaves it to its default (the kinds whose keys all have defaults).
    if (k.name == "profile" || k.name == "lifecycle" || k.name == "problems") continue;
    const std::map<std::string, std::string> optionalKey = {
        {"cadence", "photo_max_distance_m"}, {"lights", "auto_issue"}, {"rankings", "awards"}};
    ASSERT_TRUE(optionalKey.count(k.name)) << "name an optional key of " << k.name;
    const json optional = {{"path", optionalKey.at(k.name)}, {"from", "default"}, {"note", "本县报告未涉及"}};
    json partial = base;
    partial.erase(optionalKey.at(k.name));
    partial["inherited"] = json::array({optional});
    std::vector<service::FieldError> errs;
    const json out = k.normalise(partial, errs);
    EXPECT_TRUE(errs.empty()) << k.name << ": " << (errs.empty() ? "" : errs[0].field + " " + errs[0].reason);
    EXPECT_EQ(out["inherited"], json::array({optional})) << k.name;
  }
}
