#include "service/show_results.h"

#include <map>
#include <set>

#include "core/time.h"
#include "core/validate.h"
#include "core/workdays.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "store/ledger_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

const std::set<std::string> kDrillFactors = {"progress", "investment", "output", "brand", "site"};

bool countyUser(const core::Actor& a) {
  auto [lo, hi] = core::scopeRange(a.region_code);
  return lo == hi;
}
bool isHq(const core::Actor& a) {
  return (a.has("hq") || a.has("admin")) && core::canWrite(a, core::WriteKind::Business, a.region_code);
}
bool reader(const core::Actor& a) {
  return a.has("admin") || a.has("hq") || a.has("inspector") || a.has("viewer") || a.has("leader") || !countyUser(a);
}
bool validMonth(const std::string& m) {
  return m.size() == 7 && m[4] == '-' && m.compare(0, 2, "20") == 0 && core::parseIsoDay(m + "-01").has_value();
}

json unitIds(const std::string& s) {
  auto j = json::parse(s, nullptr, false);
  return j.is_array() ? j : json::array();
}

json meetingJson(const store::MeetingRecord& m) {
  return {{"id", m.id},
          {"title", m.title},
          {"held_on", m.held_on},
          {"status", m.status},
          {"status_label", m.status == "closed" ? "已结束" : "评分中"},
          {"unit_count", unitIds(m.units).size()},
          {"version", m.version},
          {"created_at", m.created_at},
          {"closed_at", m.closed_at ? json(*m.closed_at) : json()}};
}

store::MeetingRecord loadVisible(store::Connection& c, const core::Actor& a, std::int64_t id) {
  auto m = store::ShowResultsRepo(c).find(id);
  if (!m || !core::inScope(a, m->region_code)) throw notFound("晒实绩会议不存在");
  return *m;
}

// The meeting's region for writeTransaction, read before it (a meeting's region never changes).
std::string meetingRegion(const Env& env, std::int64_t id, const std::string& fallback) {
  auto c = env.db->acquire();
  auto m = store::ShowResultsRepo(*c).find(id);
  return m ? m->region_code : fallback;
}

}  // namespace

json ShowResultsService::list(const core::Actor& a, const std::string& year) {
  if (!year.empty() && !(year.size() == 4 && core::parseIsoDay(year + "-01-01")))
    throw ServiceError(ErrorKind::Validation, "validation_failed", "年份格式应为 YYYY", {{"year", "invalid"}});
  auto c = env_.db->acquire();
  json items = json::array();
  for (const auto& m : store::ShowResultsRepo(*c).list(a.region_code, year)) items.push_back(meetingJson(m));
  return {{"items", items}, {"can_create", isHq(a) && countyUser(a)}};
}

json ShowResultsService::create(const core::Actor& a, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto title = i.str("title", true, core::limits::kName);
  auto held = i.str("held_on", true, 10);
  std::vector<std::int64_t> ids;
  if (const auto* arr = i.array("unit_ids", true, kMeetingUnitsMax)) {
    std::set<std::int64_t> seen;
    for (std::size_t k = 0; k < arr->size(); ++k) {
      auto n = JsonInput::integer((*arr)[k], "unit_ids[" + std::to_string(k) + "]", v);
      if (!n) continue;
      if (!seen.insert(*n).second) v.add("unit_ids[" + std::to_string(k) + "]", "duplicate");
      else ids.push_back(*n);
    }
    if (arr->empty()) v.add("unit_ids", "required");
  }
  if (title && core::trimText(*title).empty()) v.add("title", "required");
  if (held && !core::parseIsoDay(*held)) v.add("held_on", "invalid");
  v.throwIfAny("请检查会议名称、日期和参加单位");
  if (!isHq(a) || !countyUser(a)) throw forbidden("晒实绩会议由县总指挥部安排");
  const auto region = a.region_code;
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::LedgerRepo units(c);
    Validator v2;
    for (std::size_t k = 0; k < ids.size(); ++k)
      if (!units.unitName(ids[k], region)) v2.add("unit_ids[" + std::to_string(k) + "]", "unknown");
    v2.throwIfAny("参加单位不存在");
    store::MeetingRecord m;
    m.region_code = region;
    m.title = std::string(core::trimText(*title));
    m.held_on = *held;
    m.units = json(ids).dump();
    m.created_by = a.user_id;
    m.created_at = nowIso;
    m.id = store::ShowResultsRepo(c).insert(m);
    appendAudit(c, env_, &a,
                {region, "create", "show_results", std::to_string(m.id), nullptr,
                 {{"title", m.title}, {"held_on", m.held_on}, {"unit_ids", ids}}});
    return meetingJson(*store::ShowResultsRepo(c).find(m.id));
  });
}

