#include "service/profile.h"

#include <map>
#include <set>

#include "core/limits.h"
#include "core/validate.h"
#include "service/rules.h"
#include "store/rule_set_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

namespace L = core::limits;

constexpr std::size_t kMaxOnes = 12;      // a checklist of "ones": four or five in every seed
constexpr std::size_t kMaxGroups = 50;    // 1+8+N: eight working groups in Hengdong
constexpr std::size_t kMaxChains = 50;    // seven chains in Zhuxi and Hengdong
constexpr std::size_t kMaxInherited = 20; // one entry per top-level key at most, plus dotted sub-keys
constexpr std::int64_t kMaxCount = 1000000;

const std::set<std::string> kTopKeys = {"preset", "ones", "model", "roles", "ranks", "chains", "vocabulary", "inherited"};
const std::set<std::string> kModels = {"four_ones", "five_ones", "3456", "1+8+N"};
const std::set<std::string> kRoleKeys = {"steward", "police", "inspector"};
const std::set<std::string> kRoleUse = {"required_under_construction", "required", "optional", "not_used"};
const std::set<std::string> kRankKeys = {"county_head", "executive_vice_head"};
const std::set<std::string> kRatioKeys = {"projects", "county_leader", "unit_principal", "unit_leader", "section_chief"};
const std::set<std::string> kVocabularyKeys = {"leader", "unit", "team", "steward", "police", "inspector", "ones", "chain_chief"};

bool isKeyText(const std::string& k) {
  if (k.empty()) return false;
  for (char ch : k)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') return false;
  return true;
}

// A small strict reader: every member is checked for type and cap, and members it does not know are refused.
struct Reader {
  std::vector<FieldError>& errs;
  void add(const std::string& f, const std::string& r) { errs.push_back({f, r}); }
  bool object(const json& o, const std::string& path) {
    if (o.is_object()) return true;
    add(path, "invalid");
    return false;
  }
  void onlyKeys(const json& o, const std::string& path, const std::set<std::string>& known) {
    for (const auto& [k, v] : o.items())
      if (!known.count(k)) add(path + "." + k, "unknown_field");
  }
  std::string text(const json& o, const std::string& k, const std::string& path, std::size_t cap, bool required) {
    if (!o.contains(k) || o[k].is_null()) {
      if (required) add(path, "required");
      return {};
    }
    if (!o[k].is_string()) {
      add(path, "invalid");
      return {};
    }
    auto s = o[k].get<std::string>();
    if (required && s.empty()) add(path, "required");
    else if (core::textLength(s) > cap) add(path, "too_long");
    return s;
  }
  std::optional<std::int64_t> count(const json& o, const std::string& k, const std::string& path) {
    if (!o.contains(k) || o[k].is_null()) return std::nullopt;
    if (!o[k].is_number_integer()) {
      add(path, "invalid");
      return std::nullopt;
    }
    auto n = o[k].get<std::int64_t>();
    if (n < 0 || n > kMaxCount) {
      add(path, "out_of_range");
      return std::nullopt;
    }
    return n;
  }
  std::string oneOf(const json& o, const std::string& k, const std::string& path, const std::set<std::string>& allowed) {
    auto s = text(o, k, path, L::kCode, true);
    if (!s.empty() && !allowed.count(s)) add(path, "unknown_value");
    return s;
  }
};

json readOnes(Reader& r, const json& o) {
  const std::string p = "body.ones";
  if (!r.object(o, p)) return {};
  r.onlyKeys(o, p, {"name", "items", "note"});
  json out = {{"name", r.text(o, "name", p + ".name", L::kShortText, true)}, {"items", json::array()}};
  if (o.contains("note")) out["note"] = r.text(o, "note", p + ".note", L::kNote, false);
  if (!o.contains("items") || !o["items"].is_array() || o["items"].empty()) {
    r.add(p + ".items", "required");
    return out;
  }
  if (o["items"].size() > kMaxOnes) {
    r.add(p + ".items", "too_many");
    return out;
  }
  std::set<std::string> keys;
  const std::set<std::string> sources(std::begin(kChecklistSources), std::end(kChecklistSources));
  for (std::size_t i = 0; i < o["items"].size(); ++i) {
    const auto& it = o["items"][i];
    const auto ip = p + ".items[" + std::to_string(i) + "]";
    if (!r.object(it, ip)) continue;
    r.onlyKeys(it, ip, {"key", "name", "satisfied_by"});
    auto key = r.text(it, "key", ip + ".key", L::kCode, true);
    if (!key.empty() && !isKeyText(key)) r.add(ip + ".key", "invalid");
    else if (!key.empty() && !keys.insert(key).second) r.add(ip + ".key", "duplicate");
    out["items"].push_back({{"key", key},
                            {"name", r.text(it, "name", ip + ".name", L::kShortText, true)},
                            {"satisfied_by", r.oneOf(it, "satisfied_by", ip + ".satisfied_by", sources)}});
  }
  return out;
}

