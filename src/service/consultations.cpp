#include "service/consultations.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/problems.h"
#include "core/validate.h"
#include "core/workdays.h"
#include "office/xlsx_writer.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "service/problem_rules.h"
#include "service/problems.h"
#include "store/consultation_repo.h"
#include "store/problem_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

std::string today(const Env& env) { return core::localDay(env.now()); }
json optJ(const std::optional<std::string>& s) { return s ? json(*s) : json(); }
json optJ(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(); }

bool validMonth(const std::string& m) {
  return m.size() == 7 && m[4] == '-' && core::parseIsoDay(m + "-01").has_value();
}
bool validDay(const std::string& d) { return core::parseIsoDay(d).has_value(); }

// Who reads the county's consultations and lists: headquarters, inspectors, viewers, the county leaders, and any
// account of a city or province above.
void requireReader(const core::Actor& a) {
  if (a.has("admin") || a.has("hq") || a.has("inspector") || a.has("viewer") || a.has("leader")) return;
  auto [lo, hi] = core::scopeRange(a.region_code);
  if (lo != hi) return;
  throw forbidden("只有总指挥部、督查组、县领导和上级可以查看");
}

bool isWriter(const core::Actor& a, const std::string& region) {
  return (a.has("hq") || a.has("admin")) && core::canWrite(a, core::WriteKind::Business, region);
}

std::string statusLabel(const std::string& s) {
  auto st = core::problemStateFromKey(s);
  return st ? core::problemStateLabel(*st) : "";
}

std::string categoryName(const ProblemRuleSet& rs, const std::string& key) {
  const auto* c = rs.rules.category(key);
  return c ? c->name : key;
}

json auditOf(const store::ConsultationRecord& r) {
  return {{"month", r.month},         {"meeting_on", optJ(r.meeting_on)}, {"place", r.place},
          {"chair", r.chair},         {"attendees", json::parse(r.attendees, nullptr, false)},
          {"minutes", r.minutes},     {"status", r.status}};
}

json recordJson(const store::ConsultationRecord& r) {
  auto att = json::parse(r.attendees, nullptr, false);
  return {{"id", r.id},
          {"region_code", r.region_code},
          {"month", r.month},
          {"meeting_on", optJ(r.meeting_on)},
          {"place", r.place},
          {"chair", r.chair},
          {"attendees", att.is_array() ? att : json::array()},
          {"minutes", r.minutes},
          {"status", r.status},
          {"status_label", r.status == "held" ? "已召开" : "筹备中"},
          {"held_at", optJ(r.held_at)},
          {"decision_count", r.decision_count},
          {"version", r.version},
          {"created_at", r.created_at},
          {"updated_at", r.updated_at}};
}

json decisionJson(const store::ConsultationDecision& d, const std::string& day) {
  static const std::set<std::string> open = {"raised", "accepted", "assigned", "in_progress", "planned"};
  const bool isOpen = open.count(d.task_status) != 0;
  return {{"id", d.id},
          {"text", d.text},
          {"owner_unit", {{"id", d.owner_unit_id}, {"name", d.owner_unit_name}}},
          {"due_on", d.due_on},
          {"problem_id", optJ(d.about_problem_id)},
          {"task",
           d.task_id ? json{{"id", *d.task_id},
                            {"status", d.task_status},
                            {"status_label", statusLabel(d.task_status)},
                            {"solve_due", d.task_solve_due},
                            {"overdue", isOpen && !d.task_solve_due.empty() && d.task_solve_due < day}}
                     : json()},
          {"created_at", d.created_at}};
}

// The record of `id` the actor may see (404 otherwise: another county's meeting does not exist for it).
store::ConsultationRecord loadVisible(store::Connection& c, const core::Actor& a, std::int64_t id) {
  auto r = store::ConsultationRepo(c).find(id);
  if (!r || !core::inScope(a, r->region_code)) throw notFound("每月必商会议不存在");
  return *r;
}

std::vector<std::string> factorCategories(const ProblemRuleSet& rs) {
  std::vector<std::string> out;
  for (const auto& c : rs.rules.categories)
    if (c.factor) out.push_back(c.key);
  return out;
}

