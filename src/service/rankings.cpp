#include "service/rankings.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/audit_chain.h"
#include "core/period.h"
#include "core/rankings.h"
#include "core/reporting.h"
#include "core/validate.h"
#include "service/audit.h"
#include "service/cadence_rules.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "service/notify.h"
#include "service/ranking_rules.h"
#include "store/ranking_repo.h"
#include "store/rule_set_repo.h"

namespace steward::service {

using nlohmann::json;
namespace R = core::rankings;

namespace {

std::string fmtDay(std::int64_t days) {
  int y;
  unsigned m, d;
  core::civilFromDays(days, y, m, d);
  char b[32];
  std::snprintf(b, sizeof b, "%04d-%02u-%02u", y, m, d);
  return b;
}
std::int64_t dayNo(const std::string& iso) {
  return core::daysFromCivil(std::stoi(iso.substr(0, 4)), static_cast<unsigned>(std::stoi(iso.substr(5, 2))),
                             static_cast<unsigned>(std::stoi(iso.substr(8, 2))));
}
std::string shiftMonth(const std::string& m, int by) {
  int y = std::stoi(m.substr(0, 4)), mo = std::stoi(m.substr(5, 2)) - 1 + by;
  y += mo >= 0 ? mo / 12 : (mo - 11) / 12;
  mo = ((mo % 12) + 12) % 12;
  char b[32];
  std::snprintf(b, sizeof b, "%04d-%02d", y, mo + 1);
  return b;
}
std::string lastDay(const std::string& month) { return fmtDay(dayNo(shiftMonth(month, 1) + "-01") - 1); }

bool validMonth(const std::string& m) {
  if (m.size() != 7 || m[4] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6})
    if (m[i] < '0' || m[i] > '9') return false;
  const int y = std::stoi(m.substr(0, 4)), mo = std::stoi(m.substr(5, 2));
  return y >= kRankingYearMin && y <= kRankingYearMax && mo >= 1 && mo <= 12;
}
std::string requireMonth(const std::string& m) {
  if (!validMonth(m))
    throw ServiceError(ErrorKind::Validation, "validation_failed", "月份应为 YYYY-MM", {{"month", "invalid"}});
  return m;
}
int requireYear(const std::string& y, const std::string& today) {
  if (y.empty()) return std::stoi(today.substr(0, 4));
  bool digits = y.size() == 4 && std::all_of(y.begin(), y.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  const int n = digits ? std::stoi(y) : 0;
  if (!digits || n < kRankingYearMin || n > kRankingYearMax)
    throw ServiceError(ErrorKind::Validation, "validation_failed", "年份不正确", {{"year", "out_of_range"}});
  return n;
}

// The county the actor reads: its own, or one below a city's account given as ?region=.
std::string countyOf(const core::Actor& a, const std::string& region) {
  if (!(a.has("admin") || a.has("hq") || a.has("inspector") || a.has("viewer") || a.has("leader") || a.has("unit") ||
        a.has("liaison")))
    throw forbidden("只有县内各单位和上级可以查看排名");
  const std::string r = region.empty() ? a.region_code : region;
  if (r.size() > 12 || !core::inScope(a, r)) throw notFound("没有这个县的排名");
  auto [lo, hi] = core::scopeRange(r);
  if (lo != hi) throw ServiceError(ErrorKind::Validation, "validation_failed", "请指定县", {{"region", "required"}});
  return r;
}
void requireCloser(const core::Actor& a, const std::string& region) {
  if (!((a.has("hq") || a.has("admin")) && core::canWrite(a, core::WriteKind::Business, region)))
    throw forbidden("只有总指挥部可以关账排名和修订");
}

store::RankingWindow windowOf(store::Connection& c, const std::string& region, const std::string& month,
                              const std::string& today) {
  store::RankingWindow w;
  w.region = region;
  w.month = month;
  w.month_no = std::stoi(month.substr(5, 2));
  w.year_start = month.substr(0, 4) + "-01-01";
  w.month_start = month + "-01";
  w.month_end = lastDay(month);
  w.utc_start = fmtDay(dayNo(w.month_start) - 1) + "T16:00:00Z";
  w.utc_end = w.month_end + "T16:00:00Z";
  const auto cad = loadCadenceRules(c, region, today);
  w.report_deadline = core::formatTimestamp(core::deadlineOf(core::periodOf(core::Cadence::Month, w.month_start),
                                                             core::deadlineRuleOf(cad, core::Cadence::Month)));
  for (auto d = dayNo(w.month_start); d <= dayNo(w.month_end); ++d)
    if ((d + 3) % 7 == 6) w.weeks.push_back(core::periodOf(core::Cadence::Week, fmtDay(d)).key);  // a Sunday
  w.show_from = shiftMonth(month, -1) + "-01";
  return w;
}

struct RulesInForce {
  R::RankingRules rules;
  std::optional<std::int64_t> version;
};
RulesInForce rulesOf(store::Connection& c, const std::string& region, const std::string& day) {
  RulesInForce out;
  out.rules = loadRankingRules(c, region, day, &out.version);
  return out;
}

json figureJson(const R::Figure& f) {
  return {{"num", f.num}, {"den", f.den}, {"value", f.value ? json(*f.value) : json()}};
}

// The snapshot: every subject's figures for the rules' factors and its cards before, in a fixed order.
json snapshotOf(const R::RankingRules& rules, const std::vector<store::RankedSubject>& subjects,
                const std::map<std::int64_t, int>& before) {
  json out = json::array();
  for (const auto& s : subjects) {
    json figs = json::object();
    for (const auto& f : rules.factors) {
      auto it = s.figures.find(f.key);
      if (it != s.figures.end()) figs[f.key] = figureJson(it->second);
    }
    auto b = before.find(s.id);
    out.push_back({{"id", std::to_string(s.id)},
                   {"name", s.name},
                   {"cards_before", b == before.end() ? 0 : b->second},
                   {"figures", figs}});
  }
  return out;
}

std::vector<R::UnitInput> inputsOf(const json& snapshot) {
  std::vector<R::UnitInput> out;
  for (const auto& u : snapshot) {
    R::UnitInput in;
    in.id = u.at("id").get<std::string>();
    in.name = u.at("name").get<std::string>();
    in.cards_before = u.at("cards_before").get<int>();
    for (auto it = u.at("figures").begin(); it != u.at("figures").end(); ++it) {
      R::Figure f;
      f.num = it->at("num").get<std::int64_t>();
      f.den = it->at("den").get<std::int64_t>();
      if (!it->at("value").is_null()) f.value = it->at("value").get<std::int64_t>();
      in.figures[it.key()] = f;
    }
    out.push_back(std::move(in));
  }
  return out;
}

std::set<std::string> chosenSet(const json& chosen) {
  std::set<std::string> s;
  for (const auto& c : chosen) s.insert(std::to_string(c.get<std::int64_t>()));
  return s;
}

struct Computed {
  R::Ranking ranking;
  std::string rules, inputs, chosen, result, digest;
};
// Scores a snapshot under rules; the result's bytes and their digest.
Computed compute(const R::RankingRules& rules, const json& snapshot, const json& chosen) {
  Computed c;
  c.ranking = R::scoreUnits(rules, inputsOf(snapshot), chosenSet(chosen));
  c.rules = rankingRulesToJson(rules).dump();
  c.inputs = snapshot.dump();
  c.chosen = chosen.dump();
  c.result = rankingToJson(c.ranking).dump();
  c.digest = core::sha256Hex(c.result);
  return c;
}

json liveSnapshot(store::Connection& c, const R::RankingRules& rules, const store::RankingWindow& w) {
  store::RankingRepo repo(c);
  auto subjects = rules.subject == "project" ? repo.projectFigures(w) : repo.unitFigures(w);
  std::map<std::int64_t, int> before;
  if (rules.subject != "project") before = repo.cardsBefore(w.region, w.month);
  return snapshotOf(rules, subjects, before);
}

// The board's view of a result: names from the snapshot, labels and raw figures beside each factor.
json unitsJson(const json& rulesJ, const json& snapshot, const json& result) {
  std::map<std::string, std::string> labels;
  for (const auto& f : rulesJ.at("factors")) labels[f.at("key").get<std::string>()] = f.at("label").get<std::string>();
  std::map<std::string, const json*> byId;
  for (const auto& u : snapshot) byId[u.at("id").get<std::string>()] = &u;
  json out = json::array();
  for (const auto& u : result.at("units")) {
    const auto id = u.at("id").get<std::string>();
    const json* in = byId.count(id) ? byId[id] : nullptr;
    json factors = json::array();
    for (const auto& f : u.at("factors")) {
      const auto key = f.at("key").get<std::string>();
      json fig = in && in->at("figures").contains(key) ? in->at("figures").at(key) : json();
      factors.push_back({{"key", key},
                         {"label", labels[key]},
                         {"raw", f.at("raw")},
                         {"num", fig.is_object() ? fig.at("num") : json()},
                         {"den", fig.is_object() ? fig.at("den") : json()},
                         {"points", f.at("points")},
                         {"weight", f.at("weight")},
                         {"contribution", f.at("contribution")},
                         {"message", f.at("message")}});
    }
    out.push_back({{"id", std::stoll(id)},
                   {"name", in ? in->at("name") : json("")},
                   {"rank", u.at("rank")},
                   {"total", u.at("total")},
                   {"tied", u.at("tied")},
                   {"grade", u.at("grade")},
                   {"yellow_card", u.at("yellow_card")},
                   {"proposed", u.at("proposed")},
                   {"summons", u.at("summons")},
                   {"factors", factors},
                   {"message", u.at("message")}});
  }
  return out;
}

json rulesSummary(const json& rulesJ) {
  json factors = json::array();
  for (const auto& f : rulesJ.at("factors"))
    factors.push_back({{"key", f.at("key")}, {"label", f.at("label")}, {"weight", f.at("weight")},
                       {"measure", f.at("measure")}});
  return {{"subject", rulesJ.at("subject")}, {"factors", factors}, {"grades", rulesJ.at("grades")},
          {"yellow", rulesJ.at("yellow")}};
}

json revisionsJson(const std::vector<store::RevisionRecord>& rs) {
  json out = json::array();
  for (const auto& r : rs)
    out.push_back({{"revision", r.revision},
                   {"reason", r.reason},
                   {"created_at", r.created_at},
                   {"created_by_name", r.created_by_name},
                   {"digest", r.digest}});
  return out;
}

// Chosen unit ids: an array of at most kRankingChosenMax distinct integers.
json readChosen(const json& in, Validator& v) {
  json out = json::array();
  if (!in.contains("chosen") || in["chosen"].is_null()) return out;
  const auto& c = in["chosen"];
  if (!c.is_array()) {
    v.add("chosen", "invalid");
    return out;
  }
  if (c.size() > kRankingChosenMax) {
    v.add("chosen", "too_many");
    return out;
  }
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (!c[i].is_number_integer() || (c[i].is_number_unsigned() && c[i].get<std::uint64_t>() > (1ULL << 62))) {
      v.add("chosen[" + std::to_string(i) + "]", "invalid");
      continue;
    }
    if (seen.insert(c[i].get<std::int64_t>()).second) out.push_back(c[i].get<std::int64_t>());
  }
  return out;
}

// In Line mode headquarters chooses nothing; in Propose mode only from the proposed list.
void checkChosen(const R::RankingRules& rules, const Computed& c, const json& chosen) {
  if (chosen.empty()) return;
  Validator v;
  if (!rules.yellow.enabled || rules.yellow.mode != R::CardMode::Propose) {
    v.add("chosen", "not_propose_mode");
  } else {
    std::set<std::string> refused(c.ranking.refused.begin(), c.ranking.refused.end());
    for (std::size_t i = 0; i < chosen.size(); ++i)
      if (refused.count(std::to_string(chosen[i].get<std::int64_t>())))
        v.add("chosen[" + std::to_string(i) + "]", "not_proposed");
  }
  v.throwIfAny("只能从黄牌建议名单中选定");
}

std::vector<store::YellowCardRecord> cardsOf(const store::RankingWindow& w, const R::RankingRules& rules,
                                             const json& snapshot, const R::Ranking& r) {
  std::vector<store::YellowCardRecord> out;
  if (rules.subject == "project") return out;
  std::map<std::string, int> before;
  for (const auto& u : snapshot) before[u.at("id").get<std::string>()] = u.at("cards_before").get<int>();
  for (const auto& u : r.units)
    if (u.yellow_card)
      out.push_back({w.month, std::stoll(u.id), u.name, u.total, before[u.id] + 1, u.summons, 0});
  return out;
}

json cardsJson(const std::vector<store::YellowCardRecord>& cs) {
  json out = json::array();
  for (const auto& y : cs)
    out.push_back({{"month", y.month},
                   {"unit_id", y.unit_id},
                   {"unit_name", y.unit_name},
                   {"total", y.total},
                   {"in_a_row", y.in_a_row},
                   {"summons", y.summons},
                   {"revision", y.revision}});
  return out;
}

std::string monthText(const std::string& m) { return m.substr(0, 4) + "年" + std::to_string(std::stoi(m.substr(5))) + "月"; }

// Writes revision `n` of the month from the data and rules now, with its cards, audit entry and notifications.
json writeRevision(store::Connection& c, const Env& env, const core::Actor& a, const std::string& region,
                   const std::string& month, int n, const std::string& reason, const json& chosen,
                   const std::string& today, bool notifyUsers) {
  store::RankingRepo repo(c);
  const auto w = windowOf(c, region, month, today);
  const auto rif = rulesOf(c, region, today);
  const auto snapshot = liveSnapshot(c, rif.rules, w);
  const auto comp = compute(rif.rules, snapshot, chosen);
  checkChosen(rif.rules, comp, chosen);
  store::RevisionRecord rec;
  rec.region_code = region;
  rec.month = month;
  rec.revision = n;
  rec.reason = reason;
  rec.rule_set_version = rif.version;
  rec.rules = comp.rules;
  rec.inputs = comp.inputs;
  rec.chosen = comp.chosen;
  rec.result = comp.result;
  rec.digest = comp.digest;
  if (a.user_id > 0) rec.created_by = a.user_id;
  rec.created_at = env.nowIso();
  rec.id = repo.insertRevision(rec);
  const auto beforeCards = repo.cards(region, month);
  auto cards = cardsOf(w, rif.rules, snapshot, comp.ranking);
  repo.replaceCards(region, month, rec.id, cards, rec.created_at);
  for (auto& y : cards) y.revision = n;
  appendAudit(c, env, &a,
              {region, n == 1 ? "close" : "revise", "ranking", month,
               n == 1 ? json() : json{{"yellow_cards", cardsJson(beforeCards)}},
               {{"revision", n},
                {"reason", reason},
                {"digest", comp.digest},
                {"rule_set_version", rif.version ? json(*rif.version) : json()},
                {"chosen", chosen},
                {"yellow_cards", cardsJson(cards)}}});
  // The carded units' users, and headquarters on a summons.
  std::vector<std::int64_t> carded, summoned;
  for (const auto& y : cards) {
    carded.push_back(y.unit_id);
    if (y.summons) summoned.push_back(y.unit_id);
  }
  if (notifyUsers && !carded.empty()) {
    Notification nt{region, "yellow_card", monthText(month) + "排名：本单位被亮黄牌",
                    n == 1 ? "请查看排名明细并整改" : "排名修订（第" + std::to_string(n) + "版）：" + reason,
                    std::nullopt, a.user_id > 0 ? std::optional<std::int64_t>(a.user_id) : std::nullopt, "/rankings?month=" + month, std::nullopt};
    notify(c, nt, repo.usersOfUnits(region, carded), rec.created_at);
  }
  if (notifyUsers && !summoned.empty()) {
    std::string names;
    for (const auto& y : cards)
      if (y.summons) names += (names.empty() ? "" : "、") + y.unit_name;
    Notification nt{region, "summons", monthText(month) + "排名：连续黄牌，需约谈", names + " 连续黄牌达到约谈条件",
                    std::nullopt, a.user_id > 0 ? std::optional<std::int64_t>(a.user_id) : std::nullopt, "/rankings?month=" + month, std::nullopt};
    notify(c, nt, repo.headquartersUsers(region), rec.created_at);
  }
  return {{"month", month},
          {"revision", n},
          {"digest", comp.digest},
          {"yellow_cards", cardsJson(cards)},
          {"units", unitsJson(json::parse(comp.rules), snapshot, json::parse(comp.result))}};
}

}  // namespace

