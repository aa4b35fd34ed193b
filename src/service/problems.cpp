#include "service/problems.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <set>
#include <cstdio>

#include "core/period.h"
#include "core/photo.h"
#include "core/problems.h"
#include "core/validate.h"
#include "office/letter_doc.h"
#include "office/xlsx_writer.h"
#include "service/audit.h"
#include "service/calendar.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "service/lights.h"
#include "service/notify.h"
#include "service/problem_rules.h"
#include "store/photo_repo.h"
#include "store/problem_repo.h"
#include "store/project_repo.h"
#include "store/region_repo.h"
#include "store/report_repo.h"
#include "store/user_repo.h"
#include "store/visit_repo.h"

namespace steward::service {

using nlohmann::json;
using core::ProblemAction;
using core::ProblemRole;
using core::ProblemState;

namespace {

constexpr const char* kKinds[] = {"problem", "demand", "task"};
constexpr const char* kSources[] = {"direct", "report", "visit", "enterprise", "consultation", "review"};

template <std::size_t N>
bool oneOf(const char* const (&set)[N], const std::string& s) {
  return std::find_if(std::begin(set), std::end(set), [&](const char* k) { return s == k; }) != std::end(set);
}

std::string today(const Env& env) { return core::localDay(env.now()); }
json optJ(const std::optional<std::string>& s) { return s ? json(*s) : json(); }
json optJ(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(); }

bool seesAll(const core::Actor& a) {
  if (a.has("admin") || a.has("hq") || a.has("inspector") || a.has("viewer")) return true;
  auto [lo, hi] = core::scopeRange(a.region_code);
  return lo != hi;  // a city or province reads every problem below it
}

bool actsForUnits(const core::Actor& a) {
  return a.has("unit") || a.has("liaison") || a.has("leader") || a.has("hq") || a.has("admin");
}

bool canSee(const core::Actor& a, const store::ProblemRecord& q, const std::vector<store::ProblemUnit>& units) {
  if (!core::inScope(a, q.region_code)) return false;
  if (seesAll(a)) return true;
  if (q.raised_by && *q.raised_by == a.user_id) return true;
  if (a.org_unit_id) {
    if (q.raiser_unit_id && *q.raiser_unit_id == *a.org_unit_id && !a.has("enterprise")) return true;
    for (const auto& u : units)
      if (u.unit_id == *a.org_unit_id) return true;
  }
  if (a.has("leader") && q.project_leader_id && *q.project_leader_id == a.user_id) return true;
  return q.escalation_target_id && *q.escalation_target_id == a.user_id;
}

std::set<ProblemRole> rolesOf(const core::Actor& a, const store::ProblemRecord& q,
                              const std::vector<store::ProblemUnit>& units) {
  std::set<ProblemRole> r;
  if (!core::canWrite(a, core::WriteKind::Business, q.region_code)) return r;
  if (a.has("viewer") && a.roles.size() == 1) return r;
  if (q.raised_by && *q.raised_by == a.user_id) r.insert(ProblemRole::Raiser);
  if (a.has("hq") || a.has("admin")) r.insert(ProblemRole::Headquarters);
  if (actsForUnits(a) && a.org_unit_id)
    for (const auto& u : units)
      if (u.unit_id == *a.org_unit_id) r.insert(u.role == "lead" ? ProblemRole::LeadUnit : ProblemRole::HelperUnit);
  if (a.has("leader") && q.project_leader_id && *q.project_leader_id == a.user_id) r.insert(ProblemRole::LeadingLeader);
  if (q.escalation_target_id && *q.escalation_target_id == a.user_id) r.insert(ProblemRole::EscalationTarget);
  return r;
}

core::ProblemFacts factsOf(const store::ProblemRecord& q) {
  core::ProblemFacts f;
  f.state = core::problemStateFromKey(q.status).value_or(ProblemState::Raised);
  f.severity = core::severityFromKey(q.severity).value_or(core::Severity::Ordinary);
  f.category = q.category;
  f.raised_on = q.raised_on;
  f.assigned_on = q.assigned_on;
  f.planned_on = q.planned_on;
  f.last_feedback_on = q.last_feedback_on;
  f.manual_level = int(q.manual_level);
  if (q.kind == "task" && (q.source == "consultation" || q.source == "review")) f.fixed_solve_due = q.solve_due;
  return f;
}

void applyDeadlines(store::ProblemRecord& q, const core::ProblemRules& r, const core::WorkCalendar& cal) {
  auto d = core::problemDeadlines(r, cal, factsOf(q));
  q.feedback_due = d.feedback_due;
  q.solve_due = d.solve_due;
  q.next_feedback_due = d.next_feedback_due;
}

json auditOf(const store::ProblemRecord& q) {
  return {{"kind", q.kind},
          {"status", q.status},
          {"title", q.title},
          {"category", q.category},
          {"severity", q.severity},
          {"project_id", optJ(q.project_id)},
          {"lead_unit_id", optJ(q.lead_unit_id)},
          {"solve_due", optJ(q.solve_due)},
          {"escalation_level", q.escalation_level},
          {"escalation_target_id", optJ(q.escalation_target_id)},
          {"rating", optJ(q.rating)},
          {"merged_into", optJ(q.merged_into)}};
}

// The rules and calendar of each county a request touches, loaded once.
struct RulesCache {
  store::Connection& c;
  std::string day;
  std::map<std::string, ProblemRuleSet> sets;
  std::shared_ptr<const core::WorkCalendar> cal;
  const ProblemRuleSet& of(const std::string& region) {
    auto it = sets.find(region);
    if (it == sets.end()) it = sets.emplace(region, loadProblemRules(c, region, day)).first;
    return it->second;
  }
  const core::WorkCalendar& calendar() {
    if (!cal) cal = workCalendar(c);
    return *cal;
  }
};

std::int64_t hoursLeft(const std::string& dueAt, core::TimePoint now) {
  core::TimePoint due;
  if (!core::parseTimestamp(dueAt, due)) return 0;
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(due - now).count();
  // Whole hours, rounded toward the deadline's side: 47.5 h left reads 47; 0.5 h late reads -1.
  return secs >= 0 ? secs / 3600 : -((-secs + 3599) / 3600);
}

json problemJson(const store::ProblemRecord& q, const std::vector<store::ProblemUnit>& units, RulesCache& rc,
                 core::TimePoint now) {
  const auto& rs = rc.of(q.region_code);
  const auto& cal = rc.calendar();
  const auto facts = factsOf(q);
  const auto d = core::problemDeadlines(rs.rules, cal, facts);
  const auto due = core::dueStatusAt(cal, rs.rules.near, d.current, rc.day);
  const auto* cat = rs.rules.category(q.category);
  json unitsJ = json::array();
  for (const auto& u : units) unitsJ.push_back({{"id", u.unit_id}, {"name", u.name}, {"role", u.role}});
  auto ev = json::parse(q.evidence, nullptr, false);
  const auto level = std::clamp<std::int64_t>(q.escalation_level, 0, 2);
  json demand;
  if (q.kind == "demand" && q.answer_due_at) {
    const bool answered = q.answered_at.has_value();
    const auto left = hoursLeft(*q.answer_due_at, now);
    demand = {{"answer_due_at", *q.answer_due_at},
              {"answered_at", optJ(q.answered_at)},
              {"window_hours", rs.rules.enterprise_answer_hours},
              {"hours_left", answered ? json() : json(left)},
              {"overdue", answered ? (*q.answered_at > *q.answer_due_at) : left < 0}};
  }
  return {{"id", q.id},
          {"kind", q.kind},
          {"category", q.category},
          {"category_name", cat ? cat->name : ""},
          {"factor", cat ? cat->factor : false},
          {"severity", q.severity},
          {"title", q.title},
          {"description", q.description},
          {"evidence", ev.is_array() ? ev : json::array()},
          {"status", q.status},
          {"status_label", core::problemStateLabel(facts.state)},
          {"project", q.project_id ? json{{"id", *q.project_id}, {"code", q.project_code}, {"name", q.project_name}}
                                   : json()},
          {"raiser", q.raised_by ? json{{"id", *q.raised_by}, {"name", q.raiser_name}} : json()},
          {"raised_on", q.raised_on},
          {"raised_at", q.raised_at},
          {"source", q.source},
          {"source_id", optJ(q.source_id)},
          {"lead_unit", q.lead_unit_id ? json{{"id", *q.lead_unit_id}, {"name", q.lead_unit_name}} : json()},
          {"units", unitsJ},
          {"assigned_on", optJ(q.assigned_on)},
          {"feedback_due", d.feedback_due},
          {"solve_due", optJ(d.solve_due)},
          {"next_feedback_due", optJ(d.next_feedback_due)},
          {"due", optJ(d.current)},
          {"due_status", core::dueStatusKey(due)},
          {"overdue", due == core::DueStatus::Overdue},
          {"escalation",
           {{"level", level},
            {"key", core::escalationLevelKey(core::EscalationLevel(level))},
            {"label", core::escalationLevelLabel(core::EscalationLevel(level))},
            {"target", q.escalation_target_id ? json{{"id", *q.escalation_target_id}, {"name", q.target_name}}
                                              : json()}}},
          {"solution", q.solution},
          {"solved_at", optJ(q.solved_at)},
          {"plan", q.plan},
          {"last_feedback_on", optJ(q.last_feedback_on)},
          {"rating", optJ(q.rating)},
          {"rating_comment", q.rating_comment},
          {"closed_at", optJ(q.closed_at)},
          {"merged_into", optJ(q.merged_into)},
          {"demand", demand},
          {"version", q.version},
          {"updated_at", q.updated_at}};
}

struct Loaded {
  store::ProblemRecord q;
  std::vector<store::ProblemUnit> units;
};

Loaded loadVisible(store::Connection& c, const core::Actor& a, std::int64_t id) {
  store::ProblemRepo repo(c);
  auto q = repo.find(id);
  if (!q) throw notFound("问题不存在");
  auto units = repo.units(id);
  if (!canSee(a, *q, units)) throw notFound("问题不存在");
  return {*q, units};
}

// How many inbox messages it wrote (none for recipients who already hold `dedupe`).
int notifyProblem(store::Connection& c, const store::ProblemRecord& q, const std::string& event,
                  const std::string& title, const std::string& body, const std::vector<std::int64_t>& users,
                  std::optional<std::int64_t> sender, const std::string& nowIso,
                  std::optional<std::string> dedupe = std::nullopt) {
  if (users.empty()) return 0;
  Notification n;
  n.region_code = q.region_code;
  n.event = event;
  n.title = title;
  n.body = body;
  n.project_id = q.project_id;
  n.sender_id = sender;
  n.link = "/problems/" + std::to_string(q.id);
  n.dedupe_key = std::move(dedupe);
  return notify(c, n, users, nowIso);
}

std::vector<std::int64_t> usersOfUnits(store::Connection& c, const std::vector<store::ProblemUnit>& units,
                                       bool leadOnly) {
  std::vector<std::int64_t> out;
  for (const auto& u : units) {
    if (leadOnly && u.role != "lead") continue;
    for (auto id : store::UserRepository(c).unitUserIds(u.unit_id)) out.push_back(id);
  }
  return out;
}

// The holder of an escalation level, by the username the rules name; none when the county has not said.
std::optional<std::int64_t> holderOf(store::Connection& c, const ProblemRuleSet& rs, int level,
                                     const std::string& region) {
  const auto& name = level >= 2 ? rs.county_head : rs.executive_vice_head;
  if (!name || name->empty()) return std::nullopt;
  return store::UserRepository(c).enabledIdByName(*name, region);
}

// Evidence photos must have been uploaded for a project of the problem's county that the actor can read; any other
// hash (unknown, or another county's photo) is refused as evidence[i]: unknown_photo, naming nothing about it.
void checkEvidence(store::Connection& c, const core::Actor& a, const std::string& region,
                   const std::optional<std::vector<std::string>>& evidence) {
  if (!evidence) return;
  store::PhotoRepo photos(c);
  Validator v;
  for (std::size_t i = 0; i < evidence->size(); ++i) {
    const auto regions = photos.regionsOf((*evidence)[i]);
    const bool ok = std::find(regions.begin(), regions.end(), region) != regions.end() && core::inScope(a, region);
    if (!ok) v.add("evidence[" + std::to_string(i) + "]", "unknown_photo");
  }
  v.throwIfAny("证据照片须先上传到本县的项目");
}

std::string actorName(const core::Actor& a) { return a.display_name.empty() ? a.username : a.display_name; }

}  // namespace

json ProblemsService::list(const core::Actor& a, const ProblemQuery& q) {
  const auto day = today(env_);
  Validator v;
  if (!q.status.empty() && q.status != "open" && !core::problemStateFromKey(q.status)) v.add("status", "invalid");
  if (core::textLength(q.text) > kProblemSearchMax) v.add("q", "too_long");
  if (!q.kind.empty() && !oneOf(kKinds, q.kind)) v.add("kind", "invalid");
  if (q.category.size() > core::limits::kCode) v.add("category", "too_long");
  v.throwIfAny("查询参数不正确");
  store::ProblemFilter f;
  f.scope_region = a.region_code;
  f.today = day;
  if (!seesAll(a)) {
    f.all = false;
    f.raiser = a.user_id;
    if (a.org_unit_id && !a.has("enterprise")) {
      f.raiser_unit = a.org_unit_id;
      f.unit = a.org_unit_id;
    }
    if (a.has("leader")) f.leader = a.user_id;
    f.target = a.user_id;
  }
  f.status = q.status;
  f.text = q.text;
  f.kind = q.kind;
  f.category = q.category;
  f.project_id = q.project_id;
  f.unit_id = q.unit_id;
  if (q.my_unit) {
    if (!a.org_unit_id) throw ServiceError(ErrorKind::Validation, "validation_failed", "您不属于任何单位",
                                           {{"my_unit", "no_unit"}});
    f.unit_id = a.org_unit_id;
  }
  if (q.mine) f.raised_by = a.user_id;
  f.overdue_only = q.overdue;
  const int size = std::clamp(q.page_size, 1, kProblemPageMax);
  const int page = std::clamp(q.page, 1, 1'000'000);
  auto c = env_.db->acquire();
  store::ProblemRepo repo(*c);
  RulesCache rc{*c, day, {}, {}};
  const auto now = env_.now();
  json items = json::array();
  for (const auto& p : repo.page(f, size, (page - 1) * size)) items.push_back(problemJson(p, repo.units(p.id), rc, now));
  return {{"items", items}, {"total", repo.count(f)}, {"page", page}, {"page_size", size}};
}

json ProblemsService::get(const core::Actor& a, std::int64_t id) {
  auto c = env_.db->acquire();
  auto l = loadVisible(*c, a, id);
  RulesCache rc{*c, today(env_), {}, {}};
  auto out = problemJson(l.q, l.units, rc, env_.now());
  json timeline = json::array();
  for (const auto& e : store::ProblemRepo(*c).events(id)) {
    auto data = json::parse(e.data, nullptr, false);
    auto action = core::problemActionFromKey(e.action);
    timeline.push_back({{"id", e.id},
                        {"at", e.at},
                        {"actor", e.actor_id ? json{{"id", *e.actor_id}, {"name", e.actor_name}} : json()},
                        {"action", e.action},
                        {"action_label", action ? core::problemActionLabel(*action) : (e.action == "raise" ? "提出" : "")},
                        {"from", e.from_status},
                        {"to", e.to_status},
                        {"note", e.note},
                        {"data", data.is_discarded() ? json::object() : data}});
  }
  out["timeline"] = timeline;
  const auto roles = rolesOf(a, l.q, l.units);
  json actions = json::array();
  const auto state = core::problemStateFromKey(l.q.status).value_or(ProblemState::Raised);
  for (const auto& t : core::problemTransitions()) {
    if (t.from != state) continue;
    if (std::any_of(t.who.begin(), t.who.end(), [&](ProblemRole r) { return roles.count(r) != 0; }))
      actions.push_back(core::problemActionKey(t.action));
  }
  out["actions"] = actions;
  return out;
}

json ProblemsService::raise(const core::Actor& a, const json& in,
                            const std::function<void(store::Connection&, std::int64_t)>& alsoIn) {
  Validator v;
  JsonInput i(in, v);
  auto title = i.str("title", true, kProblemTitleMax);
  auto description = i.str("description", false, kProblemTextMax);
  auto category = i.str("category", false, core::limits::kCode);
  auto severity = i.str("severity", false, core::limits::kCode);
  auto projectId = i.i64("project_id", false);
  auto kind = i.str("kind", false, core::limits::kCode);
  auto source = i.str("source", false, core::limits::kCode);
  auto sourceId = i.i64("source_id", false);
  auto evidence = i.strList("evidence", false, kProblemEvidenceMax, 64);
  if (title && core::trimText(*title).empty()) v.add("title", "required");
  if (severity && !core::severityFromKey(*severity)) v.add("severity", "invalid");
  if (kind && *kind != "problem" && *kind != "demand") v.add("kind", "invalid");
  if (source && (!oneOf(kSources, *source) || *source == "consultation" || *source == "review")) v.add("source", "invalid");
  if (source && (*source == "report" || *source == "visit")) {
    if (!sourceId) v.add("source_id", "required");
    if (!projectId) v.add("project_id", "required");
  }
  if (evidence)
    for (const auto& h : *evidence)
      if (!core::isPhotoHash(h)) {
        v.add("evidence", "invalid");
        break;
      }
  v.throwIfAny("请检查问题的标题、类别和来源");
  const bool enterprise = a.has("enterprise");
  const bool mayRaise = enterprise || a.has("hq") || a.has("admin") || a.has("unit") || a.has("liaison") ||
                        a.has("leader") || a.has("inspector");
  if (!mayRaise || !core::canWrite(a, core::WriteKind::Business, a.region_code)) throw forbidden("没有提出问题的权限");
  std::string k = kind.value_or(enterprise ? "demand" : "problem");
  if (enterprise && k != "demand") throw ServiceError(ErrorKind::Validation, "validation_failed",
                                                      "企业只能提出企业诉求", {{"kind", "invalid"}});
  if (k == "demand" && !(enterprise || a.has("hq") || a.has("admin")))
    throw forbidden("企业诉求由企业提出，或由总指挥部代为登记");
  std::string src = source.value_or(k == "demand" ? "enterprise" : "direct");
  const auto region = a.region_code;
  const auto day = today(env_);
  const auto now = env_.now();
  const auto nowIso = core::formatTimestamp(now);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::ProblemRepo repo(c);
    RulesCache rc{c, day, {}, {}};
    const auto& rs = rc.of(region);
    Validator v2;
    if (category && !category->empty() && !rs.rules.category(*category)) v2.add("category", "unknown");
    if (projectId) {
      auto project = store::ProjectRepo(c).findById(*projectId);
      if (!project || project->str("region_code") != region) v2.add("project_id", "unknown");
      else if (src == "report") {
        auto r = store::ReportRepo(c).findReport(*sourceId);
        if (!r || r->project_id != *projectId) v2.add("source_id", "unknown");
      } else if (src == "visit" && !store::VisitRepo(c).ofProject(*sourceId, *projectId)) {
        v2.add("source_id", "unknown");
      }
    }
    v2.throwIfAny("问题关联的项目、来源或类别不存在");
    checkEvidence(c, a, region, evidence);
    store::ProblemRecord q;
    q.region_code = region;
    q.project_id = projectId;
    q.kind = k;
    q.category = category.value_or("");
    q.severity = severity.value_or("ordinary");
    q.title = std::string(core::trimText(*title));
    q.description = description.value_or("");
    q.evidence = json(evidence.value_or(std::vector<std::string>{})).dump();
    q.raised_by = a.user_id;
    q.raiser_unit_id = a.org_unit_id;
    q.raised_on = day;
    q.raised_at = nowIso;
    q.source = src;
    q.source_id = (src == "report" || src == "visit") ? sourceId : std::nullopt;
    q.updated_at = nowIso;
    if (k == "demand")
      q.answer_due_at = core::formatTimestamp(now + std::chrono::hours(rs.rules.enterprise_answer_hours));
    applyDeadlines(q, rs.rules, rc.calendar());
    q.id = repo.insert(q);
    repo.addEvent({0, q.id, a.user_id, "", nowIso, "raise", "", "raised", "", "{}"});
    appendAudit(c, env_, &a, {region, "create", "problem", std::to_string(q.id), nullptr, auditOf(q)});
    notifyProblem(c, q, "problem_raised", (k == "demand" ? "新的企业诉求：" : "新的问题：") + q.title,
                  actorName(a) + " 于 " + day + " 提出，请受理", store::UserRepository(c).headquartersUserIds(region), a.user_id, nowIso);
    if (alsoIn) alsoIn(c, q.id);
    auto saved = repo.find(q.id);
    return problemJson(*saved, {}, rc, now);
  });
}

