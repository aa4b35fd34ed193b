#include "service/ranking_rules.h"

#include <set>

#include "core/limits.h"
#include "core/validate.h"
#include "service/profile.h"  // attachInherited
#include "service/rules.h"
#include "store/rule_set_repo.h"

namespace steward::service {

using nlohmann::json;
namespace R = core::rankings;

namespace {

constexpr std::size_t kMaxFactors = 20;
constexpr std::size_t kMaxBands = 10;
constexpr std::int64_t kMaxRaw = 1000000;

R::Factor factor(const char* key, const char* label, std::int64_t weight, R::Measure m = R::Measure::Ratio) {
  R::Factor f;
  f.key = key;
  f.label = label;
  f.weight = weight;
  f.measure = m;
  // A unit with nothing due in the month (no start planned, no report, visit, problem or letter due) missed
  // nothing: full marks, not none. Investment has a plan whenever a unit leads a project.
  const std::string k = key;
  f.missing_full = k == "start" || k == "reports" || k == "visits" || k == "problems" || k == "letters";
  return f;
}

R::AwardRule award(const char* key, const char* label, std::int64_t min, std::int64_t max) {
  R::AwardRule a;
  a.key = key;
  a.label = label;
  a.min = min;
  a.max = max;
  return a;
}

bool codeLike(const std::string& s) {
  if (s.empty()) return false;
  for (char ch : s)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  return true;
}

struct Reader {
  std::vector<FieldError>& errs;
  void add(std::string f, std::string r) { errs.push_back({std::move(f), std::move(r)}); }
  void flag(const json& o, const char* k, const std::string& path, bool& out) {
    if (!o.contains(k) || o[k].is_null()) return;
    if (!o[k].is_boolean()) add(path, "invalid");
    else out = o[k].get<bool>();
  }
  void integer(const json& o, const char* k, const std::string& path, std::int64_t lo, std::int64_t hi,
               std::int64_t& out) {
    if (!o.contains(k) || o[k].is_null()) return;
    if (!o[k].is_number_integer()) add(path, "invalid");
    else if (o[k].get<std::int64_t>() < lo || o[k].get<std::int64_t>() > hi) add(path, "out_of_range");
    else out = o[k].get<std::int64_t>();
  }
  void text(const json& o, const char* k, const std::string& path, std::size_t cap, std::string& out) {
    if (!o.contains(k) || o[k].is_null()) return;
    if (!o[k].is_string()) add(path, "invalid");
    else if (core::textLength(o[k].get<std::string>()) > cap) add(path, "too_long");
    else out = o[k].get<std::string>();
  }
  // One of `keys`; else unknown_value.
  void choice(const json& o, const char* k, const std::string& path, std::initializer_list<const char*> keys,
              std::string& out) {
    std::string v = out;
    const auto before = errs.size();
    text(o, k, path, core::limits::kCode, v);
    if (errs.size() != before) return;
    for (const char* x : keys)
      if (v == x) {
        out = v;
        return;
      }
    add(path, "unknown_value");
  }
  void onlyKeys(const json& o, const std::string& path, std::initializer_list<const char*> keys) {
    for (auto it = o.begin(); it != o.end(); ++it) {
      bool ok = false;
      for (const char* k : keys) ok = ok || it.key() == k;
      if (!ok) add(path + "." + it.key(), "unknown_field");
    }
  }
  bool object(const json& o, const char* k, const std::string& path) {
    if (!o.contains(k) || o[k].is_null()) return false;
    if (!o[k].is_object()) {
      add(path, "invalid");
      return false;
    }
    return true;
  }
  bool array(const json& o, const char* k, const std::string& path, std::size_t cap) {
    if (!o.contains(k) || o[k].is_null()) return false;
    if (!o[k].is_array()) {
      add(path, "invalid");
      return false;
    }
    if (o[k].size() > cap) {
      add(path, "too_many");
      return false;
    }
    return true;
  }