json RankingsService::board(const core::Actor& a, const std::string& monthIn, const std::string& regionIn) {
  const auto region = countyOf(a, regionIn);
  const auto today = core::localDay(env_.now());
  const auto month = monthIn.empty() ? shiftMonth(today.substr(0, 7), -1) : requireMonth(monthIn);
  auto c = env_.db->acquire();
  store::RankingRepo repo(*c);
  const auto revs = repo.revisions(region, month);
  json rulesJ, snapshot, result;
  json revision;
  if (revs.empty()) {
    const auto rif = rulesOf(*c, region, today);
    const auto w = windowOf(*c, region, month, today);
    snapshot = liveSnapshot(*c, rif.rules, w);
    const auto comp = compute(rif.rules, snapshot, json::array());
    rulesJ = json::parse(comp.rules);
    result = json::parse(comp.result);
  } else {
    const auto& r = revs.back();
    rulesJ = json::parse(r.rules);
    snapshot = json::parse(r.inputs);
    result = json::parse(r.result);
    revision = r.revision;
  }
  return {{"month", month},
          {"region_code", region},
          {"status", revs.empty() ? "open" : "closed"},
          {"subject", rulesJ.at("subject")},
          {"revision", revision},
          {"revisions", revisionsJson(revs)},
          {"units", unitsJson(rulesJ, snapshot, result)},
          {"refused", result.at("refused")},
          {"rules", rulesSummary(rulesJ)}};
}

