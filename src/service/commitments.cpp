#include "service/commitments.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/period.h"
#include "core/problems.h"
#include "core/time.h"
#include "core/validate.h"
#include "office/xlsx_writer.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "service/problems.h"
#include "store/commitment_repo.h"
#include "store/problem_repo.h"

namespace steward::service {

using nlohmann::json;
using office::OutCell;
using store::TargetKey;

namespace {

std::string today(const Env& env) { return core::localDay(env.now()); }
json optJ(const std::optional<std::string>& s) { return s ? json(*s) : json(); }
json optJ(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(); }
bool validDay(const std::string& d) { return core::parseIsoDay(d).has_value(); }

struct TargetDef {
  const char* key;
  TargetKey k;
  const char* label;
  const char* unit;
};
constexpr TargetDef kTargets[] = {{"investment", TargetKey::Investment, "完成投资", "元"},
                                  {"starts", TargetKey::Starts, "新开工项目", "个"},
                                  {"completions", TargetKey::Completions, "竣工项目", "个"},
                                  {"land", TargetKey::Land, "征地拆迁问题办结", "件"}};
const TargetDef* targetDef(const std::string& key) {
  for (const auto& t : kTargets)
    if (key == t.key) return &t;
  return nullptr;
}
std::string kindLabel(const std::string& k) { return k == "land" ? "征地拆迁承诺书" : "目标管理承诺书"; }

// The year as a number (2000–2100), or nullopt.
std::optional<std::int64_t> parseYear(const std::string& y) {
  if (y.size() != 4 || !std::all_of(y.begin(), y.end(), ::isdigit)) return std::nullopt;
  auto n = std::stoll(y);
  if (n < 2000 || n > 2100) return std::nullopt;
  return n;
}

// "YYYY-Qn" → its three months (YYYY-MM) and first and last days.
struct Quarter {
  std::string key, start, end;
  std::vector<std::string> months;
};
std::optional<Quarter> parseQuarter(const std::string& q) {
  if (q.size() != 7 || q[4] != '-' || q[5] != 'Q' || q[6] < '1' || q[6] > '4') return std::nullopt;
  auto year = parseYear(q.substr(0, 4));
  if (!year) return std::nullopt;
  Quarter out;
  out.key = q;
  const int first = (q[6] - '1') * 3 + 1;
  for (int m = first; m < first + 3; ++m) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04d-%02d", int(*year), m);
    out.months.push_back(buf);
  }
  auto p = core::periodOf(core::Cadence::Quarter, out.months[0] + "-01");
  out.start = p.start;
  out.end = p.end;
  return out;
}

ServiceError badQuery(const char* field, const char* msg) {
  return ServiceError(ErrorKind::Validation, "validation_failed", msg, {{field, "invalid"}});
}

// Headquarters, inspectors, viewers, county leaders and accounts above the county read everything of the scope.
bool readsAll(const core::Actor& a) {
  if (a.has("admin") || a.has("hq") || a.has("inspector") || a.has("viewer") || a.has("leader")) return true;
  auto [lo, hi] = core::scopeRange(a.region_code);
  return lo != hi;
}
// The unit filter for the actor: none (reads all), its own unit, or 403.
std::optional<std::int64_t> unitFilter(const core::Actor& a) {
  if (readsAll(a)) return std::nullopt;
  if ((a.has("unit") || a.has("liaison")) && a.org_unit_id) return *a.org_unit_id;
  throw forbidden("只有总指挥部、责任单位、督查组、县领导和上级可以查看");
}
bool isWriter(const core::Actor& a, const std::string& region) {
  return (a.has("hq") || a.has("admin")) && core::canWrite(a, core::WriteKind::Business, region);
}
void requireCountyWriter(const core::Actor& a, const char* msg) {
  auto [lo, hi] = core::scopeRange(a.region_code);
  if (!isWriter(a, a.region_code) || lo != hi) throw forbidden(msg);
}

// ---- commitments

struct Target {
  std::string key, label;
  std::int64_t target = 0;
};

std::vector<Target> readTargets(const json* arr, Validator& v) {
  std::vector<Target> out;
  if (!arr) return out;
  std::set<std::string> seen;
  for (std::size_t k = 0; k < arr->size(); ++k) {
    const std::string at = "targets[" + std::to_string(k) + "]";
    const auto& e = (*arr)[k];
    if (!e.is_object()) {
      v.addType(at, "must_be_object");
      continue;
    }
    JsonInput ei(e, v, at + ".");
    auto key = ei.str("key", true, 20);
    auto label = ei.str("label", false, kTargetLabelMax);
    auto target = ei.money("target", true);
    if (!key) continue;
    const auto* def = targetDef(*key);
    if (!def) {
      v.add(at + ".key", "invalid");
      continue;
    }
    if (!seen.insert(*key).second) v.add(at + ".key", "duplicate");
    if (target && def->k != TargetKey::Investment && *target > kTargetCountMax) v.add(at + ".target", "out_of_range");
    if (!target) continue;
    std::string l = label ? std::string(core::trimText(*label)) : "";
    out.push_back({*key, l.empty() ? def->label : l, *target});
  }
  return out;
}

json targetsJson(const std::vector<Target>& ts) {
  json a = json::array();
  for (const auto& t : ts) a.push_back({{"key", t.key}, {"label", t.label}, {"target", t.target}});
  return a;
}

std::vector<Target> storedTargets(const std::string& text) {
  std::vector<Target> out;
  auto j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& e : j)
    if (e.is_object() && e.value("key", "") != "" && e.contains("target") && e["target"].is_number_integer())
      out.push_back({e.value("key", ""), e.value("label", ""), e["target"].get<std::int64_t>()});
  return out;
}

