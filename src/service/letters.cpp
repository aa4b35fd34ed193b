#include "service/letters.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/limits.h"
#include "core/period.h"
#include "core/time.h"
#include "core/validate.h"
#include "core/webhook.h"  // urlEncode: the filename* of a download
#include "office/letter_doc.h"
#include "service/audit.h"
#include "service/notify.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "service/light_rules.h"
#include "service/lights.h"
#include "store/inbox_repo.h"
#include "store/letter_repo.h"
#include "store/project_repo.h"
#include "store/region_repo.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;
namespace lights = core::lights;

namespace {

struct KindInfo {
  const char* key;
  const char* label;
};
constexpr KindInfo kKinds[] = {{"reminder", "提醒函"},
                               {"assignment", "交办函"},
                               {"supervision", "督办函"},
                               {"work_reminder", "工作提示"}};
constexpr KindInfo kStatuses[] = {{"draft", "草稿"},     {"issued", "已签发"}, {"signed", "已签收"},
                                  {"answered", "已答复"}, {"closed", "已办结"}, {"discarded", "已作废"}};

template <std::size_t N>
const char* labelOf(const KindInfo (&set)[N], const std::string& key) {
  for (const auto& k : set)
    if (key == k.key) return k.label;
  return "";
}
template <std::size_t N>
bool isOneOf(const KindInfo (&set)[N], const std::string& key) {
  return *labelOf(set, key) != '\0';
}

const lights::LetterRule& ruleOf(const lights::LightRules& r, const std::string& kind) {
  if (kind == "reminder") return r.reminder;
  if (kind == "assignment") return r.assignment;
  if (kind == "supervision") return r.supervision;
  return r.work_reminder;
}

// "关于<project>…的<title>": what the letter is about, from its kind and the occasion that triggered it.
std::string titleOf(const std::string& kind, const std::string& project, const std::string& triggerKey,
                    const lights::LetterRule& rule) {
  std::string about;
  const bool production = triggerKey.rfind("production:", 0) == 0;
  if (kind == "reminder") about = "按期开工";
  else if (kind == "assignment") about = production ? "投产滞后" : "开工滞后";
  else if (kind == "supervision") about = "进度严重滞后";
  else about = "进度滞后";
  const std::string title = rule.title.empty() ? "函" : rule.title;
  return "关于" + project + about + "的" + title;
}

bool seesAll(const core::Actor& a) {
  if (a.has("admin") || a.has("hq") || a.has("inspector") || a.has("viewer")) return true;
  auto [lo, hi] = core::scopeRange(a.region_code);
  return lo != hi;  // a city or province reads every letter below it
}

bool isHeadquarters(const core::Actor& a, const std::string& region) {
  return (a.has("hq") || a.has("admin")) && core::canWrite(a, core::WriteKind::Business, region);
}

// Whether the actor may act for a letter's recipient (sign for it, answer it): a member of the recipient unit, or
// the recipient person, who holds a role that does business — a read-only viewer or an inspector never signs.
bool actsForUnits(const core::Actor& a) {
  return a.has("unit") || a.has("liaison") || a.has("leader") || a.has("hq") || a.has("admin");
}

bool isRecipient(const core::Actor& a, const store::LetterRecord& l) {
  if (!core::canWrite(a, core::WriteKind::Business, l.region_code)) return false;
  if (!actsForUnits(a)) return false;
  if (l.recipient_user_id && *l.recipient_user_id == a.user_id) return true;
  return l.recipient_unit_id && a.org_unit_id && *a.org_unit_id == *l.recipient_unit_id;
}

bool canSee(const core::Actor& a, const store::LetterRecord& l) {
  if (!core::inScope(a, l.region_code)) return false;
  if (seesAll(a)) return true;
  if (l.status == "draft" || l.status == "discarded") return false;
  if (isRecipient(a, l)) return true;
  return l.project_leader_id && *l.project_leader_id == a.user_id;
}

json overdueOf(const store::LetterRecord& l, const std::string& today) {
  json o = json::array();
  if (l.status == "issued" && l.sign_due && *l.sign_due < today) o.push_back("sign");
  if ((l.status == "issued" || l.status == "signed") && l.answer_due && *l.answer_due < today) o.push_back("answer");
  return o;
}

json optJ(const std::optional<std::string>& s) { return s ? json(*s) : json(); }

json letterJson(const store::LetterRecord& l, const std::string& today) {
  const auto base = "/api/v1/letters/" + std::to_string(l.id) + "/document";
  return {{"id", l.id},
          {"kind", l.kind},
          {"kind_label", labelOf(kKinds, l.kind)},
          {"status", l.status},
          {"status_label", labelOf(kStatuses, l.status)},
          {"number", l.number},
          {"title", l.title},
          {"project", l.project_id ? json{{"id", *l.project_id}, {"code", l.project_code}, {"name", l.project_name}}
                                   : json()},
          {"recipient_unit", l.recipient_unit_id ? json{{"id", *l.recipient_unit_id}, {"name", l.recipient_unit_name}}
                                                 : json()},
          {"recipient_user", l.recipient_user_id ? json{{"id", *l.recipient_user_id}, {"name", l.recipient_user_name}}
                                                 : json()},
          {"facts", l.facts},
          {"action", l.action},
          {"trigger_key", l.trigger_key},
          {"sign_due", optJ(l.sign_due)},
          {"answer_due", optJ(l.answer_due)},
          {"drafted_at", l.drafted_at},
          {"issued_at", optJ(l.issued_at)},
          {"signed_at", optJ(l.signed_at)},
          {"answered_at", optJ(l.answered_at)},
          {"answer", l.answer},
          {"closed_at", optJ(l.closed_at)},
          {"close_note", l.close_note},
          {"overdue", overdueOf(l, today)},
          {"version", l.version},
          {"pdf_url", base + ".pdf"},
          {"docx_url", base + ".docx"}};
}

// What an audit entry keeps of a letter.
json auditOf(const store::LetterRecord& l) {
  return {{"kind", l.kind},           {"status", l.status},
          {"number", l.number},       {"title", l.title},
          {"project_id", l.project_id ? json(*l.project_id) : json()},
          {"recipient_unit_id", l.recipient_unit_id ? json(*l.recipient_unit_id) : json()},
          {"recipient_user_id", l.recipient_user_id ? json(*l.recipient_user_id) : json()},
          {"facts", l.facts},         {"action", l.action},
          {"trigger_key", l.trigger_key},
          {"sign_due", optJ(l.sign_due)}, {"answer_due", optJ(l.answer_due)}};
}

std::optional<std::int64_t> actorId(const core::Actor* a) {
  return a && a->user_id ? std::optional(a->user_id) : std::nullopt;
}

ServiceError illegalStep(const store::LetterRecord& l, const std::string& step) {
  return ServiceError(ErrorKind::Conflict, "illegal_transition",
                      "函件当前状态为“" + std::string(labelOf(kStatuses, l.status)) + "”，不能" + step,
                      {{"status", l.status}});
}

// Inbox messages for `users` and, through service::notify, the county's webhooks subscribed to `kind`.
void notifyLetter(store::Connection& c, const std::string& region, const std::vector<std::int64_t>& users,
                  const std::string& kind, const std::string& title, const std::string& body,
                  std::optional<std::int64_t> projectId, std::optional<std::int64_t> sender, std::int64_t letterId,
                  const std::string& nowIso) {
  Notification n;
  n.region_code = region;
  n.event = kind;
  n.title = title;
  n.body = body;
  n.project_id = projectId;
  n.sender_id = sender;
  n.link = "/letters?letter=" + std::to_string(letterId);
  service::notify(c, n, users, nowIso);
}

// Numbers and sends a draft inside the open transaction; the letter as issued.
store::LetterRecord issueIn(store::Connection& c, const Env& env, const core::Actor* a, store::LetterRecord l,
                            const lights::LightRules& rules, const std::string& today, const std::string& nowIso) {
  if (!l.recipient_unit_id && !l.recipient_user_id)
    throw ServiceError(ErrorKind::Conflict, "no_recipient", "函件没有收函单位或收函人，请先指定后再签发",
                       {{"recipient_unit_id", "required"}});
  const auto& rule = ruleOf(rules, l.kind);
  store::LetterRepo repo(c);
  const auto before = auditOf(l);
  const std::int64_t year = std::stoll(today.substr(0, 4));
  const auto seq = repo.nextSeq(l.region_code, l.kind, year);
  const auto number = rule.prefix + "〔" + std::to_string(year) + "〕" + std::to_string(seq) + "号";
  const auto signDue = letterSpanAfter(today, rule.sign_within);
  // A deadline set by hand stands when it is not already past; otherwise the rule's, from the issue day.
  auto answerDue = l.answer_due && *l.answer_due >= signDue ? *l.answer_due : letterSpanAfter(today, rule.answer_within);
  if (!repo.markIssued(l.id, year, seq, number, signDue, answerDue, nowIso, actorId(a)))
    throw illegalStep(l, "签发");
  l.status = "issued";
  l.year = year;
  l.seq = seq;
  l.number = number;
  l.sign_due = signDue;
  l.answer_due = answerDue;
  l.issued_at = nowIso;
  l.issued_by = actorId(a);
  ++l.version;
  appendAudit(c, env, a, {l.region_code, "issue", "letter", std::to_string(l.id), before, auditOf(l)});
  auto users = l.recipient_user_id ? std::vector<std::int64_t>{*l.recipient_user_id}
                                   : store::UserRepository(c).unitUserIds(*l.recipient_unit_id);
  notifyLetter(c, l.region_code, users, "letter_received",
               "收到" + std::string(labelOf(kKinds, l.kind)) + "：" + l.title,
               number + "，请于 " + signDue + " 前签收，" + answerDue + " 前答复", l.project_id, actorId(a), l.id, nowIso);
  return l;
}

std::string today(const Env& env) { return core::localDay(env.now()); }

store::LetterRecord loadVisible(store::Connection& c, const core::Actor& a, std::int64_t id) {
  auto l = store::LetterRepo(c).find(id);
  if (!l || !canSee(a, *l)) throw notFound("函件不存在");
  return *l;
}

// The recipient a rule names for a project: its responsible unit, its township, or its leading leader.
void defaultRecipient(store::LetterRecord& l, const store::Row& project, const lights::LetterRule& rule) {
  if (rule.recipient == "leader") l.recipient_user_id = project.optI64("leader_id");
  else if (rule.recipient == "township") l.recipient_unit_id = project.optI64("township_id");
  else l.recipient_unit_id = project.optI64("unit_id");
}

void checkIsoDay(Validator& v, const char* field, const std::optional<std::string>& s) {
  if (s && !s->empty() && !core::isIsoDate(*s)) v.add(field, "invalid");
}

// The recipient ids given in a request must name a unit or an enabled user of the letter's county.
void checkRecipients(store::LetterRepo& repo, const std::string& region, std::optional<std::int64_t> unit,
                     std::optional<std::int64_t> user) {
  Validator v;
  if (unit && !repo.orgUnitName(*unit, region)) v.add("recipient_unit_id", "unknown");
  if (user && !repo.userName(*user, region)) v.add("recipient_user_id", "unknown");
  v.throwIfAny("收函单位或收函人不存在");
}

json countsJson(const std::map<std::string, std::int64_t>& m) {
  json c = json::object();
  for (const char* k : {"draft", "issued", "signed", "answered", "closed", "discarded", "overdue"}) {
    auto it = m.find(k);
    c[k] = it == m.end() ? 0 : it->second;
  }
  return c;
}

// The visibility of a listing for the actor (403 for a role that receives no letters).
store::LetterFilter visibility(const core::Actor& a, const std::string& day) {
  store::LetterFilter f;
  f.scope_region = a.region_code;
  f.today = day;
  if (seesAll(a)) return f;
  f.all = false;
  if (a.org_unit_id) f.to_unit = a.org_unit_id;
  f.to_user = a.user_id;
  if (a.has("leader")) f.led_by = a.user_id;
  if (!a.org_unit_id && !a.has("leader")) throw forbidden("没有查看函件的权限");
  return f;
}

json summonsJson(const store::SummonsRecord& s, const std::string& day) {
  auto att = json::parse(s.attendees, nullptr, false);
  return {{"id", s.id},
          {"project", s.project_id ? json{{"id", *s.project_id}, {"code", s.project_code}, {"name", s.project_name}}
                                   : json()},
          {"unit", {{"id", s.unit_id}, {"name", s.unit_name}}},
          {"letter_id", s.letter_id ? json(*s.letter_id) : json()},
          {"principal", s.principal},
          {"held_on", s.held_on},
          {"attendees", att.is_array() ? att : json::array()},
          {"reason", s.reason},
          {"commitments", s.commitments},
          {"follow_up_due", optJ(s.follow_up_due)},
          {"followed_up_at", optJ(s.followed_up_at)},
          {"follow_up_note", s.follow_up_note},
          {"overdue", !s.followed_up_at && s.follow_up_due && *s.follow_up_due < day},
          {"created_at", s.created_at}};
}

}  // namespace

