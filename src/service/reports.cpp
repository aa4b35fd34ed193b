#include "service/reports.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/limits.h"
#include "core/reporting.h"
#include "service/audit.h"
#include "service/cadence_rules.h"
#include "service/lights.h"
#include "service/errors.h"
#include "service/notify.h"
#include "service/json_input.h"
#include "service/photos.h"
#include "store/inbox_repo.h"
#include "store/project_repo.h"
#include "store/report_repo.h"

namespace steward::service {

using nlohmann::json;
namespace L = core::limits;

namespace {

// A project as reporting sees it.
struct ProjectFacts {
  std::int64_t id = 0;
  std::string region, name, stage, status;
  std::optional<std::int64_t> unit_id, liaison_id;
  std::int64_t total_investment = 0;
  std::optional<double> lat, lng;  // the site, for the photos' distance check
};

ProjectFacts loadProject(store::Connection& c, const core::Actor& a, std::int64_t id) {
  auto row = store::ProjectRepo(c).findById(id);
  if (!row || !core::inScope(a, row->str("region_code"))) throw notFound("项目不存在");
  return {id,
          row->str("region_code"),
          row->str("name"),
          row->str("stage"),
          row->str("status"),
          row->optI64("unit_id"),
          row->optI64("liaison_id"),
          row->i64("total_investment"),
          row->optF64("lat"),
          row->optF64("lng")};
}

core::PhotoEvidenceRules evidenceRules(const core::CadenceRules& r) {
  return {r.photo_max_days_before, r.photo_max_distance_m};
}

// A report's photos with their questionable marks for its period.
json photosOf(store::Connection& c, const store::ReportRecord& r, const ProjectFacts& p, const core::CadenceRules& rules) {
  auto period = core::periodFromKey(r.period_key);
  return reportPhotosJson(c, r.id, period ? period->start : r.period_end, p.lat, p.lng, evidenceRules(rules));
}

// "2026-02-05 18:00" in the county's time.
std::string localTime(core::TimePoint t) {
  auto s = core::formatTimestamp(t + std::chrono::hours(8));
  return s.substr(0, 10) + " " + s.substr(11, 5);
}

struct Due {
  core::Cadence cadence;
  core::ReportDeadline deadline;
};

Due dueOf(const core::CadenceRules& r, const std::string& stage) {
  auto c = core::cadenceOfStage(r, stage);
  return {c, core::deadlineRuleOf(r, c)};
}

json periodHead(const core::Period& p, const core::ReportDeadline& d, core::TimePoint now,
                const std::optional<store::PeriodRecord>& stored) {
  const bool closed = stored && stored->status == "closed";
  return {{"cadence", core::cadenceKey(p.cadence)},
          {"key", p.key},
          {"label", p.label},
          {"start", p.start},
          {"end", p.end},
          {"deadline", core::formatTimestamp(core::deadlineOf(p, d))},
          {"deadline_local", localTime(core::deadlineOf(p, d))},
          {"state", closed ? "closed" : core::periodStateKey(core::periodStateAt(p, d, now))},
          {"status", stored ? stored->status : "open"},
          {"closed_at", stored && stored->closed_at ? json(*stored->closed_at) : json()},
          {"reopen_reason", stored ? stored->reopen_reason : ""}};
}

json reportJson(const store::ReportRecord& r, std::int64_t runningTotal) {
  auto problems = json::parse(r.problems, nullptr, false);
  return {{"id", r.id},
          {"project_id", r.project_id},
          {"cadence", r.cadence},
          {"period", r.period_key},
          {"period_end", r.period_end},
          {"investment", r.investment},
          {"running_total", runningTotal},
          {"progress", r.progress},
          {"percent", r.percent},
          {"workers", r.workers},
          {"machines", r.machines},
          {"next_plan", r.next_plan},
          {"problems", problems.is_discarded() ? json::array() : problems},
          {"status", r.status},
          {"return_reason", r.return_reason},
          {"reporter_id", r.reporter_id ? json(*r.reporter_id) : json()},
          {"reporter_name", r.reporter_name},
          {"submitted_at", r.submitted_at},
          {"updated_at", r.updated_at},
          {"version", r.version}};
}

// What the audit keeps of a report: the fields a person typed, and its state.
json auditImageOf(const store::ReportRecord& r) {
  auto problems = json::parse(r.problems, nullptr, false);
  return {{"project_id", r.project_id}, {"period", r.period_key},   {"investment", r.investment},
          {"progress", r.progress},     {"percent", r.percent},     {"workers", r.workers},
          {"machines", r.machines},     {"next_plan", r.next_plan}, {"problems", problems.is_discarded() ? json() : problems},
          {"status", r.status},         {"return_reason", r.return_reason}};
}

json figuresJson(store::ReportRepo& repo, std::int64_t periodId) {
  json lines = json::array();
  std::int64_t investment = 0;
  std::int64_t reported = 0;
  for (const auto& f : repo.periodFigures(periodId, kPeriodFiguresMax)) {
    lines.push_back({{"project_id", f.project_id},
                     {"project_name", f.project_name},
                     {"unit_name", f.unit_name},
                     {"township_name", f.township_name},
                     {"status", f.status},
                     {"investment", f.investment},
                     {"running_total", f.running_total},
                     {"percent", f.percent}});
    investment += f.investment;
    if (f.status == "submitted") ++reported;
  }
  return {{"lines", lines}, {"totals", {{"reports", lines.size()}, {"submitted", reported}, {"investment", investment}}}};
}

core::Cadence requireCadence(const std::string& key, const char* field) {
  auto c = core::cadenceFromKey(key);
  if (!c || !core::isReportCadence(*c)) {
    Validator v;
    v.add(field, "unknown_cadence");
    v.throwIfAny("没有这种填报周期（day, week, ten_day, month）");
  }
  return *c;
}

core::Period requirePeriod(core::Cadence c, const std::string& key) {
  auto p = core::periodFromKey(key);
  if (!p || p->cadence != c) {
    Validator v;
    v.add("period", "invalid");
    v.throwIfAny("期次格式不正确");
  }
  return *p;
}

}  // namespace

json ReportService::submit(const core::Actor& a, std::int64_t projectId, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto periodKey = i.str("period", false, L::kCode);
  auto investment = i.money("investment", true);
  auto progress = i.str("progress", false, L::kText);
  auto percent = i.i64("percent", true);
  auto workers = i.i64("workers", false);
  auto machines = i.i64("machines", false);
  auto nextPlan = i.str("next_plan", false, L::kText);
  auto problems = i.strList("problems", false, kReportProblemsMax, L::kNote);
  std::vector<FieldError> photoErrors;
  const auto photos = photoListOf(in, photoErrors);
  for (auto& e : photoErrors) v.add(e.field, e.reason);
  if (percent && (*percent < 0 || *percent > 100)) v.add("percent", "out_of_range");
  if (workers && (*workers < 0 || *workers > kSiteCountMax)) v.add("workers", *workers < 0 ? "negative" : "out_of_range");
  if (machines && (*machines < 0 || *machines > kSiteCountMax))
    v.add("machines", *machines < 0 ? "negative" : "out_of_range");
  v.throwIfAny();

  const auto region = regionOfRow(env_, "projects", projectId, a.region_code);
  const auto now = env_.now();
  const auto nowIso = core::formatTimestamp(now);
  const auto today = core::localDay(now);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    const auto p = loadProject(c, a, projectId);
    if (!core::canReportProgress(a, p.region, p.unit_id, p.liaison_id)) throw forbidden("只有项目联络员、责任单位和总指挥部可以填报");
    if (p.status == "cancelled") throw conflict("项目已取消，不再填报", {{"project", "cancelled"}});
    const auto rules = loadCadenceRules(c, p.region, today);
    const auto due = dueOf(rules, p.stage);
    core::Period period = core::reportingPeriod(due.cadence, due.deadline, today);
    if (periodKey) {
      auto parsed = core::periodFromKey(*periodKey);
      Validator pv;
      if (!parsed) pv.add("period", "invalid");
      else if (parsed->cadence != due.cadence) pv.add("period", "wrong_cadence");
      pv.throwIfAny(std::string("该项目按") + core::cadenceKey(due.cadence) + "周期填报，期次格式不符");
      period = *parsed;
    }
    if (period.start > today)
      throw ServiceError(ErrorKind::Validation, "future_period", "不能填报尚未开始的期次：" + period.label,
                         {{"period", "future_period"}});
    store::ReportRepo repo(c);
    const auto cadence = core::cadenceKey(due.cadence);
    auto stored = repo.findPeriod(p.region, cadence, period.key);
    if (stored && stored->status == "closed")
      throw ServiceError(ErrorKind::Validation, "period_closed", period.label + "已关账，不能再填报；如需更正请总指挥部重新开放",
                         {{"period", "period_closed"}});
    const auto others = repo.investmentSum(p.id, stored ? std::optional(stored->id) : std::nullopt);
    if (core::exceedsTotalInvestment(others, *investment, p.total_investment))
      throw ServiceError(ErrorKind::Validation, "exceeds_total_investment",
                         "累计完成投资将超过项目总投资，请先修改项目总投资",
                         {{"investment", "exceeds_total_investment"}},
                         {{"total_investment", p.total_investment}, {"reported_before", others}});
    const auto rec = repo.ensurePeriod(p.region, cadence, period.key, period.start, period.end, nowIso);
    store::ReportRecord r;
    auto existing = repo.findReport(p.id, rec.id);
    if (existing) r = *existing;
    r.region_code = p.region;
    r.project_id = p.id;
    r.period_id = rec.id;
    r.cadence = cadence;
    r.period_key = period.key;
    r.period_end = period.end;
    r.investment = *investment;
    r.progress = progress.value_or("");
    r.percent = *percent;
    r.workers = workers.value_or(0);
    r.machines = machines.value_or(0);
    r.next_plan = nextPlan.value_or("");
    r.problems = json(problems.value_or(std::vector<std::string>{})).dump();
    r.status = "submitted";
    r.return_reason = "";
    r.reporter_id = a.user_id;
    r.updated_at = nowIso;
    if (existing) {
      repo.updateReport(r);
      ++r.version;
      json b, af;
      diffJson(auditImageOf(*existing), auditImageOf(r), b, af);
      appendAudit(c, env_, &a, {p.region, "update", "progress_report", std::to_string(r.id), b, af});
    } else {
      r.submitted_at = nowIso;
      r.id = repo.insertReport(r);
      appendAudit(c, env_, &a, {p.region, "create", "progress_report", std::to_string(r.id), nullptr, auditImageOf(r)});
    }
    if (photos) attachReportPhotos(c, p.id, r.id, *photos);
    evaluateProjectIn(c, env_, p.region, p.id);  // the report may turn the light
    r.reporter_name = a.display_name;
    auto out = reportJson(r, repo.runningTotalAt(r));
    out["photos"] = photosOf(c, r, p, rules);
    out["created"] = !existing;
    out["period_label"] = period.label;
    return out;
  });
}