json readNamedList(Reader& r, const json& o, const std::string& p, std::size_t cap) {
  json out = json::array();
  if (!o.is_array()) {
    r.add(p, "invalid");
    return out;
  }
  if (o.size() > cap) {
    r.add(p, "too_many");
    return out;
  }
  std::set<std::string> keys;
  for (std::size_t i = 0; i < o.size(); ++i) {
    const auto ip = p + "[" + std::to_string(i) + "]";
    if (!r.object(o[i], ip)) continue;
    r.onlyKeys(o[i], ip, {"key", "name"});
    auto key = r.text(o[i], "key", ip + ".key", L::kCode, true);
    if (!key.empty() && !isKeyText(key)) r.add(ip + ".key", "invalid");
    else if (!key.empty() && !keys.insert(key).second) r.add(ip + ".key", "duplicate");
    out.push_back({{"key", key}, {"name", r.text(o[i], "name", ip + ".name", L::kShortText, true)}});
  }
  return out;
}

json readModel(Reader& r, const json& o) {
  const std::string p = "body.model";
  if (!r.object(o, p)) return {};
  r.onlyKeys(o, p, {"key", "name", "note", "ratios", "groups", "group_count"});
  json out = {{"key", r.oneOf(o, "key", p + ".key", kModels)}, {"name", r.text(o, "name", p + ".name", L::kShortText, true)}};
  if (o.contains("note")) out["note"] = r.text(o, "note", p + ".note", L::kNote, false);
  if (o.contains("ratios")) {
    const auto& ra = o["ratios"];
    if (r.object(ra, p + ".ratios")) {
      r.onlyKeys(ra, p + ".ratios", kRatioKeys);
      json rat = json::object();
      for (const auto& k : kRatioKeys)
        if (auto n = r.count(ra, k, p + ".ratios." + k)) rat[k] = *n;
      out["ratios"] = rat;
    }
  }
  if (o.contains("groups")) out["groups"] = readNamedList(r, o["groups"], p + ".groups", kMaxGroups);
  if (auto n = r.count(o, "group_count", p + ".group_count")) {
    if (out.contains("groups") && static_cast<std::size_t>(*n) < out["groups"].size()) r.add(p + ".group_count", "too_small");
    out["group_count"] = *n;
  }
  return out;
}

json readRoles(Reader& r, const json& o) {
  const std::string p = "body.roles";
  json out = json::array();
  if (!o.is_array()) {
    r.add(p, "invalid");
    return out;
  }
  if (o.size() > kRoleKeys.size()) {
    r.add(p, "too_many");
    return out;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < o.size(); ++i) {
    const auto ip = p + "[" + std::to_string(i) + "]";
    if (!r.object(o[i], ip)) continue;
    r.onlyKeys(o[i], ip, {"key", "name", "use"});
    auto key = r.oneOf(o[i], "key", ip + ".key", kRoleKeys);
    if (!key.empty() && !seen.insert(key).second) r.add(ip + ".key", "duplicate");
    out.push_back({{"key", key},
                   {"name", r.text(o[i], "name", ip + ".name", L::kShortText, true)},
                   {"use", r.oneOf(o[i], "use", ip + ".use", kRoleUse)}});
  }
  return out;
}

json readRanks(Reader& r, const json& o) {
  const std::string p = "body.ranks";
  if (!r.object(o, p)) return {};
  r.onlyKeys(o, p, {"county_head", "executive_vice_head", "escalation"});
  json out = json::object();
  for (const auto& k : kRankKeys) out[k] = r.text(o, k, p + "." + k, L::kShortText, true);
  if (o.contains("escalation")) out["escalation"] = r.text(o, "escalation", p + ".escalation", L::kNote, false);
  return out;
}