std::int64_t createConsultationTask(store::Connection& c, const Env& env, const core::Actor& a,
                                    const ConsultationTask& t) {
  const auto day = today(env);
  const auto nowIso = env.nowIso();
  store::ProblemRepo repo(c);
  store::ProblemRecord q;
  q.region_code = t.region_code;
  q.project_id = t.project_id;
  q.kind = "task";
  q.category = t.category;
  q.title = t.title;
  q.description = t.description;
  q.raised_by = a.user_id;
  q.raiser_unit_id = a.org_unit_id;
  q.raised_on = day;
  q.raised_at = nowIso;
  q.source = t.source;
  q.source_id = t.consultation_id;
  q.status = "assigned";
  q.lead_unit_id = t.owner_unit_id;
  q.assigned_on = day;
  q.solve_due = t.due_on;
  q.updated_at = nowIso;
  RulesCache rc{c, day, {}, {}};
  applyDeadlines(q, rc.of(t.region_code).rules, rc.calendar());
  q.id = repo.insert(q);
  repo.setUnits(q.id, t.owner_unit_id, {});
  json data = {{"lead_unit_id", t.owner_unit_id}, {t.source == "review" ? "review_meeting_id" : "consultation_id", t.consultation_id}, {"solve_due", t.due_on}};
  repo.addEvent({0, q.id, a.user_id, "", nowIso, "raise", "", "raised", t.origin_label, "{}"});
  repo.addEvent({0, q.id, a.user_id, "", nowIso, "assign", "raised", "assigned", "", data.dump()});
  appendAudit(c, env, &a, {q.region_code, "create", "problem", std::to_string(q.id), nullptr, auditOf(q)});
  auto units = repo.units(q.id);
  notifyProblem(c, q, "problem_assigned", "交办任务：" + q.title,
                actorName(a) + "：" + t.origin_label + "（办结期限 " + t.due_on + "）", usersOfUnits(c, units, true),
                a.user_id, nowIso);
  return q.id;
}