json RankingsService::close(const core::Actor& a, const std::string& monthIn, const json& in, bool notifyUsers) {
  Validator v;
  if (!validMonth(monthIn)) v.add("month", "invalid");
  if (!in.is_object()) throw badRequest("请求体必须是 JSON 对象");
  for (auto it = in.begin(); it != in.end(); ++it)
    if (it.key() != "chosen") v.add(it.key(), "unknown_field");
  const auto chosen = readChosen(in, v);
  v.throwIfAny("请检查月份和选定的黄牌单位");
  const auto region = a.region_code;
  requireCloser(a, region);
  const auto today = core::localDay(env_.now());
  const auto month = monthIn;
  if (today <= lastDay(month))
    throw ServiceError(ErrorKind::Conflict, "month_not_ended", "本月尚未结束，不能关账排名",
                       {{"month", "not_ended"}});
  return writeTransaction(env_, region, [&](store::Connection& c) {
    if (store::RankingRepo(c).latest(region, month))
      throw ServiceError(ErrorKind::Conflict, "already_closed", "本月排名已关账，如需更正请发布修订",
                         {{"month", "already_closed"}});
    return writeRevision(c, env_, a, region, month, 1, "", chosen, today, notifyUsers);
  });
}

json RankingsService::revise(const core::Actor& a, const std::string& monthIn, const json& in) {
  Validator v;
  if (!validMonth(monthIn)) v.add("month", "invalid");
  JsonInput i(in, v);
  for (auto it = in.begin(); it != in.end(); ++it)
    if (it.key() != "chosen" && it.key() != "reason") v.add(it.key(), "unknown_field");
  auto reason = i.str("reason", true, kRankingReasonMax);
  if (reason && core::trimText(*reason).empty()) v.add("reason", "required");
  const auto chosen = readChosen(in, v);
  v.throwIfAny("请填写修订原因");
  const auto region = a.region_code;
  requireCloser(a, region);
  const auto today = core::localDay(env_.now());
  const std::string why(core::trimText(*reason));
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto last = store::RankingRepo(c).latest(region, monthIn);
    if (!last)
      throw ServiceError(ErrorKind::Conflict, "not_closed", "本月排名尚未关账，无需修订", {{"month", "not_closed"}});
    return writeRevision(c, env_, a, region, monthIn, last->revision + 1, why, chosen, today, true);
  });
}