json ReportService::projectReports(const core::Actor& a, std::int64_t projectId, std::optional<std::int64_t> before,
                                   int limit) {
  limit = std::clamp(limit, 1, kReportListMax);
  const auto now = env_.now();
  auto c = env_.db->acquire();
  const auto p = loadProject(*c, a, projectId);
  const auto rules = loadCadenceRules(*c, p.region, core::localDay(now));
  const auto due = dueOf(rules, p.stage);
  const auto current = core::reportingPeriod(due.cadence, due.deadline, core::localDay(now));
  store::ReportRepo repo(*c);
  auto rows = repo.projectReports(p.id, limit + 1, before);
  json items = json::array();
  std::int64_t running = 0;
  for (std::size_t k = 0; k < rows.size() && k < std::size_t(limit); ++k) {
    running = k == 0 ? repo.runningTotalAt(rows[k]) : running - rows[k - 1].investment;
    items.push_back(reportJson(rows[k], running));
    items.back()["photos"] = photosOf(*c, rows[k], p, rules);
  }
  json next = rows.size() > std::size_t(limit) ? json(rows[limit - 1].id) : json();
  return {{"items", items},
          {"next_before", next},
          {"total_investment", p.total_investment},
          {"reported_total", repo.investmentSum(p.id)},
          {"current", periodHead(current, due.deadline, now, repo.findPeriod(p.region, core::cadenceKey(due.cadence), current.key))}};
}