  void factorAt(const json& f, const std::string& path, R::Factor& out) {
    if (!f.is_object()) {
      add(path, "invalid");
      return;
    }
    onlyKeys(f, path, {"key", "label", "weight", "measure", "curve", "target", "bands", "per_item", "missing"});
    text(f, "key", path + ".key", core::limits::kCode, out.key);
    if (!codeLike(out.key)) add(path + ".key", out.key.empty() ? "required" : "invalid");
    text(f, "label", path + ".label", core::limits::kShortText, out.label);
    if (out.label.empty()) add(path + ".label", "required");
    if (!f.contains("weight")) add(path + ".weight", "required");
    integer(f, "weight", path + ".weight", 0, 100, out.weight);
    std::string measure = R::measureKey(out.measure), curve = R::curveKey(out.curve), missing = "zero";
    choice(f, "measure", path + ".measure", {"ratio", "mark", "count"}, measure);
    choice(f, "curve", path + ".curve", {"linear", "bands", "deduct"}, curve);
    choice(f, "missing", path + ".missing", {"zero", "full"}, missing);
    out.measure = measure == "mark" ? R::Measure::Mark : measure == "count" ? R::Measure::Count : R::Measure::Ratio;
    out.curve = curve == "bands" ? R::Curve::Bands : curve == "deduct" ? R::Curve::Deduct : R::Curve::Linear;
    out.missing_full = missing == "full";
    integer(f, "target", path + ".target", 1, kMaxRaw, out.target);
    integer(f, "per_item", path + ".per_item", 0, R::kFull, out.per_item);
    if (array(f, "bands", path + ".bands", kMaxBands)) {
      out.bands.clear();
      for (std::size_t j = 0; j < f["bands"].size(); ++j) {
        const auto& b = f["bands"][j];
        const std::string bp = path + ".bands[" + std::to_string(j) + "]";
        if (!b.is_object()) {
          add(bp, "invalid");
          continue;
        }
        onlyKeys(b, bp, {"min", "points"});
        R::Band band;
        if (!b.contains("min")) add(bp + ".min", "required");
        if (!b.contains("points")) add(bp + ".points", "required");
        integer(b, "min", bp + ".min", 0, kMaxRaw, band.min);
        integer(b, "points", bp + ".points", 0, R::kFull, band.points);
        if (!out.bands.empty() && band.min >= out.bands.back().min) add(bp + ".min", "not_descending");
        out.bands.push_back(band);
      }
    }
    if (out.curve == R::Curve::Bands && out.bands.empty()) add(path + ".bands", "required");
    if (out.curve == R::Curve::Deduct && out.per_item == 0) add(path + ".per_item", "required");
  }
};

std::optional<R::RankingRules> parse(const json& j, std::vector<FieldError>& errs) {
  const auto before = errs.size();
  Reader r{errs};
  if (!j.is_object()) {
    r.add("body", "invalid");
    return std::nullopt;
  }
  r.onlyKeys(j, "body", {"preset", "subject", "factors", "tie_break", "grades", "yellow", "awards", "ledger", "inherited"});
  R::RankingRules out = defaultRankingRules();
  std::string preset;
  r.text(j, "preset", "body.preset", core::limits::kCode, preset);
  r.choice(j, "subject", "body.subject", {"unit", "project"}, out.subject);
  if (r.array(j, "factors", "body.factors", kMaxFactors)) {
    out.factors.clear();
    if (j["factors"].empty()) r.add("body.factors", "required");
    std::set<std::string> keys;
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < j["factors"].size(); ++i) {
      const std::string path = "body.factors[" + std::to_string(i) + "]";
      R::Factor f;
      f.target = R::kFull;
      r.factorAt(j["factors"][i], path, f);
      if (!f.key.empty() && !keys.insert(f.key).second) r.add(path + ".key", "duplicate");
      sum += f.weight;
      out.factors.push_back(std::move(f));
    }
    if (errs.size() == before && sum != 100) r.add("body.factors", "weights_not_100");
  }
  if (r.array(j, "tie_break", "body.tie_break", kMaxFactors)) {
    out.tie_break.clear();
    for (std::size_t i = 0; i < j["tie_break"].size(); ++i) {
      const std::string path = "body.tie_break[" + std::to_string(i) + "]";
      const auto& v = j["tie_break"][i];
      if (!v.is_string()) {
        r.add(path, "invalid");
        continue;
      }
      bool known = false;
      for (const auto& f : out.factors) known = known || f.key == v.get<std::string>();
      if (!known) r.add(path, "unknown_factor");
      else out.tie_break.push_back(v.get<std::string>());
    }
  } else {
    // Defaults name default factors; keep only those the body's factors still have.
    std::vector<std::string> kept;
    for (const auto& k : out.tie_break)
      for (const auto& f : out.factors)
        if (f.key == k) kept.push_back(k);
    out.tie_break = kept;
  }
  if (r.object(j, "grades", "body.grades")) {
    const auto& g = j["grades"];
    r.onlyKeys(g, "body.grades", {"mode", "excellent_min", "poor_below", "excellent_share", "poor_share"});
    std::string mode = out.grades.mode == R::GradeMode::Shares ? "shares" : "thresholds";
    r.choice(g, "mode", "body.grades.mode", {"thresholds", "shares"}, mode);
    out.grades.mode = mode == "shares" ? R::GradeMode::Shares : R::GradeMode::Thresholds;
    r.integer(g, "excellent_min", "body.grades.excellent_min", 0, R::kFull, out.grades.excellent_min);
    r.integer(g, "poor_below", "body.grades.poor_below", 0, R::kFull, out.grades.poor_below);
    r.integer(g, "excellent_share", "body.grades.excellent_share", 0, 100, out.grades.excellent_share);
    r.integer(g, "poor_share", "body.grades.poor_share", 0, 100, out.grades.poor_share);
    if (out.grades.poor_below > out.grades.excellent_min) r.add("body.grades.poor_below", "above_excellent");
    if (out.grades.excellent_share + out.grades.poor_share > 100) r.add("body.grades.poor_share", "shares_over_100");
  }
  if (r.object(j, "yellow", "body.yellow")) {
    const auto& y = j["yellow"];
    r.onlyKeys(y, "body.yellow", {"enabled", "mode", "line", "propose", "summons_after"});
    r.flag(y, "enabled", "body.yellow.enabled", out.yellow.enabled);
    std::string mode = out.yellow.mode == R::CardMode::Propose ? "propose" : "line";
    r.choice(y, "mode", "body.yellow.mode", {"line", "propose"}, mode);
    out.yellow.mode = mode == "propose" ? R::CardMode::Propose : R::CardMode::Line;
    r.integer(y, "line", "body.yellow.line", 0, R::kFull, out.yellow.line);
    r.integer(y, "propose", "body.yellow.propose", 0, 100, out.yellow.propose);
    r.integer(y, "summons_after", "body.yellow.summons_after", 0, 24, out.yellow.summons_after);
  }
  if (r.object(j, "awards", "body.awards")) {
    const auto& a = j["awards"];
    r.onlyKeys(a, "body.awards", {"start", "progress", "completion", "service", "land"});
    for (auto& rule : out.awards) {
      const std::string path = "body.awards." + rule.key;
      if (!r.object(a, rule.key.c_str(), path)) continue;
      const auto& o = a[rule.key];
      r.onlyKeys(o, path, {"enabled", "label", "min", "max"});
      r.flag(o, "enabled", path + ".enabled", rule.enabled);
      r.text(o, "label", path + ".label", core::limits::kShortText, rule.label);
      if (rule.label.empty()) r.add(path + ".label", "required");
      r.integer(o, "min", path + ".min", 0, kMaxRaw, rule.min);
      r.integer(o, "max", path + ".max", 0, 1000, rule.max);
    }
  }
  // The five accounts' due days (五账法): days of the month, 0 for hand_in = the last Monday-to-Friday day.
  if (r.object(j, "ledger", "body.ledger")) {
    const auto& l = j["ledger"];
    r.onlyKeys(l, "body.ledger", {"set_up_day", "sort_day", "reconcile_day", "hand_in_day", "settle_day"});
    r.integer(l, "set_up_day", "body.ledger.set_up_day", 1, 31, out.ledger.set_up_day);
    r.integer(l, "sort_day", "body.ledger.sort_day", 1, 31, out.ledger.sort_day);
    r.integer(l, "reconcile_day", "body.ledger.reconcile_day", 1, 31, out.ledger.reconcile_day);
    r.integer(l, "hand_in_day", "body.ledger.hand_in_day", 0, 31, out.ledger.hand_in_day);
    r.integer(l, "settle_day", "body.ledger.settle_day", 1, 31, out.ledger.settle_day);
    const auto& d = out.ledger;
    const auto handIn = d.hand_in_day == 0 ? 31 : d.hand_in_day;
    if (!(d.set_up_day <= d.sort_day && d.sort_day <= d.reconcile_day && d.reconcile_day <= handIn))
      r.add("body.ledger", "steps_out_of_order");
  }
  if (errs.size() != before) return std::nullopt;
  return out;
}

json inheritedItem(const char* path, const char* from, const std::string& note) {
  return {{"path", path}, {"from", from}, {"note", "本县报告未涉及，沿用" + note}};
}

json presetBody(const char* name, const R::RankingRules& r, json inherited) {
  auto body = rankingRulesToJson(r);
  body["preset"] = name;
  body["inherited"] = std::move(inherited);
  return body;
}

const char* kGrades = "默认：总分90分及以上为优、60分以下为差";
const char* kYellow = "默认：总分低于60分亮黄牌，连续3个月黄牌约谈主要负责人";
const char* kAwards = "衡东县的季度开工奖、进度奖、竣工奖、服务奖和征地拆迁奖";

}  // namespace

