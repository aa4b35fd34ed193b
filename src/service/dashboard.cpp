#include "service/dashboard.h"

#include <algorithm>

#include "core/lifecycle.h"
#include "core/money.h"
#include "core/period.h"
#include "core/project.h"
#include "core/reporting.h"
#include "core/validate.h"
#include "office/summary_sheet.h"
#include "office/xlsx_reader.h"
#include "service/audit.h"
#include "service/cadence_rules.h"
#include "service/errors.h"
#include "service/profile.h"
#include "service/projects.h"
#include "service/projects_internal.h"
#include "service/rules.h"
#include "store/board_repo.h"
#include "store/org_repo.h"
#include "store/project_repo.h"
#include "store/region_repo.h"
#include "store/report_repo.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

// num / den in basis points, integer only; null when there is nothing to divide by.
json rateBp(std::int64_t num, std::int64_t den) {
  if (den <= 0) return nullptr;
  return static_cast<std::int64_t>(static_cast<__int128>(num) * 10000 / den);
}

// The region a request looks at: the actor's own, or one inside its scope (a city drilling down to a county).
std::string resolveRegion(store::Connection& c, const core::Actor& a, const std::string& wanted) {
  if (wanted.empty() || wanted == a.region_code) return a.region_code;
  const bool digits = wanted.size() == 6 && std::all_of(wanted.begin(), wanted.end(), [](char ch) {
                        return ch >= '0' && ch <= '9';
                      });
  if (!digits) {
    Validator v;
    v.add("region", "invalid");
    v.throwIfAny("地区代码应为 6 位数字");
  }
  if (!core::inScope(a, wanted) || !store::RegionRepository(c).exists(wanted)) throw notFound("地区不存在或不在管辖范围内");
  return wanted;
}

bool isCounty(const std::string& region) {
  auto [lo, hi] = core::scopeRange(region);
  return lo == hi;
}

// This year up to its end, and last year's same span (to the same calendar day; 29 February becomes the 28th).
store::BoardSpan spanOf(const std::string& today) {
  store::BoardSpan s;
  s.year = std::stoi(today.substr(0, 4));
  const auto y = today.substr(0, 4), last = std::to_string(s.year - 1);
  s.year_start = y + "-01-01";
  s.year_end = y + "-12-31";
  s.last_start = last + "-01-01";
  auto md = today.substr(4);
  if (md == "-02-29") md = "-02-28";
  s.last_same_day = last + md;
  return s;
}

json lineJson(const store::BoardLine& l, const std::string& name, int timeBp) {
  json completion = rateBp(l.done, l.plan);
  json yoy = l.done_last > 0 ? rateBp(l.done - l.done_last, l.done_last) : json(nullptr);
  return {{"key", l.key},
          {"name", name},
          {"count", l.count},
          {"started", l.started},
          {"completed", l.completed},
          {"in_production", l.in_production},
          {"start_rate_bp", rateBp(l.started, l.count)},
          {"total_investment", l.total_investment},
          {"plan", l.plan},
          {"done", l.done},
          {"completion_bp", completion},
          {"time_bp", timeBp},
          // "Half the time, half the task": behind when the plan's completion trails the year's elapsed share.
          {"behind", completion.is_number() && completion.get<std::int64_t>() < timeBp},
          {"plan_last", l.plan_last},
          {"done_last", l.done_last},
          {"yoy_bp", yoy}};
}

}  // namespace