json RankingsService::revision(const core::Actor& a, const std::string& month, int n, const std::string& regionIn) {
  const auto region = countyOf(a, regionIn);
  requireMonth(month);
  auto c = env_.db->acquire();
  auto r = store::RankingRepo(*c).revision(region, month, n);
  if (!r) throw notFound("没有这一版排名");
  return {{"month", r->month},
          {"revision", r->revision},
          {"reason", r->reason},
          {"rule_set_version", r->rule_set_version ? json(*r->rule_set_version) : json()},
          {"created_at", r->created_at},
          {"created_by_name", r->created_by_name},
          {"rules", json::parse(r->rules)},
          {"inputs", json::parse(r->inputs)},
          {"chosen", json::parse(r->chosen)},
          {"result", json::parse(r->result)},
          {"digest", r->digest}};
}

json RankingsService::verify(const core::Actor& a, const std::string& month, int n, const std::string& regionIn) {
  const auto region = countyOf(a, regionIn);
  requireMonth(month);
  auto c = env_.db->acquire();
  auto r = store::RankingRepo(*c).revision(region, month, n);
  if (!r) throw notFound("没有这一版排名");
  auto rules = rankingRulesFromJson(json::parse(r->rules));
  std::string recomputed;
  if (rules) {
    const auto comp = compute(*rules, json::parse(r->inputs), json::parse(r->chosen));
    recomputed = comp.digest;
  }
  return {{"month", month},
          {"revision", n},
          {"identical", !recomputed.empty() && recomputed == r->digest && core::sha256Hex(r->result) == r->digest},
          {"digest", r->digest},
          {"recomputed_digest", recomputed}};
}

