// The JSON shapes of a project: the list row, the detail page, and the audited shape.
#include <nlohmann/json.hpp>

#include "service/projects_internal.h"

namespace steward::service::projects {

using nlohmann::json;

const char* const kDateFields[7] = {"signed_date",        "planned_start",     "actual_start",
                                    "planned_completion", "actual_completion", "production_date",
                                    "planned_production"};

std::vector<std::string> splitComma(const std::string& s) {
  std::vector<std::string> out;
  std::size_t p = 0;
  while (p < s.size()) {
    auto q = s.find(',', p);
    auto part = s.substr(p, q == std::string::npos ? std::string::npos : q - p);
    if (!part.empty()) out.push_back(part);
    if (q == std::string::npos) break;
    p = q + 1;
  }
  return out;
}

std::string joinComma(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

namespace {

json optId(const store::Row& r, const char* col) { return r.isNull(col) ? json() : json(r.i64(col)); }
json optText(const store::Row& r, const char* col) { return r.isNull(col) ? json() : json(r.str(col)); }
json optText(const std::optional<std::string>& v) { return v ? json(*v) : json(); }

core::ChecklistFacts checklistFacts(const store::Row& r) {
  core::ChecklistFacts x;
  x.leader = !r.isNull("leader_id");
  x.unit = !r.isNull("unit_id");
  x.team = r.i64("team_size") > 0;
  x.steward = !r.isNull("steward_id");
  for (auto& k : splitComma(r.str("checks"))) x.ticked.insert(std::move(k));
  return x;
}

}  // namespace

core::Project projectFromRow(const store::Row& r) {
  core::Project p;
  p.id = r.i64("id");
  p.region_code = r.str("region_code");
  p.name = r.str("name");
  p.code = r.str("code");
  p.category = r.str("category");
  p.industry = r.str("industry");
  p.chain = r.str("chain");
  p.enterprise_name = r.str("enterprise_name");
  p.enterprise_credit_code = r.str("enterprise_credit_code");
  p.township_id = r.optI64("township_id");
  p.address = r.str("address");
  p.lng = r.optF64("lng");
  p.lat = r.optF64("lat");
  p.levels = splitComma(r.str("levels"));
  p.total_investment = r.i64("total_investment");
  for (std::size_t i = 0; i < core::kFundingKeys.size(); ++i)
    p.funding[i] = r.i64(std::string("fund_") + core::kFundingKeys[i]);
  p.signed_date = r.optStr("signed_date");
  p.planned_start = r.optStr("planned_start");
  p.actual_start = r.optStr("actual_start");
  p.planned_completion = r.optStr("planned_completion");
  p.actual_completion = r.optStr("actual_completion");
  p.production_date = r.optStr("production_date");
  p.planned_production = r.optStr("planned_production");
  p.content = r.str("content");
  p.stage = r.str("stage");
  p.status = r.str("status");
  p.status_reason = r.str("status_reason");
  p.unit_id = r.optI64("unit_id");
  p.leader_id = r.optI64("leader_id");
  p.version = r.i64("version");
  return p;
}

// The published light's reasons (JSON text on the row), as an array.
json lightReasons(const store::Row& r) {
  auto j = json::parse(r.str("light_reasons"), nullptr, false);
  return j.is_array() ? j : json::array();
}

json summaryJson(const store::Row& r, const core::Lifecycle& lc, const Checklist& ones) {
  const auto facts = checklistFacts(r);
  const auto state = core::checklistState(ones, facts);
  json checklist = json::array();
  for (const auto& e : state.items)
    checklist.push_back({{"key", e.key}, {"name", e.name}, {"done", e.done}, {"auto", e.automatic}});
  json funding = json::object();
  for (const auto* k : core::kFundingKeys) funding[k] = r.i64(std::string("fund_") + k);
  const auto* st = lc.find(r.str("stage"));
  return {{"id", r.i64("id")},
          {"region_code", r.str("region_code")},
          {"name", r.str("name")},
          {"code", r.str("code")},
          {"category", r.str("category")},
          {"industry", r.str("industry")},
          {"chain", r.str("chain")},
          {"enterprise_name", r.str("enterprise_name")},
          {"enterprise_credit_code", r.str("enterprise_credit_code")},
          {"township_id", optId(r, "township_id")},
          {"township_name", r.str("township_name")},
          {"address", r.str("address")},
          {"lng", r.isNull("lng") ? json() : json(*r.optF64("lng"))},
          {"lat", r.isNull("lat") ? json() : json(*r.optF64("lat"))},
          {"levels", splitComma(r.str("levels"))},
          {"total_investment", r.i64("total_investment")},
          {"funding", funding},
          {"signed_date", optText(r, "signed_date")},
          {"planned_start", optText(r, "planned_start")},
          {"actual_start", optText(r, "actual_start")},
          {"planned_completion", optText(r, "planned_completion")},
          {"actual_completion", optText(r, "actual_completion")},
          {"production_date", optText(r, "production_date")},
          {"planned_production", optText(r, "planned_production")},
          {"light", r.str("light")},
          {"light_reasons", lightReasons(r)},
          {"light_since", optText(r, "light_since")},
          {"spi_bp", r.isNull("spi_bp") ? json() : json(r.i64("spi_bp"))},
          {"content", r.str("content")},
          {"stage", r.str("stage")},
          {"stage_name", st ? st->name : r.str("stage")},
          {"status", r.str("status")},
          {"status_reason", r.str("status_reason")},
          {"unit_id", optId(r, "unit_id")},
          {"unit_name", r.str("unit_name")},
          {"leader_id", optId(r, "leader_id")},
          {"leader_name", r.str("leader_name")},
          {"steward_id", optId(r, "steward_id")},
          {"steward_name", r.str("steward_name")},
          {"police_id", optId(r, "police_id")},
          {"police_name", r.str("police_name")},
          {"inspector_id", optId(r, "inspector_id")},
          {"inspector_name", r.str("inspector_name")},
          {"liaison_id", optId(r, "liaison_id")},
          {"liaison_name", r.str("liaison_name")},
          {"has_plan", facts.ticked.count("plan") > 0},
          {"has_schedule", facts.ticked.count("schedule") > 0},
          {"checklist", checklist},
          {"missing_ones", state.missing},
          {"version", r.i64("version")},
          {"created_at", r.str("created_at")},
          {"updated_at", r.str("updated_at")}};
}

json auditShape(const json& p) {
  json a = p;
  for (const char* k : {"township_name", "unit_name", "leader_name", "steward_name", "police_name", "inspector_name",
                        "liaison_name", "stage_name", "missing_ones", "checklist", "updated_at", "created_at", "version", "nodes",
                        "team", "plan", "levels_3456"})
    a.erase(k);
  return a;
}

json detailJson(store::ProjectRepo& repo, const store::Row& r, const core::Lifecycle& lc, const Checklist& ones,
                const std::string& year, const core::Actor* viewer) {
  json p = summaryJson(r, lc, ones);
  if (viewer) p["can_edit"] = core::canEditProject(*viewer, r.str("region_code"), r.optI64("unit_id"));
  auto id = r.i64("id");
  json team = json::array();
  for (auto& t : repo.team(id))
    team.push_back({{"id", t.id}, {"display_name", t.display_name}, {"rank", t.rank}, {"org_unit_name", t.org_unit_name}});
  p["team"] = team;
  auto person = [&](const char* col) -> json {
    if (r.isNull(col)) return nullptr;
    auto u = repo.person(r.i64(col));
    if (!u) return nullptr;
    return {{"id", u->id}, {"display_name", u->display_name}};
  };
  p["levels_3456"] = {{"county_leader", person("leader_id")},
                      {"unit_principal", person("principal_id")},
                      {"unit_leader", person("unit_leader_id")},
                      {"section_chief", person("section_chief_id")}};
  json nodes = json::array();
  for (auto& n : repo.nodes(id))
    nodes.push_back({{"key", n.key},
                     {"name", n.name},
                     {"planned_date", optText(n.planned_date)},
                     {"actual_date", optText(n.actual_date)},
                     {"unit_id", n.unit_id ? json(*n.unit_id) : json()},
                     {"unit_name", n.unit_name},
                     {"note", n.note}});
  p["nodes"] = nodes;
  json plans = json::array();
  json current = nullptr;
  for (auto& pl : repo.plans(id)) {
    json months = json::array();
    for (const auto& m : splitComma(pl.months)) months.push_back(std::stoll(m));
    json one = {{"year", pl.year}, {"annual", pl.annual}, {"months", months}};
    if (std::to_string(pl.year) == year) current = one;
    plans.push_back(one);
  }
  p["plan"] = current.is_null() && !plans.empty() ? plans.back() : current;
  p["plans"] = plans;
  return p;
}

}  // namespace steward::service::projects