json readChains(Reader& r, const json& o) {
  const std::string p = "body.chains";
  if (!r.object(o, p)) return {};
  r.onlyKeys(o, p, {"count", "label", "names", "note"});
  json out = json::object();
  auto n = r.count(o, "count", p + ".count");
  if (!o.contains("count")) r.add(p + ".count", "required");
  out["count"] = n.value_or(0);
  if (o.contains("label")) out["label"] = r.text(o, "label", p + ".label", L::kShortText, false);
  out["names"] = json::array();
  if (o.contains("names")) {
    const auto& names = o["names"];
    if (!names.is_array()) r.add(p + ".names", "invalid");
    else if (names.size() > kMaxChains) r.add(p + ".names", "too_many");
    else {
      std::set<std::string> seen;
      for (std::size_t i = 0; i < names.size(); ++i) {
        const auto ip = p + ".names[" + std::to_string(i) + "]";
        if (!names[i].is_string() || names[i].get<std::string>().empty()) r.add(ip, "invalid");
        else if (core::textLength(names[i].get<std::string>()) > L::kShortText) r.add(ip, "too_long");
        else if (!seen.insert(names[i].get<std::string>()).second) r.add(ip, "duplicate");
        else out["names"].push_back(names[i]);
      }
      // Names, when given, are every chain: a count that disagrees is a typo.
      if (n && !out["names"].empty() && static_cast<std::size_t>(*n) != out["names"].size()) r.add(p + ".count", "mismatch");
    }
  }
  if (o.contains("note")) out["note"] = r.text(o, "note", p + ".note", L::kNote, false);
  return out;
}

json readVocabulary(Reader& r, const json& o) {
  const std::string p = "body.vocabulary";
  if (!r.object(o, p)) return {};
  r.onlyKeys(o, p, kVocabularyKeys);
  json out = json::object();
  for (const auto& k : kVocabularyKeys) out[k] = r.text(o, k, p + "." + k, L::kShortText, true);
  return out;
}