std::string letterSpanAfter(const std::string& isoDay, const lights::Span& s) {
  if (!s.months) return core::addDays(isoDay, s.amount);
  int y = std::stoi(isoDay.substr(0, 4));
  int m = std::stoi(isoDay.substr(5, 2));
  int d = std::stoi(isoDay.substr(8, 2));
  int total = y * 12 + (m - 1) + s.amount;
  y = total / 12;
  m = total % 12 + 1;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int last = kDays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 1 : 0);
  d = std::min(d, last);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

int applyLetterTriggers(store::Connection& c, const std::string& region, std::int64_t projectId,
                        const std::vector<lights::LetterTrigger>& triggers, const lights::LightRules& rules,
                        const std::string& day, const std::string& nowIso) {
  return applyLetterTriggers(Env{}, c, region, projectId, triggers, rules, day, nowIso);
}

int applyLetterTriggers(const Env& env, store::Connection& c, const std::string& region, std::int64_t projectId,
                        const std::vector<lights::LetterTrigger>& triggers, const lights::LightRules& rules,
                        const std::string& day, const std::string& nowIso) {
  if (triggers.empty()) return 0;
  auto project = store::ProjectRepo(c).findById(projectId);
  if (!project) return 0;
  store::LetterRepo repo(c);
  int created = 0;
  for (const auto& t : triggers) {
    if (!isOneOf(kKinds, t.kind) || t.trigger_key.empty()) continue;
    const auto& rule = ruleOf(rules, t.kind);
    store::LetterRecord l;
    l.region_code = region;
    l.project_id = projectId;
    l.kind = t.kind;
    l.trigger_key = t.trigger_key.substr(0, core::limits::kName);
    l.title = titleOf(t.kind, project->str("name"), t.trigger_key, rule);
    defaultRecipient(l, *project, rule);
    l.facts = t.facts;
    l.action = t.action.empty() ? rule.action : t.action;
    l.drafted_at = nowIso;
    auto id = repo.insertTriggered(l);
    if (!id) continue;
    l.id = *id;
    ++created;
    appendAudit(c, env, nullptr, {region, "create", "letter", std::to_string(l.id), nullptr, auditOf(l)});
    if (rules.auto_issue && (l.recipient_unit_id || l.recipient_user_id)) issueIn(c, env, nullptr, l, rules, day, nowIso);
  }
  return created;
}

