// The letters service against a real SQLite database with an injected clock: the trigger hook drafts once per
// trigger key, auto issue numbers at once, numbering per kind and year continues without gaps and restarts in a
// new year, and the month span clamps to the month's end.
#include "service/letters.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "service/audit.h"
#include "store/migrations.h"

using namespace steward;
using nlohmann::json;

namespace {
struct LettersFixture : ::testing::Test {
  void SetUp() override {
    auto dir = std::filesystem::temp_directory_path() / ("steward-letters-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::filesystem::remove(dir / "l.db");
    db = store::Database::open("sqlite:" + (dir / "l.db").string(), 2);
    store::migrate(*db);
    setNow("2026-03-15T02:00:00Z");
    env.db = db.get();
    env.now = [this] { return now; };
    auto c = db->acquire();
    c->exec("INSERT INTO regions (code, name, level) VALUES ('430400', '衡阳市', 'city')");
    c->exec("INSERT INTO regions (code, name, level, parent_code) VALUES ('430424', '衡东县', 'county', '430400')");
    unit = c->insert("INSERT INTO org_units (region_code, name, kind, created_at, updated_at) "
                     "VALUES ('430424', '县工业和信息化局', 'department', 'x', 'x')");
    c->exec("INSERT INTO users (region_code, username, display_name, roles, password_hash, created_at, updated_at) "
            "VALUES ('430424', 'hq', '刘建华', 'hq', 'x', 'x', 'x')");
    project = c->insert("INSERT INTO projects (region_code, name, category, stage, unit_id, created_at, updated_at) "
                        "VALUES ('430424', '衡东县智能制造产业园', 'industrial', 'preparing', ?, 'x', 'x')",
                        {unit});
    hq.user_id = 1;
    hq.username = "hq";
    hq.display_name = "刘建华";
    hq.region_code = "430424";
    hq.roles = {"hq"};
  }
  void setNow(const char* iso) { core::parseTimestamp(iso, now); }
  int trigger(const std::vector<core::lights::LetterTrigger>& ts, const core::lights::LightRules& rules = {}) {
    return env.db->transact(true, [&](store::Connection& c) {
      service::lockAuditHead(c, "430424");
      return service::applyLetterTriggers(env, c, "430424", project, ts, rules, core::localDay(now), env.nowIso());
    });
  }
  std::int64_t count(const std::string& where) {
    return db->acquire()->query("SELECT COUNT(*) FROM letters WHERE " + where).one().i64(0);
  }
  std::string issueNew(const std::string& kind) {
    service::LettersService s(env);
    auto d = s.create(hq, {{"project_id", project}, {"kind", kind}, {"facts", "进度滞后"}});
    return s.issue(hq, d["id"].get<std::int64_t>())["number"].get<std::string>();
  }
  std::unique_ptr<store::Database> db;
  core::TimePoint now;
  service::Env env;
  core::Actor hq;
  std::int64_t unit = 0, project = 0;
};
}  // namespace

TEST_F(LettersFixture, TheHookDraftsOneLetterPerTriggerKey) {
  core::lights::LetterTrigger t{"reminder", "start:2026-04-15", "计划2026年4月15日开工", "", "2026-04-01"};
  core::lights::LetterTrigger s{"supervision", "red:2026-03", "开工逾期", "", ""};
  EXPECT_EQ(trigger({t, s}), 2);
  EXPECT_EQ(trigger({t, s}), 0) << "the same occasions draft nothing more";
  EXPECT_EQ(trigger({t, {"supervision", "red:2026-04", "开工逾期", "", ""}}), 1) << "a new occasion drafts again";
  EXPECT_EQ(count("status = 'draft' AND number = ''"), 3) << "drafts carry no number";
  auto c = db->acquire();
  auto row = c->query("SELECT title, recipient_unit_id, action, drafted_by FROM letters WHERE kind = 'reminder'").one();
  EXPECT_EQ(row.str("title"), "关于衡东县智能制造产业园按期开工的提醒函");
  EXPECT_EQ(row.i64("recipient_unit_id"), unit);
  EXPECT_EQ(row.str("action"), core::lights::LightRules{}.reminder.action) << "the rule's action when none is given";
  EXPECT_TRUE(row.isNull("drafted_by")) << "drafted by the system";
  EXPECT_EQ(c->query("SELECT COUNT(*) FROM audit_log WHERE entity = 'letter' AND action = 'create'").one().i64(0), 3);
}

TEST_F(LettersFixture, AutoIssueNumbersAtOnceWithTheRuleDeadlines) {
  core::lights::LightRules rules;
  rules.auto_issue = true;
  EXPECT_EQ(trigger({{"assignment", "start:2026-02-28", "开工逾期15日", "", ""}}, rules), 1);
  auto r = db->acquire()->query("SELECT status, number, sign_due, answer_due FROM letters").one();
  EXPECT_EQ(r.str("status"), "issued");
  EXPECT_EQ(r.str("number"), "重项交〔2026〕1号");
  EXPECT_EQ(r.str("sign_due"), "2026-03-17");   // two days
  EXPECT_EQ(r.str("answer_due"), "2026-03-25");  // ten days
}

TEST_F(LettersFixture, NumbersContinueWithoutGapsPerKindAndRestartInANewYear) {
  EXPECT_EQ(issueNew("supervision"), "重项督〔2026〕1号");
  EXPECT_EQ(issueNew("supervision"), "重项督〔2026〕2号");
  EXPECT_EQ(issueNew("reminder"), "重项提〔2026〕1号") << "each kind its own sequence";
  service::LettersService s(env);
  auto discarded = s.create(hq, {{"project_id", project}, {"kind", "supervision"}, {"facts", "x"}});
  s.discard(hq, discarded["id"].get<std::int64_t>());
  EXPECT_EQ(issueNew("supervision"), "重项督〔2026〕3号") << "a discarded draft took no number";
  setNow("2027-01-01T00:30:00Z");  // 08:30 on 1 January in the county
  EXPECT_EQ(issueNew("supervision"), "重项督〔2027〕1号");
  setNow("2027-01-02T02:00:00Z");
  EXPECT_EQ(issueNew("supervision"), "重项督〔2027〕2号");
}

TEST_F(LettersFixture, AMonthSpanKeepsTheDayAndClampsToTheMonthEnd) {
  EXPECT_EQ(service::letterSpanAfter("2026-01-31", {1, true}), "2026-02-28");
  EXPECT_EQ(service::letterSpanAfter("2028-01-31", {1, true}), "2028-02-29");
  EXPECT_EQ(service::letterSpanAfter("2026-11-15", {2, true}), "2027-01-15");
  EXPECT_EQ(service::letterSpanAfter("2026-12-30", {3, false}), "2027-01-02");
}