json DashboardService::summary(const core::Actor& a, const std::string& wanted) {
  auto c = env_.db->acquire();
  const auto regionCode = resolveRegion(*c, a, wanted);
  json out;
  out["region_code"] = regionCode;
  store::ProjectRepo repo(*c);
  out["region_name"] = repo.regionName(regionCode).value_or("");

  const auto totals = repo.liveTotals(regionCode);
  json projects;
  projects["total"] = totals.count;
  projects["total_investment"] = totals.total_investment;
  projects["started"] = totals.started;
  projects["completed"] = totals.completed;

  const auto today = core::localDay(env_.now());
  auto stages = loadLifecycle(*c, regionCode, today);
  auto byStage = repo.liveByStage(regionCode);
  json st = json::array();
  for (const auto& s : stages.stages)
    st.push_back({{"key", s.key}, {"name", s.name}, {"count", byStage[s.key].count},
                  {"total_investment", byStage[s.key].total_investment}});
  projects["by_stage"] = st;

  auto byCat = repo.liveByCategory(regionCode);
  json cat = json::array();
  for (std::size_t i = 0; i < core::kCategoryKeys.size(); ++i) {
    auto& v = byCat[core::kCategoryKeys[i]];
    cat.push_back({{"key", core::kCategoryKeys[i]}, {"name", core::kCategoryNames[i]}, {"count", v.count},
                   {"total_investment", v.total_investment}});
  }
  projects["by_category"] = cat;

  json lv = json::array();
  for (std::size_t i = 0; i < core::kLevelKeys.size(); ++i)
    lv.push_back({{"key", core::kLevelKeys[i]},
                  {"name", core::kLevelNames[i]},
                  {"count", repo.liveWithLevel(regionCode, core::kLevelKeys[i])}});
  projects["by_level"] = lv;

  const auto year = std::stoi(today.substr(0, 4));
  projects["annual_plan"] = repo.liveAnnualPlan(regionCode, year);
  projects["plan_year"] = year;
  projects["missing_ones"] = repo.liveMissingOnes(regionCode, checklistGroups(*c, regionCode, today));
  out["projects"] = projects;

  // The dispatch board: every figure summed in SQL over the scope, all groupings in one statement that reads
  // each project's reports once.
  const auto span = spanOf(today);
  const int timeBp = core::elapsedShareBp(core::periodOf(core::Cadence::Year, today), today);
  using D = store::BoardDimension;
  std::vector<store::BoardRepo::Part> parts = {{D::Total, 1, ""},
                                               {D::Township, kBoardGroupsMax, ""},
                                               {D::Unit, kBoardGroupsMax, ""},
                                               {D::Chain, kBoardGroupsMax, ""},
                                               {D::Category, kBoardGroupsMax, ""},
                                               {D::Stage, kBoardGroupsMax, ""}};
  for (const auto* level : core::kLevelKeys) parts.push_back({D::Total, 1, level});
  const bool rollUp = !isCounty(regionCode);
  if (rollUp) parts.push_back({D::County, kBoardGroupsMax, ""});
  const auto lines = store::BoardRepo(*c).figuresMany(regionCode, span, parts);
  json b;
  b["year"] = span.year;
  b["today"] = today;
  b["time_bp"] = timeBp;
  b["totals"] = lineJson(lines[0].empty() ? store::BoardLine{} : lines[0].front(), "合计", timeBp);
  auto named = [&](std::size_t part, auto nameOf) {
    json arr = json::array();
    for (const auto& l : lines[part]) arr.push_back(lineJson(l, nameOf(l), timeBp));
    return arr;
  };
  auto own = [](const store::BoardLine& l) { return l.name.empty() ? std::string("未填") : l.name; };
  b["by_township"] = named(1, own);
  b["by_unit"] = named(2, own);
  b["by_chain"] = named(3, own);
  b["by_category"] = named(4, [](const store::BoardLine& l) {
    for (std::size_t i = 0; i < core::kCategoryKeys.size(); ++i)
      if (l.key == core::kCategoryKeys[i]) return std::string(core::kCategoryNames[i]);
    return l.key;
  });
  b["by_stage"] = named(5, [&](const store::BoardLine& l) {
    const auto* s = stages.find(l.key);
    return s ? s->name : l.key;
  });
  json levels = json::array();
  for (std::size_t i = 0; i < core::kLevelKeys.size(); ++i) {
    const auto& l = lines[6 + i];
    auto line = l.empty() ? store::BoardLine{} : l.front();
    line.key = core::kLevelKeys[i];
    levels.push_back(lineJson(line, core::kLevelNames[i], timeBp));
  }
  b["by_level"] = levels;
  if (rollUp) b["by_county"] = named(6 + core::kLevelKeys.size(), own);
  out["board"] = b;

  json org;
  store::OrgUnitRepository units(*c);
  org["units"] = units.countOfKinds(regionCode, {"department", "township", "park"});
  org["townships"] = units.countOfKinds(regionCode, {"township"});
  org["approval"] = units.countOfKinds(regionCode, {"approval"});
  org["users"] = store::UserRepository(*c).countEnabled(regionCode);
  out["org"] = org;
  out["recent_audit"] = recentAudit(*c, a, !core::canReadAudit(a), std::nullopt, 8)["items"];
  return out;
}

