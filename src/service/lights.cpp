#include "service/lights.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>

#include "core/period.h"
#include "core/time.h"
#include "core/reporting.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/cadence_rules.h"
#include "service/errors.h"
#include "service/letters.h"
#include "service/light_rules.h"
#include "store/light_repo.h"
#include "store/region_repo.h"

namespace steward::service {

using nlohmann::json;
namespace L = core::lights;

json reasonJson(const L::Reason& r) {
  return {{"dimension", L::dimensionKey(r.dimension)},
          {"label", L::dimensionLabel(r.dimension)},
          {"light", L::lightKey(r.light)},
          {"rule", r.rule},
          {"message", r.message},
          {"value", r.value},
          {"threshold", r.threshold},
          {"since", r.since.empty() ? json() : json(r.since)}};
}

namespace {

// What the rules need per region, loaded once per evaluation.
struct RegionRules {
  std::shared_ptr<const L::LightRules> lights;
  core::CadenceRules cadence;
};

// Due periods without a report, consecutive newest first, counted only for periods whose deadline passed after
// the project entered Steward and by the end of the day.
void countMissing(const core::CadenceRules& cr, store::LightProject& lp, const std::string& day) {
  if (lp.facts.status != "active") return;
  const auto cadence = core::cadenceOfStage(cr, lp.stage);
  const auto rule = core::deadlineRuleOf(cr, cadence);
  core::TimePoint dayEnd, created;
  if (!core::parseTimestamp(day + "T16:00:00Z", dayEnd) || !core::parseTimestamp(lp.created_at, created)) return;
  auto p = core::periodOf(cadence, day);
  for (int i = 0; i < 8 && core::deadlineOf(p, rule) >= dayEnd; ++i) p = core::previousPeriod(p);
  const std::string prefix = std::string(core::cadenceKey(cadence)) + "/";
  for (int n = 0; n < 60; ++n) {
    const auto deadline = core::deadlineOf(p, rule);
    if (deadline <= created || deadline >= dayEnd) break;
    if (lp.reported.count(prefix + p.key)) break;
    ++lp.facts.missing_reports;
    lp.facts.missing_since = core::localDay(deadline);
    p = core::previousPeriod(p);
  }
}

json reasonsJson(const L::Evaluation& e) {
  json out = json::array();
  for (const auto& r : e.reasons) out.push_back(reasonJson(r));
  return out;
}

// "start_slip:red,reports:yellow": what a history run keeps constant.
std::string signatureOf(const L::Evaluation& e) {
  std::string s;
  for (const auto& r : e.reasons) s += (s.empty() ? "" : ",") + std::string(L::dimensionKey(r.dimension)) + ":" + L::lightKey(r.light);
  return s;
}

struct Evaluated {
  store::LightProject project;
  L::Evaluation evaluation;
  std::shared_ptr<const L::LightRules> rules;  // the county's light rules in force on the day
};

// Facts as of `day` for the projects of `scope` (optionally one), each evaluated under its county's rules in
// force on that day. `previousFromRow`: the published light stands for the day before (evaluations of today).
std::vector<Evaluated> evaluateProjects(store::Connection& c, const std::string& scope, const std::string& day,
                                        const store::LightFilter& f, bool previousFromRow) {
  store::LightRepo repo(c);
  auto projects = repo.factsAsOf(scope, day, f);
  std::map<std::string, RegionRules> rules;
  std::vector<Evaluated> out;
  out.reserve(projects.size());
  for (auto& lp : projects) {
    auto it = rules.find(lp.region_code);
    if (it == rules.end())
      it = rules.emplace(lp.region_code, RegionRules{std::make_shared<const L::LightRules>(loadLightRules(c, lp.region_code, day)),
                                                     loadCadenceRules(c, lp.region_code, day)})
               .first;
    countMissing(it->second.cadence, lp, day);
    std::optional<L::Light> previous;
    if (previousFromRow && !lp.light_day.empty() && lp.light_day < day) previous = L::lightFromKey(lp.light);
    auto ev = L::evaluate(*it->second.lights, lp.facts, day, previous);
    out.push_back({std::move(lp), std::move(ev), it->second.lights});
  }
  return out;
}

// Publishes an evaluation of `day` on the project's row and in the history; audits a change of light; drafts (or,
// when the county's rules say so, issues) the letters the rules call for. Returns how many letters it created.
int publish(store::Connection& c, const Env& env, const Evaluated& e, const std::string& day) {
  store::LightRepo repo(c);
  const auto& lp = e.project;
  const std::string light = L::lightKey(e.evaluation.light);
  const bool changed = light != lp.light;
  const auto since = !changed && !lp.light_since.empty() ? lp.light_since : day;
  const auto reasons = reasonsJson(e.evaluation);
  const auto ev = L::earnedValue(lp.facts, day);
  repo.publish(lp.id, light, reasons.dump(), since, day, ev.has_plan ? std::optional(ev.spi_bp) : std::nullopt,
               ev.has_plan ? std::optional(ev.sv_money) : std::nullopt);
  repo.record(lp.id, day, light, signatureOf(e.evaluation), reasons.dump());
  if (changed)
    appendAudit(c, env, nullptr,
                {lp.region_code, "light", "project", std::to_string(lp.id), {{"light", lp.light}},
                 {{"light", light}, {"day", day}, {"reasons", signatureOf(e.evaluation)}}});
  if (e.evaluation.letters.empty() || !e.rules) return 0;
  // A past day (the demo's history) drafts its letters as of 00:30 that day in the county, so the next day's
  // evaluation sees them; today's drafts carry the clock's time.
  std::string at = core::formatTimestamp(env.now());
  if (day < core::localDay(env.now())) {
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::sscanf(day.c_str(), "%d-%u-%u", &y, &m, &d) == 3)
      at = core::formatTimestamp(core::TimePoint(std::chrono::seconds(core::daysFromCivil(y, m, d) * 86400 - 8 * 3600 + 30 * 60)));
  }
  return applyLetterTriggers(env, c, lp.region_code, lp.id, e.evaluation.letters, *e.rules, day, at);
}

json countsJson(const std::vector<Evaluated>& all) {
  json counts = {{"green", 0}, {"yellow", 0}, {"red", 0}};
  for (const auto& e : all) counts[L::lightKey(e.evaluation.light)] = counts[L::lightKey(e.evaluation.light)].get<int>() + 1;
  return counts;
}

std::string today(const Env& env) { return core::localDay(env.now()); }

bool isCounty(const std::string& region) {
  auto [lo, hi] = core::scopeRange(region);
  return lo == hi;
}

json projectRef(const store::LightProject& p) { return {{"id", p.id}, {"code", p.code}, {"name", p.name}}; }

}  // namespace