json LettersService::list(const core::Actor& a, const LetterQuery& q) {
  const auto day = today(env_);
  auto f = visibility(a, day);
  Validator v;
  if (!q.status.empty() && !isOneOf(kStatuses, q.status)) v.add("status", "invalid");
  if (!q.kind.empty() && !isOneOf(kKinds, q.kind)) v.add("kind", "invalid");
  v.throwIfAny("查询参数不正确");
  f.status = q.status;
  f.kind = q.kind;
  f.unit_id = q.unit_id;
  f.project_id = q.project_id;
  f.overdue_only = q.overdue;
  const int size = std::clamp(q.page_size, 1, kLetterPageMax);
  const int page = std::max(q.page, 1);
  auto c = env_.db->acquire();
  store::LetterRepo repo(*c);
  json items = json::array();
  for (const auto& l : repo.page(f, size, (page - 1) * size)) items.push_back(letterJson(l, day));
  return {{"items", items},
          {"total", repo.count(f)},
          {"page", page},
          {"page_size", size},
          {"counts", countsJson(repo.countsByStatus(f))}};
}

json LettersService::inbox(const core::Actor& a) {
  const auto day = today(env_);
  store::LetterFilter f;
  f.scope_region = a.region_code;
  f.today = day;
  f.all = false;
  f.to_unit = a.org_unit_id;
  f.to_user = a.user_id;
  f.open_only = true;
  auto c = env_.db->acquire();
  store::LetterRepo repo(*c);
  json items = json::array();
  for (const auto& l : repo.page(f, kLetterInboxMax, 0)) items.push_back(letterJson(l, day));
  auto counts = repo.countsByStatus(f);
  return {{"items", items},
          {"counts",
           {{"issued", counts["issued"]}, {"signed", counts["signed"]}, {"overdue", counts["overdue"]},
            {"open", counts["issued"] + counts["signed"]}}}};
}

