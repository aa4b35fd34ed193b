#include "store/project_repo.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "core/limits.h"
#include "store/migrations.h"

using namespace steward::store;

namespace {

const char* kNow = "2026-05-01T08:00:00+08:00";

// A temporary SQLite database with two counties of one city, their org units and people.
class ProjectRepoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = std::filesystem::temp_directory_path() / ("steward-project-repo-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    path_ = dir / (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db");
    std::filesystem::remove(path_);
    db_ = Database::open("sqlite:" + path_.string(), 2);
    migrate(*db_);
    auto c = db_->acquire();
    c->exec("INSERT INTO regions (code, name, level) VALUES ('430400', '衡阳市', 'city')");
    c->exec("INSERT INTO regions (code, name, level, parent_code) VALUES ('430424', '衡东县', 'county', '430400')");
    c->exec("INSERT INTO regions (code, name, level, parent_code) VALUES ('430421', '衡阳县', 'county', '430400')");
    township_ = c->insert("INSERT INTO org_units (region_code, name, kind, created_at, updated_at) VALUES "
                          "('430424', '城关镇', 'township', ?, ?)",
                          {kNow, kNow});
    unit_ = c->insert("INSERT INTO org_units (region_code, name, kind, created_at, updated_at) VALUES "
                      "('430424', '发改局', 'department', ?, ?)",
                      {kNow, kNow});
    otherUnit_ = c->insert("INSERT INTO org_units (region_code, name, kind, created_at, updated_at) VALUES "
                           "('430421', '衡阳县发改局', 'department', ?, ?)",
                           {kNow, kNow});
    staff_ = user(*c, "430424", "staff1", "张三", "staff");
    leader_ = user(*c, "430424", "leader1", "李县长", "county_leader");
    otherUser_ = user(*c, "430421", "other1", "王五", "staff");
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove(path_);
  }
  static std::int64_t user(Connection& c, const char* region, const char* username, const char* name,
                           const char* rank) {
    return c.insert("INSERT INTO users (region_code, username, display_name, rank, password_hash, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, 'x', ?, ?)",
                    {std::string(region), std::string(username), std::string(name), std::string(rank), kNow, kNow});
  }
  std::int64_t project(ProjectRepo& r, const std::string& region, const std::string& name, std::int64_t total,
                       Fields more = {}) {
    Fields f{{"name", name}, {"category", std::string("industrial")}, {"stage", std::string("reserve")},
             {"total_investment", total}};
    for (auto& x : more) {
      bool replaced = false;
      for (auto& y : f)
        if (y.first == x.first) y.second = x.second, replaced = true;
      if (!replaced) f.push_back(std::move(x));
    }
    auto id = r.insert(region, kNow, f, true);
    std::string upper = name;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper((unsigned char)ch));
    r.setSearchText(id, upper);
    return id;
  }
  static std::vector<std::string> names(const std::vector<Row>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.str("name"));
    return out;
  }
  std::filesystem::path path_;
  std::unique_ptr<Database> db_;
  std::int64_t township_ = 0, unit_ = 0, otherUnit_ = 0, staff_ = 0, leader_ = 0, otherUser_ = 0;
};

}  // namespace

TEST(ProjectRepoScope, ACountyIsAnEqualityAndACityARange) {
  Params p;
  EXPECT_EQ(ProjectRepo::scopeCondition("430424", "p.region_code", p), "p.region_code = ?");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(std::get<std::string>(p[0]), "430424");
  Params q;
  EXPECT_EQ(ProjectRepo::scopeCondition("430400", "region_code", q), "region_code BETWEEN ? AND ?");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(std::get<std::string>(q[0]), "430400");
  EXPECT_EQ(std::get<std::string>(q[1]), "430499");
}