L::Evaluation evaluateProjectIn(store::Connection& c, const Env& env, const std::string& region, std::int64_t projectId) {
  store::LightFilter f;
  f.project_id = projectId;
  const auto day = today(env);
  auto all = evaluateProjects(c, region, day, f, true);
  if (all.empty()) return {};
  publish(c, env, all[0], day);
  return all[0].evaluation;
}

json LightsService::evaluateRegion(const std::string& region, const std::string& day) {
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto all = evaluateProjects(c, region, day, {}, true);
    int drafted = 0;
    for (const auto& e : all) drafted += publish(c, env_, e, day);
    return json{{"as_of", day}, {"counts", countsJson(all)}, {"letters_drafted", drafted}};
  });
}

json LightsService::evaluateNow(const core::Actor& a) {
  if (!a.has("hq") || !isCounty(a.region_code)) throw forbidden("只有县指挥部办公室可以重新评定亮灯");
  return evaluateRegion(a.region_code, today(env_));
}

json LightsService::backfill(const std::string& region, int days, int untilDaysAgo) {
  const auto day = today(env_);
  json last;
  for (int i = days - 1; i >= untilDaysAgo; --i) last = evaluateRegion(region, core::addDays(day, -i));
  return last;
}

std::vector<std::string> LightsService::regionsWithProjects() {
  auto c = env_.db->acquire();
  return store::LightRepo(*c).regionsWithProjects();
}

int LightsService::evaluateDue(core::TimePoint now) {
  // Minutes past midnight in the county (UTC+8).
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() + 8 * 3600;
  if (((secs % 86400) + 86400) % 86400 < 30 * 60) return 0;
  const auto day = core::localDay(now);
  std::vector<std::string> due;
  {
    auto c = env_.db->acquire();
    store::LightRepo repo(*c);
    for (const auto& region : repo.regionsWithProjects())
      if (repo.lastEvaluatedDay(region) < day) due.push_back(region);
  }
  for (const auto& region : due) evaluateRegion(region, day);
  return static_cast<int>(due.size());
}