json agendaItems(store::ConsultationRepo& repo, const ProblemRuleSet& rs, const std::string& scope,
                 const std::string& day) {
  json items = json::array();
  for (const auto& r : repo.agenda(scope, factorCategories(rs), day, kAgendaMax).rows) {
    auto due = r.optStr("due");
    auto pid = r.optI64("project_id");
    auto uid = r.optI64("lead_unit_id");
    items.push_back({{"problem_id", r.i64("id")},
                     {"title", r.str("title")},
                     {"kind", r.str("kind")},
                     {"category", r.str("category")},
                     {"category_name", categoryName(rs, r.str("category"))},
                     {"status", r.str("status")},
                     {"status_label", statusLabel(r.str("status"))},
                     {"raised_on", r.str("raised_on")},
                     {"due", optJ(due)},
                     {"overdue", due && *due < day},
                     {"project", pid ? json{{"id", *pid}, {"name", r.str("project_name")}} : json()},
                     {"lead_unit", uid ? json{{"id", *uid}, {"name", r.str("lead_unit_name")}} : json()}});
  }
  return items;
}

struct Fields {
  std::optional<std::string> month, meeting_on, place, chair, minutes, status;
  std::optional<std::vector<std::string>> attendees;
  std::optional<std::int64_t> version;
  std::vector<std::pair<std::int64_t, std::string>> notes;
};

Fields readFields(const json& in, bool create) {
  Validator v;
  JsonInput i(in, v);
  Fields f;
  if (create) f.month = i.str("month", true, 7);
  else f.version = i.i64("version", true);
  f.meeting_on = i.str("meeting_on", false, 10);
  f.place = i.str("place", false, core::limits::kName);
  f.chair = i.str("chair", false, core::limits::kShortText);
  f.minutes = i.str("minutes", false, kMinutesMax);
  f.attendees = i.strList("attendees", false, kAttendeesMax, core::limits::kShortText);
  if (!create) {
    f.status = i.str("status", false, core::limits::kCode);
    if (f.status && *f.status != "held" && *f.status != "draft") v.add("status", "invalid");
    if (const auto* arr = i.array("items", false, kAgendaMax)) {
      for (std::size_t k = 0; k < arr->size(); ++k) {
        const auto& e = (*arr)[k];
        if (!e.is_object()) {
          v.add("items[" + std::to_string(k) + "]", "invalid");
          continue;
        }
        JsonInput ei(e, v, "items[" + std::to_string(k) + "].");
        auto pid = ei.i64("problem_id", true);
        auto note = ei.str("note", true, kItemNoteMax);
        if (pid && note) f.notes.emplace_back(*pid, *note);
      }
    }
  }
  if (f.month && !validMonth(*f.month)) v.add("month", "invalid");
  if (f.meeting_on && !validDay(*f.meeting_on)) v.add("meeting_on", "invalid");
  v.throwIfAny("请检查会议的月份、日期和内容");
  return f;
}

}  // namespace

json ConsultationService::list(const core::Actor& a, const std::string& month, int page, int pageSize) {
  requireReader(a);
  if (!month.empty() && !validMonth(month))
    throw ServiceError(ErrorKind::Validation, "validation_failed", "查询参数不正确", {{"month", "invalid"}});
  const int size = std::clamp(pageSize, 1, kConsultationPageMax);
  page = std::clamp(page, 1, 1'000'000);
  auto c = env_.db->acquire();
  store::ConsultationRepo repo(*c);
  json items = json::array();
  for (const auto& r : repo.page(a.region_code, month, size, (page - 1) * size)) items.push_back(recordJson(r));
  return {{"items", items}, {"total", repo.count(a.region_code, month)}, {"page", page}, {"page_size", size}};
}

json ConsultationService::get(const core::Actor& a, std::int64_t id) {
  requireReader(a);
  const auto day = today(env_);
  auto c = env_.db->acquire();
  auto r = loadVisible(*c, a, id);
  store::ConsultationRepo repo(*c);
  auto rs = loadProblemRules(*c, r.region_code, day);
  auto out = recordJson(r);
  json items = json::array();
  for (const auto& i : repo.items(id))
    items.push_back({{"problem_id", i.problem_id},
                     {"title", i.title},
                     {"category", i.category},
                     {"category_name", categoryName(rs, i.category)},
                     {"status", i.status},
                     {"status_label", statusLabel(i.status)},
                     {"overdue", i.overdue},
                     {"note", i.note}});
  json decisions = json::array();
  for (const auto& d : repo.decisions(id)) decisions.push_back(decisionJson(d, day));
  out["items"] = items;
  out["decisions"] = decisions;
  out["can_edit"] = isWriter(a, r.region_code);
  return out;
}