TEST_F(ProjectRepoTest, InsertFindAndJoinedNames) {
  auto c = db_->acquire();
  ProjectRepo repo(*c);
  auto id = project(repo, "430424", "光伏产业园", 5000,
                    {{"township_id", township_}, {"unit_id", unit_}, {"leader_id", leader_}});
  auto row = repo.findById(id);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->str("name"), "光伏产业园");
  EXPECT_EQ(row->str("township_name"), "城关镇");
  EXPECT_EQ(row->str("unit_name"), "发改局");
  EXPECT_EQ(row->str("leader_name"), "李县长");
  EXPECT_TRUE(row->isNull("steward_name"));
  EXPECT_EQ(row->i64("version"), 1);
  EXPECT_EQ(repo.regionOf(id).value_or(""), "430424");
  EXPECT_FALSE(repo.findById(id + 100).has_value());
  EXPECT_FALSE(repo.regionOf(id + 100).has_value());

  repo.update(id, {{"name", std::string("光伏产业园二期")}, {"leader_id", Null{}}});
  repo.bump(id, "2026-05-02T08:00:00+08:00");
  row = repo.findById(id);
  EXPECT_EQ(row->str("name"), "光伏产业园二期");
  EXPECT_TRUE(row->isNull("leader_id"));
  EXPECT_EQ(row->i64("version"), 2);
  EXPECT_EQ(row->str("updated_at"), "2026-05-02T08:00:00+08:00");
}

TEST_F(ProjectRepoTest, AnUnknownColumnIsRefusedBeforeAnySqlRuns) {
  auto c = db_->acquire();
  ProjectRepo repo(*c);
  EXPECT_THROW(repo.insert("430424", kNow, {{"name", std::string("x")}, {"region_code; DROP TABLE projects", 1}}, true),
               DbError);
  EXPECT_EQ(c->query("SELECT COUNT(*) FROM projects").one().i64(0), 0);
  auto id = project(repo, "430424", "甲", 1);
  EXPECT_THROW(repo.update(id, {{"version", std::int64_t(7)}}), DbError);
  EXPECT_EQ(repo.findById(id)->i64("version"), 1);
  EXPECT_THROW(repo.distinctValues("430424", "password_hash"), DbError);
}

TEST_F(ProjectRepoTest, ListPagesInOrderWithTotalsOverTheWholeFilter) {
  auto c = db_->acquire();
  ProjectRepo repo(*c);
  project(repo, "430424", "A项目", 300);
  project(repo, "430424", "B项目", 100);
  project(repo, "430424", "C项目", 200);
  project(repo, "430421", "D项目", 999);  // another county
  ProjectListFilter f;
  f.region = "430424";
  f.sort = ProjectSort::TotalInvestment;
  f.ascending = true;
  auto page1 = repo.list(f, 1, 2);
  EXPECT_EQ(page1.total, 3);
  EXPECT_EQ(page1.total_investment, 600);
  EXPECT_EQ(names(page1.rows), (std::vector<std::string>{"B项目", "C项目"}));
  EXPECT_EQ(page1.rows[0].str("township_name"), "");  // joined columns are present on the page
  auto page2 = repo.list(f, 2, 2);
  EXPECT_EQ(names(page2.rows), (std::vector<std::string>{"A项目"}));
  EXPECT_TRUE(repo.list(f, 3, 2).rows.empty());

  // A city sees both of its counties.
  f.region = "430400";
  f.ascending = false;
  auto city = repo.list(f, 1, 10);
  EXPECT_EQ(city.total, 4);
  EXPECT_EQ(names(city.rows).front(), "D项目");
  EXPECT_EQ(repo.listAll(f).size(), 4u);
}

TEST_F(ProjectRepoTest, SumsClampAmountsStoredBeforeTheyWereBounded) {
  auto c = db_->acquire();
  ProjectRepo repo(*c);
  auto a = project(repo, "430424", "甲", 0);
  project(repo, "430424", "乙", 5);
  // A row from before amounts were bounded: near int64's maximum, summed as the cap.
  c->exec("UPDATE projects SET total_investment = 9223372036854775807 WHERE id = ?", {a});
  ProjectListFilter f;
  f.region = "430424";
  auto page = repo.list(f, 1, 20);
  EXPECT_EQ(page.total_investment, steward::core::limits::kMaxYuan + 5);
  EXPECT_EQ(repo.liveTotals("430424").total_investment, steward::core::limits::kMaxYuan + 5);
}