json LettersService::get(const core::Actor& a, std::int64_t id) {
  auto c = env_.db->acquire();
  return letterJson(loadVisible(*c, a, id), today(env_));
}

json LettersService::create(const core::Actor& a, const json& in,
                            const std::function<void(store::Connection&, std::int64_t)>& alsoIn) {
  Validator v;
  JsonInput i(in, v);
  auto projectId = i.i64("project_id", true);
  auto kind = i.str("kind", true, core::limits::kCode);
  auto unit = i.i64("recipient_unit_id", false);
  auto user = i.i64("recipient_user_id", false);
  auto title = i.str("title", false, kLetterTitleMax);
  auto facts = i.str("facts", true, kLetterFactsMax);
  auto action = i.str("action", false, kLetterActionMax);
  auto answerDue = i.str("answer_due", false, core::limits::kCode);
  const auto day = today(env_);
  if (kind && !isOneOf(kKinds, *kind)) v.add("kind", "invalid");
  if (facts && core::trimText(*facts).empty()) v.add("facts", "required");
  if (title && core::trimText(*title).empty()) v.add("title", "required");
  checkIsoDay(v, "answer_due", answerDue);
  if (answerDue && core::isIsoDate(*answerDue) && *answerDue < day) v.add("answer_due", "past_date");
  if (unit && user) v.add("recipient_user_id", "one_recipient");
  v.throwIfAny("请检查函件的类型、事实和要求");
  if (!core::canWrite(a, core::WriteKind::Business, a.region_code) || !(a.has("hq") || a.has("admin")))
    throw forbidden("只有总指挥部可以起草函件");
  const auto region = regionOfRow(env_, "projects", *projectId, a.region_code);
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto project = store::ProjectRepo(c).findById(*projectId);
    if (!project || !core::inScope(a, project->str("region_code"))) throw notFound("项目不存在");
    const auto projectRegion = project->str("region_code");
    if (!isHeadquarters(a, projectRegion)) throw forbidden("只有总指挥部可以起草函件");
    store::LetterRepo repo(c);
    const auto rules = loadLightRules(c, projectRegion, day);
    const auto& rule = ruleOf(rules, *kind);
    store::LetterRecord l;
    l.region_code = projectRegion;
    l.project_id = *projectId;
    l.kind = *kind;
    if (unit || user) {
      checkRecipients(repo, projectRegion, unit, user);
      l.recipient_unit_id = unit;
      l.recipient_user_id = user;
    } else {
      defaultRecipient(l, *project, rule);
    }
    l.title = title ? std::string(core::trimText(*title)) : titleOf(*kind, project->str("name"), "", rule);
    l.facts = *facts;
    l.action = action ? *action : rule.action;
    if (answerDue) l.answer_due = *answerDue;
    l.drafted_at = nowIso;
    l.drafted_by = a.user_id;
    l.id = repo.insert(l);
    appendAudit(c, env_, &a, {projectRegion, "create", "letter", std::to_string(l.id), nullptr, auditOf(l)});
    if (alsoIn) alsoIn(c, l.id);
    return letterJson(*repo.find(l.id), day);
  });
}

