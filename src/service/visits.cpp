#include "service/visits.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/limits.h"
#include "core/period.h"
#include "core/reporting.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "store/project_repo.h"
#include "store/photo_repo.h"
#include "store/visit_repo.h"

namespace steward::service {

using nlohmann::json;
namespace L = core::limits;

bool isPhotoHash(const std::string& s) {
  if (s.size() < 40 || s.size() > 64) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isxdigit(ch) != 0; });
}

namespace {

// The leader of the project records the visit; headquarters and admin may record it for them.
bool canRecordVisit(const core::Actor& a, std::string_view region, std::optional<std::int64_t> leader) {
  if (!core::canWrite(a, core::WriteKind::Business, region)) return false;
  if (a.has("admin") || a.has("hq")) return true;
  return leader && *leader == a.user_id;
}

json parseList(const std::string& s) {
  auto j = json::parse(s, nullptr, false);
  return j.is_array() ? j : json::array();
}

json visitJson(const store::VisitRecord& v) {
  json photos = json::array();
  for (const auto& h : parseList(v.photos)) {
    if (!h.is_string()) continue;
    const auto hash = h.get<std::string>();
    const auto base = "/api/v1/photos/" + hash + "/";
    photos.push_back({{"hash", hash}, {"url", base + "original"}, {"screen_url", base + "screen"}, {"thumb_url", base + "thumb"}});
  }
  return {{"id", v.id},
          {"project_id", v.project_id},
          {"project_name", v.project_name},
          {"date", v.visit_date},
          {"week", v.week_key},
          {"leader_id", v.leader_id ? json(*v.leader_id) : json()},
          {"leader_name", v.leader_name},
          {"visitors", parseList(v.visitors)},
          {"findings", v.findings},
          {"photos", photos},
          {"recorded_by", v.recorded_by ? json(*v.recorded_by) : json()},
          {"recorder_name", v.recorder_name},
          {"created_at", v.created_at}};
}

// The ISO week asked for (empty: the one containing today); a week not begun yet is refused.
core::Period requireWeek(const std::string& key, const std::string& today) {
  if (key.empty()) return core::periodOf(core::Cadence::Week, today);
  auto p = core::periodFromKey(key);
  Validator v;
  if (!p || p->cadence != core::Cadence::Week) v.add("week", "invalid");
  else if (p->start > today) v.add("week", "future_period");
  v.throwIfAny("周次格式为 YYYY-Www（如 2026-W48），且不能是尚未开始的周");
  return *p;
}

json weekJson(const core::Period& p) {
  return {{"key", p.key}, {"label", p.label}, {"start", p.start}, {"end", p.end}};
}

struct LeaderWeek {
  std::int64_t leader_id = 0;
  std::string leader_name;
  std::int64_t led = 0, visited = 0;
  json missing = json::array();
};

// Led projects of the actor's scope grouped by leader (in leader id order), with the week's visits.
std::vector<LeaderWeek> leaderWeeks(store::Connection& c, const core::Actor& a, const core::Period& week) {
  const auto [lo, hi] = core::scopeRange(a.region_code);
  store::VisitRepo repo(c);
  const auto visited = repo.visitedInWeek(lo, hi, week.key);
  std::vector<LeaderWeek> out;
  for (const auto& p : repo.ledProjects(lo, hi, kVisitProjectsMax)) {
    if (out.empty() || out.back().leader_id != p.leader_id) out.push_back({p.leader_id, p.leader_name});
    auto& g = out.back();
    ++g.led;
    if (visited.count(p.id)) {
      ++g.visited;
      continue;
    }
    g.missing.push_back({{"id", p.id},
                         {"name", p.name},
                         {"stage", p.stage},
                         {"unit_name", p.unit_name},
                         {"township_name", p.township_name}});
  }
  return out;
}

std::int64_t rateBp(std::int64_t visited, std::int64_t led) { return led == 0 ? 0 : visited * 10000 / led; }

}  // namespace

