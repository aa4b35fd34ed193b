// The scheduler's pacing, driven by instants the test chooses (tick), and its thread started and stopped on
// events, never on sleeps.
#include "jobs/scheduler.h"

#include <gtest/gtest.h>

#include <future>
#include <sstream>
#include <stdexcept>

namespace steward::jobs {
namespace {

using namespace std::chrono_literals;
using Clock = Scheduler::Clock;

TEST(Scheduler, AJobRunsAtOnceThenEveryInterval) {
  std::ostringstream log;
  Scheduler s(log);
  int runs = 0;
  s.add({"count", 60s, [&] { return "run " + std::to_string(++runs); }});
  const auto t0 = Clock::time_point{} + 1000s;
  EXPECT_EQ(s.tick(t0), 1);
  EXPECT_EQ(s.tick(t0 + 59s), 0);
  EXPECT_EQ(s.nextDue(), t0 + 60s);
  EXPECT_EQ(s.tick(t0 + 60s), 1);
  EXPECT_EQ(s.tick(t0 + 90s), 0);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(log.str(), "job count: run 1\njob count: run 2\n");
}

TEST(Scheduler, JobsRunInTheOrderAddedEachOnItsOwnInterval) {
  std::ostringstream log;
  Scheduler s(log);
  std::string order;
  s.add({"a", 10s, [&] { order += 'a'; return std::string(); }});
  s.add({"b", 30s, [&] { order += 'b'; return std::string(); }});
  const auto t0 = Clock::time_point{} + 5s;
  s.tick(t0);
  s.tick(t0 + 10s);
  s.tick(t0 + 20s);
  s.tick(t0 + 30s);
  EXPECT_EQ(order, "abaaab");
  EXPECT_EQ(log.str(), "") << "a run with nothing to say writes no line";
}

TEST(Scheduler, AFailingJobIsLoggedAndTriedAgainAtItsNextDueTime) {
  std::ostringstream log;
  Scheduler s(log);
  int calls = 0;
  s.add({"flaky", 10s, [&]() -> std::string {
           if (++calls == 1) throw std::runtime_error("database is busy");
           return "ok";
         }});
  const auto t0 = Clock::time_point{} + 100s;
  EXPECT_EQ(s.tick(t0), 1);
  EXPECT_EQ(s.tick(t0 + 1s), 0) << "not retried in a tight loop";
  EXPECT_EQ(s.tick(t0 + 10s), 1);
  EXPECT_EQ(log.str(), "job flaky failed: database is busy\njob flaky: ok\n");
}

TEST(Scheduler, NoJobsMeansNothingDue) {
  std::ostringstream log;
  Scheduler s(log);
  EXPECT_FALSE(s.nextDue().has_value());
  EXPECT_EQ(s.tick(Clock::now()), 0);
}

TEST(Scheduler, TheThreadRunsADueJobAndStopsWhenAsked) {
  std::ostringstream log;
  Scheduler s(log);
  std::promise<void> ran;
  bool once = false;
  s.add({"signal", 3600s, [&] {
           if (!once) ran.set_value();
           once = true;
           return std::string();
         }});
  s.start();
  EXPECT_EQ(ran.get_future().wait_for(30s), std::future_status::ready);
  s.stop();  // returns although the next run is an hour away
  SUCCEED();
}

TEST(Scheduler, StandardJobsFollowTheInterval) {
  EXPECT_EQ(standardJobs(service::Env{nullptr}, 0s).size(), 0u) << "0 turns the reminders and the nightly lights off";
  auto jobs = standardJobs(service::Env{nullptr}, 120s);
  ASSERT_EQ(jobs.size(), 5u);
  EXPECT_EQ(jobs[0].name, "evaluate-lights");
  EXPECT_EQ(jobs[1].name, "remind-overdue-reports");
  EXPECT_EQ(jobs[1].every, 120s);
  EXPECT_EQ(jobs[2].name, "problems-daily");
  EXPECT_EQ(jobs[2].every, 120s);
  // The bulletin drafts on the county's cadence are checked as often as the reminders.
  EXPECT_EQ(jobs[3].name, "draft-bulletins");
  EXPECT_EQ(jobs[3].every, 120s);
  // Demands are answered within hours: their clock runs at least every 15 minutes.
  EXPECT_EQ(jobs[4].name, "demand-clock");
  EXPECT_EQ(jobs[4].every, 120s);
  EXPECT_EQ(standardJobs(service::Env{nullptr}, 3600s)[4].every, 900s);
}

}  // namespace
}  // namespace steward::jobs