json auditOf(const store::CommitmentRecord& r) {
  return {{"unit_id", r.unit_id}, {"year", r.year}, {"kind", r.kind}, {"targets", json::parse(r.targets, nullptr, false)},
          {"signed_on", optJ(r.signed_on)}, {"signed_by", r.signed_by}};
}

// The months tracked for `year` on `day`: January to the current month (all twelve for a past year, none ahead).
std::vector<std::string> trackedMonths(std::int64_t year, const std::string& day) {
  std::vector<std::string> out;
  const auto y = std::stoll(day.substr(0, 4));
  const int last = year < y ? 12 : year > y ? 0 : std::stoi(day.substr(5, 2));
  for (int m = 1; m <= last; ++m) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04d-%02d", int(year), m);
    out.push_back(buf);
  }
  return out;
}

std::optional<std::int64_t> percentBp(std::int64_t actual, std::int64_t target) {
  if (target <= 0) return std::nullopt;
  return actual * 10000 / target;
}

json trackJson(store::CommitmentRepo& repo, const store::CommitmentRecord& r, const std::vector<std::string>& months) {
  json targets = json::array();
  for (const auto& t : storedTargets(r.targets)) {
    const auto* def = targetDef(t.key);
    if (!def) continue;
    std::map<std::string, std::int64_t> by;
    for (const auto& row : repo.actualByMonth(def->k, r.region_code, r.unit_id, r.year).rows)
      by[row.str("month")] = row.i64("n");
    json ms = json::array();
    std::int64_t sum = 0;
    for (const auto& m : months) {
      sum += by.count(m) ? by[m] : 0;
      ms.push_back({{"month", m}, {"value", by.count(m) ? by[m] : 0}, {"cumulative", sum}});
    }
    auto bp = percentBp(sum, t.target);
    targets.push_back({{"key", t.key},
                       {"label", t.label},
                       {"unit", def->unit},
                       {"target", t.target},
                       {"actual", sum},
                       {"percent_bp", bp ? json(*bp) : json()},
                       {"months", ms}});
  }
  return {{"id", r.id},
          {"region_code", r.region_code},
          {"unit", {{"id", r.unit_id}, {"name", r.unit_name}}},
          {"year", r.year},
          {"kind", r.kind},
          {"kind_label", kindLabel(r.kind)},
          {"signed_on", optJ(r.signed_on)},
          {"signed_by", r.signed_by},
          {"version", r.version},
          {"targets", targets},
          {"updated_at", r.updated_at}};
}

// The average percent of a commitment's targets (bp), or nullopt when none has a target.
std::optional<std::int64_t> averageBp(const json& tracked) {
  std::int64_t sum = 0, n = 0;
  for (const auto& t : tracked["targets"])
    if (t["percent_bp"].is_number_integer()) {
      sum += t["percent_bp"].get<std::int64_t>();
      ++n;
    }
  if (!n) return std::nullopt;
  return sum / n;
}

std::string pct(std::int64_t bp) {
  const bool neg = bp < 0;
  if (neg) bp = -bp;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", neg ? "-" : "", static_cast<long long>(bp / 100),
                static_cast<long long>(bp % 100));
  return buf;
}

// ---- attack lists and review meetings