json RankingsService::trend(const core::Actor& a, const std::string& yearIn, const std::string& regionIn) {
  const auto region = countyOf(a, regionIn);
  const int year = requireYear(yearIn, core::localDay(env_.now()));
  auto c = env_.db->acquire();
  const auto revs = store::RankingRepo(*c).inForceOfYear(region, year);
  json months = json::array();
  std::map<std::string, std::pair<std::string, std::map<std::string, json>>> units;  // id → name, month → point
  std::vector<std::string> order;
  for (const auto& r : revs) {
    months.push_back(r.month);
    std::map<std::string, std::string> names;
    for (const auto& u : json::parse(r.inputs)) names[u.at("id").get<std::string>()] = u.at("name").get<std::string>();
    const auto result = json::parse(r.result);
    for (const auto& u : result.at("units")) {
      const auto id = u.at("id").get<std::string>();
      if (!units.count(id)) order.push_back(id);
      auto& e = units[id];
      e.first = names[id];
      e.second[r.month] = {{"month", r.month},
                           {"total", u.at("total")},
                           {"rank", u.at("rank")},
                           {"grade", u.at("grade")},
                           {"yellow_card", u.at("yellow_card")}};
    }
  }
  json out = json::array();
  for (const auto& id : order) {
    json points = json::array();
    for (const auto& m : months) {
      auto it = units[id].second.find(m.get<std::string>());
      points.push_back(it == units[id].second.end() ? json() : it->second);
    }
    out.push_back({{"id", std::stoll(id)}, {"name", units[id].first}, {"points", points}});
  }
  return {{"year", year}, {"months", months}, {"units", out}};
}