TEST_F(ProjectRepoTest, FiltersSearchMissingMineAndStageOrder) {
  auto c = db_->acquire();
  ProjectRepo repo(*c);
  auto solar = project(repo, "430424", "solar_park", 10, {{"leader_id", leader_}, {"levels", std::string("county,city")}});
  auto mine = project(repo, "430424", "水厂", 20, {{"stage", std::string("construction")}});
  auto other = project(repo, "430424", "solarXpark", 30, {{"unit_id", unit_}});
  repo.replaceTeam(mine, {staff_});

  ProjectListFilter f;
  f.region = "430424";
  // Case-insensitive, and the user's '_' matches only itself.
  f.q = "SOLAR_";
  auto r = repo.listAll(f);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].i64("id"), solar);

  f = {};
  f.region = "430424";
  f.level = "city";
  EXPECT_EQ(names(repo.listAll(f)), (std::vector<std::string>{"solar_park"}));

  f = {};
  f.region = "430424";
  f.missing = ChecklistGroups{{{"430424"}, {{"leader", "一名牵头领导", "leader"}}}};
  f.sort = ProjectSort::Name;
  f.ascending = true;
  EXPECT_EQ(names(repo.listAll(f)), (std::vector<std::string>{"solarXpark", "水厂"}));
  f.missing = ChecklistGroups{{{"430424"}, {{"team", "一个工作专班", "team"}}}};
  EXPECT_EQ(names(repo.listAll(f)), (std::vector<std::string>{"solarXpark", "solar_park"}));

  f = {};
  f.region = "430424";
  f.mine_user = staff_;
  EXPECT_EQ(names(repo.listAll(f)), (std::vector<std::string>{"水厂"}));
  f.mine_unit = unit_;
  EXPECT_EQ(repo.listAll(f).size(), 2u);

  // Stage order follows the county's rule set, not the alphabet.
  f = {};
  f.region = "430424";
  f.sort = ProjectSort::Stage;
  f.ascending = true;
  f.stage_order = {"construction", "reserve"};
  auto ordered = repo.listAll(f);
  EXPECT_EQ(ordered.front().i64("id"), mine);
  f.stage_order = {"reserve", "construction"};
  EXPECT_EQ(repo.listAll(f).back().i64("id"), mine);
  (void)other;
}

TEST_F(ProjectRepoTest, TeamNodesAndPlansAreReplacedWhole) {
  auto c = db_->acquire();
  ProjectRepo repo(*c);
  auto id = project(repo, "430424", "甲", 1);
  repo.replaceTeam(id, {leader_, staff_});
  EXPECT_EQ(repo.findById(id)->i64("team_size"), 2);
  repo.replaceTeam(id, {staff_});
  auto team = repo.team(id);
  ASSERT_EQ(team.size(), 1u);
  EXPECT_EQ(team[0].display_name, "张三");
  EXPECT_EQ(repo.findById(id)->i64("team_size"), 1);

  repo.replaceNodes(id, {{"a", "立项", "", std::string("2026-01-01"), std::nullopt, unit_, ""},
                         {"b", "开工", "备注", std::nullopt, std::nullopt, std::nullopt, ""}});
  repo.replaceNodes(id, {{"b", "开工", "", std::nullopt, std::nullopt, std::nullopt, ""},
                         {"a", "立项", "", std::string("2026-02-01"), std::nullopt, unit_, ""}});
  auto nodes = repo.nodes(id);
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes[0].key, "b");
  EXPECT_EQ(nodes[1].planned_date.value_or(""), "2026-02-01");
  EXPECT_EQ(nodes[1].unit_name, "发改局");

  EXPECT_FALSE(repo.plan(id, 2026).has_value());
  repo.replacePlan(id, {2026, 12, "1,1,1,1,1,1,1,1,1,1,1,1"});
  repo.replacePlan(id, {2026, 24, "2,2,2,2,2,2,2,2,2,2,2,2"});
  repo.replacePlan(id, {2025, 1, "1,0,0,0,0,0,0,0,0,0,0,0"});
  EXPECT_EQ(repo.plan(id, 2026)->annual, 24);
  auto plans = repo.plans(id);
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].year, 2025);
}

