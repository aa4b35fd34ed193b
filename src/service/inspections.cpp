#include "service/inspections.h"

#include <algorithm>
#include <regex>
#include <set>

#include "core/period.h"
#include "core/time.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "service/letters.h"
#include "service/problems.h"
#include "store/inspection_repo.h"
#include "store/photo_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

bool isHeadquarters(const core::Actor& a, const std::string& region) {
  return (a.has("hq") || a.has("admin")) && core::canWrite(a, core::WriteKind::Business, region);
}

// The plans are the overseers' work: headquarters, inspectors, leaders and read-only viewers see them.
bool seesPlans(const core::Actor& a) {
  return a.has("admin") || a.has("hq") || a.has("inspector") || a.has("viewer") || a.has("leader");
}

bool hasRoleText(const std::string& roles, const std::string& role) {
  std::size_t at = 0;
  while (at <= roles.size()) {
    auto comma = roles.find(',', at);
    if (comma == std::string::npos) comma = roles.size();
    if (roles.compare(at, comma - at, role) == 0) return true;
    at = comma + 1;
  }
  return false;
}

// "2026-03-2" → the 旬, or nullopt when the key names none.
std::optional<core::Period> tenDayOf(const std::string& key) {
  static const std::regex re("^(\\d{4})-(\\d{2})-([123])$");
  std::smatch m;
  if (!std::regex_match(key, m, re)) return std::nullopt;
  const int month = std::stoi(m[2]);
  if (month < 1 || month > 12) return std::nullopt;
  const std::string first = m[3] == "1" ? "01" : m[3] == "2" ? "11" : "21";
  try {
    auto p = core::periodOf(core::Cadence::TenDay, key.substr(0, 8) + first);
    if (p.key != key) return std::nullopt;
    return p;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

json planJson(const store::InspectionPlan& p) {
  std::string label;
  if (auto t = tenDayOf(p.period_key)) label = t->label;
  return {{"id", p.id},           {"period", p.period_key}, {"period_label", label},    {"start_day", p.start_day},
          {"end_day", p.end_day}, {"note", p.note},         {"targets_count", p.targets}, {"visited", p.visited},
          {"findings", p.findings}, {"created_at", p.created_at}};
}

json findingJson(const store::InspectionFinding& f) {
  auto photos = json::parse(f.photos, nullptr, false);
  return {{"id", f.id},
          {"visit_id", f.visit_id},
          {"project_id", f.project_id},
          {"text", f.text},
          {"photos", photos.is_array() ? photos : json::array()},
          {"problem_id", f.problem_id ? json(*f.problem_id) : json()},
          {"letter_id", f.letter_id ? json(*f.letter_id) : json()},
          {"created_at", f.created_at}};
}

store::InspectionPlan loadVisible(store::Connection& c, const core::Actor& a, std::int64_t id) {
  auto p = store::InspectionRepo(c).find(id);
  if (!p || !core::inScope(a, p->region_code) || !seesPlans(a)) throw notFound("督查计划不存在");
  return *p;
}

store::InspectionFinding loadFinding(store::Connection& c, const core::Actor& a, std::int64_t id) {
  auto f = store::InspectionRepo(c).finding(id);
  if (!f || !core::inScope(a, f->region_code) || !seesPlans(a)) throw notFound("督查发现不存在");
  return *f;
}

std::string today(const Env& env) { return core::localDay(env.now()); }

}  // namespace

json InspectionsService::list(const core::Actor& a, const std::string& period) {
  Validator v;
  if (!period.empty() && !tenDayOf(period)) v.add("period", "invalid");
  v.throwIfAny("查询参数不正确");
  if (!seesPlans(a)) throw forbidden("没有查看督查计划的权限");
  auto c = env_.db->acquire();
  json items = json::array();
  for (const auto& p : store::InspectionRepo(*c).plans(a.region_code, period, kInspectionPlansMax))
    items.push_back(planJson(p));
  json out = {{"items", items}};
  if (!period.empty()) {
    const auto t = *tenDayOf(period);
    out["period"] = {{"key", t.key}, {"label", t.label}, {"start_day", t.start}, {"end_day", t.end}};
  }
  out["current"] = core::periodOf(core::Cadence::TenDay, today(env_)).key;
  return out;
}

json InspectionsService::create(const core::Actor& a, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto period = i.str("period", true, core::limits::kCode);
  auto note = i.str("note", false, kInspectionNoteMax);
  std::vector<std::pair<std::int64_t, std::int64_t>> targets;
  if (!in.contains("targets") || !in["targets"].is_array()) v.addType("targets", "must_be_array");
  else if (in["targets"].empty()) v.add("targets", "required");
  else if (in["targets"].size() > kInspectionTargetsMax) v.add("targets", "too_many");
  else {
    std::set<std::int64_t> seen;
    for (std::size_t k = 0; k < in["targets"].size(); ++k) {
      const auto prefix = "targets[" + std::to_string(k) + "].";
      if (!in["targets"][k].is_object()) {
        v.addType("targets[" + std::to_string(k) + "]", "must_be_object");
        continue;
      }
      JsonInput t(in["targets"][k], v, prefix);
      auto project = t.i64("project_id", true);
      auto inspector = t.i64("inspector_id", true);
      if (project && !seen.insert(*project).second) v.add(prefix + "project_id", "duplicate");
      if (project && inspector) targets.emplace_back(*project, *inspector);
    }
  }
  std::optional<core::Period> tenDay;
  if (period) {
    tenDay = tenDayOf(*period);
    if (!tenDay) v.add("period", "invalid");
  }
  v.throwIfAny("请检查督查计划的旬次和督查对象");
  if (!isHeadquarters(a, a.region_code)) throw forbidden("只有总指挥部可以制定督查计划");
  const auto region = a.region_code;
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::InspectionRepo repo(c);
    Validator tv;
    for (std::size_t k = 0; k < targets.size(); ++k) {
      const auto prefix = "targets[" + std::to_string(k) + "].";
      if (!repo.projectName(targets[k].first, region)) tv.add(prefix + "project_id", "unknown");
      auto roles = repo.userRoles(targets[k].second, region);
      if (!roles) tv.add(prefix + "inspector_id", "unknown");
      else if (!hasRoleText(*roles, "inspector") && !hasRoleText(*roles, "hq"))
        tv.add(prefix + "inspector_id", "not_inspector");
    }
    tv.throwIfAny("督查对象须为本县在建项目，督查人员须为督查或总指挥部人员");
    if (repo.periodTaken(region, *period))
      throw ServiceError(ErrorKind::Conflict, "plan_exists", "本旬已有督查计划", {{"period", "taken"}});
    store::InspectionPlan p;
    p.region_code = region;
    p.period_key = *period;
    p.start_day = tenDay->start;
    p.end_day = tenDay->end;
    p.note = note.value_or("");
    p.created_at = nowIso;
    p.created_by = a.user_id;
    p.id = repo.insertPlan(p);
    json targetsJ = json::array();
    for (const auto& [project, inspector] : targets) {
      repo.insertTarget(p.id, project, inspector);
      targetsJ.push_back({{"project_id", project}, {"inspector_id", inspector}});
    }
    appendAudit(c, env_, &a,
                {region, "create", "inspection_plan", std::to_string(p.id), nullptr,
                 {{"period", p.period_key}, {"note", p.note}, {"targets", targetsJ}}});
    return planJson(*repo.find(p.id));
  });
}

