// The board's aggregates against a migrated SQLite database: sums per group in SQL, this year against last
// year's same span, the scope of a county and of its city, levels, cancelled projects left out.
#include "store/board_repo.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/migrations.h"
#include "store/report_repo.h"

using namespace steward::store;

namespace {

const char* kNow = "2026-03-03T02:00:00Z";

class BoardRepoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = std::filesystem::temp_directory_path() / ("steward-board-repo-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    path_ = dir / (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db");
    std::filesystem::remove(path_);
    db_ = Database::open("sqlite:" + path_.string(), 2);
    migrate(*db_);
    lease_.emplace(db_->acquire());
    auto& c = **lease_;
    c.exec("INSERT INTO regions (code, name, level) VALUES ('430400', '衡阳市', 'city')");
    c.exec("INSERT INTO regions (code, name, level, parent_code) VALUES ('430424', '衡东县', 'county', '430400')");
    c.exec("INSERT INTO regions (code, name, level, parent_code) VALUES ('430421', '衡阳县', 'county', '430400')");
    townA_ = unit("430424", "城关镇", "township");
    townB_ = unit("430424", "大浦镇", "township");
    other_ = unit("430421", "西渡镇", "township");
  }
  void TearDown() override {
    lease_.reset();
    db_.reset();
    std::filesystem::remove(path_);
  }
  Connection& c() { return **lease_; }
  std::int64_t unit(const char* region, const char* name, const char* kind) {
    return c().insert("INSERT INTO org_units (region_code, name, kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                      {std::string(region), std::string(name), std::string(kind), kNow, kNow});
  }
  std::int64_t project(const char* region, std::int64_t township, std::int64_t total, const char* levels = "",
                       const char* status = "active", bool started = false) {
    return c().insert(
        "INSERT INTO projects (region_code, name, category, stage, status, township_id, total_investment, levels, "
        "actual_start, created_at, updated_at) VALUES (?, 'p', 'industrial', 'construction', ?, ?, ?, ?, ?, ?, ?)",
        {std::string(region), std::string(status), township, total, std::string(levels),
         started ? Param{std::string("2025-06-01")} : Param{Null{}}, kNow, kNow});
  }
  void plan(std::int64_t project, std::int64_t year, std::int64_t annual) {
    c().exec("INSERT INTO project_plans (project_id, year, annual, months) VALUES (?, ?, ?, '')", {project, year, annual});
  }
  void report(const char* region, std::int64_t project, const std::string& month, const std::string& end,
              std::int64_t amount) {
    auto p = ReportRepo(c()).ensurePeriod(region, "month", month, month + "-01", end, kNow);
    ReportRecord r;
    r.region_code = region;
    r.project_id = project;
    r.period_id = p.id;
    r.period_end = end;
    r.investment = amount;
    r.submitted_at = r.updated_at = kNow;
    ReportRepo(c()).insertReport(r);
  }
  static BoardSpan span() { return {2026, "2026-01-01", "2026-12-31", "2025-01-01", "2025-03-03"}; }
  const BoardLine* find(const std::vector<BoardLine>& v, const std::string& key) {
    for (const auto& l : v)
      if (l.key == key) return &l;
    return nullptr;
  }
  std::filesystem::path path_;
  std::unique_ptr<Database> db_;
  std::optional<Lease> lease_;
  std::int64_t townA_ = 0, townB_ = 0, other_ = 0;
};

}  // namespace