json ProblemsService::act(const core::Actor& a, std::int64_t id, const std::string& actionKey, const json& in) {
  auto action = core::problemActionFromKey(actionKey);
  if (!action) throw notFound("没有这个操作");
  Validator v;
  JsonInput i(in, v);
  auto version = i.i64("version", false);
  auto note = i.str("note", false, action == ProblemAction::Plan ? kProblemTextMax : kProblemNoteMax);
  std::optional<std::int64_t> lead, into, rating;
  std::optional<std::vector<std::int64_t>> helpers;
  std::optional<std::string> severity, comment;
  if (*action == ProblemAction::Assign) {
    lead = i.i64("lead_unit_id", true);
    severity = i.str("severity", false, core::limits::kCode);
    if (severity && !core::severityFromKey(*severity)) v.add("severity", "invalid");
    if (const auto* arr = i.array("helper_unit_ids", false, kProblemHelpersMax)) {
      helpers.emplace();
      for (const auto& e : *arr)
        if (auto n = JsonInput::integer(e, "helper_unit_ids", v)) helpers->push_back(*n);
    }
  }
  if (*action == ProblemAction::Merge) into = i.i64("into", true);
  if (*action == ProblemAction::Close) {
    rating = i.i64("rating", true);
    comment = i.str("comment", false, kProblemNoteMax);
    if (rating && (*rating < 1 || *rating > 5)) v.add("rating", "out_of_range");
  }
  v.throwIfAny("请检查填写的内容");
  std::string noteText = note ? std::string(core::trimText(*note)) : "";
  if (*action == ProblemAction::Close && comment) noteText = std::string(core::trimText(*comment));
  const auto region = regionOfRow(env_, "problems", id, a.region_code);
  const auto day = today(env_);
  const auto now = env_.now();
  const auto nowIso = core::formatTimestamp(now);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto l = loadVisible(c, a, id);
    auto& q = l.q;
    store::ProblemRepo repo(c);
    RulesCache rc{c, day, {}, {}};
    const auto& rs = rc.of(q.region_code);
    const auto state = core::problemStateFromKey(q.status).value_or(ProblemState::Raised);
    const auto roles = rolesOf(a, q, l.units);
    // Close carries a rating, not a note: the table's note check is for the steps that need words.
    auto out = core::checkTransition(state, *action, roles, *action == ProblemAction::Close ? "-" : noteText);
    if (!out.ok) {
      if (out.code == "not_allowed") throw ServiceError(ErrorKind::Forbidden, "forbidden", out.message);
      if (out.code == "note_required")
        throw ServiceError(ErrorKind::Validation, "validation_failed", out.message, {{"note", "required"}});
      throw ServiceError(ErrorKind::Conflict, "illegal_transition", out.message, {{"status", q.status}});
    }
    if (version && *version != q.version)
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "问题已被他人更新，请刷新后重试", {{"version", "stale"}});
    const auto before = auditOf(q);
    const auto from = q.status;
    const auto current = q.version;
    json data = json::object();
    std::vector<std::int64_t> notifyUsers;
    std::string event, ntitle, nbody;
    switch (*action) {
      case ProblemAction::Accept:
        break;
      case ProblemAction::Assign: {
        Validator v2;
        if (!repo.unitInRegion(*lead, q.region_code)) v2.add("lead_unit_id", "unknown");
        std::vector<std::int64_t> hs;
        for (auto h : helpers.value_or(std::vector<std::int64_t>{})) {
          if (!repo.unitInRegion(h, q.region_code)) {
            v2.add("helper_unit_ids", "unknown");
            break;
          }
          if (h != *lead && std::find(hs.begin(), hs.end(), h) == hs.end()) hs.push_back(h);
        }
        v2.throwIfAny("牵头单位或配合单位不存在");
        q.lead_unit_id = *lead;
        if (severity) q.severity = *severity;
        if (!q.assigned_on) q.assigned_on = day;
        repo.setUnits(q.id, *lead, hs);
        l.units = repo.units(q.id);
        data = {{"lead_unit_id", *lead}, {"helper_unit_ids", hs}, {"severity", q.severity}};
        notifyUsers = usersOfUnits(c, l.units, false);
        event = "problem_assigned";
        ntitle = "交办问题：" + q.title;
        break;
      }
      case ProblemAction::Start:
        break;
      case ProblemAction::Feedback:
        if (state == ProblemState::Planned) q.last_feedback_on = day;
        break;
      case ProblemAction::Plan:
        q.plan = noteText;
        q.planned_on = day;
        q.last_feedback_on.reset();
        break;
      case ProblemAction::Solve:
        q.solution = noteText;
        q.solved_at = nowIso;
        if (q.kind == "demand" && !q.answered_at) q.answered_at = nowIso;
        if (q.raised_by) notifyUsers = {*q.raised_by};
        event = "problem_solved";
        ntitle = "问题已办结，请评价：" + q.title;
        break;
      case ProblemAction::Close:
        q.rating = *rating;
        q.rating_comment = noteText;
        q.closed_at = nowIso;
        data = {{"rating", *rating}};
        break;
      case ProblemAction::Reject:
        q.solved_at.reset();
        notifyUsers = usersOfUnits(c, l.units, true);
        event = "problem_rejected";
        ntitle = "问题被退回重办：" + q.title;
        break;
      case ProblemAction::Merge: {
        auto target = repo.find(*into);
        if (!target || target->region_code != q.region_code || target->id == q.id ||
            !core::isOpen(core::problemStateFromKey(target->status).value_or(ProblemState::Closed)))
          throw ServiceError(ErrorKind::Validation, "validation_failed", "合并的目标问题不存在或已关闭",
                             {{"into", "unknown"}});
        q.merged_into = *into;
        data = {{"into", *into}};
        break;
      }
      case ProblemAction::Escalate: {
        const int currentLevel = int(q.escalation_level);
        if (currentLevel >= 2)
          throw ServiceError(ErrorKind::Conflict, "illegal_transition", "问题已提级至县长，不能再提级",
                             {{"escalation_level", "max"}});
        const int target = int(core::manualEscalationTarget(rs.rules, q.category, factsOf(q).severity));
        const int next = currentLevel >= target ? currentLevel + 1 : target;
        q.manual_level = next;
        q.escalation_level = next;
        q.escalation_target_id = holderOf(c, rs, next, q.region_code);
        data = {{"level", next}, {"key", core::escalationLevelKey(core::EscalationLevel(next))},
                {"target_id", optJ(q.escalation_target_id)}};
        if (q.escalation_target_id) notifyUsers = {*q.escalation_target_id};
        event = "escalated";
        ntitle = "问题提级至" + std::string(core::escalationLevelLabel(core::EscalationLevel(next))) + "：" + q.title;
        break;
      }
    }
    q.status = core::problemStateKey(out.next);
    q.updated_at = nowIso;
    applyDeadlines(q, rs.rules, rc.calendar());
    if (!repo.update(q, current))
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "问题已被他人更新，请刷新后重试", {{"version", "stale"}});
    ++q.version;
    repo.addEvent({0, q.id, a.user_id, "", nowIso, actionKey, from, q.status, noteText, data.dump()});
    json b, after;
    diffJson(before, auditOf(q), b, after);
    if (*action == ProblemAction::Feedback || *action == ProblemAction::Accept || *action == ProblemAction::Start)
      after["note"] = noteText;
    appendAudit(c, env_, &a, {q.region_code, actionKey, "problem", std::to_string(q.id), b, after});
    if (!event.empty()) {
      nbody = actorName(a) + "：" + (noteText.empty() ? core::problemActionLabel(*action) : noteText);
      if (q.solve_due && *action == ProblemAction::Assign) nbody += "（办结期限 " + *q.solve_due + "）";
      notifyProblem(c, q, event, ntitle, nbody, notifyUsers, a.user_id, nowIso);
    }
    auto saved = repo.find(q.id);
    return problemJson(*saved, repo.units(q.id), rc, now);
  });
}