json ConsultationService::agenda(const core::Actor& a, const std::string& month) {
  requireReader(a);
  if (!validMonth(month))
    throw ServiceError(ErrorKind::Validation, "validation_failed", "月份格式应为 YYYY-MM", {{"month", "invalid"}});
  const auto day = today(env_);
  auto c = env_.db->acquire();
  store::ConsultationRepo repo(*c);
  auto rs = loadProblemRules(*c, a.region_code, day);
  json cats = json::array();
  for (const auto& k : rs.rules.categories)
    if (k.factor) cats.push_back({{"key", k.key}, {"name", k.name}});
  auto existing = repo.findByMonth(a.region_code, month);
  auto items = agendaItems(repo, rs, a.region_code, day);
  return {{"month", month},
          {"consultation", existing ? recordJson(*existing) : json()},
          {"categories", cats},
          {"items", items},
          {"limit", kAgendaMax},
          {"can_edit", isWriter(a, a.region_code)}};
}

json ConsultationService::create(const core::Actor& a, const json& in) {
  auto f = readFields(in, true);
  const auto region = a.region_code;
  if (!isWriter(a, region)) throw forbidden("只有总指挥部可以安排每月必商");
  auto [lo, hi] = core::scopeRange(region);
  if (lo != hi) throw forbidden("每月必商由县总指挥部安排");
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::ConsultationRepo repo(c);
    if (repo.findByMonth(region, *f.month))
      throw ServiceError(ErrorKind::Conflict, "exists", "本月的每月必商已经安排", {{"month", "exists"}});
    store::ConsultationRecord r;
    r.region_code = region;
    r.month = *f.month;
    r.meeting_on = f.meeting_on;
    r.place = f.place.value_or("");
    r.chair = f.chair.value_or("");
    r.attendees = json(f.attendees.value_or(std::vector<std::string>{})).dump();
    r.minutes = f.minutes.value_or("");
    r.created_by = r.updated_by = a.user_id;
    r.created_at = r.updated_at = nowIso;
    r.id = repo.insert(r);
    appendAudit(c, env_, &a, {region, "create", "consultation", std::to_string(r.id), nullptr, auditOf(r)});
    return recordJson(*repo.find(r.id));
  });
}

json ConsultationService::update(const core::Actor& a, std::int64_t id, const json& in) {
  auto f = readFields(in, false);
  const auto region = regionOfRow(env_, "consultations", id, a.region_code);
  const auto day = today(env_);
  const auto nowIso = env_.nowIso();
  writeTransaction(env_, region, [&](store::Connection& c) {
    auto r = loadVisible(c, a, id);
    if (!isWriter(a, r.region_code)) throw forbidden("只有总指挥部可以修改每月必商");
    if (*f.version != r.version)
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "会议已被他人更新，请刷新后重试", {{"version", "stale"}});
    if (f.status && *f.status == "draft" && r.status == "held")
      throw ServiceError(ErrorKind::Conflict, "illegal_transition", "已召开的会议不能退回筹备", {{"status", r.status}});
    store::ConsultationRepo repo(c);
    const auto before = auditOf(r);
    if (f.meeting_on) r.meeting_on = f.meeting_on;
    if (f.place) r.place = *f.place;
    if (f.chair) r.chair = *f.chair;
    if (f.minutes) r.minutes = *f.minutes;
    if (f.attendees) r.attendees = json(*f.attendees).dump();
    const bool holding = f.status && *f.status == "held" && r.status != "held";
    if (holding && !r.meeting_on)
      throw ServiceError(ErrorKind::Validation, "validation_failed", "请填写会议日期", {{"meeting_on", "required"}});
    // Notes on problems of the county (an agenda problem, or any open one brought to the table).
    std::map<std::int64_t, std::string> notes;
    {
      Validator v;
      for (std::size_t k = 0; k < f.notes.size(); ++k) {
        auto p = repo.problemIn(f.notes[k].first, r.region_code);
        if (!p) v.add("items[" + std::to_string(k) + "].problem_id", "unknown");
        else notes[f.notes[k].first] = f.notes[k].second;
      }
      v.throwIfAny("议题中的问题不存在");
    }
    auto existing = repo.items(id);
    std::map<std::int64_t, store::ConsultationItem> byId;
    for (const auto& i : existing) byId[i.problem_id] = i;
    std::int64_t sort = std::int64_t(existing.size());
    if (holding) {
      // The agenda as it stands when the meeting is held.
      auto rs = loadProblemRules(c, r.region_code, day);
      for (const auto& row : repo.agenda(r.region_code, factorCategories(rs), day, kAgendaMax).rows) {
        const auto pid = row.i64("id");
        auto due = row.optStr("due");
        // A problem noted before the meeting keeps its place and note, its state as of the meeting.
        const bool known = byId.count(pid) != 0;
        store::ConsultationItem it = known ? byId[pid]
                                           : store::ConsultationItem{pid, sort++, "", "", "", "", false};
        it.title = row.str("title");
        it.category = row.str("category");
        it.status = row.str("status");
        it.overdue = due && *due < day;
        byId[pid] = it;
        repo.upsertItem(id, it);
      }
      r.status = "held";
      r.held_at = nowIso;
    }
    for (const auto& [pid, note] : notes) {
      auto it = byId.count(pid) ? byId[pid] : store::ConsultationItem{};
      if (!byId.count(pid)) {
        auto p = repo.problemIn(pid, r.region_code);
        auto due = p->optStr("due");
        it = {pid, sort++, p->str("title"), p->str("category"), p->str("status"), "", due && *due < day};
      }
      it.note = note;
      repo.upsertItem(id, it);
    }
    if (repo.itemCount(id) > kAgendaMax)
      throw ServiceError(ErrorKind::Validation, "validation_failed", "议题过多", {{"items", "too_many"}});
    r.updated_by = a.user_id;
    r.updated_at = nowIso;
    if (!repo.update(r, *f.version))
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "会议已被他人更新，请刷新后重试", {{"version", "stale"}});
    json b, after;
    diffJson(before, auditOf(r), b, after);
    if (!notes.empty()) after["notes"] = notes.size();
    appendAudit(c, env_, &a, {r.region_code, holding ? "hold" : "update", "consultation", std::to_string(id), b, after});
    return 0;
  });
  return get(a, id);
}

