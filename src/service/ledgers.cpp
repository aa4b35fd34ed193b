#include "service/ledgers.h"

#include <array>
#include <cstdio>
#include <map>

#include "core/period.h"
#include "core/time.h"
#include "core/validate.h"
#include "core/workdays.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "service/ranking_rules.h"
#include "store/ledger_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

constexpr std::array<const char*, 5> kSteps = {"set_up", "sort", "reconcile", "hand_in", "settle"};

// A month of the years 2000..2099 (the due days run into the next month).
bool validMonth(const std::string& m) {
  return m.size() == 7 && m[4] == '-' && m.compare(0, 2, "20") == 0 && core::parseIsoDay(m + "-01").has_value();
}
void checkMonth(const std::string& m) {
  if (!validMonth(m))
    throw ServiceError(ErrorKind::Validation, "validation_failed", "月份格式应为 YYYY-MM", {{"month", "invalid"}});
}

std::string nextMonthFirst(const std::string& month) {
  int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2));
  if (++m > 12) m = 1, ++y;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-01", y, m);
  return buf;
}
// The five due days under the county's ledger rule (ranking rules, member `ledger`).
std::array<std::string, 5> dues(const core::rankings::LedgerRule& lr, const std::string& month) {
  return core::rankings::ledgerDues(lr, month);
}
// The ledger rule in force on the month's last day.
core::rankings::LedgerRule ledgerRule(store::Connection& c, const std::string& region, const std::string& month) {
  return loadRankingRules(c, region, core::addDays(nextMonthFirst(month), -1)).ledger;
}

// The county's day of a stored timestamp.
std::string dayOf(const std::string& at) {
  core::TimePoint t;
  if (!core::parseTimestamp(at, t)) return at.substr(0, 10);
  return core::localDay(t);
}

std::optional<std::string>* stepAt(store::LedgerRecord& r, std::size_t k) {
  switch (k) {
    case 0: return &r.set_up_at;
    case 1: return &r.sorted_at;
    case 2: return &r.reconciled_at;
    case 3: return &r.handed_in_at;
    default: return &r.settled_at;
  }
}

// Steps done after their due day (on the county's clock).
std::int64_t lateDone(store::LedgerRecord& r, const core::rankings::LedgerRule& lr) {
  auto d = dues(lr, r.month);
  std::int64_t n = 0;
  for (std::size_t k = 0; k < kSteps.size(); ++k) {
    auto at = *stepAt(r, k);
    if (at && dayOf(*at) > d[k]) ++n;
  }
  return n;
}

json stepsJson(const std::optional<store::LedgerRecord>& rec, const core::rankings::LedgerRule& lr,
               const std::string& month, const std::string& today, std::int64_t& late) {
  auto d = dues(lr, month);
  store::LedgerRecord r = rec ? *rec : store::LedgerRecord{};
  json steps = json::object();
  late = 0;
  for (std::size_t k = 0; k < kSteps.size(); ++k) {
    auto at = *stepAt(r, k);
    bool isLate = at ? dayOf(*at) > d[k] : today > d[k];
    if (isLate) ++late;
    steps[kSteps[k]] = {{"at", at ? json(*at) : json()}, {"due", d[k]}, {"late", isLate}};
  }
  return steps;
}

json deadlinesJson(const core::rankings::LedgerRule& lr, const std::string& month) {
  auto d = dues(lr, month);
  json out = json::object();
  for (std::size_t k = 0; k < kSteps.size(); ++k) out[kSteps[k]] = d[k];
  return out;
}

bool allReader(const core::Actor& a) {
  return a.has("admin") || a.has("hq") || a.has("inspector") || a.has("viewer") || a.has("leader");
}
bool isHq(const core::Actor& a) {
  return (a.has("hq") || a.has("admin")) && core::canWrite(a, core::WriteKind::Business, a.region_code);
}
bool ownUnit(const core::Actor& a, std::int64_t unitId) {
  return a.has("unit") && a.org_unit_id && *a.org_unit_id == unitId &&
         core::canWrite(a, core::WriteKind::Business, a.region_code);
}