namespace {

struct Tally {
  std::string key, name;
  std::int64_t raised = 0, solved = 0, overdue = 0, days = 0, rated = 0, ratingSum = 0;
  std::int64_t demands = 0, inTime = 0, late = 0, openOverdue = 0, answerSeconds = 0;
  void add(const store::ProblemFigureGroup& g) {
    raised += g.raised, solved += g.solved, overdue += g.overdue, days += g.days, rated += g.rated;
    ratingSum += g.rating_sum, demands += g.demands, inTime += g.answered_in_time, late += g.answered_late;
    openOverdue += g.open_overdue, answerSeconds += g.answer_seconds;
  }
};

json tallyJson(const Tally& t) {
  auto round1 = [](std::int64_t num, std::int64_t den) { return double((num * 20 + den) / (2 * den)) / 10.0; };
  auto round2 = [](std::int64_t num, std::int64_t den) { return double((num * 200 + den) / (2 * den)) / 100.0; };
  return {{"raised", t.raised},
          {"solved", t.solved},
          {"solving_rate_bp", t.raised ? (t.solved * 20000 + t.raised) / (2 * t.raised) : 0},
          {"avg_days_to_solve", t.solved ? json(round1(t.days, t.solved)) : json()},
          {"overdue", t.overdue},
          {"avg_rating", t.rated ? json(round2(t.ratingSum, t.rated)) : json()},
          {"rated", t.rated},
          // The enterprise demands' answer clock (problems.answer_due_at, 48 hours by default).
          {"demand",
           {{"count", t.demands},
            {"answered_in_time", t.inTime},
            {"answered_late", t.late},
            {"open_overdue", t.openOverdue},
            {"avg_hours_to_answer",
             t.inTime + t.late ? json(round1(t.answerSeconds, (t.inTime + t.late) * 3600)) : json()}}}};
}

}  // namespace