json ReportService::returnReport(const core::Actor& a, std::int64_t reportId, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto reason = i.str("reason", true, L::kNote);
  if (reason && reason->empty()) v.add("reason", "required");
  v.throwIfAny("请填写退回原因");
  std::string region = a.region_code;
  {
    auto c = env_.db->acquire();
    if (auto r = store::ReportRepo(*c).findReport(reportId)) region = r->region_code;
  }
  const auto now = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::ReportRepo repo(c);
    auto r = repo.findReport(reportId);
    if (!r || !core::inScope(a, r->region_code)) throw notFound("报告不存在");
    if (!core::canSuperviseReports(a, r->region_code)) throw forbidden("只有总指挥部可以退回报告");
    auto period = repo.findPeriod(r->region_code, r->cadence, r->period_key);
    if (period && period->status == "closed") throw conflict("该期已关账，不能退回", {{"period", "period_closed"}});
    if (r->status == "returned") throw conflict("报告已退回，等待重新提交", {{"status", "already_returned"}});
    repo.returnReport(r->id, *reason, now);
    auto after = *r;
    after.status = "returned";
    after.return_reason = *reason;
    after.updated_at = now;
    ++after.version;
    appendAudit(c, env_, &a,
                {r->region_code, "update", "progress_report", std::to_string(r->id),
                 {{"status", r->status}, {"return_reason", r->return_reason}},
                 {{"status", "returned"}, {"return_reason", *reason}}});
    evaluateProjectIn(c, env_, r->region_code, r->project_id);
    if (r->reporter_id) {
      auto project = store::ProjectRepo(c).findById(r->project_id);
      Notification n;
      n.region_code = r->region_code;
      n.event = "report_returned";
      n.title = "进度报告被退回：" + (project ? project->str("name") : std::string());
      n.body = "期次 " + r->period_key + "，退回原因：" + *reason;
      n.project_id = r->project_id;
      n.sender_id = a.user_id;
      n.link = "/projects/" + std::to_string(r->project_id) + "?tab=report";
      notify(c, n, {*r->reporter_id}, now);
    }
    auto out = reportJson(after, repo.runningTotalAt(after));
    out["photos"] = photosOf(c, after, loadProject(c, a, after.project_id),
                             loadCadenceRules(c, after.region_code, core::localDay(env_.now())));
    return out;
  });
}