json normaliseProfile(const json& body, std::vector<FieldError>& errs) {
  const auto before = errs.size();
  Reader r{errs};
  if (!body.is_object()) {
    r.add("body", "invalid");
    return {};
  }
  r.onlyKeys(body, "body", kTopKeys);
  json out = json::object();
  out["preset"] = r.text(body, "preset", "body.preset", L::kCode, false);
  for (const char* k : {"ones", "model", "roles", "ranks", "chains", "vocabulary"})
    if (!body.contains(k)) r.add(std::string("body.") + k, "required");
  if (body.contains("ones")) out["ones"] = readOnes(r, body["ones"]);
  if (body.contains("model")) out["model"] = readModel(r, body["model"]);
  if (body.contains("roles")) out["roles"] = readRoles(r, body["roles"]);
  if (body.contains("ranks")) out["ranks"] = readRanks(r, body["ranks"]);
  if (body.contains("chains")) out["chains"] = readChains(r, body["chains"]);
  if (body.contains("vocabulary")) out["vocabulary"] = readVocabulary(r, body["vocabulary"]);
  out["inherited"] = normaliseInherited(body, errs);
  if (errs.size() != before) return {};
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The default and the five seed counties. Every value below is quoted from the seed named in presets.cpp, or
// listed in "inherited".
json inherit(const std::string& path, const std::string& from, const std::string& note) {
  return {{"path", path}, {"from", from}, {"note", note}};
}

json item(const char* key, const char* name, const char* by) { return {{"key", key}, {"name", name}, {"satisfied_by", by}}; }

json defaultRoles() {
  return json::array({{{"key", "steward"}, {"name", "项目管家"}, {"use", "optional"}},
                      {{"key", "police"}, {"name", "项目警官"}, {"use", "optional"}},
                      {{"key", "inspector"}, {"name", "纪检监察员"}, {"use", "optional"}}});
}
json defaultRanks() {
  return {{"county_head", "县长"}, {"executive_vice_head", "常务副县长"},
          {"escalation", "跨领域问题由牵头县级领导提请常务副县长或县长研究解决"}};
}
json defaultVocabulary() {
  return {{"leader", "项目长"}, {"unit", "责任单位"}, {"team", "工作专班"}, {"steward", "项目管家"},
          {"police", "项目警官"}, {"inspector", "纪检监察员"}, {"ones", "五个一"}, {"chain_chief", "链长"}};
}
json noChains() { return {{"count", 0}, {"names", json::array()}}; }

json buildDefault() {
  return {{"preset", "default"},
          {"ones",
           {{"name", "五个一"},
            {"items", json::array({item("leader", "一名牵头领导（项目长）", "leader"), item("unit", "一个责任单位", "unit"),
                                   item("team", "一个工作专班", "team"), item("plan", "一套工作方案", "manual"),
                                   item("schedule", "一张进度表", "manual")})}}},
          {"model", {{"key", "five_ones"}, {"name", "五个一"}}},
          {"roles", defaultRoles()},
          {"ranks", defaultRanks()},
          {"chains", noChains()},
          {"vocabulary", defaultVocabulary()},
          {"inherited", json::array()}};
}

json hengdong() {
  auto v = defaultVocabulary();
  v["leader"] = "牵头领导";
  v["unit"] = "项目责任单位";
  v["inspector"] = "项目纪检监察员";
  return {{"preset", "hengdong"},
          {"ones",
           {{"name", "五个一"},
            {"items", json::array({item("project", "一个重点项目", "project"), item("leader", "一名牵头领导", "leader"),
                                   item("team", "一个工作专班", "team"), item("plan", "一套工作方案", "manual"),
                                   item("schedule", "一张时间进度表", "manual")})}}},
          {"model",
           {{"key", "1+8+N"},
            {"name", "“1+8+N”项目建设协调指挥体系"},
            {"note", "1个项目协调总指挥部，8个专项工作组，N个项目联系领导或工作专班；报告只列出8个专项工作组中的招商引资、用地报批、征地拆迁3个，其余5个未列名"},
            {"groups", json::array({{{"key", "investment"}, {"name", "招商引资专项工作组"}},
                                    {{"key", "land_approval"}, {"name", "用地报批专项工作组"}},
                                    {{"key", "land_acquisition"}, {"name", "征地拆迁专项工作组"}}})},
            {"group_count", 8}}},
          {"roles", json::array({{{"key", "steward"}, {"name", "项目管家"}, {"use", "required_under_construction"}},
                                 {{"key", "police"}, {"name", "项目警官"}, {"use", "required_under_construction"}},
                                 {{"key", "inspector"}, {"name", "项目纪检监察员"}, {"use", "required_under_construction"}}})},
          {"ranks", defaultRanks()},
          {"chains", {{"count", 7}, {"label", "一金一药两材三特"}, {"names", json::array()},
                      {"note", "报告只给出七大重点优势产业链的总称“一金一药两材三特”，未列出各链名称"}}},
          {"vocabulary", v},
          {"inherited", json::array()}};
}

json zhuxi() {
  auto v = defaultVocabulary();
  v["team"] = "专班";
  v["chain_chief"] = "产链长";
  return {{"preset", "zhuxi"},
          {"ones",
           {{"name", "五个一"},
            {"note", "报告称推行“五个一”项目机制，逐一编制时间表、施工图、任务书，实施挂图作战"},
            {"items", json::array({item("schedule", "时间表", "manual"), item("drawing", "施工图", "manual"),
                                   item("task_book", "任务书", "manual")})}}},
          {"model",
           {{"key", "3456"},
            {"name", "“3456”四级责任"},
            {"note", "首期181个重点项目明确37名县领导、43名单位主要负责人、56名单位领导班子成员、69名股室负责人跟班服务"},
            {"ratios", {{"projects", 181}, {"county_leader", 37}, {"unit_principal", 43}, {"unit_leader", 56}, {"section_chief", 69}}}}},
          {"roles", defaultRoles()},
          {"ranks", defaultRanks()},
          {"chains", {{"count", 7}, {"label", "支柱产业与骨干产业"},
                      {"names", json::array({"电子信息", "生物医药", "水产业", "文旅康养", "农特产品加工", "新能源", "循环经济"})}}},
          {"vocabulary", v},
          {"inherited", json::array({inherit("roles", "default", "本县报告未涉及项目管家、项目警官、纪检监察员，沿用默认"),
                                     inherit("ranks", "default", "本县报告未涉及县长、常务副县长的调度层级，沿用默认"),
                                     inherit("vocabulary.unit", "default", "本县报告未涉及，沿用默认称谓"),
                                     inherit("vocabulary.steward", "default", "本县报告未涉及，沿用默认称谓"),
                                     inherit("vocabulary.police", "default", "本县报告未涉及，沿用默认称谓"),
                                     inherit("vocabulary.inspector", "default", "本县报告未涉及，沿用默认称谓")})}};
}

json xianfeng() {
  auto d = buildDefault();
  d["preset"] = "xianfeng";
  d["inherited"] = json::array({inherit("ones", "default", "本县报告未涉及项目责任清单，沿用默认“五个一”"),
                                inherit("model", "default", "本县报告未涉及项目责任模式，沿用默认“五个一”"),
                                inherit("roles", "default", "本县报告未涉及项目管家、项目警官、纪检监察员，沿用默认"),
                                inherit("ranks", "default", "本县报告未涉及县长、常务副县长的调度层级，沿用默认"),
                                inherit("chains", "default", "本县报告未列出产业链，沿用默认（无）"),
                                inherit("vocabulary", "default", "本县报告未涉及，沿用默认称谓")});
  return d;
}

json jingle() {
  auto v = defaultVocabulary();
  v["leader"] = "包联县级领导";
  v["team"] = "班子";
  return {{"preset", "jingle"},
          {"ones",
           {{"name", "五个一"},
            {"items", json::array({item("project", "一个项目", "project"), item("leader", "一名领导", "leader"),
                                   item("team", "一套班子", "team"), item("plan", "一套方案", "manual"),
                                   item("follow_through", "一抓到底", "manual")})}}},
          {"model", {{"key", "five_ones"}, {"name", "五个一"}, {"note", "县级领导包联重点项目制度（包干制）"}}},
          {"roles", defaultRoles()},
          {"ranks", defaultRanks()},
          {"chains", noChains()},
          {"vocabulary", v},
          {"inherited", json::array({inherit("roles", "default", "本县报告未涉及项目管家、项目警官、纪检监察员，沿用默认"),
                                     inherit("ranks", "default", "本县报告未涉及县长、常务副县长的调度层级，沿用默认"),
                                     inherit("chains", "default", "本县报告未列出产业链，沿用默认（无）"),
                                     inherit("vocabulary.unit", "default", "本县报告未涉及，沿用默认称谓"),
                                     inherit("vocabulary.steward", "default", "本县报告未涉及，沿用默认称谓"),
                                     inherit("vocabulary.police", "default", "本县报告未涉及，沿用默认称谓"),
                                     inherit("vocabulary.inspector", "default", "本县报告未涉及，沿用默认称谓"),
                                     inherit("vocabulary.chain_chief", "default", "本县报告未涉及，沿用默认称谓")})}};
}

json lianshui() {
  auto v = defaultVocabulary();
  v["leader"] = "县级项目长";
  v["team"] = "帮办服务组";
  v["ones"] = "四个一";
  auto roles = defaultRoles();
  roles[0]["name"] = "红色代办项目管家";
  return {{"preset", "lianshui"},
          {"ones",
           {{"name", "四个一"},
            {"items", json::array({item("leader", "一名县级项目长", "leader"), item("plan", "一份计划安排书", "manual"),
                                   item("schedule", "一张动态进度表", "manual"), item("service_group", "一个帮办服务组", "team")})}}},
          {"model", {{"key", "four_ones"}, {"name", "四个一"}}},
          {"roles", roles},
          {"ranks", defaultRanks()},
          {"chains", noChains()},
          {"vocabulary", v},
          {"inherited", json::array({inherit("roles", "default", "本县报告只提到“红色代办项目管家”，项目警官、纪检监察员及是否必配沿用默认"),
                                     inherit("ranks", "default", "本县报告未涉及县长、常务副县长的调度层级，沿用默认"),
                                     inherit("chains", "default", "本县报告未列出产业链，沿用默认（无）"),
                                     inherit("vocabulary.unit", "default", "本县报告未涉及，沿用默认称谓"),
                                     inherit("vocabulary.police", "default", "本县报告未涉及，沿用默认称谓"),
                                     inherit("vocabulary.inspector", "default", "本县报告未涉及，沿用默认称谓"),
                                     inherit("vocabulary.chain_chief", "default", "本县报告未涉及，沿用默认称谓")})}};
}

}  // namespace