json LettersService::update(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto version = i.i64("version", true);
  auto title = i.str("title", false, kLetterTitleMax);
  auto facts = i.str("facts", false, kLetterFactsMax);
  auto action = i.str("action", false, kLetterActionMax);
  auto unit = i.i64("recipient_unit_id", false);
  auto user = i.i64("recipient_user_id", false);
  auto answerDue = i.strOrEmpty("answer_due", core::limits::kCode);
  const auto day = today(env_);
  if (title && core::trimText(*title).empty()) v.add("title", "required");
  if (facts && core::trimText(*facts).empty()) v.add("facts", "required");
  checkIsoDay(v, "answer_due", answerDue);
  if (answerDue && core::isIsoDate(*answerDue) && *answerDue < day) v.add("answer_due", "past_date");
  if (unit && user) v.add("recipient_user_id", "one_recipient");
  v.throwIfAny("请检查函件的标题、事实和要求");
  const auto region = regionOfRow(env_, "letters", id, a.region_code);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto l = loadVisible(c, a, id);
    if (!isHeadquarters(a, l.region_code)) throw forbidden("只有总指挥部可以修改函件");
    if (l.status != "draft") throw illegalStep(l, "修改");
    store::LetterRepo repo(c);
    const auto before = auditOf(l);
    if (title) l.title = std::string(core::trimText(*title));
    if (facts) l.facts = *facts;
    if (action) l.action = *action;
    if (unit || user) {
      checkRecipients(repo, l.region_code, unit, user);
      l.recipient_unit_id = unit;
      l.recipient_user_id = user;
    }
    if (answerDue) l.answer_due = answerDue->empty() ? std::nullopt : std::optional(*answerDue);
    if (!repo.updateDraft(l, *version))
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "函件已被他人修改，请刷新后重试",
                         {{"version", "stale"}});
    json b, after;
    diffJson(before, auditOf(l), b, after);
    appendAudit(c, env_, &a, {l.region_code, "update", "letter", std::to_string(l.id), b, after});
    return letterJson(*repo.find(l.id), day);
  });
}