json VisitService::record(const core::Actor& a, std::int64_t projectId, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto date = i.str("date", true, L::kCode);
  auto visitors = i.strList("visitors", true, kVisitorsMax, L::kShortText);
  auto findings = i.str("findings", false, L::kText);
  auto photos = i.strList("photos", false, kVisitPhotosMax, L::kCode);
  const auto now = env_.now();
  const auto today = core::localDay(now);
  if (date && !core::isIsoDate(*date)) v.add("date", "invalid");
  else if (date && *date > today) v.add("date", "future_date");
  if (visitors) {
    std::vector<std::string> kept;
    for (const auto& n : *visitors)
      if (auto t = core::trimText(n); !t.empty()) kept.emplace_back(t);
    if (kept.empty()) v.add("visitors", "required");
    *visitors = kept;
  }
  if (photos) {
    for (auto& h : *photos) {
      if (!isPhotoHash(h)) {
        v.add("photos", "invalid_hash");
        break;
      }
      std::transform(h.begin(), h.end(), h.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    }
  }
  v.throwIfAny("请检查走访日期、走访人员和照片");

  const auto region = regionOfRow(env_, "projects", projectId, a.region_code);
  const auto nowIso = core::formatTimestamp(now);
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto row = store::ProjectRepo(c).findById(projectId);
    if (!row || !core::inScope(a, row->str("region_code"))) throw notFound("项目不存在");
    const auto projectRegion = row->str("region_code");
    const auto leader = row->optI64("leader_id");
    if (!canRecordVisit(a, projectRegion, leader)) throw forbidden("只有项目的包联县级领导和总指挥部可以记录走访");
    if (row->str("status") == "cancelled") throw conflict("项目已取消，无需走访", {{"project", "cancelled"}});
    // Each photo must have been uploaded for this project (POST /projects/{id}/photos), as for a report.
    if (photos) {
      store::PhotoRepo photoRepo(c);
      Validator pv;
      for (std::size_t k = 0; k < photos->size(); ++k)
        if (!photoRepo.projectHas(projectId, (*photos)[k])) pv.add("photos[" + std::to_string(k) + "]", "unknown_photo");
      pv.throwIfAny("照片须先上传到本项目");
    }
    store::VisitRepo repo(c);
    store::VisitRecord r;
    r.region_code = projectRegion;
    r.project_id = projectId;
    r.leader_id = leader;
    r.visit_date = *date;
    r.week_key = core::periodOf(core::Cadence::Week, *date).key;
    if (repo.countInWeek(projectId, r.week_key) >= kVisitsPerProjectWeek)
      throw ServiceError(ErrorKind::Conflict, "visit_limit", "该项目本周走访记录已达上限", {{"date", "visit_limit"}});
    r.visitors = json(*visitors).dump();
    r.findings = findings.value_or("");
    r.photos = json(photos.value_or(std::vector<std::string>{})).dump();
    r.recorded_by = a.user_id ? std::optional(a.user_id) : std::nullopt;
    r.created_at = nowIso;
    r.id = repo.insert(r);
    appendAudit(c, env_, &a,
                {projectRegion, "create", "leader_visit", std::to_string(r.id), nullptr,
                 {{"project_id", projectId},
                  {"date", r.visit_date},
                  {"leader_id", leader ? json(*leader) : json()},
                  {"visitors", *visitors},
                  {"findings", r.findings},
                  {"photos", json::parse(r.photos)}}});
    r.project_name = row->str("name");
    r.recorder_name = a.display_name;
    r.leader_name = row->str("leader_name");
    return visitJson(r);
  });
}

json VisitService::projectVisits(const core::Actor& a, std::int64_t projectId, std::optional<std::int64_t> before,
                                 int limit) {
  limit = std::clamp(limit, 1, kVisitListMax);
  auto c = env_.db->acquire();
  auto row = store::ProjectRepo(*c).findById(projectId);
  if (!row || !core::inScope(a, row->str("region_code"))) throw notFound("项目不存在");
  auto rows = store::VisitRepo(*c).projectVisits(projectId, limit + 1, before);
  json items = json::array();
  for (std::size_t k = 0; k < rows.size() && k < std::size_t(limit); ++k) items.push_back(visitJson(rows[k]));
  json next = rows.size() > std::size_t(limit) ? json(rows[limit - 1].id) : json();
  const auto leader = row->optI64("leader_id");
  return {{"items", items},
          {"next_before", next},
          {"leader_id", leader ? json(*leader) : json()},
          {"can_record", canRecordVisit(a, row->str("region_code"), leader) && row->str("status") != "cancelled"}};
}

json VisitService::missing(const core::Actor& a, const std::string& weekKey) {
  const auto week = requireWeek(weekKey, core::localDay(env_.now()));
  auto c = env_.db->acquire();
  json leaders = json::array();
  std::int64_t led = 0, visited = 0;
  for (auto& g : leaderWeeks(*c, a, week)) {
    led += g.led;
    visited += g.visited;
    if (g.missing.empty()) continue;
    leaders.push_back({{"leader_id", g.leader_id},
                       {"leader_name", g.leader_name},
                       {"led", g.led},
                       {"visited", g.visited},
                       {"count", g.missing.size()},
                       {"projects", std::move(g.missing)}});
  }
  return {{"week", weekJson(week)},
          {"led", led},
          {"visited", visited},
          {"missing", led - visited},
          {"leaders", leaders}};
}

json VisitService::rates(const core::Actor& a, const std::string& weekKey) {
  const auto week = requireWeek(weekKey, core::localDay(env_.now()));
  auto c = env_.db->acquire();
  json items = json::array();
  std::int64_t led = 0, visited = 0;
  for (const auto& g : leaderWeeks(*c, a, week)) {
    led += g.led;
    visited += g.visited;
    items.push_back({{"leader_id", g.leader_id},
                     {"leader_name", g.leader_name},
                     {"led", g.led},
                     {"visited", g.visited},
                     {"rate_bp", rateBp(g.visited, g.led)}});
  }
  return {{"week", weekJson(week)},
          {"items", items},
          {"totals", {{"led", led}, {"visited", visited}, {"rate_bp", rateBp(visited, led)}}}};
}

}  // namespace steward::service