json ReportService::period(const core::Actor& a, const std::string& cadenceKey, const std::string& key) {
  const auto cad = requireCadence(cadenceKey, "cadence");
  const auto p = requirePeriod(cad, key);
  const auto now = env_.now();
  auto c = env_.db->acquire();
  const auto rules = loadCadenceRules(*c, a.region_code, core::localDay(now));
  store::ReportRepo repo(*c);
  auto stored = repo.findPeriod(a.region_code, cadenceKey, p.key);
  auto out = periodHead(p, core::deadlineRuleOf(rules, cad), now, stored);
  if (stored && stored->status == "closed" && stored->snapshot) {
    auto snap = json::parse(*stored->snapshot, nullptr, false);
    out["figures"] = snap.is_discarded() ? json() : snap;
    out["frozen"] = true;
  } else {
    out["figures"] = stored ? figuresJson(repo, stored->id) : json{{"lines", json::array()},
                                                                   {"totals", {{"reports", 0}, {"submitted", 0}, {"investment", 0}}}};
    out["frozen"] = false;
  }
  return out;
}

json ReportService::periods(const core::Actor& a, const std::string& cadenceKey, int limit) {
  if (!cadenceKey.empty()) requireCadence(cadenceKey, "cadence");
  limit = std::clamp(limit, 1, kPeriodListMax);
  const auto now = env_.now();
  auto c = env_.db->acquire();
  const auto rules = loadCadenceRules(*c, a.region_code, core::localDay(now));
  json items = json::array();
  for (const auto& s : store::ReportRepo(*c).periods(a.region_code, cadenceKey, limit)) {
    auto p = core::periodFromKey(s.period_key);
    if (!p) continue;
    items.push_back(periodHead(*p, core::deadlineRuleOf(rules, p->cadence), now, s));
  }
  return {{"items", items}};
}