TEST_F(BoardRepoTest, SumsPerTownshipThisYearAgainstPlanAndLastYearsSameSpan) {
  auto a1 = project("430424", townA_, 500, "province", "active", true);
  auto a2 = project("430424", townA_, 300);
  auto b1 = project("430424", townB_, 100);
  auto gone = project("430424", townB_, 900, "", "cancelled");
  plan(a1, 2026, 200);
  plan(a2, 2026, 100);
  plan(a1, 2025, 150);
  report("430424", a1, "2026-01", "2026-01-31", 40);
  report("430424", a1, "2026-02", "2026-02-28", 20);
  report("430424", a2, "2026-02", "2026-02-28", 30);
  report("430424", a1, "2025-02", "2025-02-28", 50);  // inside last year's span
  report("430424", a1, "2025-06", "2025-06-30", 70);  // after it
  report("430424", b1, "2024-12", "2024-12-31", 80);  // neither year
  report("430424", gone, "2026-01", "2026-01-31", 1000);
  BoardRepo board(c());
  auto lines = board.figures("430424", BoardDimension::Township, span(), 10);
  ASSERT_EQ(lines.size(), 2u);
  const auto* a = find(lines, std::to_string(townA_));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "城关镇");
  EXPECT_EQ(a->count, 2);
  EXPECT_EQ(a->started, 1);
  EXPECT_EQ(a->total_investment, 800);
  EXPECT_EQ(a->plan, 300);
  EXPECT_EQ(a->done, 90);
  EXPECT_EQ(a->plan_last, 150);
  EXPECT_EQ(a->done_last, 50);
  const auto* b = find(lines, std::to_string(townB_));
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->count, 1) << "the cancelled project is left out";
  EXPECT_EQ(b->done, 0);
  EXPECT_EQ(b->done_last, 0);
  EXPECT_EQ(lines.front().key, std::to_string(townA_)) << "largest total investment first";

  auto total = board.figures("430424", BoardDimension::Total, span(), 1);
  ASSERT_EQ(total.size(), 1u);
  EXPECT_EQ(total[0].done, 90);
  auto province = board.figures("430424", BoardDimension::Total, span(), 1, "province");
  EXPECT_EQ(province[0].count, 1);
  EXPECT_EQ(province[0].done, 60);
}

TEST_F(BoardRepoTest, ACityRollsUpByCountyAndACountySeesOnlyItself) {
  auto a = project("430424", townA_, 500);
  auto o = project("430421", other_, 700);
  report("430424", a, "2026-02", "2026-02-28", 10);
  report("430421", o, "2026-02", "2026-02-28", 25);
  BoardRepo board(c());
  auto counties = board.figures("430400", BoardDimension::County, span(), 10);
  ASSERT_EQ(counties.size(), 2u);
  EXPECT_EQ(find(counties, "430421")->done, 25);
  EXPECT_EQ(find(counties, "430421")->name, "衡阳县");
  EXPECT_EQ(find(counties, "430424")->done, 10);
  EXPECT_EQ(board.figures("430400", BoardDimension::Total, span(), 1)[0].done, 35);
  EXPECT_EQ(board.figures("430424", BoardDimension::Total, span(), 1)[0].done, 10);
  EXPECT_EQ(board.figures("430400", BoardDimension::County, span(), 1).size(), 1u) << "bounded by the limit";
}

TEST_F(BoardRepoTest, PeriodSummaryListsEveryLiveProjectWithItsReportAndTotals) {
  auto a = project("430424", townA_, 500);
  auto b = project("430424", townB_, 100);
  plan(a, 2026, 200);
  report("430424", a, "2025-12", "2025-12-31", 7);
  report("430424", a, "2026-01", "2026-01-31", 11);
  report("430424", a, "2026-02", "2026-02-28", 13);
  report("430424", a, "2026-03", "2026-03-31", 17);  // after the period: not in its figures
  auto period = ReportRepo(c()).findPeriod("430424", "month", "2026-02");
  ASSERT_TRUE(period);
  auto lines = BoardRepo(c()).periodSummary("430424", period->id, 2026, "2026-01-01", "2026-02-28", 10);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].project_id, a);
  EXPECT_EQ(lines[0].period_investment, 13);
  EXPECT_EQ(lines[0].year_total, 24);
  EXPECT_EQ(lines[0].running_total, 31);
  EXPECT_EQ(lines[0].plan, 200);
  EXPECT_EQ(lines[1].project_id, b);
  EXPECT_FALSE(lines[1].period_investment) << "did not report";
}
