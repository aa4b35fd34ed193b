// The validation of a project's create/update body, shared by the API and the import.
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "core/limits.h"
#include "core/money.h"
#include "core/validate.h"
#include "service/json_input.h"
#include "service/projects_internal.h"

namespace steward::service::projects {

using nlohmann::json;

namespace {

const char* kTextFields[] = {"name", "code", "category", "industry", "chain", "enterprise_name",
                             "enterprise_credit_code", "address", "content"};

// The cap of each project text field (core/limits.h).
std::size_t textCap(std::string_view field) {
  namespace L = core::limits;
  if (field == "name" || field == "enterprise_name") return L::kName;
  if (field == "code" || field == "category" || field == "enterprise_credit_code") return L::kCode;
  if (field == "industry" || field == "chain") return L::kShortText;
  if (field == "address") return L::kNote;
  if (field == "content") return L::kContent;
  return L::kText;
}

}  // namespace

void checkOrgUnit(store::ProjectRepo& repo, Validator& v, const std::string& field, std::int64_t id,
                  const std::string& region, bool townshipOnly) {
  if (!repo.orgUnitInRegion(id, region, townshipOnly)) v.add(field, "unknown");
}

void checkPerson(store::ProjectRepo& repo, Validator& v, const std::string& field, std::int64_t id,
                 const std::string& region) {
  if (!repo.userInRegion(id, region)) v.add(field, "unknown");
}

Columns parseProjectInput(store::ProjectRepo& repo, const json& in, bool creating, const std::string& region,
                          const std::string& today, const core::Lifecycle& lc) {
  Validator v;
  JsonInput i(in, v);
  Columns cols;
  for (const char* k : kTextFields) {
    bool required = creating && std::string(k) == "name";
    auto s = i.str(k, required, textCap(k));
    if (!s && i.isNull(k) && std::string(k) != "name" && std::string(k) != "category") s = "";
    if (!s) continue;
    std::string val = *s;
    // Trim surrounding blanks: a pasted code or name often carries them.
    while (!val.empty() && (val.back() == ' ' || val.back() == '\t')) val.pop_back();
    while (!val.empty() && (val.front() == ' ' || val.front() == '\t')) val.erase(0, 1);
    std::string key = k;
    if (key == "name" && val.empty()) v.add(k, "required");
    if (key == "code" && !val.empty() && !core::isValidProjectCode(val)) v.add(k, "invalid_format");
    if (key == "category" && std::find_if(core::kCategoryKeys.begin(), core::kCategoryKeys.end(),
                                          [&](const char* x) { return val == x; }) == core::kCategoryKeys.end())
      v.add(k, "invalid");
    if (key == "enterprise_credit_code") {
      for (auto& ch : val) ch = static_cast<char>(std::toupper((unsigned char)ch));
      if (!val.empty() && !core::isValidCreditCode(val)) v.add(k, "invalid_check_digit");
    }
    cols.put(key, val);
    cols.audit[key] = val;
  }
  if (creating && !cols.has("category")) cols.put("category", std::string("industrial"));
  for (const char* k : kDateFields) {
    if (!i.has(k)) continue;
    if (i.isNull(k) || (in[k].is_string() && in[k].get<std::string>().empty())) {
      cols.put(k, store::Null{});
      cols.audit[k] = nullptr;
      continue;
    }
    auto s = i.str(k, false);
    if (!s) continue;
    if (!core::isIsoDate(*s)) {
      v.add(k, "invalid_date");
      continue;
    }
    if ((std::string(k) == "actual_start" || std::string(k) == "actual_completion" ||
         std::string(k) == "production_date") &&
        *s > today)
      v.add(k, "in_future");
    cols.put(k, *s);
    cols.audit[k] = *s;
  }
  if (i.has("total_investment")) {
    auto t = i.money("total_investment", false);
    if (t) cols.put("total_investment", *t), cols.audit["total_investment"] = *t;
  }
  if (i.has("funding") && !i.isNull("funding")) {
    if (!in["funding"].is_object()) {
      v.addType("funding", "must_be_object");
    } else if (in["funding"].size() > core::limits::kFundingKeys) {
      v.add("funding", "too_many");
    } else {
      for (auto it = in["funding"].begin(); it != in["funding"].end(); ++it) {
        auto k = it.key();
        bool known = std::find(core::kFundingKeys.begin(), core::kFundingKeys.end(), k) != core::kFundingKeys.end();
        if (!known) {
          v.add("funding." + k, "unknown");
          continue;
        }
        auto amount = JsonInput::amount(it.value(), "funding." + k, v);
        if (!amount) continue;
        cols.put("fund_" + k, *amount);
        cols.audit["funding." + k] = *amount;
      }
    }
  }
  if (i.has("levels")) {
    auto lv = i.strList("levels", false, core::limits::kLevels, core::limits::kCode);
    if (lv) {
      std::vector<std::string> ordered;
      for (const auto* k : core::kLevelKeys)
        if (std::find(lv->begin(), lv->end(), k) != lv->end()) ordered.push_back(k);
      for (const auto& l : *lv)
        if (std::find(core::kLevelKeys.begin(), core::kLevelKeys.end(), l) == core::kLevelKeys.end())
          v.add("levels", "invalid");
      cols.put("levels", joinComma(ordered));
      cols.audit["levels"] = ordered;
    } else if (i.isNull("levels")) {
      cols.put("levels", std::string());
    }
  }
  for (const char* k : {"lng", "lat"}) {
    if (!i.has(k)) continue;
    if (i.isNull(k)) {
      cols.put(k, store::Null{});
      continue;
    }
    if (!in[k].is_number()) {
      v.addType(k, "must_be_number");
      continue;
    }
    double d = in[k].get<double>();
    double lim = std::string(k) == "lng" ? 180 : 90;
    if (d < -lim || d > lim) {
      v.add(k, "out_of_range");
      continue;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", d);
    cols.put(k, std::string(buf));
    cols.audit[k] = d;
  }
  auto idField = [&](const char* k, auto check) {
    if (!i.has(k)) return;
    if (i.isNull(k)) {
      cols.put(k, store::Null{});
      cols.audit[k] = nullptr;
      return;
    }
    auto id = i.i64(k, false);
    if (!id) return;
    check(*id);
    cols.put(k, *id);
    cols.audit[k] = *id;
  };
  idField("township_id", [&](std::int64_t id) { checkOrgUnit(repo, v, "township_id", id, region, true); });
  idField("unit_id", [&](std::int64_t id) { checkOrgUnit(repo, v, "unit_id", id, region, false); });
  idField("leader_id", [&](std::int64_t id) { checkPerson(repo, v, "leader_id", id, region); });
  if (i.has("stage")) {
    auto s = i.str("stage", false, core::limits::kCode);
    if (s && !lc.find(*s)) v.add("stage", "invalid");
    if (s && lc.find(*s)) cols.put("stage", *s), cols.audit["stage"] = *s;
  }
  v.throwIfAny();
  return cols;
}

void checkDateOrder(const json& p) {
  Validator v;
  auto get = [&](const char* k) { return p[k].is_string() ? p[k].get<std::string>() : std::string(); };
  if (!get("planned_start").empty() && !get("planned_completion").empty() && get("planned_completion") < get("planned_start"))
    v.add("planned_completion", "before_start");
  if (!get("actual_start").empty() && !get("actual_completion").empty() && get("actual_completion") < get("actual_start"))
    v.add("actual_completion", "before_start");
  std::vector<core::Yuan> parts;
  for (auto it = p["funding"].begin(); it != p["funding"].end(); ++it) parts.push_back(it.value().get<std::int64_t>());
  auto funded = core::sumAmounts(parts);
  if (!funded || *funded > p["total_investment"].get<std::int64_t>()) v.add("funding", "exceeds_total");
  v.throwIfAny("项目信息前后矛盾，请检查标出的字段");
}

std::string searchText(const std::string& name, const std::string& enterprise, const std::string& code,
                       const std::string& creditCode) {
  std::string s = name + " " + enterprise + " " + code + " " + creditCode;
  for (auto& ch : s) ch = static_cast<char>(std::toupper((unsigned char)ch));
  return s;
}
std::string searchText(const json& p) {
  return searchText(p["name"].get<std::string>(), p["enterprise_name"].get<std::string>(), p["code"].get<std::string>(),
                    p["enterprise_credit_code"].get<std::string>());
}

}  // namespace steward::service::projects