json ProblemsService::figures(const core::Actor& a, const std::string& kind) {
  if (!seesAll(a)) throw forbidden("只有总指挥部、督查组和上级可以查看问题统计");
  if (!kind.empty() && !oneOf(kKinds, kind))
    throw ServiceError(ErrorKind::Validation, "validation_failed", "查询参数不正确", {{"kind", "invalid"}});
  const auto day = today(env_);
  auto c = env_.db->acquire();
  const auto groups =
      store::ProblemRepo(*c).figureGroups(a.region_code, kind, day, core::formatTimestamp(env_.now()));
  RulesCache rc{*c, day, {}, {}};
  std::map<std::string, Tally> byUnit, byCategory;
  Tally total;
  total.key = "total";
  total.name = "合计";
  for (const auto& g : groups) {
    const auto unitKey = g.unit_id ? std::to_string(*g.unit_id) : std::string();
    auto& u = byUnit[unitKey];
    u.key = unitKey;
    u.name = g.unit_id ? g.unit_name : "未交办";
    auto& cat = byCategory[g.category];
    cat.key = g.category;
    for (Tally* t : {&u, &cat, &total}) t->add(g);
  }
  json units = json::array(), cats = json::array();
  for (const auto& [k, t] : byUnit) {
    auto j = tallyJson(t);
    j["unit"] = k.empty() ? json() : json{{"id", std::stoll(k)}, {"name", t.name}};
    units.push_back(j);
  }
  const auto& rules = rc.of(a.region_code).rules;
  for (auto& [k, t] : byCategory) {
    auto j = tallyJson(t);
    const auto* cat = rules.category(k);
    j["category"] = k;
    j["name"] = cat ? cat->name : (k.empty() ? "未分类" : k);
    cats.push_back(j);
  }
  return {{"as_of", day}, {"kind", kind}, {"by_unit", units}, {"by_category", cats}, {"total", tallyJson(total)}};
}