json DashboardService::gantt(const core::Actor& a, const ProjectFilter& f) {
  auto c = env_.db->acquire();
  const auto today = core::localDay(env_.now());
  auto lc = loadLifecycle(*c, a.region_code, today);
  store::ProjectRepo repo(*c);
  auto page = repo.list(projects::listFilter(*c, a, f, lc, today), f.page, f.page_size);
  std::vector<std::int64_t> ids;
  for (const auto& r : page.rows) ids.push_back(r.i64("id"));
  std::map<std::int64_t, json> nodes;
  std::string lo = today, hi = today;
  auto widen = [&](const std::optional<std::string>& d) {
    if (!d || d->size() != 10) return;
    lo = std::min(lo, *d);
    hi = std::max(hi, *d);
  };
  for (const auto& n : store::BoardRepo(*c).nodesOf(ids)) {
    std::string state = n.actual_date ? (n.planned_date && *n.actual_date > *n.planned_date ? "done_late" : "done")
                                      : (n.planned_date && *n.planned_date < today ? "overdue" : "planned");
    widen(n.planned_date);
    widen(n.actual_date);
    auto& arr = nodes[n.project_id];
    if (arr.is_null()) arr = json::array();
    arr.push_back({{"key", n.key},
                   {"name", n.name},
                   {"planned_date", n.planned_date ? json(*n.planned_date) : json(nullptr)},
                   {"actual_date", n.actual_date ? json(*n.actual_date) : json(nullptr)},
                   {"state", state}});
  }
  json items = json::array();
  std::map<std::string, projects::Checklist> ones;  // per county: a city's page spans several
  for (const auto& r : page.rows) {
    auto region = r.str("region_code");
    auto one = ones.find(region);
    if (one == ones.end()) one = ones.emplace(region, loadChecklist(*c, region, today)).first;
    json p = projects::summaryJson(r, lc, one->second);
    for (const char* k : {"planned_start", "actual_start", "planned_completion", "actual_completion"})
      widen(r.optStr(k));
    auto it = nodes.find(r.i64("id"));
    p["nodes"] = it == nodes.end() ? json::array() : it->second;
    items.push_back(std::move(p));
  }
  return {{"items", items},         {"total", page.total}, {"page", f.page}, {"page_size", f.page_size},
          {"today", today},         {"range", {{"start", lo}, {"end", hi}}}};
}

json DashboardService::periodSummary(const core::Actor& a, const std::string& cadenceKey, const std::string& key,
                                     const std::string& wanted) {
  auto cad = core::cadenceFromKey(cadenceKey);
  if (!cad || !core::isReportCadence(*cad)) {
    Validator v;
    v.add("cadence", "unknown_cadence");
    v.throwIfAny("没有这种填报周期（day, week, ten_day, month）");
  }
  auto p = core::periodFromKey(key);
  if (!p || p->cadence != *cad) {
    Validator v;
    v.add("period", "invalid");
    v.throwIfAny("期次格式不正确");
  }
  auto c = env_.db->acquire();
  const auto regionCode = resolveRegion(*c, a, wanted);
  if (!isCounty(regionCode)) {
    Validator v;
    v.add("region", "county_required");
    v.throwIfAny("汇总表按县填报：请选择一个县");
  }
  store::ReportRepo reports(*c);
  auto stored = reports.findPeriod(regionCode, cadenceKey, p->key);
  const auto yearStart = p->end.substr(0, 4) + "-01-01";
  const auto year = std::stoll(p->end.substr(0, 4));
  auto lines = store::BoardRepo(*c).periodSummary(regionCode, stored ? std::optional(stored->id) : std::nullopt,
                                                  year, yearStart, p->end, kSummaryLinesMax);
  json items = json::array();
  core::Yuan tTotal = 0, tPlan = 0, tPeriod = 0, tYear = 0, tRunning = 0;
  auto add = [](core::Yuan& sum, core::Yuan v) { sum = core::addAmounts(sum, v).value_or(INT64_MAX); };
  std::int64_t reported = 0;
  for (const auto& l : lines) {
    items.push_back({{"project_id", l.project_id},
                     {"name", l.name},
                     {"unit_name", l.unit_name},
                     {"township_name", l.township_name},
                     {"total_investment", l.total_investment},
                     {"plan", l.plan},
                     {"period_investment", l.period_investment ? json(*l.period_investment) : json(nullptr)},
                     {"year_total", l.year_total},
                     {"running_total", l.running_total},
                     {"completion_bp", rateBp(l.year_total, l.plan)},
                     {"percent", l.percent},
                     {"progress", l.progress},
                     {"report_status", l.report_status.empty() ? json(nullptr) : json(l.report_status)}});
    add(tTotal, l.total_investment);
    add(tPlan, l.plan);
    add(tPeriod, l.period_investment.value_or(0));
    add(tYear, l.year_total);
    add(tRunning, l.running_total);
    if (l.period_investment) ++reported;
  }
  return {{"region_code", regionCode},
          {"region_name", store::RegionRepository(*c).name(regionCode).value_or("")},
          {"cadence", cadenceKey},
          {"period", p->key},
          {"label", p->label},
          {"start", p->start},
          {"end", p->end},
          {"status", stored ? stored->status : std::string("open")},
          {"items", items},
          {"truncated", lines.size() >= static_cast<std::size_t>(kSummaryLinesMax)},
          {"totals",
           {{"projects", lines.size()},
            {"reported", reported},
            {"total_investment", tTotal},
            {"plan", tPlan},
            {"period_investment", tPeriod},
            {"year_total", tYear},
            {"running_total", tRunning},
            {"completion_bp", rateBp(tYear, tPlan)}}}};
}