json parseArr(const std::string& s) {
  auto j = json::parse(s, nullptr, false);
  return j.is_array() ? j : json::array();
}

json rowJson(const core::rankings::LedgerRule& lr, const std::string& month, std::int64_t unitId,
             const std::string& unitName, const std::optional<store::LedgerRecord>& r, const std::string& today) {
  std::int64_t late = 0;
  auto steps = stepsJson(r, lr, month, today, late);
  return {{"unit_id", unitId},
          {"unit_name", unitName},
          {"ledger_id", r ? json(r->id) : json()},
          {"steps", steps},
          {"late_steps", late},
          {"unreconciled", r ? r->unreconciled : 0},
          {"differences_count", r ? parseArr(r->differences).size() : 0}};
}

// Headquarters' figures for the unit's items, keyed "kind:id".
std::map<std::string, json> hqItems(store::Connection& c, const std::string& region, std::int64_t unitId,
                                    const std::string& month) {
  std::map<std::string, json> out;
  store::LedgerRepo repo(c);
  const int year = std::stoi(month.substr(0, 4));
  const auto last = core::addDays(nextMonthFirst(month), -1);
  for (const auto& r : repo.unitProjects(region, unitId, year, last).rows)
    out["project:" + r.str("id")] = {{"kind", "project"},     {"id", r.i64("id")},       {"name", r.str("name")},
                                     {"plan_yuan", r.i64("plan")}, {"done_yuan", r.i64("done")},
                                     {"status", r.str("status")}};
  for (const auto& r : repo.unitOpenProblems(region, unitId).rows) {
    const std::string kind = r.str("kind") == "task" ? "task" : "problem";
    out[kind + ":" + r.str("id")] = {{"kind", kind},       {"id", r.i64("id")},   {"name", r.str("title")},
                                     {"plan_yuan", 0},     {"done_yuan", 0},      {"status", r.str("status")}};
  }
  return out;
}

json auditOf(const store::LedgerRecord& r) {
  return {{"month", r.month},
          {"unit_id", r.unit_id},
          {"items", parseArr(r.items).size()},
          {"differences", parseArr(r.differences).size()},
          {"set_up_at", r.set_up_at ? json(*r.set_up_at) : json()},
          {"sorted_at", r.sorted_at ? json(*r.sorted_at) : json()},
          {"reconciled_at", r.reconciled_at ? json(*r.reconciled_at) : json()},
          {"handed_in_at", r.handed_in_at ? json(*r.handed_in_at) : json()},
          {"settled_at", r.settled_at ? json(*r.settled_at) : json()},
          {"late_steps", r.late_steps},
          {"unreconciled", r.unreconciled},
          {"note", r.note}};
}

}  // namespace

json LedgerService::month(const core::Actor& a, const std::string& month) {
  checkMonth(month);
  const bool all = allReader(a);
  if (!all && !(a.has("unit") && a.org_unit_id)) throw forbidden("没有查看五账的权限");
  const auto today = core::localDay(env_.now());
  auto c = env_.db->acquire();
  const auto lr = ledgerRule(*c, a.region_code, month);
  store::LedgerRepo repo(*c);
  std::map<std::int64_t, store::LedgerRecord> byUnit;
  for (auto& r : repo.ofMonth(a.region_code, month)) byUnit[r.unit_id] = r;
  json units = json::array();
  for (const auto& u : repo.units(a.region_code).rows) {
    const auto id = u.i64("id");
    if (!all && id != *a.org_unit_id) continue;
    auto it = byUnit.find(id);
    units.push_back(rowJson(lr, month, id, u.str("name"),
                            it == byUnit.end() ? std::nullopt : std::optional<store::LedgerRecord>(it->second), today));
  }
  return {{"month", month}, {"deadlines", deadlinesJson(lr, month)}, {"units", units}, {"can_settle", isHq(a)}};
}