R::RankingRules loadRankingRules(store::Connection& c, const std::string& region, const std::string& day,
                                 std::optional<std::int64_t>* version) {
  if (version) version->reset();
  auto rec = store::RuleSetRepository(c).inForce(region, "rankings", day);
  if (rec) {
    auto j = json::parse(rec->body, nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
      j.erase("preset");
      j.erase("inherited");
      if (auto r = rankingRulesFromJson(j)) {
        if (version) *version = rec->version;
        return *r;
      }
    }
  }
  return defaultRankingRules();
}

R::RankingRules defaultRankingRules() {
  R::RankingRules r;
  r.factors = {factor("investment", "投资完成率", 30), factor("start", "开工率", 20),
               factor("reports", "按时报送率", 15),    factor("visits", "领导走访率", 10),
               factor("problems", "问题解决率", 15),   factor("letters", "函件按时答复率", 10)};
  r.tie_break = {"investment", "start"};
  // [Hengdong 004] 每季必考: 开工奖、进度奖、竣工奖（项目），服务奖、征地拆迁奖（部门和乡镇）.
  r.awards = {award("start", "开工奖", 1, 0), award("progress", "进度奖", R::kFull, 0),
              award("completion", "竣工奖", 1, 0), award("service", "服务奖", 9000, 3),
              award("land", "征地拆迁奖", R::kFull, 3)};
  return r;
}