json DashboardService::statisticsGaps(const core::Actor& a, const std::string& wanted, int page, int pageSize) {
  auto c = env_.db->acquire();
  const auto regionCode = resolveRegion(*c, a, wanted);
  if (!isCounty(regionCode)) {
    Validator v;
    v.add("region", "county_required");
    v.throwIfAny("入库纳统核对按县查看，请选择一个县");
  }
  const auto rules = loadCadenceRules(*c, regionCode, core::localDay(env_.now()));
  const auto res = store::BoardRepo(*c).statisticsGaps(regionCode, rules.registration_gap_bp, page, pageSize);
  json items = json::array();
  for (const auto& l : res.items) {
    const auto gap = l.reported - l.registered_total;
    items.push_back({{"id", l.project_id},
                     {"name", l.name},
                     {"unit_name", l.unit_name},
                     {"township_name", l.township_name},
                     {"registered", l.registered},
                     {"reported_total", l.reported},
                     {"registered_total", l.registered_total},
                     {"gap", gap},
                     {"gap_bp", rateBp(gap, l.reported)},
                     {"runs_ahead", l.runs_ahead}});
  }
  return {{"region_code", regionCode},
          {"gap_threshold_bp", rules.registration_gap_bp},
          {"total", res.total},
          {"flagged", res.flagged},
          {"page", page},
          {"page_size", pageSize},
          {"items", items}};
}

std::string DashboardService::periodSummaryXlsx(const core::Actor& a, const std::string& cadence,
                                                const std::string& key, const std::string& region) {
  const auto s = periodSummary(a, cadence, key, region);
  using office::OutCell;
  auto wan = [](const json& v) { return v.is_number() ? OutCell::num(core::toWanPlain(v.get<std::int64_t>())) : OutCell{}; };
  // Basis points as a percentage with two decimals ("85.50"), from integers.
  auto pct = [](const json& v) {
    if (!v.is_number()) return OutCell{};
    const auto bp = v.get<std::int64_t>();
    const auto whole = bp / 100, frac = (bp < 0 ? -bp : bp) % 100;
    std::string t = (bp < 0 && whole == 0 ? "-" : "") + std::to_string(whole) + "." + (frac < 10 ? "0" : "") +
                    std::to_string(frac);
    return OutCell::num(t);
  };
  office::SummarySheet sheet;
  const std::string regionName = s["region_name"];
  sheet.title = regionName + s["label"].get<std::string>() + "重点项目投资进度汇总表";
  sheet.reporter = "填报单位：" + regionName + "重点项目建设指挥部";
  for (const auto& l : s["items"]) {
    sheet.rows.push_back({OutCell::text(l["name"]), OutCell::text(l["unit_name"]), OutCell::text(l["township_name"]),
                          wan(l["total_investment"]), wan(l["plan"]), wan(l["period_investment"]),
                          wan(l["year_total"]), wan(l["running_total"]), pct(l["completion_bp"]),
                          OutCell::text(l["progress"]),
                          OutCell::text(l["report_status"].is_null()      ? "未报送"
                                        : l["report_status"] == "returned" ? "已退回"
                                                                           : "")});
  }
  const auto& t = s["totals"];
  sheet.total = {wan(t["total_investment"]), wan(t["plan"]), wan(t["period_investment"]), wan(t["year_total"]),
                 wan(t["running_total"]), pct(t["completion_bp"]),
                 OutCell::text("已报 " + std::to_string(t["reported"].get<std::int64_t>()) + " / " +
                               std::to_string(t["projects"].get<std::int64_t>())),
                 OutCell{}};
  try {
    return office::writeSummaryXlsx(sheet);
  } catch (const office::XlsxError& e) {
    throw ServiceError(ErrorKind::Validation, "xlsx_failed", e.what());
  }
}

}  // namespace steward::service