json ConsultationService::decide(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto text = i.str("text", true, kDecisionTextMax);
  auto owner = i.i64("owner_unit_id", true);
  auto due = i.str("due_on", true, 10);
  auto problemId = i.i64("problem_id", false);
  if (text && core::trimText(*text).empty()) v.add("text", "required");
  if (due && !validDay(*due)) v.add("due_on", "invalid");
  v.throwIfAny("请检查决定事项、责任单位和期限");
  const auto region = regionOfRow(env_, "consultations", id, a.region_code);
  const auto day = today(env_);
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto r = loadVisible(c, a, id);
    if (!isWriter(a, r.region_code)) throw forbidden("只有总指挥部可以记录决定事项");
    if (r.status != "held")
      throw ServiceError(ErrorKind::Conflict, "not_held", "会议召开后才能记录决定事项", {{"status", r.status}});
    store::ConsultationRepo repo(c);
    if (repo.decisionCount(id) >= std::int64_t(kDecisionsMax))
      throw ServiceError(ErrorKind::Validation, "validation_failed", "一次会议的决定事项过多", {{"decisions", "too_many"}});
    Validator v2;
    if (!store::ProblemRepo(c).unitInRegion(*owner, r.region_code)) v2.add("owner_unit_id", "unknown");
    if (r.meeting_on && *due < *r.meeting_on) v2.add("due_on", "before_meeting");
    std::optional<store::Row> about;
    if (problemId) {
      about = repo.problemIn(*problemId, r.region_code);
      if (!about) v2.add("problem_id", "unknown");
    }
    v2.throwIfAny("责任单位、期限或关联问题不正确");
    ConsultationTask t;
    t.region_code = r.region_code;
    t.title = std::string(core::trimText(*text));
    t.description = r.month + " 每月必商决定事项";
    if (about) {
      t.category = about->str("category");
      t.project_id = about->optI64("project_id");
      t.description += "（问题 #" + std::to_string(*problemId) + " " + about->str("title") + "）";
    }
    t.due_on = *due;
    t.owner_unit_id = *owner;
    t.consultation_id = id;
    const auto taskId = createConsultationTask(c, env_, a, t);
    store::ConsultationDecision d;
    d.consultation_id = id;
    d.text = t.title;
    d.owner_unit_id = *owner;
    d.due_on = *due;
    d.about_problem_id = problemId;
    d.task_id = taskId;
    d.created_by = a.user_id;
    d.created_at = nowIso;
    d.id = repo.insertDecision(d);
    appendAudit(c, env_, &a,
                {r.region_code, "decide", "consultation", std::to_string(id), nullptr,
                 {{"decision_id", d.id}, {"text", d.text}, {"owner_unit_id", *owner}, {"due_on", *due},
                  {"problem_id", optJ(problemId)}, {"task_id", taskId}}});
    for (const auto& x : repo.decisions(id))
      if (x.id == d.id) return decisionJson(x, day);
    return json();
  });
}