std::string ProblemsService::figuresXlsx(const core::Actor& a, const std::string& kind) {
  const auto f = figures(a, kind);
  auto sheet = [&](const char* name, const char* first, const json& items, auto label) {
    office::OutSheet s;
    s.name = name;
    s.title = std::string("问题办理情况统计（") + name + "，截至 " + f["as_of"].get<std::string>() + "）";
    s.columns = {{first, 28},         {"提出", 10},           {"已办结", 10},         {"办结率（%）", 12},
                 {"平均办结天数", 14}, {"超期", 10},           {"平均满意度", 12},     {"企业诉求", 10},
                 {"48小时内答复", 14}, {"超时答复", 10},       {"超时未答复", 12},     {"平均答复小时", 14}};
    auto add = [&](const std::string& l, const json& t) {
      auto num = [](const json& v) { return v.is_null() ? office::OutCell::text("") : office::OutCell::num(v.dump()); };
      const auto bp = t["solving_rate_bp"].get<std::int64_t>();
      char pct[32];
      std::snprintf(pct, sizeof pct, "%lld.%02lld", (long long)(bp / 100), (long long)(bp % 100));
      const auto& d = t["demand"];
      s.rows.push_back({office::OutCell::text(l), num(t["raised"]), num(t["solved"]), office::OutCell::num(pct),
                        num(t["avg_days_to_solve"]), num(t["overdue"]), num(t["avg_rating"]), num(d["count"]),
                        num(d["answered_in_time"]), num(d["answered_late"]), num(d["open_overdue"]),
                        num(d["avg_hours_to_answer"])});
    };
    for (const auto& t : items) add(label(t), t);
    add("合计", f["total"]);
    return s;
  };
  return office::writeXlsx(
      {sheet("按责任单位", "牵头单位", f["by_unit"],
             [](const json& t) { return t["unit"].is_null() ? std::string("未交办") : t["unit"]["name"].get<std::string>(); }),
       sheet("按问题类别", "问题类别", f["by_category"], [](const json& t) { return t["name"].get<std::string>(); })});
}