json InspectionsService::get(const core::Actor& a, std::int64_t id) {
  auto c = env_.db->acquire();
  auto p = loadVisible(*c, a, id);
  store::InspectionRepo repo(*c);
  json out = planJson(p);
  json targets = json::array();
  std::int64_t visitedTargets = 0;
  for (const auto& t : repo.targets(id)) {
    if (t.visits > 0) ++visitedTargets;
    targets.push_back({{"project", {{"id", t.project_id}, {"name", t.project_name}, {"code", t.project_code}}},
                       {"unit_name", t.unit_name},
                       {"light", t.light},
                       {"started", t.actual_start && *t.actual_start <= p.end_day},
                       {"inspector", {{"id", t.inspector_id}, {"name", t.inspector_name}}},
                       {"visits", t.visits},
                       {"mine", t.inspector_id == a.user_id}});
  }
  json visits = json::array();
  std::int64_t findings = 0, toProblem = 0, toLetter = 0;
  for (const auto& v : repo.visits(id)) {
    json fs = json::array();
    for (const auto& f : v.findings) {
      ++findings;
      if (f.problem_id) ++toProblem;
      if (f.letter_id) ++toLetter;
      fs.push_back(findingJson(f));
    }
    visits.push_back({{"id", v.id},
                      {"project", {{"id", v.project_id}, {"name", v.project_name}}},
                      {"inspector", {{"id", v.inspector_id ? json(*v.inspector_id) : json()}, {"name", v.inspector_name}}},
                      {"visited_on", v.visited_on},
                      {"summary", v.summary},
                      {"findings", fs},
                      {"created_at", v.created_at}});
  }
  const auto fig = repo.figures(id, p.start_day, p.end_day);
  out["targets"] = targets;
  out["visits"] = visits;
  out["report"] = {{"planned", p.targets},
                   {"visited", visitedTargets},
                   {"visit_rate", p.targets ? (visitedTargets * 200 + p.targets) / (2 * p.targets) : 0},
                   {"started", fig.started},
                   {"investment", fig.investment},
                   {"reported", fig.reported},
                   {"average_percent", fig.reported ? (fig.percent_sum + fig.reported / 2) / fig.reported : 0},
                   {"findings", findings},
                   {"to_problem", toProblem},
                   {"to_letter", toLetter}};
  out["can_visit"] = isHeadquarters(a, p.region_code) ||
                     (a.has("inspector") && core::canWrite(a, core::WriteKind::Business, p.region_code));
  out["can_act"] = isHeadquarters(a, p.region_code);
  return out;
}