namespace {

std::optional<store::ListKind> listKindOf(const std::string& k) {
  if (k == "problems") return store::ListKind::Problems;
  if (k == "tasks") return store::ListKind::Tasks;
  if (k == "responsibilities") return store::ListKind::Responsibilities;
  if (k == "deadlines") return store::ListKind::Deadlines;
  return std::nullopt;
}

const char* letterKindName(const std::string& k) {
  if (k == "reminder") return "提醒函";
  if (k == "assignment") return "交办函";
  if (k == "supervision") return "督办函";
  return "函件";
}

json rowJson(store::ListKind kind, const store::Row& r, const ProblemRuleSet& rs, const std::string& day) {
  auto ref = [&](const char* idCol, const char* nameCol) {
    auto id = r.optI64(idCol);
    return id ? json{{"id", *id}, {"name", r.str(nameCol)}} : json();
  };
  switch (kind) {
    case store::ListKind::Problems:
    case store::ListKind::Tasks: {
      auto due = r.optStr("due");
      json o = {{"id", r.i64("id")},
                {"kind", r.str("kind")},
                {"title", r.str("title")},
                {"category", r.str("category")},
                {"category_name", r.str("category").empty() ? "" : categoryName(rs, r.str("category"))},
                {"status", r.str("status")},
                {"status_label", statusLabel(r.str("status"))},
                {"raised_on", r.str("raised_on")},
                {"due", optJ(due)},
                {"overdue", due && *due < day},
                {"project", ref("project_id", "project_name")},
                {"lead_unit", ref("lead_unit_id", "lead_unit_name")}};
      if (kind == store::ListKind::Tasks) {
        o["source"] = r.str("source");
        o["solve_due"] = optJ(r.optStr("solve_due"));
        o["consultation_month"] = r.str("consultation_month");
      }
      return o;
    }
    case store::ListKind::Responsibilities:
      return {{"project", {{"id", r.i64("id")}, {"code", r.str("code")}, {"name", r.str("name")}, {"stage", r.str("stage")}}},
              {"total_investment", r.i64("total_investment")},
              {"leader", ref("leader_id", "leader_name")},
              {"unit", ref("unit_id", "unit_name")},
              {"principal_name", r.str("principal_name")},
              {"section_chief_name", r.str("section_chief_name")},
              {"open_problems", r.i64("open_problems")},
              {"open_tasks", r.i64("open_tasks")}};
    case store::ListKind::Deadlines: {
      const auto source = r.str("source");
      const auto due = r.str("due");
      std::string what, link;
      if (source == "problem") {
        what = r.str("kind") == "task" ? "任务办结" : r.str("kind") == "demand" ? "企业诉求" : "问题办理";
        link = "/problems/" + r.str("ref_id");
      } else if (source == "node") {
        what = "项目节点";
        link = r.optI64("project_id") ? "/projects/" + r.str("project_id") + "?tab=nodes" : "";
      } else {
        what = std::string(letterKindName(r.str("kind"))) + (r.str("status") == "issued" ? "签收" : "答复");
        link = "/letters?letter=" + r.str("ref_id");
      }
      return {{"source", source},
              {"ref_id", r.i64("ref_id")},
              {"what", what},
              {"title", r.str("title")},
              {"project", ref("project_id", "project_name")},
              {"unit", ref("unit_id", "unit_name")},
              {"due", due},
              {"status", r.str("status")},
              {"status_label", source == "problem" ? statusLabel(r.str("status")) : ""},
              {"overdue", due < day},
              {"link", link}};
    }
  }
  return json();
}

}  // namespace

json ConsultationService::lists(const core::Actor& a, const std::string& kindKey, const ListQuery& q) {
  auto kind = listKindOf(kindKey);
  if (!kind) throw notFound("没有这张清单");
  requireReader(a);
  const auto day = today(env_);
  const int size = std::clamp(q.page_size, 1, kListPageMax);
  const int page = std::clamp(q.page, 1, 1'000'000);
  auto c = env_.db->acquire();
  store::ConsultationRepo repo(*c);
  auto rs = loadProblemRules(*c, a.region_code, day);
  store::ListFilter f{a.region_code, q.unit_id, day};
  json items = json::array();
  for (const auto& r : repo.list(*kind, f, size, (page - 1) * size).rows) items.push_back(rowJson(*kind, r, rs, day));
  return {{"kind", kindKey}, {"items", items}, {"total", repo.listCount(*kind, f)}, {"page", page},
          {"page_size", size}, {"today", day}};
}