json ShowResultsService::get(const core::Actor& a, std::int64_t id) {
  auto c = env_.db->acquire();
  auto m = loadVisible(*c, a, id);
  store::ShowResultsRepo repo(*c);
  store::LedgerRepo units(*c);
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> sum;
  for (const auto& r : repo.summary(id).rows) sum[r.i64("unit_id")] = {r.i64("n"), r.i64("total")};
  json us = json::array();
  for (const auto& u : unitIds(m.units)) {
    const auto uid = u.get<std::int64_t>();
    auto s = sum.count(uid) ? sum[uid] : std::pair<std::int64_t, std::int64_t>{0, 0};
    us.push_back({{"unit_id", uid},
                  {"unit_name", units.unitName(uid, m.region_code).value_or("")},
                  {"ratings", s.first},
                  {"mean", s.first ? json(s.second / s.first) : json()}});
  }
  json mine = json::array();
  for (const auto& r : repo.ratingsBy(id, a.user_id).rows)
    mine.push_back({{"unit_id", r.i64("unit_id")}, {"mark", r.i64("mark")}, {"comment", r.str("comment")}});
  auto out = meetingJson(m);
  out["units"] = us;
  out["my_ratings"] = mine;
  out["can_rate"] = m.status == "open" && !a.has("viewer") && a.region_code == m.region_code;
  out["can_close"] = m.status == "open" && isHq(a) && a.region_code == m.region_code;
  out["own_unit_id"] = a.org_unit_id ? json(*a.org_unit_id) : json();
  return out;
}

json ShowResultsService::rate(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  struct R {
    std::int64_t unit = 0, mark = 0;
    std::string comment;
  };
  std::vector<R> rs;
  if (const auto* arr = i.array("ratings", true, kRatingsMax)) {
    for (std::size_t k = 0; k < arr->size(); ++k) {
      const auto p = "ratings[" + std::to_string(k) + "].";
      if (!(*arr)[k].is_object()) {
        v.addType("ratings[" + std::to_string(k) + "]", "must_be_object");
        continue;
      }
      JsonInput ei((*arr)[k], v, p);
      auto u = ei.i64("unit_id", true);
      auto mk = ei.i64("mark", true);
      auto cm = ei.str("comment", false, kRatingCommentMax);
      if (mk && (*mk < 0 || *mk > kMarkMax)) v.add(p + "mark", "out_of_range");
      if (u && mk) rs.push_back({*u, *mk, cm.value_or("")});
    }
  }
  v.throwIfAny("请检查评分（0 至 10000，即百分制保留两位小数）");
  if (a.has("viewer") || !countyUser(a) || !core::canWrite(a, core::WriteKind::Business, a.region_code))
    throw forbidden("只读账号不能评分");
  const auto region = meetingRegion(env_, id, a.region_code);
  const auto nowIso = env_.nowIso();
  writeTransaction(env_, region, [&](store::Connection& c) {
    auto m = loadVisible(c, a, id);
    if (m.region_code != a.region_code) throw forbidden("只能为本县的会议评分");
    if (m.status != "open") throw ServiceError(ErrorKind::Conflict, "closed", "会议已结束，不能再评分");
    std::set<std::int64_t> members;
    for (const auto& u : unitIds(m.units)) members.insert(u.get<std::int64_t>());
    Validator v2;
    for (std::size_t k = 0; k < rs.size(); ++k) {
      const auto p = "ratings[" + std::to_string(k) + "].unit_id";
      if (!members.count(rs[k].unit)) v2.add(p, "not_in_meeting");
      else if (a.org_unit_id && *a.org_unit_id == rs[k].unit) v2.add(p, "own_unit");
    }
    v2.throwIfAny("不能为本单位或未参加会议的单位评分");
    store::ShowResultsRepo repo(c);
    json after = json::array();
    for (const auto& r : rs) {
      repo.upsertRating(id, r.unit, a.user_id, r.mark, r.comment, nowIso);
      after.push_back({{"unit_id", r.unit}, {"mark", r.mark}});
    }
    appendAudit(c, env_, &a, {m.region_code, "rate", "show_results", std::to_string(id), nullptr, {{"ratings", after}}});
    return 0;
  });
  return get(a, id);
}

