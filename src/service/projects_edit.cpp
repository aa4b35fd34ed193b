// Changes to a project: create, update, stage, status, the responsibility chain (team), the node plan and the
// investment plan; and the project's change history.
#include <algorithm>
#include <map>

#include "core/money.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/json_input.h"
#include "service/lights.h"
#include "service/projects.h"
#include "service/projects_internal.h"

namespace steward::service {

using nlohmann::json;
using namespace projects;

store::Row projects::loadRow(store::ProjectRepo& repo, std::int64_t id) {
  auto r = repo.findById(id);
  if (!r) throw notFound("项目不存在");
  return std::move(*r);
}

namespace {

// At most this many ticks in one update (a checklist has at most 12 items).
constexpr std::size_t kMaxChecks = 20;

void requireEdit(const core::Actor& a, const store::Row& r) {
  if (!core::inScope(a, r.str("region_code"))) throw notFound("项目不存在");
  if (!core::canEditProject(a, r.str("region_code"), r.optI64("unit_id")))
    throw forbidden("只有总指挥部办公室或项目责任单位可以修改此项目");
}

// A stage gate that fails is a 409 naming every missing field.
void requireGate(const core::Lifecycle& lc, const core::Project& p, const std::string& stage, const std::string& msg) {
  auto missing = core::gateFailures(lc, p, stage);
  if (missing.empty()) return;
  std::vector<FieldError> f;
  for (const auto& g : missing) f.push_back({g, "required_for_stage"});
  throw conflict(msg, f);
}
std::string gateMessage(const core::Lifecycle& lc, const std::string& stage) {
  const auto* st = lc.find(stage);
  return "进入“" + (st ? st->name : stage) + "”阶段前需先填写必填信息";
}

// What every change to an existing project starts with: the row, the right to edit it, the county's rules.
struct Editing {
  store::Row row;
  std::string region;
  core::Lifecycle lc;
  Checklist ones;  // the county's checklist of "ones" in force today
};
Editing beginEdit(store::ProjectRepo& repo, store::Connection& c, const core::Actor& a, std::int64_t id,
                  const std::string& today) {
  auto row = loadRow(repo, id);
  requireEdit(a, row);
  auto region = row.str("region_code");
  auto lc = loadLifecycle(c, region, today);
  auto ones = loadChecklist(c, region, today);
  return {std::move(row), std::move(region), std::move(lc), std::move(ones)};
}

}  // namespace

json ProjectService::create(const core::Actor& a, const json& in) {
  const auto region = a.region_code;
  if (core::regionLevel(region) != core::RegionLevel::County)
    throw forbidden("项目属于县（市、区），请以县级账号新建");
  if (!core::canCreateProject(a)) throw forbidden("只有总指挥部办公室或责任单位可以新建项目");
  auto today = core::localDay(env_.now());
  return writeTransaction(env_, region, [&](store::Connection& c) {
    store::ProjectRepo repo(c);
    auto lc = loadLifecycle(c, region, today);
    const auto ones = loadChecklist(c, region, today);
    auto cols = parseProjectInput(repo, in, true, region, today, lc);
    // A unit creates projects for itself only.
    if (!a.has("admin") && !a.has("hq")) {
      std::int64_t unit = *a.org_unit_id;
      bool other = false;
      for (auto& [k, v] : cols.set)
        if (k == "unit_id") other = !std::holds_alternative<std::int64_t>(v) || std::get<std::int64_t>(v) != unit;
      if (other) throw forbidden("责任单位只能为本单位新建项目");
      if (!cols.has("unit_id")) cols.put("unit_id", unit);
    }
    if (!cols.has("stage")) cols.put("stage", lc.stages.front().key);
    auto now = env_.nowIso();
    auto id = repo.insert(region, now, cols.set, true);
    auto row = loadRow(repo, id);
    auto j = summaryJson(row, lc, ones);
    checkDateOrder(j);
    requireGate(lc, projectFromRow(row), row.str("stage"), gateMessage(lc, row.str("stage")));
    repo.setSearchText(id, searchText(j));
    appendAudit(c, env_, &a, {region, "create", "project", std::to_string(id), nullptr, auditShape(j)});
    evaluateProjectIn(c, env_, region, id);
    return detailJson(repo, loadRow(repo, id), lc, ones, today.substr(0, 4), &a);
  });
}

json ProjectService::update(const core::Actor& a, std::int64_t id, const json& in) {
  auto today = core::localDay(env_.now());
  return writeTransaction(env_, regionOfRow(env_, "projects", id, a.region_code), [&](store::Connection& c) {
    store::ProjectRepo repo(c);
    auto [before, region, lc, ones] = beginEdit(repo, c, a, id, today);
    if (in.contains("version")) {
      if (!in["version"].is_number_integer()) throw badRequest("version 必须是整数");
      if (in["version"].get<std::int64_t>() != before.i64("version"))
        throw conflict("项目已被他人修改，请刷新后重试", {{"version", "stale"}});
    }
    json body = in;
    body.erase("version");
    body.erase("stage");  // stages change through POST /projects/{id}/stage, which checks the gate
    auto cols = parseProjectInput(repo, body, false, region, today, lc);
    for (auto& [k, v] : cols.set)
      if (k == "unit_id" && !core::canAssignUnit(a, std::holds_alternative<std::int64_t>(v)
                                                         ? std::optional<std::int64_t>(std::get<std::int64_t>(v))
                                                         : std::nullopt))
        throw forbidden("责任单位不能把项目转给其他单位或清空责任单位");
    auto bj = summaryJson(before, lc, ones);
    repo.update(id, cols.set);
    auto afterRow = loadRow(repo, id);
    auto aj = summaryJson(afterRow, lc, ones);
    checkDateOrder(aj);
    // A change may not take away what the current stage requires (e.g. clearing actual_start while started).
    requireGate(lc, projectFromRow(afterRow), afterRow.str("stage"), "当前阶段要求填写此项，不能清空");
    json b, d;
    diffJson(auditShape(bj), auditShape(aj), b, d);
    if (!d.empty()) {
      repo.setSearchText(id, searchText(aj));
      repo.bump(id, env_.nowIso());
      appendAudit(c, env_, &a, {region, "update", "project", std::to_string(id), b, d});
      evaluateProjectIn(c, env_, region, id);  // dates and the plan's figures turn the light
    }
    return detailJson(repo, loadRow(repo, id), lc, ones, today.substr(0, 4), &a);
  });
}

json ProjectService::changeStage(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto stage = i.str("stage", true, core::limits::kCode);
  auto date = i.str("date", false, core::limits::kCode);
  auto note = i.str("note", false, core::limits::kNote);
  auto today = core::localDay(env_.now());
  if (date && !core::isIsoDate(*date)) v.add("date", "invalid_date");
  v.throwIfAny();
  return writeTransaction(env_, regionOfRow(env_, "projects", id, a.region_code), [&](store::Connection& c) {
    store::ProjectRepo repo(c);
    auto [row, region, lc, ones] = beginEdit(repo, c, a, id, today);
    if (!lc.find(*stage)) {
      Validator w;
      w.add("stage", "invalid");
      w.throwIfAny("未知的项目阶段");
    }
    if (row.str("status") != "active") throw conflict("项目已暂停或取消，不能推进阶段", {{"status", row.str("status")}});
    if (row.str("stage") == *stage) throw conflict("项目已处于该阶段", {{"stage", "unchanged"}});
    requireGate(lc, projectFromRow(row), *stage, gateMessage(lc, *stage));
    auto now = env_.nowIso();
    repo.setStage(id, *stage);
    repo.logStage({id, row.str("stage"), *stage, date.value_or(today), note.value_or(""), a.user_id, now});
    repo.bump(id, now);
    appendAudit(c, env_, &a,
                {row.str("region_code"), "stage", "project", std::to_string(id), {{"stage", row.str("stage")}},
                 {{"stage", *stage}, {"date", date.value_or(today)}, {"note", note.value_or("")}}});
    return detailJson(repo, loadRow(repo, id), lc, ones, today.substr(0, 4), &a);
  });
}

json ProjectService::changeStatus(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto status = i.str("status", true, core::limits::kCode);
  auto reason = std::string(core::trimText(i.str("reason", false, core::limits::kNote).value_or("")));
  if (status && *status != "active" && *status != "suspended" && *status != "cancelled") v.add("status", "invalid");
  if (status && *status != "active" && reason.empty()) v.add("reason", "required");
  v.throwIfAny();
  auto today = core::localDay(env_.now());
  return writeTransaction(env_, regionOfRow(env_, "projects", id, a.region_code), [&](store::Connection& c) {
    store::ProjectRepo repo(c);
    auto [row, region, lc, ones] = beginEdit(repo, c, a, id, today);
    auto from = row.str("status");
    if (from == *status) throw conflict("项目已处于该状态", {{"status", "unchanged"}});
    if (from == "cancelled") throw conflict("已取消的项目不能恢复，请新建项目", {{"status", "cancelled"}});
    auto now = env_.nowIso();
    repo.setStatus(id, *status, reason);
    repo.bump(id, now);
    appendAudit(c, env_, &a,
                {row.str("region_code"), "status", "project", std::to_string(id),
                 {{"status", from}, {"status_reason", row.str("status_reason")}},
                 {{"status", *status}, {"status_reason", reason}}});
    return detailJson(repo, loadRow(repo, id), lc, ones, today.substr(0, 4), &a);
  });
}

json ProjectService::setTeam(const core::Actor& a, std::int64_t id, const json& in) {
  auto today = core::localDay(env_.now());
  return writeTransaction(env_, regionOfRow(env_, "projects", id, a.region_code), [&](store::Connection& c) {
    store::ProjectRepo repo(c);
    auto [row, region, lc, ones] = beginEdit(repo, c, a, id, today);
    auto before = detailJson(repo, row, lc, ones, today.substr(0, 4));
    Validator v;
    JsonInput i(in, v);
    store::Fields sets;
    auto person = [&](const char* field, const std::string& col) {
      if (!i.has(field)) return;
      if (i.isNull(field)) {
        sets.emplace_back(col, store::Null{});
        return;
      }
      auto pid = i.i64(field, false);
      if (!pid) return;
      checkPerson(repo, v, field, *pid, region);
      sets.emplace_back(col, *pid);
    };
    for (const char* k : {"leader_id", "steward_id", "police_id", "inspector_id", "liaison_id"}) person(k, k);
    if (i.has("unit_id")) {
      // A unit user may neither hand its project to another unit nor leave it without one (and out of reach).
      std::optional<std::int64_t> u;
      if (!i.isNull("unit_id")) u = i.i64("unit_id", false);
      if (i.isNull("unit_id") || u) {
        if (!core::canAssignUnit(a, u))
          throw forbidden(u ? "责任单位不能把项目转给其他单位" : "责任单位不能清空项目的责任单位");
        if (u) checkOrgUnit(repo, v, "unit_id", *u, region, false);
        sets.emplace_back("unit_id", store::optParam(u));
      }
    }
    if (in.contains("levels_3456") && !in["levels_3456"].is_null() && !in["levels_3456"].is_object())
      v.addType("levels_3456", "must_be_object");
    if (in.contains("levels_3456") && in["levels_3456"].is_object()) {
      const auto& l = in["levels_3456"];
      static const std::pair<const char*, const char*> map[] = {{"county_leader", "leader_id"},
                                                                {"unit_principal", "principal_id"},
                                                                {"unit_leader", "unit_leader_id"},
                                                                {"section_chief", "section_chief_id"}};
      for (auto [key, col] : map) {
        if (!l.contains(key)) continue;
        // The county leader of the 3456 chain is the project chief: an explicit leader_id wins.
        if (std::string(col) == "leader_id" && in.contains("leader_id")) continue;
        if (l[key].is_null()) {
          sets.emplace_back(col, store::Null{});
        } else if (auto pid = JsonInput::integer(l[key], std::string("levels_3456.") + key, v)) {
          checkPerson(repo, v, std::string("levels_3456.") + key, *pid, region);
          sets.emplace_back(col, *pid);
        }
      }
    }
    // Ticks of the county's manual checklist items: `checks: {key: bool}`, and has_plan / has_schedule as the
    // older names of the items `plan` and `schedule`. A key the checklist lacks, or one a project field
    // satisfies, is refused by name.
    std::map<std::string, bool> ticks;
    auto tick = [&](const std::string& field, const std::string& key, const json& value) {
      if (!value.is_boolean()) return v.addType(field, "must_be_boolean");
      auto it = std::find_if(ones.begin(), ones.end(), [&](const auto& x) { return x.key == key; });
      if (it == ones.end()) return v.add(field, "unknown_field");
      if (!core::isManual(*it)) return v.add(field, "not_manual");
      ticks[key] = value.get<bool>();
    };
    for (auto [k, key] : {std::pair<const char*, const char*>{"has_plan", "plan"}, {"has_schedule", "schedule"}})
      if (in.contains(k) && !in[k].is_null()) tick(k, key, in[k]);
    if (in.contains("checks") && !in["checks"].is_null()) {
      const auto& checks = in["checks"];
      if (!checks.is_object()) v.addType("checks", "must_be_object");
      else if (checks.size() > kMaxChecks) v.add("checks", "too_many");
      else
        for (const auto& [k, val] : checks.items()) {
          if (k.empty() || k.size() > core::limits::kCode) v.add("checks", "invalid");
          else tick("checks." + k, k, val);
        }
    }
    std::optional<std::vector<std::int64_t>> team;
    if (i.has("team") && !i.isNull("team")) {
      if (const auto* list = i.array("team", false, core::limits::kTeam)) {
        team.emplace();
        for (const auto& t : *list) {
          auto pid = JsonInput::integer(t, "team", v);
          if (!pid) break;
          checkPerson(repo, v, "team", *pid, region);
          team->push_back(*pid);
        }
        std::sort(team->begin(), team->end());
        team->erase(std::unique(team->begin(), team->end()), team->end());
      }
    }
    v.throwIfAny();
    repo.update(id, sets);
    if (team) repo.replaceTeam(id, *team);
    for (const auto& [key, on] : ticks) repo.setCheck(id, key, on);
    auto after = detailJson(repo, loadRow(repo, id), lc, ones, today.substr(0, 4));
    auto shape = [](const json& p) {
      json s;
      for (const char* k : {"leader_id", "unit_id", "steward_id", "police_id", "inspector_id", "liaison_id",
                            "levels_3456", "missing_ones"})
        s[k] = p[k];
      // The ticks as {key: done}, for the manual items of the checklist in force.
      json checks = json::object();
      for (const auto& e : p["checklist"])
        if (!e["auto"].get<bool>()) checks[e["key"].get<std::string>()] = e["done"];
      s["checks"] = checks;
      json t = json::array();
      for (const auto& m : p["team"]) t.push_back(m["display_name"]);
      s["team"] = t;
      return s;
    };
    json b, d;
    diffJson(shape(before), shape(after), b, d);
    if (!d.empty()) {
      repo.bump(id, env_.nowIso());
      appendAudit(c, env_, &a, {region, "team", "project", std::to_string(id), b, d});
    }
    return detailJson(repo, loadRow(repo, id), lc, ones, today.substr(0, 4), &a);
  });
}

json ProjectService::setNodes(const core::Actor& a, std::int64_t id, const json& in) {
  auto today = core::localDay(env_.now());
  {
    Validator v;
    JsonInput i(in, v);
    if (!i.array("nodes", true, core::limits::kNodes) && v.ok()) v.add("nodes", "required");
    v.throwIfAny();
  }
  return writeTransaction(env_, regionOfRow(env_, "projects", id, a.region_code), [&](store::Connection& c) {
    store::ProjectRepo repo(c);
    auto [row, region, lc, ones] = beginEdit(repo, c, a, id, today);
    auto before = detailJson(repo, row, lc, ones, today.substr(0, 4));
    Validator v;
    struct Node {
      std::string key, name, note;
      std::optional<std::string> planned, actual;
      std::optional<std::int64_t> unit;
    };
    std::vector<Node> nodes;
    int idx = 0;
    for (const auto& n : in["nodes"]) {
      auto f = [&](const char* k) { return "nodes[" + std::to_string(idx) + "]." + k; };
      Node x;
      if (!n.is_object()) {
        v.addType("nodes[" + std::to_string(idx) + "]", "must_be_object");
        ++idx;
        continue;
      }
      JsonInput ni(n, v, "nodes[" + std::to_string(idx) + "].");
      x.name = ni.str("name", true, core::limits::kShortText).value_or("");
      x.key = ni.str("key", false, core::limits::kCode).value_or("custom");
      x.note = ni.str("note", false, core::limits::kNote).value_or("");
      if (n.contains("name") && n["name"].is_string() && n["name"].get_ref<const std::string&>().empty())
        v.add(f("name"), "required");
      for (auto [k, dst] : {std::pair<const char*, std::optional<std::string>*>{"planned_date", &x.planned},
                            {"actual_date", &x.actual}}) {
        auto d = ni.str(k, false, core::limits::kCode);
        if (!d || d->empty()) continue;
        if (!core::isIsoDate(*d)) {
          v.add(f(k), "invalid_date");
          continue;
        }
        *dst = *d;
      }
      if (x.actual && *x.actual > today) v.add(f("actual_date"), "in_future");
      x.unit = ni.i64("unit_id", false);
      if (x.unit) checkOrgUnit(repo, v, f("unit_id"), *x.unit, region, false);
      nodes.push_back(x);
      ++idx;
    }
    v.throwIfAny();
    std::vector<store::NodeRecord> records;
    bool scheduled = false;
    for (const auto& n : nodes) {
      records.push_back({n.key, n.name, n.note, n.planned, n.actual, n.unit, ""});
      scheduled = scheduled || n.planned.has_value();
    }
    repo.replaceNodes(id, records);
    // A node plan with dates is the project's schedule (进度计划表).
    repo.setCheck(id, "schedule", scheduled);
    auto after = detailJson(repo, loadRow(repo, id), lc, ones, today.substr(0, 4));
    if (before["nodes"] != after["nodes"]) {
      repo.bump(id, env_.nowIso());
      appendAudit(c, env_, &a, {region, "nodes", "project", std::to_string(id), {{"nodes", before["nodes"]}},
                                {{"nodes", after["nodes"]}}});
      evaluateProjectIn(c, env_, region, id);
    }
    return detailJson(repo, loadRow(repo, id), lc, ones, today.substr(0, 4), &a);
  });
}

json ProjectService::setPlan(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto year = i.i64("year", true);
  auto annual = i.money("annual", true);
  if (year && (*year < 2000 || *year > 2100)) v.add("year", "out_of_range");
  std::vector<std::int64_t> months;
  if (!in.contains("months") || !in["months"].is_array() || in["months"].size() != core::limits::kMonths) {
    v.add("months", "need_12_values");
  } else {
    for (std::size_t k = 0; k < in["months"].size(); ++k) {
      auto m = JsonInput::amount(in["months"][k], "months[" + std::to_string(k) + "]", v);
      if (!m) break;
      months.push_back(*m);
    }
  }
  if (annual && months.size() == core::limits::kMonths) {
    auto sum = core::sumAmounts(months);
    if (!sum || *sum != *annual) v.add("months", "sum_mismatch");
  }
  v.throwIfAny("月度计划之和必须等于年度计划投资");
  auto today = core::localDay(env_.now());
  return writeTransaction(env_, regionOfRow(env_, "projects", id, a.region_code), [&](store::Connection& c) {
    store::ProjectRepo repo(c);
    auto [row, region, lc, ones] = beginEdit(repo, c, a, id, today);
    std::string ms;
    for (auto m : months) ms += (ms.empty() ? "" : ",") + std::to_string(m);
    auto old = repo.plan(id, *year);
    json before = !old ? json() : json{{"year", *year}, {"annual", old->annual}, {"months", old->months}};
    repo.replacePlan(id, {*year, *annual, ms});
    json after = {{"year", *year}, {"annual", *annual}, {"months", ms}};
    if (before != after) {
      repo.bump(id, env_.nowIso());
      appendAudit(c, env_, &a, {row.str("region_code"), "plan", "project", std::to_string(id), before, after});
      evaluateProjectIn(c, env_, row.str("region_code"), id);
    }
    return detailJson(repo, loadRow(repo, id), lc, ones, std::to_string(*year), &a);
  });
}

json ProjectService::history(const core::Actor& a, std::int64_t id, std::optional<std::int64_t> before, int limit) {
  {
    auto c = env_.db->acquire();
    auto region = store::ProjectRepo(*c).regionOf(id);
    if (!region || !core::inScope(a, *region)) throw notFound("项目不存在");
  }
  AuditService audit(env_);
  return audit.history(a, "project", std::to_string(id), before, limit);
}

}  // namespace steward::service