json attackJson(const store::AttackItem& i, const std::string& day, bool canMark) {
  const bool overdue = i.status == "open" && i.deadline < day;
  return {{"id", i.id},
          {"quarter", i.quarter},
          {"project", i.project_id ? json{{"id", *i.project_id}, {"name", i.project_name}} : json()},
          {"owner_unit", {{"id", i.owner_unit_id}, {"name", i.owner_unit_name}}},
          {"owner_person", i.owner_person},
          {"goal", i.goal},
          {"deadline", i.deadline},
          {"status", i.status},
          {"status_label", i.status == "done" ? "已完成" : overdue ? "已逾期" : "推进中"},
          {"overdue", overdue},
          {"done_on", optJ(i.done_on)},
          {"done_note", i.done_note},
          {"version", i.version},
          {"can_mark_done", canMark && i.status == "open"}};
}

bool canMarkAttack(const core::Actor& a, const store::AttackItem& i) {
  if (isWriter(a, i.region_code)) return true;
  return a.has("unit") && a.org_unit_id && *a.org_unit_id == i.owner_unit_id &&
         core::canWrite(a, core::WriteKind::Business, i.region_code);
}

json meetingAudit(const store::ReviewMeeting& m) {
  return {{"quarter", m.quarter}, {"held_on", optJ(m.held_on)}, {"place", m.place}, {"chair", m.chair},
          {"attendees", json::parse(m.attendees, nullptr, false)}, {"minutes", m.minutes}};
}

json decisionJson(const store::ReviewDecision& d, const std::string& day) {
  static const std::set<std::string> open = {"raised", "accepted", "assigned", "in_progress", "planned"};
  const bool isOpen = open.count(d.task_status) != 0;
  std::string label;
  if (auto st = core::problemStateFromKey(d.task_status)) label = core::problemStateLabel(*st);
  return {{"id", d.id},
          {"text", d.text},
          {"owner_unit", {{"id", d.owner_unit_id}, {"name", d.owner_unit_name}}},
          {"due_on", d.due_on},
          {"task", d.task_id ? json{{"id", *d.task_id},
                                    {"status", d.task_status},
                                    {"status_label", label},
                                    {"solve_due", d.task_solve_due},
                                    {"overdue", isOpen && !d.task_solve_due.empty() && d.task_solve_due < day}}
                             : json()},
          {"created_at", d.created_at}};
}

json meetingJson(store::CommitmentRepo& repo, const store::ReviewMeeting& m, const std::string& day) {
  auto att = json::parse(m.attendees, nullptr, false);
  json ds = json::array();
  for (const auto& d : repo.decisions(m.id)) ds.push_back(decisionJson(d, day));
  return {{"id", m.id},       {"quarter", m.quarter}, {"held_on", optJ(m.held_on)},
          {"place", m.place}, {"chair", m.chair},     {"attendees", att.is_array() ? att : json::array()},
          {"minutes", m.minutes}, {"version", m.version}, {"decisions", ds}, {"updated_at", m.updated_at}};
}

struct MeetingFields {
  std::optional<std::string> quarter, held_on, place, chair, minutes;
  std::optional<std::vector<std::string>> attendees;
  std::optional<std::int64_t> version;
};
MeetingFields readMeeting(const json& in, bool create) {
  Validator v;
  JsonInput i(in, v);
  MeetingFields f;
  if (create) f.quarter = i.str("quarter", true, 7);
  else f.version = i.i64("version", true);
  f.held_on = i.str("held_on", false, 10);
  f.place = i.str("place", false, core::limits::kName);
  f.chair = i.str("chair", false, core::limits::kShortText);
  f.minutes = i.str("minutes", false, kReviewMinutesMax);
  f.attendees = i.strList("attendees", false, kReviewAttendeesMax, core::limits::kShortText);
  if (f.quarter && !parseQuarter(*f.quarter)) v.add("quarter", "invalid");
  if (f.held_on && !validDay(*f.held_on)) v.add("held_on", "invalid");
  v.throwIfAny("请检查会议的季度、日期和内容");
  return f;
}

}  // namespace

// ---------------------------------------------------------------- commitments

json CommitmentsService::list(const core::Actor& a, const std::string& yearText) {
  const auto unit = unitFilter(a);
  const auto day = today(env_);
  auto year = yearText.empty() ? parseYear(day.substr(0, 4)) : parseYear(yearText);
  if (!year) throw badQuery("year", "年份格式应为 YYYY");
  const auto months = trackedMonths(*year, day);
  auto c = env_.db->acquire();
  store::CommitmentRepo repo(*c);
  json items = json::array();
  for (const auto& r : repo.ofYear(a.region_code, *year, unit)) items.push_back(trackJson(repo, r, months));
  json keys = json::array();
  for (const auto& t : kTargets) keys.push_back({{"key", t.key}, {"label", t.label}, {"unit", t.unit}});
  return {{"year", *year},
          {"through", months.empty() ? json() : json(months.back())},
          {"items", items},
          {"target_keys", keys},
          {"can_edit", isWriter(a, a.region_code) && core::scopeRange(a.region_code).first ==
                                                         core::scopeRange(a.region_code).second}};
}