json InspectionsService::addVisit(const core::Actor& a, std::int64_t planId, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto project = i.i64("project_id", true);
  auto visitedOn = i.str("visited_on", true, core::limits::kCode);
  auto summary = i.str("summary", false, kInspectionSummaryMax);
  struct F {
    std::string text;
    std::vector<std::string> photos;
  };
  std::vector<F> findings;
  if (in.contains("findings")) {
    if (!in["findings"].is_array()) v.addType("findings", "must_be_array");
    else if (in["findings"].size() > kInspectionFindingsMax) v.add("findings", "too_many");
    else
      for (std::size_t k = 0; k < in["findings"].size(); ++k) {
        const auto prefix = "findings[" + std::to_string(k) + "].";
        if (!in["findings"][k].is_object()) {
          v.addType("findings[" + std::to_string(k) + "]", "must_be_object");
          continue;
        }
        JsonInput f(in["findings"][k], v, prefix);
        auto text = f.str("text", true, kInspectionFindingMax);
        auto photos = f.strList("photos", false, kInspectionPhotosMax, 64);
        if (text && core::trimText(*text).empty()) v.add(prefix + "text", "required");
        else if (text) findings.push_back({std::string(core::trimText(*text)), photos.value_or(std::vector<std::string>{})});
      }
  }
  const auto day = today(env_);
  if (visitedOn && !core::isIsoDate(*visitedOn)) v.add("visited_on", "invalid");
  else if (visitedOn && *visitedOn > day) v.add("visited_on", "future_date");
  v.throwIfAny("请检查督查日期和发现的问题");
  const auto region = regionOfRow(env_, "inspection_plans", planId, a.region_code);
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto p = loadVisible(c, a, planId);
    store::InspectionRepo repo(c);
    auto inspector = repo.inspectorOf(planId, *project);
    if (!inspector) {
      Validator pv;
      pv.add("project_id", "not_planned");
      pv.throwIfAny("该项目不在本旬督查计划中");
    }
    const bool hq = isHeadquarters(a, p.region_code);
    if (!hq && !(a.has("inspector") && core::canWrite(a, core::WriteKind::Business, p.region_code) &&
                 *inspector == a.user_id))
      throw forbidden("只有该项目的督查人员或总指挥部可以记录督查");
    store::PhotoRepo photos(c);
    Validator fv;
    for (std::size_t k = 0; k < findings.size(); ++k)
      for (std::size_t j = 0; j < findings[k].photos.size(); ++j) {
        const auto regions = photos.regionsOf(findings[k].photos[j]);
        if (std::find(regions.begin(), regions.end(), p.region_code) == regions.end())
          fv.add("findings[" + std::to_string(k) + "].photos[" + std::to_string(j) + "]", "unknown_photo");
      }
    fv.throwIfAny("照片须先上传到本县的项目");
    store::InspectionVisit vr;
    vr.plan_id = planId;
    vr.region_code = p.region_code;
    vr.project_id = *project;
    vr.inspector_id = a.user_id;
    vr.visited_on = *visitedOn;
    vr.summary = summary.value_or("");
    vr.created_at = nowIso;
    vr.id = repo.insertVisit(vr);
    json fj = json::array();
    for (const auto& f : findings) {
      store::InspectionFinding fr;
      fr.visit_id = vr.id;
      fr.plan_id = planId;
      fr.region_code = p.region_code;
      fr.project_id = *project;
      fr.text = f.text;
      fr.photos = json(f.photos).dump();
      fr.created_at = nowIso;
      fr.id = repo.insertFinding(fr);
      fj.push_back({{"text", f.text}, {"photos", f.photos}});
    }
    appendAudit(c, env_, &a,
                {p.region_code, "create", "inspection_visit", std::to_string(vr.id), nullptr,
                 {{"plan_id", planId}, {"project_id", *project}, {"visited_on", vr.visited_on},
                  {"summary", vr.summary}, {"findings", fj}}});
    for (const auto& v2 : repo.visits(planId))
      if (v2.id == vr.id) {
        json fs = json::array();
        for (const auto& f : v2.findings) fs.push_back(findingJson(f));
        return json{{"id", vr.id}, {"plan_id", planId}, {"project_id", *project}, {"visited_on", vr.visited_on},
                    {"summary", vr.summary}, {"findings", fs}};
      }
    return json{{"id", vr.id}};
  });
}