std::string ConsultationService::listsXlsx(const core::Actor& a, const std::string& kindKey, const ListQuery& q) {
  auto kind = listKindOf(kindKey);
  if (!kind) throw notFound("没有这张清单");
  requireReader(a);
  const auto day = today(env_);
  auto c = env_.db->acquire();
  store::ConsultationRepo repo(*c);
  auto rs = loadProblemRules(*c, a.region_code, day);
  store::ListFilter f{a.region_code, q.unit_id, day};
  const auto rows = repo.list(*kind, f, kListXlsxMax, 0);
  const auto total = repo.listCount(*kind, f);
  using office::OutCell;
  auto T = [](const json& v) { return OutCell::text(v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump()); };
  auto N = [](const json& v) { return OutCell::num(v.dump()); };
  auto name = [](const json& v) { return OutCell::text(v.is_object() ? v.value("name", "") : ""); };
  auto yes = [](const json& v) { return OutCell::text(v.get<bool>() ? "是" : ""); };
  office::OutSheet s;
  switch (*kind) {
    case store::ListKind::Problems: s.name = "问题清单"; break;
    case store::ListKind::Tasks: s.name = "任务清单"; break;
    case store::ListKind::Responsibilities: s.name = "责任清单"; break;
    case store::ListKind::Deadlines: s.name = "时限清单"; break;
  }
  s.title = s.name + "（截至 " + day + (total > kListXlsxMax ? "，仅前 " + std::to_string(kListXlsxMax) + " 条" : "") + "）";
  switch (*kind) {
    case store::ListKind::Problems:
      s.columns = {{"编号", 8}, {"问题", 40}, {"类别", 12}, {"项目", 30}, {"牵头单位", 20}, {"提出日期", 12},
                   {"期限", 12}, {"状态", 10}, {"逾期", 6}};
      break;
    case store::ListKind::Tasks:
      s.columns = {{"编号", 8}, {"任务", 40}, {"来源", 14}, {"责任单位", 20}, {"项目", 30}, {"办结期限", 12},
                   {"状态", 10}, {"逾期", 6}};
      break;
    case store::ListKind::Responsibilities:
      s.columns = {{"项目编号", 14}, {"项目名称", 36}, {"总投资（元）", 16, "#,##0"}, {"县级领导", 12}, {"牵头单位", 20},
                   {"单位主要负责人", 14}, {"具体责任人", 12}, {"未办结问题", 10}, {"未办结任务", 10}};
      break;
    case store::ListKind::Deadlines:
      s.columns = {{"期限", 12}, {"事项", 12}, {"内容", 40}, {"项目", 30}, {"责任单位", 20}, {"状态", 10}, {"逾期", 6}};
      break;
  }
  for (const auto& row : rows.rows) {
    const auto j = rowJson(*kind, row, rs, day);
    switch (*kind) {
      case store::ListKind::Problems:
        s.rows.push_back({N(j["id"]), T(j["title"]), T(j["category_name"]), name(j["project"]), name(j["lead_unit"]),
                          T(j["raised_on"]), T(j["due"]), T(j["status_label"]), yes(j["overdue"])});
        break;
      case store::ListKind::Tasks:
        s.rows.push_back({N(j["id"]), T(j["title"]),
                          OutCell::text(j["source"] == "consultation" ? j["consultation_month"].get<std::string>() + " 每月必商"
                                        : j["source"] == "review"     ? std::string("调度讲评会")
                                                                      : std::string("其他")),
                          name(j["lead_unit"]), name(j["project"]), T(j["solve_due"]), T(j["status_label"]),
                          yes(j["overdue"])});
        break;
      case store::ListKind::Responsibilities:
        s.rows.push_back({T(j["project"]["code"]), T(j["project"]["name"]), N(j["total_investment"]), name(j["leader"]),
                          name(j["unit"]), T(j["principal_name"]), T(j["section_chief_name"]), N(j["open_problems"]),
                          N(j["open_tasks"])});
        break;
      case store::ListKind::Deadlines:
        s.rows.push_back({T(j["due"]), T(j["what"]), T(j["title"]), name(j["project"]), name(j["unit"]),
                          T(j["status_label"]), yes(j["overdue"])});
        break;
    }
  }
  return office::writeXlsx({s});
}

}  // namespace steward::service