json LedgerService::get(const core::Actor& a, const std::string& month, std::int64_t unitId) {
  checkMonth(month);
  if (!allReader(a) && !(a.has("unit") && a.org_unit_id && *a.org_unit_id == unitId))
    throw forbidden("只能查看本单位的五账");
  const auto today = core::localDay(env_.now());
  auto c = env_.db->acquire();
  store::LedgerRepo repo(*c);
  auto name = repo.unitName(unitId, a.region_code);
  if (!name) throw notFound("单位不存在");
  const auto lr = ledgerRule(*c, a.region_code, month);
  auto r = repo.find(a.region_code, month, unitId);
  auto out = rowJson(lr, month, unitId, *name, r, today);
  out["month"] = month;
  out["deadlines"] = deadlinesJson(lr, month);
  out["items"] = r ? parseArr(r->items) : json::array();
  out["differences"] = r ? parseArr(r->differences) : json::array();
  out["note"] = r ? r->note : "";
  out["version"] = r ? r->version : 0;
  out["can_write"] = isHq(a) || ownUnit(a, unitId);
  out["can_settle"] = isHq(a);
  return out;
}

json LedgerService::step(const core::Actor& a, const std::string& month, std::int64_t unitId,
                         const std::string& step, const json& in) {
  std::size_t k = 0;
  while (k < kSteps.size() && step != kSteps[k]) ++k;
  if (k == kSteps.size()) throw notFound("没有这个步骤");
  checkMonth(month);
  Validator v;
  JsonInput i(in, v);
  auto version = i.i64("version", false);
  auto note = i.str("note", false, kLedgerNoteMax);
  struct Edit {
    std::string key;
    std::optional<std::int64_t> plan, done;
    std::optional<std::string> status;
  };
  std::vector<Edit> edits;
  if (const auto* arr = i.array("items", false, kLedgerItemsMax)) {
    for (std::size_t n = 0; n < arr->size(); ++n) {
      const auto p = "items[" + std::to_string(n) + "].";
      if (!(*arr)[n].is_object()) {
        v.addType("items[" + std::to_string(n) + "]", "must_be_object");
        continue;
      }
      JsonInput ei((*arr)[n], v, p);
      auto kind = ei.str("kind", true, core::limits::kCode);
      auto id = ei.i64("id", true);
      Edit e;
      e.plan = ei.money("plan_yuan", false);
      e.done = ei.money("done_yuan", false);
      e.status = ei.str("status", false, core::limits::kCode);
      if (kind && *kind != "project" && *kind != "task" && *kind != "problem") v.add(p + "kind", "invalid");
      if (kind && id) e.key = *kind + ":" + std::to_string(*id);
      edits.push_back(e);
    }
  }
  v.throwIfAny("请检查账目");
  const bool hq = isHq(a);
  if (k == 4 ? !hq : !(hq || ownUnit(a, unitId)))
    throw forbidden(k == 4 ? "算账由总指挥部办理" : "只能办理本单位的五账");
  const auto region = a.region_code;
  const auto nowIso = env_.nowIso();
  writeTransaction(env_, region, [&](store::Connection& c) {
    store::LedgerRepo repo(c);
    if (!repo.unitName(unitId, region)) throw notFound("单位不存在");
    auto existing = repo.find(region, month, unitId);
    if (version && existing && *version != existing->version)
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "账目已被他人更新，请刷新后重试", {{"version", "stale"}});
    store::LedgerRecord r;
    if (existing) r = *existing;
    else {
      r.region_code = region;
      r.month = month;
      r.unit_id = unitId;
    }
    if (r.settled_at) throw ServiceError(ErrorKind::Conflict, "settled", "本月账目已算账，不能再修改");
    auto outOfOrder = [&](const char* why) {
      throw ServiceError(ErrorKind::Conflict, "step_out_of_order", why, {{"step", step}});
    };
    if (k > 0 && !*stepAt(r, k - 1)) outOfOrder("请按建账、理账、对账、交账、算账的顺序办理");
    if (k < 3 && r.handed_in_at) outOfOrder("账目已交账，不能再修改");
    if (k == 3 && r.handed_in_at) outOfOrder("账目已交账");
    const auto before = existing ? auditOf(*existing) : json();
    auto items = parseArr(r.items);
    if (k == 0) {
      items = json::array();
      for (auto& [key, it] : hqItems(c, region, unitId, month)) items.push_back(it);
    }
    if (!edits.empty()) {
      if (k != 0 && k != 1)
        throw ServiceError(ErrorKind::Validation, "validation_failed", "只有建账和理账可以修改账目", {{"items", "not_allowed"}});
      std::map<std::string, std::size_t> index;
      for (std::size_t n = 0; n < items.size(); ++n)
        index[items[n]["kind"].get<std::string>() + ":" + std::to_string(items[n]["id"].get<std::int64_t>())] = n;
      Validator v2;
      for (std::size_t n = 0; n < edits.size(); ++n) {
        auto it = index.find(edits[n].key);
        if (it == index.end()) {
          v2.add("items[" + std::to_string(n) + "].id", "unknown");
          continue;
        }
        auto& item = items[it->second];
        if (edits[n].plan) item["plan_yuan"] = *edits[n].plan;
        if (edits[n].done) item["done_yuan"] = *edits[n].done;
        if (edits[n].status) item["status"] = *edits[n].status;
      }
      v2.throwIfAny("账目中有不属于本账的项目或任务");
    }
    if (k == 2) {
      auto hqSet = hqItems(c, region, unitId, month);
      json diffs = json::array();
      std::map<std::string, bool> seen;
      for (const auto& item : items) {
        const auto key = item["kind"].get<std::string>() + ":" + std::to_string(item["id"].get<std::int64_t>());
        seen[key] = true;
        const json ref = {{"kind", item["kind"]}, {"id", item["id"]}, {"name", item["name"]}};
        auto h = hqSet.find(key);
        if (h == hqSet.end()) {
          diffs.push_back({{"item", ref}, {"field", "status"}, {"unit_value", item["status"]}, {"hq_value", nullptr}});
          continue;
        }
        for (const char* f : {"plan_yuan", "done_yuan", "status"})
          if (item[f] != h->second[f])
            diffs.push_back({{"item", ref}, {"field", f}, {"unit_value", item[f]}, {"hq_value", h->second[f]}});
      }
      for (const auto& [key, h] : hqSet)
        if (!seen.count(key))
          diffs.push_back({{"item", {{"kind", h["kind"]}, {"id", h["id"]}, {"name", h["name"]}}},
                           {"field", "missing"},
                           {"unit_value", nullptr},
                           {"hq_value", h["status"]}});
      r.differences = diffs.dump();
      r.unreconciled = diffs.empty() ? 0 : 1;
    }
    r.items = items.dump();
    if (!*stepAt(r, k)) *stepAt(r, k) = nowIso;
    if (note) r.note = *note;
    r.late_steps = lateDone(r, ledgerRule(c, region, month));
    r.updated_by = a.user_id;
    r.updated_at = nowIso;
    if (existing) {
      if (!repo.update(r, existing->version))
        throw ServiceError(ErrorKind::Conflict, "version_conflict", "账目已被他人更新，请刷新后重试", {{"version", "stale"}});
    } else {
      r.id = repo.insert(r);
    }
    json b, after;
    if (existing) diffJson(before, auditOf(r), b, after);
    else after = auditOf(r);
    after["step"] = step;
    appendAudit(c, env_, &a, {region, step, "ledger", std::to_string(r.id), existing ? b : json(), after});
    return 0;
  });
  return get(a, month, unitId);
}

}  // namespace steward::service