json RankingsService::unit(const core::Actor& a, const std::string& month, std::int64_t unitId,
                           const std::string& regionIn) {
  const auto region = countyOf(a, regionIn);
  requireMonth(month);
  const auto today = core::localDay(env_.now());
  auto board = this->board(a, month, region);
  auto c = env_.db->acquire();
  store::RankingRepo repo(*c);
  auto name = repo.unitName(region, unitId);
  if (!name) throw notFound("没有这个单位");
  json score;
  for (const auto& u : board.at("units"))
    if (u.at("id").get<std::int64_t>() == unitId) score = u;
  json projects = json::array();
  const auto w = windowOf(*c, region, month, today);
  for (const auto& p : repo.unitProjects(w, unitId))
    projects.push_back({{"id", p.id},
                        {"name", p.name},
                        {"plan_investment", p.plan},
                        {"done_investment", p.done},
                        {"planned_start", p.planned_start},
                        {"started", p.started},
                        {"reports_due", p.reports_due},
                        {"reports_on_time", p.reports_on_time},
                        {"visits_due", p.visits_due},
                        {"visits_done", p.visits_done},
                        {"letters_due", p.letters_due},
                        {"letters_in_time", p.letters_in_time},
                        {"problems_due", p.problems_due},
                        {"problems_solved", p.problems_solved}});
  return {{"month", month},
          {"status", board.at("status")},
          {"revision", board.at("revision")},
          {"unit", {{"id", unitId}, {"name", *name}}},
          {"score", score},
          {"projects", projects}};
}

json RankingsService::yellowCards(const core::Actor& a, const std::string& yearIn, const std::string& regionIn) {
  const auto region = countyOf(a, regionIn);
  const int year = requireYear(yearIn, core::localDay(env_.now()));
  auto c = env_.db->acquire();
  auto cs = store::RankingRepo(*c).cardsOfYear(region, year, kYellowCardsMax + 1);
  const bool truncated = cs.size() > static_cast<std::size_t>(kYellowCardsMax);
  if (truncated) cs.resize(kYellowCardsMax);
  return {{"year", year}, {"items", cardsJson(cs)}, {"truncated", truncated}};
}

}  // namespace steward::service