std::vector<ProjectLight> LightsService::evaluateAsOf(const std::string& scope, const std::string& day) {
  auto c = env_.db->acquire();
  std::vector<ProjectLight> out;
  for (auto& e : evaluateProjects(*c, scope, day, {}, false))
    out.push_back({e.project.id, e.project.code, e.project.name, std::move(e.evaluation)});
  return out;
}

json LightsService::board(const core::Actor& a, const LightBoardFilter& f) {
  Validator v;
  if (!f.light.empty() && !L::lightFromKey(f.light)) v.add("light", "invalid");
  if (!f.dimension.empty() && !L::dimensionFromKey(f.dimension)) v.add("dimension", "invalid");
  if (f.page < 1) v.add("page", "invalid");
  if (f.page_size < 1 || f.page_size > kLightsPageMax) v.add("page_size", "out_of_range");
  v.throwIfAny("查询参数不正确");
  auto c = env_.db->acquire();
  store::LightFilter lf;
  lf.township_id = f.township_id;
  lf.unit_id = f.unit_id;
  lf.leader_id = f.leader_id;
  lf.chain = f.chain;
  // The published lights: facts are not needed, only the rows (the day's facts are loaded but light).
  auto projects = store::LightRepo(*c).factsAsOf(a.region_code, today(env_), lf);
  json counts = {{"green", 0}, {"yellow", 0}, {"red", 0}};
  std::map<std::string, std::pair<int, int>> byDim;
  struct Item {
    const store::LightProject* p;
    json reasons;
    int rank;
    bool mine;
  };
  std::vector<Item> items;
  std::string asOf;
  for (const auto& p : projects) {
    if (p.facts.status != "active") continue;
    auto reasons = json::parse(p.light_reasons, nullptr, false);
    if (!reasons.is_array()) reasons = json::array();
    counts[p.light] = counts.value(p.light, 0) + 1;
    if (p.light_day > asOf) asOf = p.light_day;
    bool hasDim = f.dimension.empty();
    for (const auto& r : reasons) {
      const auto d = r.value("dimension", "");
      auto& slot = byDim[d];
      (r.value("light", "") == "red" ? slot.second : slot.first)++;
      hasDim = hasDim || d == f.dimension;
    }
    if (!hasDim) continue;
    if (f.light.empty() ? p.light == "green" : p.light != f.light) continue;
    items.push_back({&p, reasons, p.light == "red" ? 0 : p.light == "yellow" ? 1 : 2,
                     p.leader_id && *p.leader_id == a.user_id});
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& x, const Item& y) {
    if (x.mine != y.mine) return x.mine;
    return x.rank < y.rank;
  });
  json byDimension = json::array();
  for (auto d : {L::Dimension::StartSlip, L::Dimension::NodeSlip, L::Dimension::InvestmentTime,
                 L::Dimension::InvestmentPlan, L::Dimension::Reports, L::Dimension::Letters, L::Dimension::Problems}) {
    auto it = byDim.find(L::dimensionKey(d));
    byDimension.push_back({{"dimension", L::dimensionKey(d)},
                           {"label", L::dimensionLabel(d)},
                           {"yellow", it == byDim.end() ? 0 : it->second.first},
                           {"red", it == byDim.end() ? 0 : it->second.second}});
  }
  json out = json::array();
  const std::size_t from = std::size_t(f.page - 1) * std::size_t(f.page_size);
  for (std::size_t i = from; i < items.size() && i < from + std::size_t(f.page_size); ++i) {
    const auto& p = *items[i].p;
    out.push_back({{"project",
                    {{"id", p.id},
                     {"code", p.code},
                     {"name", p.name},
                     {"unit_name", p.unit_name},
                     {"township_name", p.township_name},
                     {"leader_name", p.leader_name}}},
                   {"light", p.light},
                   {"since", p.light_since.empty() ? json() : json(p.light_since)},
                   {"mine", items[i].mine},
                   {"reasons", items[i].reasons}});
  }
  return {{"as_of", asOf.empty() ? json() : json(asOf)},
          {"counts", counts},
          {"by_dimension", byDimension},
          {"items", out},
          {"total", items.size()},
          {"page", f.page},
          {"page_size", f.page_size}};
}

