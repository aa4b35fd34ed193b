// `steward demo`: a believable county shaped like Hengdong (衡东县): headquarters, 26 responsible units,
// 20 approval departments, county leaders, a user for every role, and a project library.
#pragma once
#include <ostream>
#include <string>

#include "service/context.h"

namespace steward::service {

inline constexpr const char* kDemoPassword = "Steward@2026";
bool databaseIsEmpty(const Env& env);
void loadDemo(const Env& env, std::ostream& log);
// A year of the county's activity up to now (env.now()), so the board is alive on first open: monthly reports for
// every started project, daily site reports for the projects under construction over the last three weeks, a few
// returned ones, two closed months, a few missing ones, the leaders' weekly visits and inbox messages.
// Deterministic for a given day (a fixed seed); one transaction.
void loadDemoActivity(const Env& env, std::ostream& log);
// The letters at each step and two summons (after loadDemoActivity, and after the lights when they draft some):
// the drafts found are walked through the steps (issued twenty days ago; signed, answered, closed or late); with
// fewer than six, headquarters drafts by hand for the first lagging projects, every kind represented.
// The demo's letters went out this many days ago (the lights are backfilled up to the day before, then after).
inline constexpr int kDemoLettersDaysAgo = 20;
void loadDemoLetters(const Env& env, std::ostream& log);
// Last month's monthly factor consultation (每月必商), held on the 15th with four decisions become tasks (one done,
// one overdue); the factor problems of its agenda raised first when the county has no open one. Once per month.
void loadDemoConsultation(const Env& env, std::ostream& log);
// Commitments and quarterly lists: this year's commitment letters of a few units, last quarter's attack list and
// its dispatch-and-review meeting with decisions become tasks (service/demo_commitments.cpp).
void loadDemoCommitments(const Env& env, std::ostream& log);
// The problem list of the last seven weeks through ProblemsService (after the letters): 60 problems in every state
// and category, some overdue, escalations by hand and automatic, three enterprise demands; and the day's notices.
void loadDemoProblems(const Env& env, std::ostream& log);
// Last quarter's show-results meeting (晒实绩), closed, with ratings from headquarters, the leader and the inspector,
// and last quarter's awards confirmed from their candidates (after the problems and the consultation).
void loadDemoLedgers(const Env& env, std::ostream& log);
// Every month of the demo year before the current one, from the first with reports, ranked and closed in order
// (after the problems), so the ranking board has months of closed rankings with yellow cards and summons.
void loadDemoRankings(const Env& env, std::ostream& log);
// Weekly inspection bulletins (督查通报) over the last weeks: issued, and the latest a draft.
void loadDemoBulletins(const Env& env, std::ostream& log);
// The last 旬's inspection plan (每旬必督) with two visits and a finding raised as a problem.
void loadDemoInspections(const Env& env, std::ostream& log);
std::string demoLoginsText();

}  // namespace steward::service
