#include "service/awards.h"

#include <map>
#include <set>

#include "core/period.h"
#include "core/rankings.h"
#include "core/time.h"
#include "core/validate.h"
#include "core/workdays.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "service/ranking_rules.h"
#include "store/ledger_repo.h"
#include "store/rule_set_repo.h"

namespace steward::service {

using nlohmann::json;
namespace R = core::rankings;

namespace {

struct Quarter {
  int year = 0, q = 0;
  std::string start, end;
};

std::optional<Quarter> parseQuarter(const std::string& s) {
  // Years 2000..2099: the quarter's last day is the day before the next one starts.
  if (s.size() != 7 || s[4] != '-' || s[5] != 'Q' || s[6] < '1' || s[6] > '4' || s.compare(0, 2, "20") != 0)
    return std::nullopt;
  if (!core::parseIsoDay(s.substr(0, 4) + "-01-01")) return std::nullopt;
  Quarter out;
  out.year = std::stoi(s.substr(0, 4));
  out.q = s[6] - '0';
  char b[16];
  std::snprintf(b, sizeof b, "%04d-%02d-01", out.year, (out.q - 1) * 3 + 1);
  out.start = b;
  if (out.q == 4) std::snprintf(b, sizeof b, "%04d-01-01", out.year + 1);
  else std::snprintf(b, sizeof b, "%04d-%02d-01", out.year, out.q * 3 + 1);
  out.end = core::addDays(b, -1);
  return out;
}

Quarter checkQuarter(const std::string& s) {
  auto q = parseQuarter(s);
  if (!q) throw ServiceError(ErrorKind::Validation, "validation_failed", "季度格式应为 YYYY-Qn", {{"quarter", "invalid"}});
  return *q;
}

bool countyUser(const core::Actor& a) {
  auto [lo, hi] = core::scopeRange(a.region_code);
  return lo == hi;
}
bool isHq(const core::Actor& a) {
  return (a.has("hq") || a.has("admin")) && core::canWrite(a, core::WriteKind::Business, a.region_code) &&
         countyUser(a);
}
void requireReader(const core::Actor& a) {
  if (a.has("admin") || a.has("hq") || a.has("inspector") || a.has("viewer") || a.has("leader") || !countyUser(a))
    return;
  throw forbidden("只有总指挥部、督查组、县领导和上级可以查看季度奖励");
}

R::RankingRules loadRules(store::Connection& c, const std::string& region, const std::string& day) {
  auto rec = store::RuleSetRepository(c).inForce(region, "rankings", day);
  if (rec) {
    auto j = json::parse(rec->body, nullptr, false);
    if (!j.is_discarded())
      if (auto r = rankingRulesFromJson(j)) return *r;
  }
  return defaultRankingRules();
}

bool within(const std::optional<std::string>& d, const Quarter& q) {
  return d && d->size() >= 10 && d->substr(0, 10) >= q.start && d->substr(0, 10) <= q.end;
}

std::vector<R::AwardFact> gatherFacts(store::Connection& c, const std::string& region, const Quarter& q) {
  std::vector<R::AwardFact> facts;
  store::AwardRepo repo(c);
  for (const auto& r : repo.projectFacts(region, q.year, std::to_string(q.year) + "-01-01", q.end).rows) {
    R::AwardFact f;
    f.id = r.str("id");
    f.name = r.str("name");
    f.project = true;
    f.figures["started"] = within(r.optStr("actual_start"), q) ? 1 : 0;
    f.figures["completed"] = within(r.optStr("actual_completion"), q) ? 1 : 0;
    if (auto plan = r.i64("plan"); plan > 0) f.figures["progress_bp"] = r.i64("done") * R::kFull / plan;
    facts.push_back(f);
  }
  std::map<std::int64_t, R::AwardFact> units;
  store::LedgerRepo ledgers(c);
  auto unit = [&](std::int64_t id) -> R::AwardFact& {
    auto& f = units[id];
    if (f.id.empty()) {
      f.id = std::to_string(id);
      f.name = ledgers.unitName(id, region).value_or("");
      f.project = false;
    }
    return f;
  };
  for (const auto& r : store::ShowResultsRepo(c).closedMarks(region, q.start, q.end).rows)
    if (r.i64("n") > 0) unit(r.i64("unit_id")).figures["service_mark"] = r.i64("total") / r.i64("n");
  for (const auto& r : repo.landFacts(region, q.end).rows)
    if (r.i64("n") > 0) unit(r.i64("unit_id")).figures["land_bp"] = r.i64("solved") * R::kFull / r.i64("n");
  for (auto& [id, f] : units) facts.push_back(f);
  return facts;
}

std::string labelOf(const R::RankingRules& rules, const std::string& key) {
  for (const auto& a : rules.awards)
    if (a.key == key) return a.label;
  return key;
}

json decisionJson(const store::AwardDecision& d) {
  return {{"quarter", d.quarter},          {"award", d.award},           {"subject_kind", d.subject_kind},
          {"subject_id", d.subject_id},    {"subject_name", d.subject_name}, {"figure", d.figure},
          {"amount_fen", d.amount_fen},    {"note", d.note},             {"decided_by_name", d.decided_by_name},
          {"decided_at", d.decided_at}};
}

json decisionsJson(const std::vector<store::AwardDecision>& ds) {
  json out = json::array();
  for (const auto& d : ds) out.push_back(decisionJson(d));
  return out;
}

}  // namespace

json AwardService::quarter(const core::Actor& a, const std::string& quarter) {
  auto q = checkQuarter(quarter);
  requireReader(a);
  const auto today = core::localDay(env_.now());
  auto c = env_.db->acquire();
  auto rules = loadRules(*c, a.region_code, q.end);
  auto cands = R::awardCandidates(rules, gatherFacts(*c, a.region_code, q), quarter);
  json cs = json::array();
  for (const auto& x : cands)
    cs.push_back({{"award", x.award},
                  {"label", labelOf(rules, x.award)},
                  {"subject_kind", R::awardForProjects(x.award) ? "project" : "unit"},
                  {"id", std::stoll(x.id)},
                  {"name", x.name},
                  {"figure", x.figure},
                  {"message", x.message}});
  auto ds = store::AwardRepo(*c).ofQuarter(a.region_code, quarter);
  return {{"quarter", quarter},
          {"start", q.start},
          {"end", q.end},
          {"ended", today > q.end},
          {"candidates", cs},
          {"decisions", decisionsJson(ds)},
          {"confirmed", !ds.empty()},
          {"can_confirm", isHq(a) && today > q.end}};
}

json AwardService::confirm(const core::Actor& a, const std::string& quarter, const json& in) {
  auto q = checkQuarter(quarter);
  Validator v;
  JsonInput i(in, v);
  struct Item {
    std::string award, kind;
    std::int64_t id = 0, amount = 0;
    std::string note;
  };
  std::vector<Item> items;
  if (const auto* arr = i.array("items", true, kAwardItemsMax)) {
    std::set<std::string> seen;
    for (std::size_t k = 0; k < arr->size(); ++k) {
      const auto p = "items[" + std::to_string(k) + "].";
      if (!(*arr)[k].is_object()) {
        v.addType("items[" + std::to_string(k) + "]", "must_be_object");
        continue;
      }
      JsonInput ei((*arr)[k], v, p);
      auto award = ei.str("award", true, core::limits::kCode);
      auto kind = ei.str("subject_kind", true, core::limits::kCode);
      auto id = ei.i64("subject_id", true);
      auto amount = ei.i64("amount_fen", true);
      auto note = ei.str("note", false, kAwardNoteMax);
      if (amount && (*amount < 0 || *amount > kAwardAmountMaxFen)) v.add(p + "amount_fen", "out_of_range");
      if (award && kind && id && amount && (*amount >= 0 && *amount <= kAwardAmountMaxFen)) {
        if (!seen.insert(*award + ":" + *kind + ":" + std::to_string(*id)).second) v.add(p + "subject_id", "duplicate");
        items.push_back({*award, *kind, *id, *amount, note.value_or("")});
      }
    }
  }
  v.throwIfAny("请检查奖励项目和金额（分，0 至 10^10）");
  if (!isHq(a)) throw forbidden("季度奖励由县总指挥部确认");
  const auto today = core::localDay(env_.now());
  if (today <= q.end)
    throw ServiceError(ErrorKind::Conflict, "quarter_not_ended", "季度结束后才能确认奖励", {{"quarter", "not_ended"}});
  const auto region = a.region_code;
  const auto nowIso = env_.nowIso();
  writeTransaction(env_, region, [&](store::Connection& c) {
    auto rules = loadRules(c, region, q.end);
    auto cands = R::awardCandidates(rules, gatherFacts(c, region, q), quarter);
    std::map<std::string, const R::AwardCandidate*> byKey;
    for (const auto& x : cands)
      byKey[x.award + ":" + (R::awardForProjects(x.award) ? "project" : "unit") + ":" + x.id] = &x;
    Validator v2;
    std::vector<store::AwardDecision> ds;
    for (std::size_t k = 0; k < items.size(); ++k) {
      auto it = byKey.find(items[k].award + ":" + items[k].kind + ":" + std::to_string(items[k].id));
      if (it == byKey.end()) {
        v2.add("items[" + std::to_string(k) + "]", "not_candidate");
        continue;
      }
      store::AwardDecision d;
      d.quarter = quarter;
      d.award = items[k].award;
      d.subject_kind = items[k].kind;
      d.subject_id = items[k].id;
      d.subject_name = it->second->name;
      d.figure = it->second->figure;
      d.amount_fen = items[k].amount;
      d.note = items[k].note;
      d.decided_by = a.user_id;
      d.decided_at = nowIso;
      ds.push_back(d);
    }
    v2.throwIfAny("只能确认本季度的奖励候选");
    store::AwardRepo repo(c);
    auto before = repo.ofQuarter(region, quarter);
    repo.replace(region, quarter, ds);
    auto brief = [](const std::vector<store::AwardDecision>& xs) {
      json out = json::array();
      for (const auto& d : xs)
        out.push_back({{"award", d.award}, {"subject_kind", d.subject_kind}, {"subject_id", d.subject_id},
                       {"amount_fen", d.amount_fen}, {"note", d.note}});
      return out;
    };
    appendAudit(c, env_, &a,
                {region, "confirm", "awards", quarter, {{"decisions", brief(before)}}, {{"decisions", brief(ds)}}});
    return 0;
  });
  return this->quarter(a, quarter);
}

json AwardService::registerOf(const core::Actor& a, const std::string& year) {
  if (!(year.size() == 4 && core::parseIsoDay(year + "-01-01")))
    throw ServiceError(ErrorKind::Validation, "validation_failed", "年份格式应为 YYYY", {{"year", "invalid"}});
  requireReader(a);
  auto c = env_.db->acquire();
  auto ds = store::AwardRepo(*c).ofYear(a.region_code, year);
  std::int64_t total = 0;
  for (const auto& d : ds) total += d.amount_fen;
  return {{"year", year}, {"items", decisionsJson(ds)}, {"total_fen", total}};
}

}  // namespace steward::service