json LettersService::issue(const core::Actor& a, std::int64_t id) {
  const auto region = regionOfRow(env_, "letters", id, a.region_code);
  const auto day = today(env_);
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto l = loadVisible(c, a, id);
    if (!isHeadquarters(a, l.region_code)) throw forbidden("只有总指挥部可以签发函件");
    if (l.status != "draft") throw illegalStep(l, "签发");
    issueIn(c, env_, &a, l, loadLightRules(c, l.region_code, day), day, nowIso);
    return letterJson(*store::LetterRepo(c).find(id), day);
  });
}

json LettersService::discard(const core::Actor& a, std::int64_t id) {
  const auto region = regionOfRow(env_, "letters", id, a.region_code);
  const auto day = today(env_);
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto l = loadVisible(c, a, id);
    if (!isHeadquarters(a, l.region_code)) throw forbidden("只有总指挥部可以作废草稿");
    if (l.status != "draft") throw illegalStep(l, "作废（只有草稿可以作废）");
    store::LetterRepo repo(c);
    if (!repo.markDiscarded(id, nowIso, a.user_id)) throw illegalStep(l, "作废");
    appendAudit(c, env_, &a,
                {l.region_code, "discard", "letter", std::to_string(id), {{"status", "draft"}}, {{"status", "discarded"}}});
    return letterJson(*repo.find(id), day);
  });
}

json LettersService::sign(const core::Actor& a, std::int64_t id) {
  const auto region = regionOfRow(env_, "letters", id, a.region_code);
  const auto day = today(env_);
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto l = loadVisible(c, a, id);
    if (!isRecipient(a, l)) throw forbidden("只有收函单位（或收函人）可以签收");
    if (l.status != "issued") throw illegalStep(l, "签收");
    store::LetterRepo repo(c);
    if (!repo.markSigned(id, nowIso, a.user_id)) throw illegalStep(l, "签收");
    appendAudit(c, env_, &a,
                {l.region_code, "sign", "letter", std::to_string(id), {{"status", l.status}},
                 {{"status", "signed"}, {"signed_at", nowIso}, {"late", l.sign_due && *l.sign_due < day}}});
    // An overdue signing step lit the project; it clears now rather than at night.
    if (l.project_id) evaluateProjectIn(c, env_, l.region_code, *l.project_id);
    return letterJson(*repo.find(id), day);
  });
}