ProblemReply ProblemsService::reply(const core::Actor& a, std::int64_t id, bool pdf) {
  auto c = env_.db->acquire();
  auto l = loadVisible(*c, a, id);
  const auto& q = l.q;
  if (q.kind != "demand") throw notFound("只有企业诉求有答复函");
  if (!q.answered_at || q.solution.empty())
    throw ServiceError(ErrorKind::Conflict, "not_answered", "企业诉求尚未答复，还没有答复函", {{"status", q.status}});
  office::LetterDocument d;
  const auto county = store::RegionRepository(*c).name(q.region_code).value_or("");
  d.issuer = county + "重点项目建设指挥部办公室";
  d.title = "关于“" + q.title + "”诉求的答复函";
  d.recipient = q.raiser_name.empty() ? "企业" : q.raiser_name;
  d.paragraphs.push_back("你单位于" + core::chineseDay(q.raised_on) + "提出的“" + q.title + "”诉求收悉。" +
                         (q.lead_unit_name.empty() ? "" : "经" + q.lead_unit_name + "办理，") + "现答复如下：");
  d.paragraphs.push_back(q.solution);
  d.paragraphs.push_back("如对答复有异议，请在收到本函后向县重点项目建设指挥部办公室反映。");
  d.signature = d.issuer;
  core::TimePoint at;
  d.date = core::parseTimestamp(*q.answered_at, at) ? core::localDay(at) : q.raised_on;
  ProblemReply r;
  r.body = pdf ? office::renderLetterPdf(d) : office::renderLetterDocx(d);
  r.content_type = pdf ? "application/pdf" : "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  r.filename = "reply-" + std::to_string(q.id) + (pdf ? ".pdf" : ".docx");
  return r;
}

