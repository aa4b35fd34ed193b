#include "service/bulletins.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/bulletin.h"
#include "core/money.h"
#include "core/period.h"
#include "core/time.h"
#include "core/validate.h"
#include "core/webhook.h"  // urlEncode: the filename* of a download
#include "office/letter_doc.h"
#include "service/audit.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "service/cadence_rules.h"
#include "service/light_rules.h"
#include "store/bulletin_repo.h"
#include "store/light_repo.h"

namespace steward::service {

using nlohmann::json;
namespace bl = core::bulletin;

namespace {

bool isHeadquarters(const core::Actor& a, const std::string& region) {
  return (a.has("hq") || a.has("admin")) && core::canWrite(a, core::WriteKind::Business, region);
}

// Drafts are headquarters' (and the read-only overseers'); an issued bulletin is public to the county.
bool seesDrafts(const core::Actor& a) {
  return a.has("admin") || a.has("hq") || a.has("inspector") || a.has("viewer");
}

bool canSee(const core::Actor& a, const store::BulletinRecord& b) {
  if (!core::inScope(a, b.region_code)) return false;
  return b.status != "draft" || seesDrafts(a);
}

std::string today(const Env& env) { return core::localDay(env.now()); }

json parseOr(const std::string& s, json fallback) {
  auto j = json::parse(s, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

json bulletinJson(const store::BulletinRecord& b, bool full) {
  const auto base = "/api/v1/bulletins/" + std::to_string(b.id) + "/document";
  json j = {{"id", b.id},
            {"status", b.status},
            {"status_label", b.status == "draft" ? "草稿" : "已印发"},
            {"period_start", b.period_start},
            {"period_end", b.period_end},
            {"number", b.number},
            {"year", b.year ? json(*b.year) : json()},
            {"seq", b.seq ? json(*b.seq) : json()},
            {"title", b.title},
            {"recipient", b.recipient},
            {"created_at", b.created_at},
            {"updated_at", b.updated_at},
            {"issued_at", b.issued_at ? json(*b.issued_at) : json()},
            {"version", b.version},
            {"pdf_url", base + ".pdf"},
            {"docx_url", base + ".docx"}};
  if (full) {
    j["paragraphs"] = parseOr(b.paragraphs, json::array());
    j["sections"] = parseOr(b.sections, json::object());
  }
  return j;
}

json auditOf(const store::BulletinRecord& b) {
  return {{"status", b.status},         {"period_start", b.period_start}, {"period_end", b.period_end},
          {"number", b.number},         {"title", b.title},               {"recipient", b.recipient},
          {"paragraphs", parseOr(b.paragraphs, json::array())}};
}

store::BulletinRecord loadVisible(store::Connection& c, const core::Actor& a, std::int64_t id) {
  auto b = store::BulletinRepo(c).find(id);
  if (!b || !canSee(a, *b)) throw notFound("通报不存在");
  return *b;
}

json namedJson(const bl::NamedFigures& f) {
  return {{"id", f.id},
          {"name", f.name},
          {"projects", f.projects},
          {"due_to_start", f.due_to_start},
          {"started", f.started},
          {"red", f.red},
          {"yellow", f.yellow},
          {"letters_overdue", f.letters_overdue},
          {"problems_overdue", f.problems_overdue},
          {"investment", f.investment},
          {"demerits", bl::demerits(f)}};
}

std::string joinNames(const json& list) {
  std::string s;
  for (const auto& x : list) s += (s.empty() ? "" : "、") + x["name"].get<std::string>();
  return s;
}

int lightRank(const std::string& l) { return l == "red" ? 2 : l == "yellow" ? 1 : 0; }
const char* lightLabel(const std::string& l) { return l == "red" ? "红灯" : l == "yellow" ? "黄灯" : "绿灯"; }

// The sections: the figures of the span, all computed here from the repository's raw figures.
json sectionsOf(const store::BulletinFigures& f, const std::string& start, const std::string& end) {
  std::int64_t due = 0, started = 0, startedInSpan = 0, invSpan = 0, invYear = 0, total = 0, pctSum = 0, pctN = 0;
  json notStarted = json::array(), startedList = json::array();
  std::map<std::int64_t, bl::NamedFigures> units, towns;
  std::map<std::string, std::int64_t> lightCount{{"green", 0}, {"yellow", 0}, {"red", 0}};
  json worsened = json::array(), improved = json::array();
  std::int64_t worsenedN = 0, improvedN = 0;
  for (const auto& p : f.projects) {
    auto get = [](const std::map<std::int64_t, std::int64_t>& m, std::int64_t k) {
      auto it = m.find(k);
      return it == m.end() ? std::int64_t(0) : it->second;
    };
    const bool isStarted = p.actual_start && *p.actual_start <= end;
    const bool isDue = isStarted || (p.planned_start && *p.planned_start <= end);
    const auto inv = get(f.investment_span, p.id);
    auto lightIt = f.light_end.find(p.id);
    const std::string light = lightIt == f.light_end.end() ? "" : lightIt->second;
    auto beforeIt = f.light_before.find(p.id);
    const std::string before = beforeIt == f.light_before.end() ? "" : beforeIt->second;
    if (isDue) ++due;
    if (isStarted) ++started;
    if (isStarted && *p.actual_start >= start) {
      ++startedInSpan;
      if (startedList.size() < kBulletinListedMax)
        startedList.push_back({{"id", p.id}, {"name", p.name}, {"actual_start", *p.actual_start}});
    }
    if (isDue && !isStarted && notStarted.size() < kBulletinListedMax)
      notStarted.push_back({{"id", p.id}, {"name", p.name}, {"unit", p.unit_name},
                            {"planned_start", p.planned_start.value_or("")}});
    invSpan += inv;
    invYear += get(f.investment_year, p.id);
    total += p.total_investment;
    if (auto it = f.percent.find(p.id); it != f.percent.end()) {
      pctSum += it->second;
      ++pctN;
    }
    if (!light.empty()) ++lightCount[light];
    if (!light.empty() && !before.empty() && light != before) {
      json change = {{"id", p.id}, {"name", p.name}, {"from", before}, {"to", light}};
      if (lightRank(light) > lightRank(before)) {
        ++worsenedN;
        if (worsened.size() < kBulletinListedMax) worsened.push_back(change);
      } else {
        ++improvedN;
        if (improved.size() < kBulletinListedMax) improved.push_back(change);
      }
    }
    auto add = [&](std::map<std::int64_t, bl::NamedFigures>& m, std::optional<std::int64_t> id,
                   const std::string& name) {
      if (!id) return;
      auto& n = m[*id];
      n.id = *id;
      n.name = name;
      ++n.projects;
      if (isDue) ++n.due_to_start;
      if (isStarted) ++n.started;
      if (light == "red") ++n.red;
      if (light == "yellow") ++n.yellow;
      n.investment += inv;
    };
    add(units, p.unit_id, p.unit_name);
    add(towns, p.township_id, p.township_name);
  }
  std::int64_t lettersOverdue = 0, problemsOverdue = 0, issuedTotal = 0;
  for (const auto& [u, n] : f.letters_overdue) {
    lettersOverdue += n;
    if (auto it = units.find(u); it != units.end()) it->second.letters_overdue += n;
    else if (auto t = towns.find(u); t != towns.end()) t->second.letters_overdue += n;
  }
  for (const auto& [u, n] : f.problems_overdue) {
    problemsOverdue += n;
    if (auto it = units.find(u); it != units.end()) it->second.problems_overdue += n;
    else if (auto t = towns.find(u); t != towns.end()) t->second.problems_overdue += n;
  }
  json issued = json::object();
  for (const char* k : {"reminder", "assignment", "supervision", "work_reminder"}) {
    auto it = f.letters_issued.find(k);
    issued[k] = it == f.letters_issued.end() ? 0 : it->second;
    issuedTotal += issued[k].get<std::int64_t>();
  }
  auto named = [](const std::map<std::int64_t, bl::NamedFigures>& m) {
    std::vector<bl::NamedFigures> v;
    for (const auto& [_, n] : m) v.push_back(n);
    auto r = bl::bestAndWorst(v, kBulletinNamedMax);
    json praised = json::array(), criticised = json::array();
    for (const auto& n : r.praised) praised.push_back(namedJson(n));
    for (const auto& n : r.criticised) criticised.push_back(namedJson(n));
    return json{{"praised", praised}, {"criticised", criticised}};
  };
  return {{"period", {{"start", start}, {"end", end}}},
          {"projects",
           {{"total", std::int64_t(f.projects.size())},
            {"due_to_start", due},
            {"started", started},
            {"started_in_period", startedInSpan},
            {"start_rate", bl::percentOf(started, due)},
            {"started_list", startedList},
            {"not_started", notStarted}}},
          {"progress",
           {{"investment_period", invSpan},
            {"investment_year", invYear},
            {"total_investment", total},
            {"reported_projects", pctN},
            {"average_percent", pctN ? (pctSum + pctN / 2) / pctN : 0}}},
          {"lights",
           {{"green", lightCount["green"]},
            {"yellow", lightCount["yellow"]},
            {"red", lightCount["red"]},
            {"worsened_count", worsenedN},
            {"improved_count", improvedN},
            {"worsened", worsened},
            {"improved", improved}}},
          {"letters", {{"issued", issued}, {"issued_total", issuedTotal}, {"overdue", lettersOverdue}}},
          {"problems", {{"overdue", problemsOverdue}}},
          {"units", named(units)},
          {"townships", named(towns)}};
}

// The generated text: one paragraph per section, for headquarters to edit.
json paragraphsOf(const json& s, const std::string& start, const std::string& end) {
  json p = json::array();
  const auto& pr = s["projects"];
  const auto& pg = s["progress"];
  const auto& li = s["lights"];
  const auto& le = s["letters"];
  auto n = [](const json& j) { return std::to_string(j.get<std::int64_t>()); };
  p.push_back("为推动全县重点项目加快建设，县重点项目建设指挥部办公室对" + core::chineseDay(start) + "至" +
              core::chineseDay(end) + "全县重点项目推进情况进行了督查。现将有关情况通报如下：");
  std::string a = "一、项目开工情况。全县纳入调度的重点项目" + n(pr["total"]) + "个，截至" + core::chineseDay(end) + "应开工" +
                  n(pr["due_to_start"]) + "个，已开工" + n(pr["started"]) + "个，开工率" + n(pr["start_rate"]) +
                  "%；本期新开工" + n(pr["started_in_period"]) + "个。";
  if (!pr["not_started"].empty()) a += "应开未开项目：" + joinNames(pr["not_started"]) + "。";
  p.push_back(a);
  p.push_back("二、形象进度与投资完成情况。本期完成投资" + core::formatWan(pg["investment_period"].get<std::int64_t>()) +
              "万元，年度累计完成投资" + core::formatWan(pg["investment_year"].get<std::int64_t>()) + "万元；已报送进度的" +
              n(pg["reported_projects"]) + "个项目平均形象进度" + n(pg["average_percent"]) + "%。");
  std::string l = "三、亮灯预警情况。截至" + core::chineseDay(end) + "，绿灯项目" + n(li["green"]) + "个、黄灯项目" +
                  n(li["yellow"]) + "个、红灯项目" + n(li["red"]) + "个；本期预警升级" + n(li["worsened_count"]) +
                  "个、好转" + n(li["improved_count"]) + "个。";
  if (!li["worsened"].empty()) {
    std::string w;
    for (const auto& x : li["worsened"])
      w += (w.empty() ? "" : "、") + x["name"].get<std::string>() + "（" + lightLabel(x["from"].get<std::string>()) + "转" +
           lightLabel(x["to"].get<std::string>()) + "）";
    l += "预警升级项目：" + w + "。";
  }
  p.push_back(l);
  p.push_back("四、督查函件情况。本期签发提醒函" + n(le["issued"]["reminder"]) + "件、交办函" +
              n(le["issued"]["assignment"]) + "件、督办函" + n(le["issued"]["supervision"]) + "件、工作提示" +
              n(le["issued"]["work_reminder"]) + "件；截至" + core::chineseDay(end) + "逾期未签收或未答复的函件" +
              n(le["overdue"]) + "件。");
  p.push_back("五、问题办理情况。截至" + core::chineseDay(end) + "，逾期未办结（未反馈）的问题" + n(s["problems"]["overdue"]) +
              "个。");
  std::string praise, blame;
  for (const char* k : {"units", "townships"}) {
    const auto good = joinNames(s[k]["praised"]), bad = joinNames(s[k]["criticised"]);
    if (!good.empty()) praise += (praise.empty() ? "" : "、") + good;
    if (!bad.empty()) blame += (blame.empty() ? "" : "、") + bad;
  }
  std::string t = "六、表扬与批评。";
  t += praise.empty() ? "本期无通报表扬单位。" : praise + "项目推进有力、投资完成较好，予以通报表扬。";
  t += blame.empty() ? "本期无通报批评单位。"
                     : blame + "存在项目应开未开、亮灯预警或函件、问题逾期未办的情况，予以通报批评，请限期整改。";
  p.push_back(t);
  p.push_back("各责任单位要对照通报问题，逐项落实整改措施，确保重点项目按期推进。");
  return p;
}

// The bulletin prefix follows the county's letter prefix: 衡重项督 → 衡重项通.
std::string prefixOf(const core::lights::LightRules& rules) {
  std::string p = rules.supervision.prefix;
  const std::string du = "督";
  if (p.size() >= du.size() && p.compare(p.size() - du.size(), du.size(), du) == 0)
    return p.substr(0, p.size() - du.size()) + "通";
  return p.empty() ? "重项通" : p + "通";
}

}  // namespace

json BulletinsService::list(const core::Actor& a, const std::string& status, int page, int pageSize) {
  Validator v;
  if (!status.empty() && status != "draft" && status != "issued") v.add("status", "invalid");
  v.throwIfAny("查询参数不正确");
  std::string st = status;
  if (!seesDrafts(a)) {
    if (st == "draft") return {{"items", json::array()}, {"total", 0}, {"page", page}, {"page_size", pageSize}};
    st = "issued";
  }
  const int size = std::clamp(pageSize, 1, kBulletinPageMax);
  page = std::max(page, 1);
  auto c = env_.db->acquire();
  store::BulletinRepo repo(*c);
  json items = json::array();
  for (const auto& b : repo.page(a.region_code, st, size, (page - 1) * size)) items.push_back(bulletinJson(b, false));
  return {{"items", items}, {"total", repo.count(a.region_code, st)}, {"page", page}, {"page_size", size}};
}

json BulletinsService::get(const core::Actor& a, std::int64_t id) {
  auto c = env_.db->acquire();
  return bulletinJson(loadVisible(*c, a, id), true);
}

json BulletinsService::generate(const core::Actor& a, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto start = i.str("period_start", true, core::limits::kCode);
  auto end = i.str("period_end", true, core::limits::kCode);
  const auto day = today(env_);
  if (start && !core::isIsoDate(*start)) v.add("period_start", "invalid");
  if (end && !core::isIsoDate(*end)) v.add("period_end", "invalid");
  if (start && end && core::isIsoDate(*start) && core::isIsoDate(*end)) {
    if (*end < *start) v.add("period_end", "before_start");
    else if (core::daysBetween(*start, *end) >= kBulletinSpanMaxDays) v.add("period_end", "span_too_long");
    if (*end > day) v.add("period_end", "future_date");
  }
  v.throwIfAny("请检查通报的起止日期");
  if (!isHeadquarters(a, a.region_code)) throw forbidden("只有总指挥部可以生成督查通报");
  const auto region = a.region_code;
  return writeTransaction(env_, region, [&](store::Connection& c) { return draftIn(c, env_, region, *start, *end, &a); });
}

int BulletinsService::draftDue(core::TimePoint now) {
  const auto day = core::localDay(now);
  std::vector<std::pair<std::string, core::Period>> due;
  {
    auto c = env_.db->acquire();
    store::BulletinRepo repo(*c);
    for (const auto& region : store::LightRepo(*c).regionsWithProjects()) {
      const auto rules = loadCadenceRules(*c, region, day);
      if (!rules.bulletin) continue;
      // The period that ended last: the one before the period containing today.
      const auto last = core::previousPeriod(core::periodOf(*rules.bulletin, day));
      if (!repo.hasSpan(region, last.start, last.end)) due.emplace_back(region, last);
    }
  }
  int made = 0;
  for (const auto& [region, p] : due) {
    const bool drafted = writeTransaction(env_, region, [&](store::Connection& c) {
      // Checked again inside the transaction: two servers' jobs never draft the same period twice.
      if (store::BulletinRepo(c).hasSpan(region, p.start, p.end)) return false;
      draftIn(c, env_, region, p.start, p.end, nullptr);
      return true;
    });
    made += drafted ? 1 : 0;
  }
  return made;
}

json BulletinsService::draftIn(store::Connection& c, const Env& env, const std::string& region,
                               const std::string& start, const std::string& end, const core::Actor* a) {
  const auto nowIso = env.nowIso();
  store::BulletinRepo repo(c);
  const auto county = repo.regionName(region);
  if (!county) throw notFound("地区不存在");
  // Issued times in the span: from the county's midnight of the first day to that of the day after the last.
  const auto fromIso = core::addDays(start, -1) + "T16:00:00Z";
  const auto toIso = end + "T16:00:00Z";
  auto figures = repo.figures(region, start, end, core::addDays(start, -1), fromIso, toIso);
  auto sections = sectionsOf(figures, start, end);
  store::BulletinRecord b;
  b.region_code = region;
  b.period_start = start;
  b.period_end = end;
  b.title = "关于" + *county + "重点项目建设情况的督查通报（" + core::chineseDay(start) + "至" + core::chineseDay(end) + "）";
  b.recipient = "各乡镇（街道），县直各有关单位";
  b.paragraphs = paragraphsOf(sections, start, end).dump();
  b.sections = sections.dump();
  b.created_at = nowIso;
  b.updated_at = nowIso;
  if (a) b.created_by = a->user_id;
  b.id = repo.insert(b);
  appendAudit(c, env, a, {region, "create", "bulletin", std::to_string(b.id), nullptr, auditOf(b)});
  return bulletinJson(*repo.find(b.id), true);
}

json BulletinsService::update(const core::Actor& a, std::int64_t id, const json& in) {
  Validator v;
  JsonInput i(in, v);
  auto version = i.i64("version", true);
  auto title = i.str("title", false, kBulletinTitleMax);
  auto recipient = i.str("recipient", false, kBulletinRecipientMax);
  std::optional<json> paragraphs;
  if (in.contains("paragraphs")) {
    const auto& p = in["paragraphs"];
    if (!p.is_array()) v.addType("paragraphs", "must_be_array");
    else if (p.size() > kBulletinParagraphsMax) v.add("paragraphs", "too_many");
    else {
      json out = json::array();
      for (std::size_t k = 0; k < p.size(); ++k) {
        const auto name = "paragraphs[" + std::to_string(k) + "]";
        if (!p[k].is_string()) v.addType(name, "must_be_string");
        else if (core::textLength(p[k].get_ref<const std::string&>()) > kBulletinParagraphMax) v.add(name, "too_long");
        else if (!core::trimText(p[k].get_ref<const std::string&>()).empty()) out.push_back(p[k]);
      }
      if (out.empty()) v.add("paragraphs", "required");
      paragraphs = out;
    }
  }
  if (title && core::trimText(*title).empty()) v.add("title", "required");
  v.throwIfAny("请检查通报的标题和正文");
  const auto region = regionOfRow(env_, "bulletins", id, a.region_code);
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto b = loadVisible(c, a, id);
    if (!isHeadquarters(a, b.region_code)) throw forbidden("只有总指挥部可以修改督查通报");
    if (b.status != "draft")
      throw ServiceError(ErrorKind::Conflict, "already_issued", "通报已印发，不能再修改", {{"status", "issued"}});
    store::BulletinRepo repo(c);
    const auto before = auditOf(b);
    if (title) b.title = std::string(core::trimText(*title));
    if (recipient) b.recipient = std::string(core::trimText(*recipient));
    if (paragraphs) b.paragraphs = paragraphs->dump();
    b.updated_at = nowIso;
    if (!repo.updateDraft(b, *version))
      throw ServiceError(ErrorKind::Conflict, "version_conflict", "通报已被他人修改，请刷新后重试",
                         {{"version", "stale"}});
    json bj, aj;
    diffJson(before, auditOf(b), bj, aj);
    appendAudit(c, env_, &a, {b.region_code, "update", "bulletin", std::to_string(b.id), bj, aj});
    return bulletinJson(*repo.find(b.id), true);
  });
}

json BulletinsService::issue(const core::Actor& a, std::int64_t id) {
  const auto region = regionOfRow(env_, "bulletins", id, a.region_code);
  const auto day = today(env_);
  const auto nowIso = env_.nowIso();
  return writeTransaction(env_, region, [&](store::Connection& c) {
    auto b = loadVisible(c, a, id);
    if (!isHeadquarters(a, b.region_code)) throw forbidden("只有总指挥部可以印发督查通报");
    if (b.status != "draft")
      throw ServiceError(ErrorKind::Conflict, "already_issued", "通报已印发", {{"status", "issued"}});
    store::BulletinRepo repo(c);
    const auto before = auditOf(b);
    const std::int64_t year = std::stoll(day.substr(0, 4));
    const auto seq = repo.nextSeq(b.region_code, year);
    const auto number = prefixOf(loadLightRules(c, b.region_code, day)) + "〔" + std::to_string(year) + "〕" +
                        std::to_string(seq) + "号";
    if (!repo.markIssued(b.id, year, seq, number, nowIso, a.user_id))
      throw ServiceError(ErrorKind::Conflict, "already_issued", "通报已印发", {{"status", "issued"}});
    auto after = *repo.find(b.id);
    appendAudit(c, env_, &a, {b.region_code, "issue", "bulletin", std::to_string(b.id), before, auditOf(after)});
    return bulletinJson(after, true);
  });
}

LetterFile BulletinsService::document(const core::Actor& a, std::int64_t id, bool pdf) {
  auto c = env_.db->acquire();
  auto b = loadVisible(*c, a, id);
  store::BulletinRepo repo(*c);
  office::LetterDocument d;
  const auto county = repo.regionName(b.region_code).value_or("");
  d.issuer = county + "重点项目建设指挥部办公室";
  d.number = b.number;
  d.title = b.title;
  d.recipient = b.recipient;
  for (const auto& p : parseOr(b.paragraphs, json::array()))
    if (p.is_string()) d.paragraphs.push_back(p.get<std::string>());
  d.signature = d.issuer;
  core::TimePoint issued = env_.now();
  if (b.issued_at) core::parseTimestamp(*b.issued_at, issued);
  d.date = core::localDay(issued);
  d.draft = b.status == "draft";
  LetterFile f;
  const std::string ext = pdf ? ".pdf" : ".docx";
  f.body = pdf ? office::renderLetterPdf(d) : office::renderLetterDocx(d);
  f.content_type = pdf ? "application/pdf"
                       : "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  f.filename = core::urlEncode((b.number.empty() ? "通报草稿-" + std::to_string(b.id) : b.number) + ext);
  f.ascii_filename = "bulletin-" + std::to_string(b.id) + ext;
  return f;
}

}  // namespace steward::service