json ReportService::closePeriod(const core::Actor& a, const std::string& cadenceKey, const std::string& key) {
  const auto cad = requireCadence(cadenceKey, "cadence");
  const auto p = requirePeriod(cad, key);
  if (!core::canSuperviseReports(a, a.region_code)) throw forbidden("只有总指挥部可以关账");
  const auto now = env_.now();
  const auto nowIso = core::formatTimestamp(now);
  if (core::localDay(now) <= p.end)
    throw ServiceError(ErrorKind::Conflict, "period_not_ended", p.label + "尚未结束，不能关账", {{"period", "not_ended"}});
  return writeTransaction(env_, a.region_code, [&](store::Connection& c) {
    store::ReportRepo repo(c);
    auto stored = repo.ensurePeriod(a.region_code, cadenceKey, p.key, p.start, p.end, nowIso);
    if (stored.status == "closed") throw ServiceError(ErrorKind::Conflict, "already_closed", p.label + "已关账");
    auto figures = figuresJson(repo, stored.id);
    figures["frozen_at"] = nowIso;
    repo.closePeriod(stored.id, nowIso, a.user_id, figures.dump());
    appendAudit(c, env_, &a,
                {a.region_code, "close", "report_period", cadenceKey + "/" + p.key, {{"status", "open"}},
                 {{"status", "closed"}, {"totals", figures["totals"]}}});
    const auto rules = loadCadenceRules(c, a.region_code, core::localDay(now));
    stored.status = "closed";
    stored.closed_at = nowIso;
    auto out = periodHead(p, core::deadlineRuleOf(rules, cad), now, stored);
    out["figures"] = figures;
    out["frozen"] = true;
    return out;
  });
}

json ReportService::reopenPeriod(const core::Actor& a, const std::string& cadenceKey, const std::string& key,
                                 const json& in) {
  const auto cad = requireCadence(cadenceKey, "cadence");
  const auto p = requirePeriod(cad, key);
  Validator v;
  JsonInput i(in, v);
  auto reason = i.str("reason", true, L::kNote);
  if (reason && reason->empty()) v.add("reason", "required");
  v.throwIfAny("重新开放须填写原因");
  if (!core::canSuperviseReports(a, a.region_code)) throw forbidden("只有总指挥部可以重新开放");
  const auto now = env_.now();
  return writeTransaction(env_, a.region_code, [&](store::Connection& c) {
    store::ReportRepo repo(c);
    auto stored = repo.findPeriod(a.region_code, cadenceKey, p.key);
    if (!stored || stored->status != "closed")
      throw ServiceError(ErrorKind::Conflict, "not_closed", p.label + "未关账，无需重新开放");
    repo.reopenPeriod(stored->id, *reason);
    auto snap = stored->snapshot ? json::parse(*stored->snapshot, nullptr, false) : json();
    appendAudit(c, env_, &a,
                {a.region_code, "reopen", "report_period", cadenceKey + "/" + p.key,
                 {{"status", "closed"}, {"closed_at", *stored->closed_at},
                  {"totals", snap.is_object() && snap.contains("totals") ? snap["totals"] : json()}},
                 {{"status", "open"}, {"reason", *reason}}});
    stored->status = "open";
    stored->closed_at.reset();
    stored->reopen_reason = *reason;
    const auto rules = loadCadenceRules(c, a.region_code, core::localDay(now));
    auto out = periodHead(p, core::deadlineRuleOf(rules, cad), now, stored);
    out["frozen"] = false;
    return out;
  });
}

json ReportService::missing(const core::Actor& a, const std::string& cadenceKey) {
  const auto now = env_.now();
  const auto today = core::localDay(now);
  auto c = env_.db->acquire();
  const auto rules = loadCadenceRules(*c, a.region_code, today);
  const auto cad = cadenceKey.empty() ? rules.fallback : requireCadence(cadenceKey, "cadence");
  const auto d = core::deadlineRuleOf(rules, cad);
  const auto p = core::reportingPeriod(cad, d, today);
  store::ReportRepo repo(*c);
  auto stored = repo.findPeriod(a.region_code, core::cadenceKey(cad), p.key);
  const auto reported = stored ? repo.reportedProjects(stored->id) : std::set<std::int64_t>{};
  // Grouped in the order units and townships first appear (projects come by id).
  struct Group {
    json id;
    std::string name;
    json projects = json::array();
  };
  std::vector<Group> byUnit, byTownship;
  std::map<std::string, std::size_t> unitIndex, townIndex;
  auto addTo = [](std::vector<Group>& groups, std::map<std::string, std::size_t>& index, std::optional<std::int64_t> id,
                  const std::string& name, const json& project) {
    const auto k = id ? std::to_string(*id) : std::string("-");
    auto it = index.find(k);
    if (it == index.end()) {
      it = index.emplace(k, groups.size()).first;
      groups.push_back({id ? json(*id) : json(), id ? name : std::string("未指定")});
    }
    groups[it->second].projects.push_back(project);
  };
  std::int64_t due = 0, missingCount = 0;
  for (const auto& pr : repo.liveProjects(a.region_code, kPeriodFiguresMax)) {
    if (core::cadenceOfStage(rules, pr.stage) != cad) continue;
    ++due;
    if (reported.count(pr.id)) continue;
    ++missingCount;
    json item = {{"id", pr.id},
                 {"name", pr.name},
                 {"stage", pr.stage},
                 {"liaison_id", pr.liaison_id ? json(*pr.liaison_id) : json()},
                 {"liaison_name", pr.liaison_name}};
    addTo(byUnit, unitIndex, pr.unit_id, pr.unit_name, item);
    addTo(byTownship, townIndex, pr.township_id, pr.township_name, item);
  }
  auto groupsJson = [](const std::vector<Group>& gs, const char* idKey) {
    json out = json::array();
    for (const auto& g : gs) out.push_back({{idKey, g.id}, {"name", g.name}, {"count", g.projects.size()}, {"projects", g.projects}});
    return out;
  };
  return {{"period", periodHead(p, d, now, stored)},
          {"projects_due", due},
          {"reported", due - missingCount},
          {"missing", missingCount},
          {"by_unit", groupsJson(byUnit, "unit_id")},
          {"by_township", groupsJson(byTownship, "township_id")}};
}