json ProblemsService::runDaily(core::TimePoint now) {
  const auto day = core::localDay(now);
  const auto nowIso = core::formatTimestamp(now);
  std::int64_t checked = 0, near = 0, overdue = 0, escalated = 0, lights = 0;
  std::vector<std::string> regions;
  {
    auto c = env_.db->acquire();
    regions = store::ProblemRepo(*c).regionsWithOpen();
  }
  constexpr int kBatch = 200;
  for (const auto& region : regions) {
    std::set<std::int64_t> overdueProjects;
    for (;;) {
      const auto n = writeTransaction(env_, region, [&](store::Connection& c) {
        store::ProblemRepo repo(c);
        RulesCache rc{c, day, {}, {}};
        const auto& rs = rc.of(region);
        const auto& cal = rc.calendar();
        auto batch = repo.uncheckedOpen(region, day, kBatch);
        std::set<std::int64_t> projects;
        std::int64_t nNear = 0, nOver = 0, nEsc = 0;
        for (auto& q : batch) {
          const auto facts = factsOf(q);
          const auto d = core::problemDeadlines(rs.rules, cal, facts);
          const auto due = core::dueStatusAt(cal, rs.rules.near, d.current, day);
          auto units = repo.units(q.id);
          auto users = usersOfUnits(c, units, true);
          if (users.empty()) users = store::UserRepository(c).headquartersUserIds(region);
          const auto idText = std::to_string(q.id);
          if (due == core::DueStatus::Near) {
            ++nNear;
            notifyProblem(c, q, "deadline_near", "问题临近期限：" + q.title, "期限 " + d.current.value_or(""),
                          users, std::nullopt, nowIso, "problem-near:" + idText + ":" + day);
          } else if (due == core::DueStatus::Overdue) {
            ++nOver;
            auto to = users;
            for (auto h : store::UserRepository(c).headquartersUserIds(region)) to.push_back(h);
            notifyProblem(c, q, "overdue", "问题已超期：" + q.title, "期限 " + d.current.value_or("") + " 已过",
                          to, std::nullopt, nowIso, "problem-overdue:" + idText + ":" + day);
            if (q.project_id && d.solve_due && *d.solve_due < day) projects.insert(*q.project_id);
          }
          if (rs.rules.auto_escalate_after) {
            const auto es = core::escalationAt(rs.rules, cal, facts, day);
            if (es.level > q.escalation_level) {
              const auto before = auditOf(q);
              const auto version = q.version;
              q.escalation_level = es.level;
              q.escalation_target_id = holderOf(c, rs, es.level, region);
              q.updated_at = nowIso;
              if (repo.update(q, version)) {
                ++nEsc;
                ++q.version;
                const auto label = std::string(core::escalationLevelLabel(core::EscalationLevel(es.level)));
                json data = {{"level", es.level},
                             {"key", core::escalationLevelKey(core::EscalationLevel(es.level))},
                             {"target_id", optJ(q.escalation_target_id)},
                             {"automatic", true}};
                repo.addEvent({0, q.id, std::nullopt, "", nowIso, "escalate", q.status, q.status,
                               "超期未办结，自动提级至" + label, data.dump()});
                json b, after;
                diffJson(before, auditOf(q), b, after);
                appendAudit(c, env_, nullptr, {region, "escalate", "problem", idText, b, after});
                std::vector<std::int64_t> to;
                if (q.escalation_target_id) to.push_back(*q.escalation_target_id);
                for (auto h : store::UserRepository(c).headquartersUserIds(region)) to.push_back(h);
                notifyProblem(c, q, "escalated", "问题超期自动提级至" + label + "：" + q.title,
                              "办结期限 " + d.solve_due.value_or("") + " 已过", to, std::nullopt, nowIso);
              }
            }
          }
          repo.setChecked(q.id, day);
        }
        overdueProjects.insert(projects.begin(), projects.end());
        return std::array<std::int64_t, 4>{std::int64_t(batch.size()), nNear, nOver, nEsc};
      });
      checked += n[0];
      near += n[1];
      overdue += n[2];
      escalated += n[3];
      if (n[0] < kBatch) break;
    }
    // The lights of the projects whose problems are overdue, each in its own transaction once the notices are in.
    for (auto pid : overdueProjects) {
      writeTransaction(env_, region, [&](store::Connection& c) { return evaluateProjectIn(c, env_, region, pid); });
      ++lights;
    }
  }
  return {{"checked", checked}, {"near", near}, {"overdue", overdue}, {"escalated", escalated}, {"lights", lights}};
}

namespace {
// "2026-11-30 22:00": a timestamp on the county's clock (UTC+8), for a notice's text.
std::string countyTime(const std::string& iso) {
  core::TimePoint t;
  if (!core::parseTimestamp(iso, t)) return iso;
  const auto s = core::formatTimestamp(t + std::chrono::hours(8));
  return s.substr(0, 10) + " " + s.substr(11, 5);
}
}  // namespace

json ProblemsService::runDemandClock(core::TimePoint now) {
  const auto nowIso = core::formatTimestamp(now);
  std::vector<store::ProblemRecord> due;
  {
    auto c = env_.db->acquire();
    due = store::ProblemRepo(*c).demandsDueBetween(core::formatTimestamp(now - std::chrono::hours(24 * 7)),
                                                   core::formatTimestamp(now + std::chrono::hours(kDemandWarnHours)),
                                                   1000);
  }
  std::map<std::string, std::vector<store::ProblemRecord>> byRegion;
  for (auto& q : due) byRegion[q.region_code].push_back(std::move(q));
  std::int64_t expiring = 0, expired = 0;
  for (const auto& [region, demands] : byRegion) {
    const auto n = writeTransaction(env_, region, [&](store::Connection& c) {
      store::ProblemRepo repo(c);
      std::int64_t nExpiring = 0, nExpired = 0;
      const auto hq = store::UserRepository(c).headquartersUserIds(region);
      for (const auto& q : demands) {
        const bool closed = *q.answer_due_at <= nowIso;
        auto users = usersOfUnits(c, repo.units(q.id), true);
        for (auto h : hq)
          if (std::find(users.begin(), users.end(), h) == users.end()) users.push_back(h);
        if (users.empty()) continue;
        const auto left = hoursLeft(*q.answer_due_at, now);
        const auto key = std::string(closed ? "demand-expired:" : "demand-expiring:") + std::to_string(q.id);
        // notify() skips users who already have the key: count only the demands that produced a new message.
        int written = 0;
        if (closed)
          written = notifyProblem(c, q, "overdue", "企业诉求已超过答复时限：" + q.title,
                        "答复时限 " + countyTime(*q.answer_due_at) + " 已过，请尽快答复企业", users, std::nullopt, nowIso, key);
        else
          written = notifyProblem(c, q, "deadline_near", "企业诉求即将超过答复时限：" + q.title,
                        "距答复时限不足 " + std::to_string(std::max<std::int64_t>(left + 1, 1)) + " 小时（" +
                            countyTime(*q.answer_due_at) + "）",
                        users, std::nullopt, nowIso, key);
        if (written > 0) ++(closed ? nExpired : nExpiring);
      }
      return std::array<std::int64_t, 2>{nExpiring, nExpired};
    });
    expiring += n[0];
    expired += n[1];
  }
  return {{"expiring", expiring}, {"expired", expired}};
}

}  // namespace steward::service