json normaliseInherited(const json& body, std::vector<FieldError>& errs) {
  Reader r{errs};
  json out = json::array();
  if (!body.is_object() || !body.contains("inherited") || body["inherited"].is_null()) return out;
  const auto& list = body["inherited"];
  if (!list.is_array()) {
    r.add("body.inherited", "invalid");
    return out;
  }
  if (list.size() > kMaxInherited) {
    r.add("body.inherited", "too_many");
    return out;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto ip = "body.inherited[" + std::to_string(i) + "]";
    if (!r.object(list[i], ip)) continue;
    r.onlyKeys(list[i], ip, {"path", "from", "note"});
    auto path = r.text(list[i], "path", ip + ".path", L::kCode, true);
    // The path names a top-level key of the body, optionally one member below it ("vocabulary.unit").
    const auto top = path.substr(0, path.find('.'));
    if (!path.empty() && (top == "inherited" || top == "preset" || !body.contains(top))) r.add(ip + ".path", "unknown_field");
    else if (!path.empty() && !seen.insert(path).second) r.add(ip + ".path", "duplicate");
    out.push_back({{"path", path},
                   {"from", r.text(list[i], "from", ip + ".from", L::kCode, true)},
                   {"note", r.text(list[i], "note", ip + ".note", L::kNote, true)}});
  }
  return out;
}