json LettersService::answer(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto text = i.str("answer", true, kLetterAnswerMax);
  if (text && core::trimText(*text).empty()) v.add("answer", "required");
  v.throwIfAny("请填写答复内容");
  const auto region = regionOfRow(env_, "letters", id, a.region_code);
  const auto day = today(env_);
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto l = loadVisible(c, a, id);
    if (!isRecipient(a, l)) throw forbidden("只有收函单位（或收函人）可以答复");
    if (l.status != "signed") throw illegalStep(l, l.status == "issued" ? "答复（请先签收）" : "答复");
    store::LetterRepo repo(c);
    if (!repo.markAnswered(id, *text, nowIso, a.user_id)) throw illegalStep(l, "答复");
    appendAudit(c, env_, &a,
                {l.region_code, "answer", "letter", std::to_string(id), {{"status", l.status}},
                 {{"status", "answered"}, {"answer", *text}, {"late", l.answer_due && *l.answer_due < day}}});
    notifyLetter(c, l.region_code, store::UserRepository(c).headquartersUserIds(l.region_code), "letter_answered",
                 std::string(labelOf(kKinds, l.kind)) + "已答复：" + l.title,
                 l.number + "，" + (a.display_name.empty() ? a.username : a.display_name) + " 已答复，请审阅办结",
                 l.project_id, a.user_id, l.id, nowIso);
    if (l.project_id) evaluateProjectIn(c, env_, l.region_code, *l.project_id);  // an overdue answer clears now
    return letterJson(*repo.find(id), day);
  });
}

json LettersService::close(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto note = i.str("note", false, kLetterNoteMax);
  v.throwIfAny("办结意见过长");
  const auto region = regionOfRow(env_, "letters", id, a.region_code);
  const auto day = today(env_);
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto l = loadVisible(c, a, id);
    if (!isHeadquarters(a, l.region_code)) throw forbidden("只有总指挥部可以办结函件");
    if (l.status != "answered") throw illegalStep(l, "办结（须先答复）");
    store::LetterRepo repo(c);
    if (!repo.markClosed(id, note.value_or(""), nowIso, a.user_id)) throw illegalStep(l, "办结");
    appendAudit(c, env_, &a,
                {l.region_code, "close", "letter", std::to_string(id), {{"status", l.status}},
                 {{"status", "closed"}, {"close_note", note.value_or("")}}});
    return letterJson(*repo.find(id), day);
  });
}

LetterFile LettersService::document(const core::Actor& a, std::int64_t id, bool pdf) {
  auto c = env_.db->acquire();
  auto l = loadVisible(*c, a, id);
  if (l.status == "discarded") throw notFound("函件已作废");
  office::LetterDocument d;
  const auto county = store::RegionRepository(*c).name(l.region_code).value_or("");
  d.issuer = county + "重点项目建设指挥部办公室";
  d.number = l.number;
  d.title = l.title;
  d.recipient = l.recipient_unit_id ? l.recipient_unit_name : l.recipient_user_name + "同志";
  if (!l.facts.empty()) d.paragraphs.push_back(l.facts);
  if (!l.action.empty()) d.paragraphs.push_back(l.action);
  if (l.answer_due) {
    const auto& due = *l.answer_due;
    d.paragraphs.push_back("请于" + core::chineseDay(due) + "前将落实情况书面反馈。");
  }
  d.signature = d.issuer;
  // The date printed is the county's day of issue (a draft: today).
  core::TimePoint issued = env_.now();
  if (l.issued_at) core::parseTimestamp(*l.issued_at, issued);
  d.date = core::localDay(issued);
  d.draft = l.status == "draft";
  LetterFile f;
  const std::string ext = pdf ? ".pdf" : ".docx";
  f.body = pdf ? office::renderLetterPdf(d) : office::renderLetterDocx(d);
  f.content_type = pdf ? "application/pdf"
                       : "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  f.filename = (l.number.empty() ? "草稿-" + std::to_string(l.id) : l.number) + ext;
  f.ascii_filename = "letter-" + std::to_string(l.id) + ext;
  f.filename = core::urlEncode(f.filename);
  return f;
}

json LettersService::summons(const core::Actor& a, std::optional<std::int64_t> projectId,
                             std::optional<std::int64_t> unitId, int page, int pageSize) {
  const auto day = today(env_);
  if (!seesAll(a)) {
    if (!a.org_unit_id) throw forbidden("没有查看约谈记录的权限");
    unitId = a.org_unit_id;  // a unit sees its own summons
  }
  const int size = std::clamp(pageSize, 1, kLetterPageMax);
  page = std::max(page, 1);
  auto c = env_.db->acquire();
  store::LetterRepo repo(*c);
  json items = json::array();
  for (const auto& s : repo.summonsPage(a.region_code, projectId, unitId, size, (page - 1) * size))
    items.push_back(summonsJson(s, day));
  return {{"items", items}, {"total", repo.summonsCount(a.region_code, projectId, unitId)}, {"page", page},
          {"page_size", size}};
}