json CommitmentsService::create(const core::Actor& a, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto unitId = i.i64("unit_id", true);
  auto year = i.i64("year", true);
  auto kind = i.str("kind", true, 10);
  auto signedOn = i.str("signed_on", false, 10);
  auto signedBy = i.str("signed_by", false, core::limits::kShortText);
  auto targets = readTargets(i.array("targets", true, kCommitmentTargetsMax), v);
  if (year && (*year < 2000 || *year > 2100)) v.add("year", "out_of_range");
  if (kind && *kind != "target" && *kind != "land") v.add("kind", "invalid");
  if (signedOn && !validDay(*signedOn)) v.add("signed_on", "invalid");
  v.throwIfAny("请检查承诺书的单位、年度、类型和指标");
  requireCountyWriter(a, "只有县总指挥部可以登记承诺书");
  const auto region = a.region_code;
  const auto nowIso = env_.nowIso();
  const auto day = today(env_);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::CommitmentRepo repo(c);
    if (!store::ProblemRepo(c).unitInRegion(*unitId, region))
      throw ServiceError(ErrorKind::Validation, "validation_failed", "责任单位不存在", {{"unit_id", "unknown"}});
    if (repo.findOf(region, *year, *unitId, *kind))
      throw ServiceError(ErrorKind::Conflict, "exists", "该单位本年度的这份承诺书已经登记", {{"kind", "exists"}});
    store::CommitmentRecord r;
    r.region_code = region;
    r.unit_id = *unitId;
    r.year = *year;
    r.kind = *kind;
    r.targets = targetsJson(targets).dump();
    r.signed_on = signedOn;
    r.signed_by = signedBy ? std::string(core::trimText(*signedBy)) : "";
    r.created_by = r.updated_by = a.user_id;
    r.created_at = r.updated_at = nowIso;
    r.id = repo.insert(r);
    appendAudit(c, env_, &a, {region, "create", "commitment", std::to_string(r.id), nullptr, auditOf(r)});
    return trackJson(repo, *repo.find(r.id), trackedMonths(r.year, day));
  });
}

json CommitmentsService::update(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto version = i.i64("version", true);
  auto signedOn = i.strOrEmpty("signed_on", 10);
  auto signedBy = i.str("signed_by", false, core::limits::kShortText);
  std::optional<std::vector<Target>> targets;
  if (const auto* arr = i.array("targets", false, kCommitmentTargetsMax)) targets = readTargets(arr, v);
  if (signedOn && !signedOn->empty() && !validDay(*signedOn)) v.add("signed_on", "invalid");
  v.throwIfAny("请检查承诺书的指标和签订信息");
  const auto region = regionOfRow(env_, "commitments", id, a.region_code);
  const auto nowIso = env_.nowIso();
  const auto day = today(env_);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::CommitmentRepo repo(c);
    auto r = repo.find(id);
    if (!r || !core::inScope(a, r->region_code)) throw notFound("承诺书不存在");
    if (!isWriter(a, r->region_code)) throw forbidden("只有县总指挥部可以修改承诺书");
    if (*version != r->version)
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "承诺书已被他人更新，请刷新后重试", {{"version", "stale"}});
    const auto before = auditOf(*r);
    if (targets) r->targets = targetsJson(*targets).dump();
    if (signedOn) r->signed_on = signedOn->empty() ? std::nullopt : signedOn;
    if (signedBy) r->signed_by = std::string(core::trimText(*signedBy));
    r->updated_by = a.user_id;
    r->updated_at = nowIso;
    if (!repo.update(*r, *version))
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "承诺书已被他人更新，请刷新后重试", {{"version", "stale"}});
    json b, after;
    diffJson(before, auditOf(*r), b, after);
    appendAudit(c, env_, &a, {r->region_code, "update", "commitment", std::to_string(id), b, after});
    return trackJson(repo, *repo.find(id), trackedMonths(r->year, day));
  });
}