json ReportService::statistics(const core::Actor& a, std::int64_t projectId) {
  const auto now = env_.now();
  auto c = env_.db->acquire();
  const auto p = loadProject(*c, a, projectId);
  const auto rules = loadCadenceRules(*c, p.region, core::localDay(now));
  store::ReportRepo repo(*c);
  json months = json::array();
  std::int64_t registeredTotal = 0;
  for (const auto& m : repo.registrations(p.id)) {
    months.push_back({{"month", m.month}, {"amount", m.amount}});
    registeredTotal += m.amount;
  }
  const auto reported = repo.investmentSum(p.id);
  return {{"project_id", p.id},
          {"registered", repo.registered(p.id)},
          {"months", months},
          {"registered_total", registeredTotal},
          {"reported_total", reported},
          {"gap", reported - registeredTotal},
          {"gap_threshold_bp", rules.registration_gap_bp},
          {"runs_ahead", core::reportedRunsAhead(reported, registeredTotal, rules.registration_gap_bp)}};
}

json ReportService::setStatistics(const core::Actor& a, std::int64_t projectId, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto registered = i.boolean("registered", true);
  std::vector<store::MonthAmount> months;
  if (const auto* arr = i.array("months", false, kRegistrationMonthsMax)) {
    std::set<std::string> seen;
    for (std::size_t k = 0; k < arr->size(); ++k) {
      const auto prefix = "months[" + std::to_string(k) + "].";
      JsonInput e((*arr)[k], v, prefix);
      auto month = e.str("month", true, L::kCode);
      auto amount = e.money("amount", true);
      if (month) {
        auto p = core::periodFromKey(*month);
        if (!p || p->cadence != core::Cadence::Month) v.add(prefix + "month", "invalid");
        else if (!seen.insert(*month).second) v.add(prefix + "month", "duplicate");
      }
      if (month && amount) months.push_back({*month, *amount});
    }
  }
  v.throwIfAny();
  std::int64_t sum = 0;
  for (const auto& m : months) {
    sum += m.amount;
    if (sum > L::kMaxYuan) {
      Validator tv;
      tv.add("months", "too_large");
      tv.throwIfAny();
    }
  }
  const auto region = regionOfRow(env_, "projects", projectId, a.region_code);
  const auto now = env_.nowIso();
  writeTransaction(env_, region, [&](store::Connection& c) {
    const auto p = loadProject(c, a, projectId);
    if (!core::canSuperviseReports(a, p.region)) throw forbidden("只有总指挥部可以登记入库纳统");
    store::ReportRepo repo(c);
    json before = {{"registered", repo.registered(p.id)}, {"months", json::array()}};
    for (const auto& m : repo.registrations(p.id)) before["months"].push_back({{"month", m.month}, {"amount", m.amount}});
    json after = {{"registered", *registered}, {"months", json::array()}};
    for (const auto& m : months) after["months"].push_back({{"month", m.month}, {"amount", m.amount}});
    repo.setRegistration(p.id, p.region, *registered, months, now);
    appendAudit(c, env_, &a, {p.region, "update", "project_statistics", std::to_string(p.id), before, after});
  });
  return statistics(a, projectId);
}