TEST_F(ProjectRepoTest, StageAndStatusChangesAndTheStageLog) {
  auto c = db_->acquire();
  ProjectRepo repo(*c);
  auto id = project(repo, "430424", "甲", 1);
  repo.setStage(id, "construction");
  repo.logStage({id, "reserve", "construction", "2026-05-01", "开工", staff_, kNow});
  repo.setStatus(id, "suspended", "资金未到位");
  auto row = repo.findById(id);
  EXPECT_EQ(row->str("stage"), "construction");
  EXPECT_EQ(row->str("status"), "suspended");
  EXPECT_EQ(row->str("status_reason"), "资金未到位");
  auto log = c->query("SELECT from_stage, to_stage, actor_id FROM project_stage_log WHERE project_id = ?", {id});
  ASSERT_EQ(log.rows.size(), 1u);
  EXPECT_EQ(log.one().str(1), "construction");
  EXPECT_EQ(log.one().i64(2), staff_);
}

TEST_F(ProjectRepoTest, NamesForTheImportStayInTheirCounty) {
  auto c = db_->acquire();
  ProjectRepo repo(*c);
  auto units = repo.unitNamesForRegion("430424");
  EXPECT_EQ(units.size(), 2u);
  for (const auto& u : units) EXPECT_NE(u.id, otherUnit_);
  auto people = repo.peopleForRegion("430424");
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].id, leader_);  // county leaders first
  EXPECT_TRUE(repo.orgUnitInRegion(township_, "430424", true));
  EXPECT_FALSE(repo.orgUnitInRegion(unit_, "430424", true));
  EXPECT_TRUE(repo.orgUnitInRegion(unit_, "430424", false));
  EXPECT_FALSE(repo.orgUnitInRegion(otherUnit_, "430424", false));
  EXPECT_TRUE(repo.userInRegion(staff_, "430424"));
  EXPECT_FALSE(repo.userInRegion(otherUser_, "430424"));
  EXPECT_EQ(repo.person(leader_)->display_name, "李县长");
  EXPECT_EQ(repo.regionName("430424").value_or(""), "衡东县");
  EXPECT_FALSE(repo.regionName("999999").has_value());

  project(repo, "430424", "甲", 1);
  project(repo, "430421", "乙", 1);
  EXPECT_EQ(names(repo.inCounty("430424")), (std::vector<std::string>{"甲"}));
}