std::string CommitmentsService::xlsx(const core::Actor& a, const std::string& year) {
  auto data = list(a, year);
  office::OutSheet s;
  s.name = "承诺书跟踪";
  s.title = std::to_string(data["year"].get<std::int64_t>()) + " 年承诺书目标跟踪（累计）";
  s.columns = {{"责任单位", 26}, {"承诺书", 16}, {"指标", 16}, {"单位", 6}, {"目标", 14, "#,##0"}};
  for (int m = 1; m <= 12; ++m) s.columns.push_back({std::to_string(m) + "月", 12, "#,##0"});
  s.columns.push_back({"完成率(%)", 10});
  for (const auto& it : data["items"])
    for (const auto& t : it["targets"]) {
      std::vector<OutCell> row = {OutCell::text(it["unit"]["name"]), OutCell::text(it["kind_label"]),
                                  OutCell::text(t["label"]), OutCell::text(t["unit"]),
                                  OutCell::num(std::to_string(t["target"].get<std::int64_t>()))};
      const auto& ms = t["months"];
      for (std::size_t m = 0; m < 12; ++m)
        row.push_back(m < ms.size() ? OutCell::num(std::to_string(ms[m]["cumulative"].get<std::int64_t>()))
                                    : OutCell::text(""));
      row.push_back(t["percent_bp"].is_number_integer() ? OutCell::num(pct(t["percent_bp"].get<std::int64_t>()))
                                                        : OutCell::text("—"));
      s.rows.push_back(std::move(row));
    }
  return office::writeXlsx({s});
}

// ---------------------------------------------------------------- attack lists

json CommitmentsService::attackList(const core::Actor& a, const std::string& quarter) {
  const auto unit = unitFilter(a);
  const auto day = today(env_);
  const auto q = quarter.empty() ? parseQuarter(core::periodOf(core::Cadence::Quarter, day).key) : parseQuarter(quarter);
  if (!q) throw badQuery("quarter", "季度格式应为 YYYY-Qn");
  auto c = env_.db->acquire();
  store::CommitmentRepo repo(*c);
  json items = json::array();
  std::int64_t overdue = 0, done = 0;
  for (const auto& i : repo.attackItems(a.region_code, q->key, unit)) {
    auto j = attackJson(i, day, canMarkAttack(a, i));
    overdue += j["overdue"].get<bool>();
    done += i.status == "done";
    items.push_back(j);
  }
  const auto [lo, hi] = core::scopeRange(a.region_code);
  return {{"quarter", q->key},
          {"start", q->start},
          {"end", q->end},
          {"today", day},
          {"items", items},
          {"totals", {{"items", items.size()}, {"done", done}, {"overdue", overdue}}},
          {"can_edit", isWriter(a, a.region_code) && lo == hi}};
}

json CommitmentsService::addAttackItem(const core::Actor& a, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto quarter = i.str("quarter", true, 7);
  auto projectId = i.i64("project_id", false);
  auto owner = i.i64("owner_unit_id", true);
  auto person = i.str("owner_person", false, core::limits::kShortText);
  auto goal = i.str("goal", true, kAttackGoalMax);
  auto deadline = i.str("deadline", true, 10);
  if (quarter && !parseQuarter(*quarter)) v.add("quarter", "invalid");
  if (goal && core::trimText(*goal).empty()) v.add("goal", "required");
  if (deadline && !validDay(*deadline)) v.add("deadline", "invalid");
  v.throwIfAny("请检查攻坚事项的季度、责任单位、目标和期限");
  requireCountyWriter(a, "只有县总指挥部可以编制攻坚清单");
  const auto region = a.region_code;
  const auto nowIso = env_.nowIso();
  const auto day = today(env_);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::CommitmentRepo repo(c);
    Validator v2;
    if (!store::ProblemRepo(c).unitInRegion(*owner, region)) v2.add("owner_unit_id", "unknown");
    if (projectId && !repo.projectIn(*projectId, region)) v2.add("project_id", "unknown");
    v2.throwIfAny("责任单位或项目不存在");
    if (repo.attackCount(region, *quarter) >= kAttackItemsMax)
      throw ServiceError(ErrorKind::Validation, "validation_failed", "本季度的攻坚事项过多", {{"items", "too_many"}});
    store::AttackItem it;
    it.region_code = region;
    it.quarter = *quarter;
    it.project_id = projectId;
    it.owner_unit_id = *owner;
    it.owner_person = person ? std::string(core::trimText(*person)) : "";
    it.goal = std::string(core::trimText(*goal));
    it.deadline = *deadline;
    it.created_by = a.user_id;
    it.created_at = it.updated_at = nowIso;
    it.id = repo.insertAttack(it);
    appendAudit(c, env_, &a,
                {region, "create", "attack_item", std::to_string(it.id), nullptr,
                 {{"quarter", it.quarter}, {"project_id", optJ(projectId)}, {"owner_unit_id", it.owner_unit_id},
                  {"owner_person", it.owner_person}, {"goal", it.goal}, {"deadline", it.deadline}}});
    return attackJson(*repo.findAttack(it.id), day, true);
  });
}