json rankingRulesToJson(const R::RankingRules& r) {
  json factors = json::array();
  for (const auto& f : r.factors) {
    json bands = json::array();
    for (const auto& b : f.bands) bands.push_back({{"min", b.min}, {"points", b.points}});
    factors.push_back({{"key", f.key},
                       {"label", f.label},
                       {"weight", f.weight},
                       {"measure", R::measureKey(f.measure)},
                       {"curve", R::curveKey(f.curve)},
                       {"target", f.target},
                       {"bands", bands},
                       {"per_item", f.per_item},
                       {"missing", f.missing_full ? "full" : "zero"}});
  }
  json awards = json::object();
  for (const auto& a : r.awards)
    awards[a.key] = {{"enabled", a.enabled}, {"label", a.label}, {"min", a.min}, {"max", a.max}};
  return {{"subject", r.subject},
          {"factors", factors},
          {"tie_break", r.tie_break},
          {"grades",
           {{"mode", r.grades.mode == R::GradeMode::Shares ? "shares" : "thresholds"},
            {"excellent_min", r.grades.excellent_min},
            {"poor_below", r.grades.poor_below},
            {"excellent_share", r.grades.excellent_share},
            {"poor_share", r.grades.poor_share}}},
          {"yellow",
           {{"enabled", r.yellow.enabled},
            {"mode", r.yellow.mode == R::CardMode::Propose ? "propose" : "line"},
            {"line", r.yellow.line},
            {"propose", r.yellow.propose},
            {"summons_after", r.yellow.summons_after}}},
          {"awards", awards},
          {"ledger",
           {{"set_up_day", r.ledger.set_up_day},
            {"sort_day", r.ledger.sort_day},
            {"reconcile_day", r.ledger.reconcile_day},
            {"hand_in_day", r.ledger.hand_in_day},
            {"settle_day", r.ledger.settle_day}}}};
}