json LightsService::projectLights(const core::Actor& a, std::int64_t projectId, int days) {
  if (days < 1 || days > kLightHistoryDaysMax) {
    Validator v;
    v.add("days", "out_of_range");
    v.throwIfAny("天数应在1至366之间");
  }
  auto c = env_.db->acquire();
  store::LightFilter f;
  f.project_id = projectId;
  const auto day = today(env_);
  auto rows = store::LightRepo(*c).factsAsOf(a.region_code, day, f);
  if (rows.empty()) throw notFound("项目不存在");
  const auto& p = rows[0];
  auto reasons = json::parse(p.light_reasons, nullptr, false);
  if (!reasons.is_array()) reasons = json::array();
  // The history as one entry a day, oldest first; days before the first evaluation are left out.
  const auto from = core::addDays(day, -(days - 1));
  json history = json::array();
  for (const auto& run : store::LightRepo(*c).runs(projectId, from, day))
    for (auto d = std::max(run.from_day, from); d <= run.to_day && d <= day; d = core::addDays(d, 1))
      history.push_back({{"day", d}, {"light", run.light}});
  const auto ev = L::earnedValue(p.facts, day);
  return {{"light", p.light},
          {"since", p.light_since.empty() ? json() : json(p.light_since)},
          {"reasons", reasons},
          {"evaluated_at", p.light_day.empty() ? json() : json(p.light_day)},
          {"history", history},
          {"earned_value",
           {{"has_plan", ev.has_plan},
            {"planned_value", ev.planned_value},
            {"earned_value", ev.earned_value},
            {"spi_bp", ev.has_plan ? json(ev.spi_bp) : json()},
            {"sv_money", ev.sv_money},
            {"sv_days", ev.sv_days},
            {"forecast_completion", ev.forecast_completion.empty() ? json() : json(ev.forecast_completion)}}}};
}

json LightsService::replay(const core::Actor& a, const std::string& asOf, std::optional<std::int64_t> projectId,
                           int page, int pageSize) {
  Validator v;
  const auto day = today(env_);
  if (asOf.empty()) v.add("as_of", "required");
  else if (!core::isIsoDate(asOf)) v.add("as_of", "invalid_date");
  else if (asOf > day) v.add("as_of", "in_future");
  else if (asOf < std::to_string(std::stoi(day.substr(0, 4)) - kLightReplayYears) + day.substr(4)) v.add("as_of", "out_of_range");
  if (page < 1) v.add("page", "invalid");
  if (pageSize < 1 || pageSize > kLightsPageMax) v.add("page_size", "out_of_range");
  v.throwIfAny("查询参数不正确");
  // Reads only: a replay never writes the history or the published lights.
  auto c = env_.db->acquire();
  store::LightFilter f;
  f.project_id = projectId;
  auto all = evaluateProjects(*c, a.region_code, asOf, f, false);
  if (projectId && all.empty()) throw notFound("项目不存在");
  auto published = store::LightRepo(*c).publishedOn(a.region_code, asOf, projectId);
  json items = json::array();
  const std::size_t from = std::size_t(page - 1) * std::size_t(pageSize);
  for (std::size_t i = from; i < all.size() && i < from + std::size_t(pageSize); ++i) {
    const auto& e = all[i];
    json pub;
    bool corrected = false;
    if (auto it = published.find(e.project.id); it != published.end()) {
      auto r = json::parse(it->second.reasons, nullptr, false);
      pub = {{"light", it->second.light}, {"reasons", r.is_array() ? r : json::array()}};
      corrected = it->second.light != L::lightKey(e.evaluation.light) || it->second.signature != signatureOf(e.evaluation);
    }
    items.push_back({{"project", projectRef(e.project)},
                     {"published", pub},
                     {"replayed", {{"light", L::lightKey(e.evaluation.light)}, {"reasons", reasonsJson(e.evaluation)}}},
                     {"corrected", corrected}});
  }
  return {{"as_of", asOf}, {"items", items}, {"total", all.size()}, {"page", page}, {"page_size", pageSize}};
}

}  // namespace steward::service