bool attachInherited(json& out, const json& body, std::vector<FieldError>& errs) {
  const auto before = errs.size();
  json withInherited = out;
  withInherited.erase("inherited");
  if (body.is_object() && body.contains("inherited")) withInherited["inherited"] = body["inherited"];
  out["inherited"] = normaliseInherited(withInherited, errs);
  return errs.size() == before;
}

const json& defaultProfile() {
  static const json d = buildDefault();
  return d;
}

RuleKind profileKind() {
  RuleKind k;
  k.name = "profile";
  k.title = "县情配置";
  k.normalise = normaliseProfile;
  k.presets = {{"zhuxi", zhuxi()}, {"xianfeng", xianfeng()}, {"jingle", jingle()}, {"lianshui", lianshui()}, {"hengdong", hengdong()}};
  k.fallback = defaultProfile();
  k.describe = [](const json& body) {
    const auto& ones = body.value("ones", json::object());
    return ones.value("name", std::string()) + " " + std::to_string(ones.value("items", json::array()).size()) +
           " items, model " + body.value("model", json::object()).value("key", std::string());
  };
  return k;
}

json loadProfile(store::Connection& c, const std::string& region, const std::string& day) {
  auto rec = store::RuleSetRepository(c).inForce(region, "profile", day);
  if (!rec) return defaultProfile();
  // Stored bodies passed the normaliser; a body this build cannot read falls back rather than failing a page.
  auto body = json::parse(rec->body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("ones") || !body["ones"].is_object())
    return defaultProfile();
  return body;
}

std::vector<core::ChecklistItem> checklistItems(const json& profile) {
  std::vector<core::ChecklistItem> out;
  if (!profile.is_object() || !profile.contains("ones") || !profile["ones"].is_object()) return out;
  for (const auto& it : profile["ones"].value("items", json::array()))
    if (it.is_object())
      out.push_back({it.value("key", std::string()), it.value("name", std::string()), it.value("satisfied_by", std::string())});
  return out;
}

std::vector<core::ChecklistItem> loadChecklist(store::Connection& c, const std::string& region, const std::string& day) {
  return checklistItems(loadProfile(c, region, day));
}

store::ChecklistGroups checklistGroups(store::Connection& c, const std::string& scope, const std::string& day,
                                       const std::string& onlyKey) {
  // Counties with the same checklist share one group, so the SQL grows with distinct checklists, not counties.
  std::map<std::string, std::size_t> byChecklist;
  store::ChecklistGroups out;
  for (const auto& region : store::ProjectRepo(c).projectRegions(scope)) {
    auto items = loadChecklist(c, region, day);
    if (!onlyKey.empty()) {
      std::vector<core::ChecklistItem> one;
      for (auto& it : items)
        if (it.key == onlyKey) one.push_back(std::move(it));
      if (one.empty()) continue;
      items = std::move(one);
    }
    std::string sig;
    for (const auto& it : items) sig += it.key + '\x1f' + it.satisfied_by + '\x1e';
    auto [pos, fresh] = byChecklist.emplace(sig, out.size());
    if (fresh) out.push_back({{}, std::move(items)});
    out[pos->second].regions.push_back(region);
  }
  return out;
}

}  // namespace steward::service