std::optional<R::RankingRules> rankingRulesFromJson(const json& body, std::vector<FieldError>* errs) {
  std::vector<FieldError> local;
  return parse(body, errs ? *errs : local);
}

json rankingToJson(const R::Ranking& r) {
  json units = json::array();
  for (const auto& u : r.units) {
    json factors = json::array();
    for (const auto& f : u.factors)
      factors.push_back({{"key", f.key},
                         {"raw", f.raw ? json(*f.raw) : json()},
                         {"points", f.points},
                         {"weight", f.weight},
                         {"contribution", f.contribution},
                         {"message", f.message}});
    units.push_back({{"id", u.id},
                     {"rank", u.rank},
                     {"total", u.total},
                     {"tied", u.tied},
                     {"grade", u.grade},
                     {"yellow_card", u.yellow_card},
                     {"proposed", u.proposed},
                     {"summons", u.summons},
                     {"factors", factors},
                     {"message", u.message}});
  }
  return {{"units", units}, {"refused", r.refused}};
}

json awardCandidatesToJson(const std::vector<R::AwardCandidate>& c) {
  json out = json::array();
  for (const auto& a : c)
    out.push_back({{"award", a.award}, {"id", a.id}, {"figure", a.figure}, {"message", a.message}});
  return out;
}