json LettersService::createSummons(const core::Actor& a, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto projectId = i.i64("project_id", false);
  auto unitId = i.i64("unit_id", true);
  auto letterId = i.i64("letter_id", false);
  auto principal = i.str("principal", true, core::limits::kShortText);
  auto heldOn = i.str("held_on", true, core::limits::kCode);
  auto attendees = i.strList("attendees", false, kSummonsAttendeesMax, core::limits::kShortText);
  auto reason = i.str("reason", true, kSummonsTextMax);
  auto commitments = i.str("commitments", false, kSummonsTextMax);
  auto followUpDue = i.str("follow_up_due", false, core::limits::kCode);
  const auto day = today(env_);
  if (principal && core::trimText(*principal).empty()) v.add("principal", "required");
  if (reason && core::trimText(*reason).empty()) v.add("reason", "required");
  checkIsoDay(v, "held_on", heldOn);
  if (heldOn && core::isIsoDate(*heldOn) && *heldOn > day) v.add("held_on", "future_date");
  checkIsoDay(v, "follow_up_due", followUpDue);
  if (followUpDue && heldOn && core::isIsoDate(*followUpDue) && *followUpDue < *heldOn)
    v.add("follow_up_due", "before_held_on");
  v.throwIfAny("请检查约谈的单位、负责人、日期和事由");
  if (!isHeadquarters(a, a.region_code)) throw forbidden("只有总指挥部可以记录约谈");
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, a.region_code, [&](store::Connection& c) {
    store::LetterRepo repo(c);
    Validator rv;
    if (!repo.orgUnitName(*unitId, a.region_code)) rv.add("unit_id", "unknown");
    if (projectId) {
      auto p = store::ProjectRepo(c).findById(*projectId);
      if (!p || p->str("region_code") != a.region_code) rv.add("project_id", "unknown");
    }
    if (letterId) {
      auto l = repo.find(*letterId);
      if (!l || l->region_code != a.region_code) rv.add("letter_id", "unknown");
    }
    rv.throwIfAny("约谈所关联的单位、项目或函件不存在");
    store::SummonsRecord s;
    s.region_code = a.region_code;
    s.project_id = projectId;
    s.unit_id = *unitId;
    s.letter_id = letterId;
    s.principal = std::string(core::trimText(*principal));
    s.held_on = *heldOn;
    std::vector<std::string> names;
    for (const auto& n : attendees.value_or(std::vector<std::string>{}))
      if (auto t = core::trimText(n); !t.empty()) names.emplace_back(t);
    s.attendees = json(names).dump();
    s.reason = *reason;
    s.commitments = commitments.value_or("");
    if (followUpDue && !followUpDue->empty()) s.follow_up_due = *followUpDue;
    s.created_by = a.user_id;
    s.created_at = nowIso;
    s.id = repo.insertSummons(s);
    auto out = summonsJson(*repo.findSummons(s.id), day);
    appendAudit(c, env_, &a, {a.region_code, "create", "summons", std::to_string(s.id), nullptr, out});
    return out;
  });
}

json LettersService::followUpSummons(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto note = i.str("note", true, kSummonsTextMax);
  if (note && core::trimText(*note).empty()) v.add("note", "required");
  v.throwIfAny("请填写跟踪落实情况");
  const auto region = regionOfRow(env_, "summons", id, a.region_code);
  const auto day = today(env_);
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::LetterRepo repo(c);
    auto s = repo.findSummons(id);
    if (!s || !core::inScope(a, s->region_code)) throw notFound("约谈记录不存在");
    if (!isHeadquarters(a, s->region_code)) throw forbidden("只有总指挥部可以记录约谈跟踪");
    if (s->followed_up_at) throw ServiceError(ErrorKind::Conflict, "already_followed_up", "该约谈已记录跟踪落实情况");
    repo.followUpSummons(id, *note, nowIso);
    appendAudit(c, env_, &a,
                {s->region_code, "follow_up", "summons", std::to_string(id), {{"followed_up_at", nullptr}},
                 {{"followed_up_at", nowIso}, {"follow_up_note", *note}}});
    return summonsJson(*repo.findSummons(id), day);
  });
}

}  // namespace steward::service