json CommitmentsService::markAttackDone(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto version = i.i64("version", true);
  auto note = i.str("note", true, kAttackNoteMax);
  if (note && core::trimText(*note).empty()) v.add("note", "required");
  v.throwIfAny("请填写完成情况");
  const auto region = regionOfRow(env_, "attack_items", id, a.region_code);
  const auto nowIso = env_.nowIso();
  const auto day = today(env_);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::CommitmentRepo repo(c);
    auto it = repo.findAttack(id);
    if (!it || !core::inScope(a, it->region_code)) throw notFound("攻坚事项不存在");
    if (!readsAll(a) && (!a.org_unit_id || *a.org_unit_id != it->owner_unit_id)) throw notFound("攻坚事项不存在");
    if (!canMarkAttack(a, *it)) throw forbidden("只有责任单位或总指挥部可以标记完成");
    if (*version != it->version)
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "攻坚事项已被他人更新，请刷新后重试", {{"version", "stale"}});
    if (it->status == "done")
      throw ServiceError(ErrorKind::Conflict, "illegal_transition", "该事项已标记完成", {{"status", it->status}});
    const bool late = it->deadline < day;
    it->status = "done";
    it->done_on = day;
    it->done_note = std::string(core::trimText(*note));
    it->done_by = a.user_id;
    it->updated_at = nowIso;
    if (!repo.markDone(*it, *version))
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "攻坚事项已被他人更新，请刷新后重试", {{"version", "stale"}});
    appendAudit(c, env_, &a,
                {it->region_code, "done", "attack_item", std::to_string(id), {{"status", "open"}},
                 {{"status", "done"}, {"done_on", day}, {"note", it->done_note}, {"late", late}}});
    return attackJson(*repo.findAttack(id), day, canMarkAttack(a, *it));
  });
}

// ---------------------------------------------------------------- review meetings

json CommitmentsService::review(const core::Actor& a, const std::string& quarter) {
  if (!readsAll(a)) throw forbidden("只有总指挥部、督查组、县领导和上级可以查看调度讲评会");
  const auto day = today(env_);
  const auto q = quarter.empty() ? parseQuarter(core::periodOf(core::Cadence::Quarter, day).key) : parseQuarter(quarter);
  if (!q) throw badQuery("quarter", "季度格式应为 YYYY-Qn");
  auto c = env_.db->acquire();
  store::CommitmentRepo repo(*c);
  auto m = repo.meetingOf(a.region_code, q->key);
  const auto [lo, hi] = core::scopeRange(a.region_code);
  return {{"quarter", q->key},
          {"meeting", m ? meetingJson(repo, *m, day) : json()},
          {"can_edit", isWriter(a, a.region_code) && lo == hi}};
}

json CommitmentsService::createReview(const core::Actor& a, const json& in) {
  auto f = readMeeting(in, true);
  requireCountyWriter(a, "只有县总指挥部可以记录调度讲评会");
  const auto region = a.region_code;
  const auto nowIso = env_.nowIso();
  const auto day = today(env_);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::CommitmentRepo repo(c);
    if (repo.meetingOf(region, *f.quarter))
      throw ServiceError(ErrorKind::Conflict, "exists", "本季度的调度讲评会已经记录", {{"quarter", "exists"}});
    store::ReviewMeeting m;
    m.region_code = region;
    m.quarter = *f.quarter;
    m.held_on = f.held_on;
    m.place = f.place.value_or("");
    m.chair = f.chair.value_or("");
    m.attendees = json(f.attendees.value_or(std::vector<std::string>{})).dump();
    m.minutes = f.minutes.value_or("");
    m.created_by = m.updated_by = a.user_id;
    m.created_at = m.updated_at = nowIso;
    m.id = repo.insertMeeting(m);
    appendAudit(c, env_, &a, {region, "create", "review_meeting", std::to_string(m.id), nullptr, meetingAudit(m)});
    return meetingJson(repo, *repo.findMeeting(m.id), day);
  });
}