RuleKind rankingsKind() {
  RuleKind k;
  k.name = "rankings";
  k.title = "排名考核与奖惩";
  k.normalise = [](const json& body, std::vector<FieldError>& errs) {
    auto r = parse(body, errs);
    if (!r) return json();
    auto out = rankingRulesToJson(*r);
    out["preset"] = body.value("preset", json("")).is_string() ? body.value("preset", "") : "";
    return attachInherited(out, body, errs) ? out : json();
  };
  const auto defaults = defaultRankingRules();
  // [Zhuxi 000] 月月拉练比贡献: the drill scores projects by judges' marks on progress, investment, output, brand and
  // site (进度、投资、产出、品牌、现场), equally weighted; the report gives no grades or cards.
  {
    auto r = defaults;
    r.subject = "project";
    r.factors = {factor("progress", "形象进度", 20, R::Measure::Mark), factor("investment", "投资完成", 20, R::Measure::Mark),
                 factor("output", "产出效益", 20, R::Measure::Mark), factor("brand", "品牌创建", 20, R::Measure::Mark),
                 factor("site", "现场管理", 20, R::Measure::Mark)};
    r.tie_break = {"progress", "investment"};
    k.presets.emplace_back(
        "zhuxi", presetBody("zhuxi", r,
                            json::array({inheritedItem("grades", "default", kGrades),
                                         inheritedItem("yellow", "default", kYellow),
                                         inheritedItem("awards", "hengdong", kAwards)})));
  }
  // [Xianfeng 001] 考核工作先看企业满意度: satisfaction is a factor and decides ties first.
  {
    auto r = defaults;
    r.factors = {factor("satisfaction", "企业满意度", 30, R::Measure::Mark), factor("investment", "投资完成率", 20),
                 factor("start", "开工率", 15), factor("reports", "按时报送率", 10),
                 factor("problems", "问题解决率", 15), factor("letters", "函件按时答复率", 10)};
    r.tie_break = {"satisfaction", "investment"};
    k.presets.emplace_back(
        "xianfeng", presetBody("xianfeng", r,
                               json::array({inheritedItem("grades", "default", kGrades),
                                            inheritedItem("yellow", "default", kYellow),
                                            inheritedItem("awards", "hengdong", kAwards)})));
  }
  // [Jingle 002] 五账法 and 优/中/差: the month's ledger discipline counts against a unit (5 points off per late or
  // unreconciled step); units are graded by share (the report names the grades, not the shares).
  {
    auto r = defaults;
    R::Factor ledger = factor("ledger", "五账法（建账、理账、对账、交账、算账）", 20, R::Measure::Count);
    ledger.curve = R::Curve::Deduct;
    ledger.per_item = 500;
    r.factors = {factor("investment", "投资完成率", 30), factor("start", "开工率", 15),
                 factor("reports", "按时报送率", 10),    factor("visits", "领导走访率", 10),
                 factor("problems", "问题解决率", 10),   factor("letters", "函件按时答复率", 5), ledger};
    r.grades.mode = R::GradeMode::Shares;
    k.presets.emplace_back(
        "jingle", presetBody("jingle", r,
                             json::array({inheritedItem("grades", "default", "默认比例：前20%为优、后20%为差"),
                                          inheritedItem("yellow", "default", kYellow),
                                          inheritedItem("awards", "hengdong", kAwards),
                                          inheritedItem("ledger", "default",
                                                        "默认：每月5日前建账、20日前理账、25日前对账、月末最后一个工作日前交账、次月5日前算账")})));
  }
  // [Lianshui 003] 每月黄牌单位, chosen by headquarters; 晒实绩 every two months, rated by attendees, feeds the
  // ranking. How many are proposed and the summons are not in the report.
  {
    auto r = defaults;
    r.factors = {factor("investment", "投资完成率", 30), factor("start", "开工率", 15),
                 factor("reports", "按时报送率", 10),    factor("problems", "问题解决率", 15),
                 factor("letters", "函件按时答复率", 10), factor("show_results", "晒实绩评议", 20, R::Measure::Mark)};
    r.yellow.mode = R::CardMode::Propose;
    k.presets.emplace_back(
        "lianshui", presetBody("lianshui", r,
                               json::array({inheritedItem("grades", "default", kGrades),
                                            inheritedItem("awards", "hengdong", kAwards)})));
  }
  // [Hengdong 004] 每季必考: quarterly start, progress and completion awards for projects, service and
  // land-acquisition awards for departments and townships; the factors follow the five-every cadence.
  k.presets.emplace_back(
      "hengdong", presetBody("hengdong", defaults,
                             json::array({inheritedItem("grades", "default", kGrades),
                                          inheritedItem("yellow", "default", kYellow)})));
  k.fallback = rankingRulesToJson(defaults);
  k.fallback["preset"] = "";
  k.fallback["inherited"] = json::array();
  k.describe = [](const json& body) {
    return std::to_string(body.value("factors", json::array()).size()) + " factors";
  };
  return k;
}

}  // namespace steward::service