// A finding becomes a problem through the problems' own raise path (its checks, audit, timeline and notices), and
// the finding keeps the problem's id in the same transaction; a second click is refused (409).
json InspectionsService::toProblem(const core::Actor& a, std::int64_t findingId, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto title = i.str("title", false, 200);
  auto category = i.str("category", false, core::limits::kCode);
  v.throwIfAny("请检查问题标题");
  store::InspectionFinding f;
  {
    auto c = env_.db->acquire();
    f = loadFinding(*c, a, findingId);
  }
  if (!isHeadquarters(a, f.region_code) &&
      !(a.has("inspector") && core::canWrite(a, core::WriteKind::Business, f.region_code)))
    throw forbidden("只有督查人员或总指挥部可以转为问题");
  if (f.problem_id) throw ServiceError(ErrorKind::Conflict, "already_raised", "该发现已转为问题", {{"problem_id", "taken"}});
  std::string t = title ? std::string(core::trimText(*title)) : "";
  if (t.empty()) {
    // The first 60 characters of the finding, cut at a character boundary.
    std::size_t bytes = 0, chars = 0;
    while (bytes < f.text.size() && chars < 60) {
      const unsigned char ch = f.text[bytes];
      bytes += ch < 0x80 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
      ++chars;
    }
    t = "督查发现：" + f.text.substr(0, std::min(bytes, f.text.size()));
  }
  json body = {{"title", t}, {"description", f.text}, {"project_id", f.project_id}, {"source", "direct"}};
  auto photos = json::parse(f.photos, nullptr, false);
  if (photos.is_array() && !photos.empty()) body["evidence"] = photos;
  if (category) body["category"] = *category;
  // The problem and the finding's link commit together: a second click that loses the race rolls its problem back.
  return ProblemsService(env_).raise(a, body, [&](store::Connection& c, std::int64_t problemId) {
    if (!store::InspectionRepo(c).setFindingProblem(findingId, problemId))
      throw ServiceError(ErrorKind::Conflict, "already_raised", "该发现已转为问题", {{"problem_id", "taken"}});
    appendAudit(c, env_, &a,
                {f.region_code, "update", "inspection_finding", std::to_string(findingId), {{"problem_id", nullptr}},
                 {{"problem_id", problemId}}});
  });
}

json InspectionsService::toLetter(const core::Actor& a, std::int64_t findingId, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto kind = i.str("kind", false, core::limits::kCode);
  v.throwIfAny("请检查函件类型");
  store::InspectionFinding f;
  {
    auto c = env_.db->acquire();
    f = loadFinding(*c, a, findingId);
  }
  if (!isHeadquarters(a, f.region_code)) throw forbidden("只有总指挥部可以起草函件");
  if (f.letter_id) throw ServiceError(ErrorKind::Conflict, "already_drafted", "该发现已起草函件", {{"letter_id", "taken"}});
  // The draft and the finding's link commit together, as with a problem.
  return LettersService(env_).create(
      a, {{"project_id", f.project_id}, {"kind", kind.value_or("work_reminder")}, {"facts", "督查发现：" + f.text}},
      [&](store::Connection& c, std::int64_t letterId) {
        if (!store::InspectionRepo(c).setFindingLetter(findingId, letterId))
          throw ServiceError(ErrorKind::Conflict, "already_drafted", "该发现已起草函件", {{"letter_id", "taken"}});
        appendAudit(c, env_, &a,
                    {f.region_code, "update", "inspection_finding", std::to_string(findingId), {{"letter_id", nullptr}},
                     {{"letter_id", letterId}}});
      });
}

}  // namespace steward::service