json CommitmentsService::updateReview(const core::Actor& a, std::int64_t id, const json& in) {
  auto f = readMeeting(in, false);
  const auto region = regionOfRow(env_, "review_meetings", id, a.region_code);
  const auto nowIso = env_.nowIso();
  const auto day = today(env_);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::CommitmentRepo repo(c);
    auto m = repo.findMeeting(id);
    if (!m || !core::inScope(a, m->region_code)) throw notFound("调度讲评会不存在");
    if (!isWriter(a, m->region_code)) throw forbidden("只有县总指挥部可以修改调度讲评会");
    if (*f.version != m->version)
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "会议已被他人更新，请刷新后重试", {{"version", "stale"}});
    const auto before = meetingAudit(*m);
    if (f.held_on) m->held_on = f.held_on;
    if (f.place) m->place = *f.place;
    if (f.chair) m->chair = *f.chair;
    if (f.minutes) m->minutes = *f.minutes;
    if (f.attendees) m->attendees = json(*f.attendees).dump();
    m->updated_by = a.user_id;
    m->updated_at = nowIso;
    if (!repo.updateMeeting(*m, *f.version))
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "会议已被他人更新，请刷新后重试", {{"version", "stale"}});
    json b, after;
    diffJson(before, meetingAudit(*m), b, after);
    appendAudit(c, env_, &a, {m->region_code, "update", "review_meeting", std::to_string(id), b, after});
    return meetingJson(repo, *repo.findMeeting(id), day);
  });
}

json CommitmentsService::decideReview(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto text = i.str("text", true, kReviewDecisionTextMax);
  auto owner = i.i64("owner_unit_id", true);
  auto due = i.str("due_on", true, 10);
  if (text && core::trimText(*text).empty()) v.add("text", "required");
  if (due && !validDay(*due)) v.add("due_on", "invalid");
  v.throwIfAny("请检查决定事项、责任单位和期限");
  const auto region = regionOfRow(env_, "review_meetings", id, a.region_code);
  const auto nowIso = env_.nowIso();
  const auto day = today(env_);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::CommitmentRepo repo(c);
    auto m = repo.findMeeting(id);
    if (!m || !core::inScope(a, m->region_code)) throw notFound("调度讲评会不存在");
    if (!isWriter(a, m->region_code)) throw forbidden("只有县总指挥部可以记录决定事项");
    if (!m->held_on)
      throw ServiceError(ErrorKind::Conflict, "not_held", "请先填写会议召开日期", {{"held_on", "required"}});
    if (repo.decisionCount(id) >= std::int64_t(kReviewDecisionsMax))
      throw ServiceError(ErrorKind::Validation, "validation_failed", "一次会议的决定事项过多", {{"decisions", "too_many"}});
    Validator v2;
    if (!store::ProblemRepo(c).unitInRegion(*owner, m->region_code)) v2.add("owner_unit_id", "unknown");
    if (*due < *m->held_on) v2.add("due_on", "before_meeting");
    v2.throwIfAny("责任单位或期限不正确");
    ConsultationTask t;
    t.region_code = m->region_code;
    t.title = std::string(core::trimText(*text));
    t.description = m->quarter + " 调度讲评会决定事项";
    t.due_on = *due;
    t.owner_unit_id = *owner;
    t.consultation_id = id;
    t.source = "review";
    t.origin_label = "调度讲评会决定事项";
    const auto taskId = createConsultationTask(c, env_, a, t);
    store::ReviewDecision d;
    d.meeting_id = id;
    d.text = t.title;
    d.owner_unit_id = *owner;
    d.due_on = *due;
    d.task_id = taskId;
    d.created_by = a.user_id;
    d.created_at = nowIso;
    d.id = repo.insertDecision(d);
    appendAudit(c, env_, &a,
                {m->region_code, "decide", "review_meeting", std::to_string(id), nullptr,
                 {{"decision_id", d.id}, {"text", d.text}, {"owner_unit_id", *owner}, {"due_on", *due},
                  {"task_id", taskId}}});
    for (const auto& x : repo.decisions(id))
      if (x.id == d.id) return decisionJson(x, day);
    return json();
  });
}

// ---------------------------------------------------------------- the quarterly assessment