TEST_F(ProjectRepoTest, DashboardFiguresLeaveOutCancelledProjects) {
  auto c = db_->acquire();
  ProjectRepo repo(*c);
  auto a = project(repo, "430424", "甲", 100,
                   {{"actual_start", std::string("2026-01-01")}, {"levels", std::string("province")},
                    {"leader_id", leader_}, {"unit_id", unit_}});
  repo.replaceTeam(a, {staff_});
  repo.setCheck(a, "plan", true);
  repo.setCheck(a, "schedule", true);
  auto b = project(repo, "430424", "乙", 50, {{"stage", std::string("construction")}, {"category", std::string("infrastructure")}});
  auto cancelled = project(repo, "430424", "丙", 1000, {{"status", std::string("cancelled")}, {"levels", std::string("province")}});
  project(repo, "430421", "丁", 7);
  repo.replacePlan(a, {2026, 12, "1,1,1,1,1,1,1,1,1,1,1,1"});
  repo.replacePlan(b, {2026, 24, "2,2,2,2,2,2,2,2,2,2,2,2"});
  repo.replacePlan(cancelled, {2026, 1200, "100,100,100,100,100,100,100,100,100,100,100,100"});
  repo.replacePlan(b, {2025, 5, "5,0,0,0,0,0,0,0,0,0,0,0"});

  auto t = repo.liveTotals("430424");
  EXPECT_EQ(t.count, 2);
  EXPECT_EQ(t.total_investment, 150);
  EXPECT_EQ(t.started, 1);
  EXPECT_EQ(t.completed, 0);
  auto stages = repo.liveByStage("430424");
  EXPECT_EQ(stages["reserve"].count, 1);
  EXPECT_EQ(stages["construction"].total_investment, 50);
  auto cats = repo.liveByCategory("430424");
  EXPECT_EQ(cats["industrial"].total_investment, 100);
  EXPECT_EQ(cats["infrastructure"].count, 1);
  EXPECT_EQ(repo.liveWithLevel("430424", "province"), 1);
  EXPECT_EQ(repo.liveWithLevel("430424", "prov"), 0);  // a whole level, not a prefix
  const ChecklistGroups five = {{{"430424", "430421"},
                                 {{"leader", "", "leader"}, {"unit", "", "unit"}, {"team", "", "team"},
                                  {"plan", "", "manual"}, {"schedule", "", "manual"}}}};
  EXPECT_EQ(repo.liveMissingOnes("430424", five), 1);
  EXPECT_EQ(repo.liveMissingOnes("430424", {}), 0);
  EXPECT_EQ(repo.liveAnnualPlan("430424", 2026), 36);
  EXPECT_EQ(repo.liveAnnualPlan("430424", 2025), 5);
  EXPECT_EQ(repo.liveTotals("430400").count, 3);  // the city sees both counties
  EXPECT_EQ(repo.liveAnnualPlan("430400", 2026), 36);
}

// Each county's projects are filtered by its own checklist: manual keys are parameters, fields are conditions.
TEST_F(ProjectRepoTest, MissingOnesFollowEachCountysChecklist) {
  auto c = db_->acquire();
  ProjectRepo repo(*c);
  auto a = project(repo, "430424", "甲", 1, {{"leader_id", leader_}});
  auto b = project(repo, "430424", "乙", 1);
  auto d = project(repo, "430421", "丁", 1);
  repo.setCheck(a, "drawing", true);
  repo.setCheck(d, "drawing", true);
  EXPECT_EQ(repo.checks(a), (std::set<std::string>{"drawing"}));
  repo.setCheck(d, "drawing", false);
  repo.setCheck(d, "drawing", false);  // unticking twice is harmless
  EXPECT_TRUE(repo.checks(d).empty());
  repo.setCheck(b, "x'); DROP TABLE projects; --", true);  // a key is a parameter, never SQL

  const ChecklistGroups groups = {{{"430424"}, {{"drawing", "施工图", "manual"}}},
                                  {{"430421"}, {{"project", "一个项目", "project"}, {"leader", "一名领导", "leader"}}}};
  ProjectListFilter f;
  f.region = "430400";  // the city: both counties
  f.sort = ProjectSort::Name;
  f.ascending = true;
  f.missing = groups;
  EXPECT_EQ(names(repo.listAll(f)), (std::vector<std::string>{"丁", "乙"}));
  EXPECT_EQ(repo.liveMissingOnes("430400", groups), 2);
  EXPECT_EQ(repo.liveMissingOnes("430424", groups), 1);
  // A checklist whose only item is the project itself misses nothing.
  f.missing = ChecklistGroups{{{"430421"}, {{"project", "一个项目", "project"}}}};
  EXPECT_TRUE(repo.listAll(f).empty());
  EXPECT_EQ(repo.projectRegions("430400"), (std::vector<std::string>{"430421", "430424"}));
  // The row carries the ticks.
  auto row = repo.findById(a);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->str("checks"), "drawing");
  EXPECT_TRUE(repo.findById(d)->isNull("checks"));
}