json ReportService::remind(const core::Actor& a, std::int64_t projectId) {
  const auto region = regionOfRow(env_, "projects", projectId, a.region_code);
  const auto now = env_.now();
  const auto nowIso = core::formatTimestamp(now);
  const auto today = core::localDay(now);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    const auto p = loadProject(c, a, projectId);
    if (!core::canSuperviseReports(a, p.region)) throw forbidden("只有总指挥部可以发送催报提醒");
    if (!p.liaison_id) throw conflict("该项目尚未指定联络员", {{"liaison_id", "required"}});
    const auto due = dueOf(loadCadenceRules(c, p.region, today), p.stage);
    const auto period = core::reportingPeriod(due.cadence, due.deadline, today);
    store::InboxMessage m;
    m.region_code = p.region;
    m.user_id = *p.liaison_id;
    m.kind = "report_reminder";
    m.title = "请及时填报项目进度：" + p.name;
    m.body = period.label + "进度报告截止时间 " + localTime(core::deadlineOf(period, due.deadline));
    m.project_id = p.id;
    m.sender_id = a.user_id;
    m.link = "/projects/" + std::to_string(p.id) + "?tab=report";
    m.created_at = nowIso;
    m.id = store::InboxRepo(c).insert(m);
    appendAudit(c, env_, &a,
                {p.region, "create", "inbox_message", std::to_string(m.id), nullptr,
                 {{"kind", m.kind}, {"user_id", m.user_id}, {"project_id", p.id}, {"period", period.key}}});
    return json{{"id", m.id}, {"user_id", m.user_id}, {"period", period.key}, {"title", m.title}};
  });
}

json ReportService::remindOverdue(const std::string& regionParam, core::TimePoint asOf) {
  const auto today = core::localDay(asOf);
  const auto nowIso = env_.nowIso();
  std::vector<std::string> regions;
  if (!regionParam.empty()) regions.push_back(regionParam);
  else {
    auto c = env_.db->acquire();
    regions = store::ReportRepo(*c).regionsWithProjects();
  }
  std::int64_t sent = 0, already = 0;
  for (const auto& region : regions) {
    auto counts = writeTransaction(env_, region, [&](store::Connection& c) {
      std::int64_t s = 0, dup = 0;
      const auto rules = loadCadenceRules(c, region, today);
      store::ReportRepo repo(c);
      store::InboxRepo inbox(c);
      std::map<std::string, std::set<std::int64_t>> reportedBy;  // cadence/period → reported projects
      for (const auto& pr : repo.liveProjects(region, kPeriodFiguresMax)) {
        if (!pr.liaison_id) continue;
        const auto due = dueOf(rules, pr.stage);
        const auto p = core::reportingPeriod(due.cadence, due.deadline, today);
        if (core::periodStateAt(p, due.deadline, asOf) != core::PeriodState::Overdue) continue;
        const std::string k = std::string(core::cadenceKey(due.cadence)) + "/" + p.key;
        if (!reportedBy.count(k)) {
          auto stored = repo.findPeriod(region, core::cadenceKey(due.cadence), p.key);
          reportedBy[k] = stored ? repo.reportedProjects(stored->id) : std::set<std::int64_t>{};
          if (stored && stored->status == "closed") reportedBy[k].insert(-1);  // closed: nobody is chased
        }
        const auto& rep = reportedBy[k];
        if (rep.count(-1) || rep.count(pr.id)) continue;
        store::InboxMessage m;
        m.region_code = region;
        m.user_id = *pr.liaison_id;
        m.kind = "report_reminder";
        m.title = "进度报告已逾期：" + pr.name;
        m.body = p.label + "进度报告已于 " + localTime(core::deadlineOf(p, due.deadline)) + " 截止，请尽快填报";
        m.project_id = pr.id;
        m.dedupe_key = "overdue:" + k + ":" + std::to_string(pr.id);
        m.link = "/projects/" + std::to_string(pr.id) + "?tab=report";
        m.created_at = nowIso;
        if (inbox.insertOnce(m)) ++s;
        else ++dup;
      }
      if (s > 0)
        appendAudit(c, env_, nullptr,
                    {region, "remind", "report_period", region, nullptr,
                     {{"as_of", core::formatTimestamp(asOf)}, {"sent", s}}});
      return std::pair{s, dup};
    });
    sent += counts.first;
    already += counts.second;
  }
  return {{"sent", sent}, {"already_sent", already}, {"regions", regions.size()}};
}

}  // namespace steward::service