std::string CommitmentsService::assessmentXlsx(const core::Actor& a, const std::string& quarter) {
  if (!readsAll(a)) throw forbidden("只有总指挥部、督查组、县领导和上级可以导出季度考核");
  const auto q = parseQuarter(quarter);
  if (!q) throw badQuery("quarter", "季度格式应为 YYYY-Qn");
  const auto [lo, hi] = core::scopeRange(a.region_code);
  if (lo != hi) throw forbidden("季度考核表按县导出，请以县账号导出");
  const auto region = a.region_code;
  const auto day = today(env_);
  auto c = env_.db->acquire();
  store::CommitmentRepo repo(*c);

  // The latest revision of each month: unit id → {rank, total, grade, yellow}.
  struct Mark {
    std::int64_t rank = 0, total = 0;
    std::string grade;
    bool yellow = false;
  };
  std::map<std::string, std::map<std::int64_t, Mark>> byMonth;
  for (const auto& r : repo.rankings(region, q->months).rows) {
    auto res = json::parse(r.str("result"), nullptr, false);
    auto& m = byMonth[r.str("month")];
    m.clear();  // a later revision replaces an earlier one
    if (!res.is_object() || !res.contains("units") || !res["units"].is_array()) continue;
    for (const auto& u : res["units"]) {
      if (!u.is_object() || !u.contains("id") || !u["id"].is_number_integer()) continue;
      Mark k;
      k.rank = u.value("rank", std::int64_t(0));
      k.total = u.value("total", std::int64_t(0));
      k.grade = u.value("grade", std::string());
      k.yellow = u.value("yellow_card", false);
      m[u["id"].get<std::int64_t>()] = k;
    }
  }
  std::map<std::int64_t, std::int64_t> cards;
  for (const auto& r : repo.yellowCards(region, q->months).rows) cards[r.i64("unit_id")] = r.i64("n");
  // Commitments' average progress per unit (the quarter's year, tracked to the quarter's end or today).
  const auto year = std::stoll(q->key.substr(0, 4));
  const std::string through = std::min(day, q->end);
  std::map<std::int64_t, std::vector<std::int64_t>> progress;
  for (const auto& r : repo.ofYear(region, year, std::nullopt)) {
    auto t = trackJson(repo, r, trackedMonths(year, through));
    if (auto bp = averageBp(t)) progress[r.unit_id].push_back(*bp);
  }

  office::OutSheet units;
  units.name = "单位考核";
  units.title = q->key + " 季度单位考核（每季必考）";
  units.columns = {{"单位", 28}};
  for (const auto& m : q->months) {
    const std::string mm = std::to_string(std::stoi(m.substr(5, 2))) + "月";
    units.columns.push_back({mm + "名次", 8});
    units.columns.push_back({mm + "得分", 10, "0.00"});
    units.columns.push_back({mm + "等次", 8});
  }
  units.columns.push_back({"黄牌(张)", 9});
  units.columns.push_back({"承诺完成率(%)", 14});
  for (const auto& u : repo.units(region).rows) {
    const auto id = u.i64("id");
    std::vector<OutCell> row = {OutCell::text(u.str("name"))};
    for (const auto& m : q->months) {
      auto mit = byMonth.find(m);
      if (mit == byMonth.end()) {
        for (int k = 0; k < 3; ++k) row.push_back(OutCell::text("未发布"));
        continue;
      }
      auto uit = mit->second.find(id);
      if (uit == mit->second.end()) {
        for (int k = 0; k < 3; ++k) row.push_back(OutCell::text("—"));
        continue;
      }
      row.push_back(OutCell::num(std::to_string(uit->second.rank)));
      row.push_back(OutCell::num(pct(uit->second.total)));
      row.push_back(OutCell::text(uit->second.grade + (uit->second.yellow ? "（黄牌）" : "")));
    }
    row.push_back(OutCell::num(std::to_string(cards.count(id) ? cards[id] : 0)));
    if (progress.count(id)) {
      std::int64_t s = 0;
      for (auto bp : progress[id]) s += bp;
      row.push_back(OutCell::num(pct(s / std::int64_t(progress[id].size()))));
    } else {
      row.push_back(OutCell::text("—"));
    }
    units.rows.push_back(std::move(row));
  }

  // ISO weeks of the quarter so far.
  std::int64_t weeks = 0;
  if (q->start <= day) {
    auto w = core::periodOf(core::Cadence::Week, q->start);
    while (w.start <= through) {
      ++weeks;
      w = core::nextPeriod(w);
    }
  }
  office::OutSheet leaders;
  leaders.name = "领导考核";
  leaders.title = q->key + " 季度县领导考核（每季必考）";
  leaders.columns = {{"县领导", 16}, {"联系项目(个)", 12}, {"走访(项目·周)", 14}, {"应走访(项目·周)", 16},
                     {"走访率(%)", 10}, {"未解决问题(个)", 14}};
  for (const auto& r : repo.leaders(region, q->start, through).rows) {
    const auto led = r.i64("led"), visited = r.i64("visited");
    const auto due = led * weeks;
    leaders.rows.push_back({OutCell::text(r.str("display_name")), OutCell::num(std::to_string(led)),
                            OutCell::num(std::to_string(visited)), OutCell::num(std::to_string(due)),
                            due > 0 ? OutCell::num(pct(std::min<std::int64_t>(visited, due) * 10000 / due))
                                    : OutCell::text("—"),
                            OutCell::num(std::to_string(r.i64("open_problems")))});
  }
  return office::writeXlsx({units, leaders});
}

}  // namespace steward::service