json ShowResultsService::close(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto version = i.i64("version", false);
  v.throwIfAny();
  const auto region = meetingRegion(env_, id, a.region_code);
  const auto nowIso = env_.nowIso();
  writeTransaction(env_, region, [&](store::Connection& c) {
    auto m = loadVisible(c, a, id);
    if (!isHq(a) || m.region_code != a.region_code) throw forbidden("只有总指挥部可以结束会议");
    if (m.status != "open") throw ServiceError(ErrorKind::Conflict, "closed", "会议已经结束");
    if (version && *version != m.version)
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "会议已被他人更新，请刷新后重试", {{"version", "stale"}});
    if (!store::ShowResultsRepo(c).close(id, m.version, nowIso))
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "会议已被他人更新，请刷新后重试", {{"version", "stale"}});
    appendAudit(c, env_, &a,
                {m.region_code, "close", "show_results", std::to_string(id), {{"status", "open"}}, {{"status", "closed"}}});
    return 0;
  });
  return get(a, id);
}

json ShowResultsService::drill(const core::Actor& a, const std::string& month) {
  if (!validMonth(month))
    throw ServiceError(ErrorKind::Validation, "validation_failed", "月份格式应为 YYYY-MM", {{"month", "invalid"}});
  if (!reader(a)) throw forbidden("没有查看拉练评分的权限");
  auto c = env_.db->acquire();
  store::DrillRepo repo(*c);
  std::map<std::int64_t, std::int64_t> judges;
  for (const auto& r : repo.judges(a.region_code, month).rows) judges[r.i64("project_id")] = r.i64("judges");
  std::map<std::int64_t, json> byProject;
  std::vector<std::int64_t> order;
  for (const auto& r : repo.summary(a.region_code, month).rows) {
    const auto pid = r.i64("project_id");
    if (!byProject.count(pid)) {
      order.push_back(pid);
      byProject[pid] = {{"project_id", pid},
                        {"project_name", r.str("project_name")},
                        {"judges", judges[pid]},
                        {"factors", json::object()}};
    }
    byProject[pid]["factors"][r.str("factor")] = {{"mean", r.i64("total") / r.i64("n")}, {"count", r.i64("n")}};
  }
  json projects = json::array();
  for (auto pid : order) {
    auto& p = byProject[pid];
    std::int64_t s = 0, n = 0;
    for (const auto& f : p["factors"]) s += f["mean"].get<std::int64_t>(), ++n;
    p["mean"] = n ? s / n : 0;
    projects.push_back(p);
  }
  const bool judge = (a.has("hq") || a.has("inspector") || a.has("leader")) && countyUser(a);
  return {{"month", month},
          {"factors", {"progress", "investment", "output", "brand", "site"}},
          {"projects", projects},
          {"can_mark", judge}};
}

json ShowResultsService::drillMarks(const core::Actor& a, const std::string& month, const json& in) {
  Validator v;
  JsonInput i(in, v);
  struct M {
    std::int64_t project = 0, mark = 0;
    std::string factor;
  };
  std::vector<M> ms;
  if (const auto* arr = i.array("marks", true, kDrillMarksMax)) {
    for (std::size_t k = 0; k < arr->size(); ++k) {
      const auto p = "marks[" + std::to_string(k) + "].";
      if (!(*arr)[k].is_object()) {
        v.addType("marks[" + std::to_string(k) + "]", "must_be_object");
        continue;
      }
      JsonInput ei((*arr)[k], v, p);
      auto pid = ei.i64("project_id", true);
      auto f = ei.str("factor", true, core::limits::kCode);
      auto mk = ei.i64("mark", true);
      if (f && !kDrillFactors.count(*f)) v.add(p + "factor", "invalid");
      if (mk && (*mk < 0 || *mk > kMarkMax)) v.add(p + "mark", "out_of_range");
      if (pid && f && mk) ms.push_back({*pid, *mk, *f});
    }
  }
  if (!validMonth(month)) v.add("month", "invalid");
  v.throwIfAny("请检查拉练评分（0 至 10000，即百分制保留两位小数）");
  if (!(a.has("hq") || a.has("inspector") || a.has("leader")) || !countyUser(a) ||
      !core::canWrite(a, core::WriteKind::Business, a.region_code))
    throw forbidden("只有总指挥部、督查组和县领导可以评分");
  const auto region = a.region_code;
  const auto nowIso = env_.nowIso();
  writeTransaction(env_, region, [&](store::Connection& c) {
    store::DrillRepo repo(c);
    Validator v2;
    for (std::size_t k = 0; k < ms.size(); ++k)
      if (!repo.projectIn(ms[k].project, region)) v2.add("marks[" + std::to_string(k) + "].project_id", "unknown");
    v2.throwIfAny("项目不存在");
    json after = json::array();
    for (const auto& m : ms) {
      repo.upsert(region, month, m.project, a.user_id, m.factor, m.mark, nowIso);
      after.push_back({{"project_id", m.project}, {"factor", m.factor}, {"mark", m.mark}});
    }
    appendAudit(c, env_, &a, {region, "mark", "drill", month, nullptr, {{"marks", after}}});
    return 0;
  });
  return drill(a, month);
}

}  // namespace steward::service
