// Excel in: the all-or-nothing import. Every row passes the API's own validation (parseProjectInput,
// checkDateOrder, the stage gates) before anything is written; each failure names its sheet, row and column.
#include <algorithm>
#include <map>
#include <set>

#include "core/region_list.h"
#include "core/validate.h"
#include "office/project_sheet.h"
#include "office/xlsx_reader.h"
#include "service/audit.h"
#include "service/import_onboard.h"
#include "service/projects.h"
#include "service/projects_internal.h"
#include "store/region_repo.h"

namespace steward::service {

using nlohmann::json;
using namespace projects;

namespace {

// The columns a sheet carries decide what an update may change: a missing column leaves the field alone.
store::Fields importColumns(const core::Project& p,
                                                                const std::map<std::string, std::string>& present) {
  store::Fields out;
  auto has = [&](const char* k) { return present.count(k) > 0; };
  auto text = [&](const char* k, const std::string& v) {
    if (has(k)) out.emplace_back(k, v);
  };
  auto date = [&](const char* k, const core::Date& v) {
    if (has(k)) out.emplace_back(k, store::optParam(v));
  };
  out.emplace_back("name", p.name);
  text("code", p.code);
  text("category", p.category);
  text("industry", p.industry);
  text("chain", p.chain);
  text("enterprise_name", p.enterprise_name);
  text("enterprise_credit_code", p.enterprise_credit_code);
  text("address", p.address);
  text("content", p.content);
  if (has("levels")) out.emplace_back("levels", joinComma(p.levels));
  if (has("total_investment")) out.emplace_back("total_investment", p.total_investment);
  for (std::size_t i = 0; i < core::kFundingKeys.size(); ++i)
    if (present.count(std::string("funding.") + core::kFundingKeys[i]))
      out.emplace_back(std::string("fund_") + core::kFundingKeys[i], p.funding[i]);
  date("signed_date", p.signed_date);
  date("planned_start", p.planned_start);
  date("actual_start", p.actual_start);
  date("planned_completion", p.planned_completion);
  date("actual_completion", p.actual_completion);
  date("production_date", p.production_date);
  date("planned_production", p.planned_production);
  if (has("township")) out.emplace_back("township_id", store::optParam(p.township_id));
  if (has("unit")) out.emplace_back("unit_id", store::optParam(p.unit_id));
  if (has("leader")) out.emplace_back("leader_id", store::optParam(p.leader_id));
  if (has("stage")) out.emplace_back("stage", p.stage);
  return out;
}

// The API's reasons (validation_failed fields) as a person reads them beside a cell.
std::string importReason(const std::string& reason) {
  static const std::map<std::string, std::string> kReasons = {
      {"required", "不能为空"},
      {"too_long", "内容过长"},
      {"too_large", "数值过大"},
      {"out_of_range", "超出允许范围"},
      {"invalid", "取值无效"},
      {"invalid_format", "格式不正确"},
      {"invalid_check_digit", "校验位不正确"},
      {"invalid_date", "日期格式不正确"},
      {"in_future", "实际日期不能晚于今天"},
      {"negative", "不能为负数"},
      {"before_start", "不能早于开工时间"},
      {"exceeds_total", "各项资金之和超过总投资"},
      {"unknown", "未知的取值"},
  };
  const auto it = kReasons.find(reason);
  return it == kReasons.end() ? "不符合要求（" + reason + "）" : it->second;
}

// The body the API's create/update would receive for a row, holding only the fields the sheet carries (and,
// for a new project, the category the sheet decided). Township, unit and leader are resolved by name instead.
json importBody(const core::Project& p, const std::map<std::string, std::string>& present, bool creating) {
  auto has = [&](const std::string& k) { return present.count(k) > 0; };
  json body = json::object();
  body["name"] = p.name;
  const std::pair<const char*, const std::string*> texts[] = {
      {"code", &p.code},       {"category", &p.category},
      {"industry", &p.industry}, {"chain", &p.chain},
      {"enterprise_name", &p.enterprise_name}, {"enterprise_credit_code", &p.enterprise_credit_code},
      {"address", &p.address}, {"content", &p.content}};
  for (const auto& [k, v] : texts)
    if (has(k) || (creating && std::string(k) == "category")) body[k] = *v;
  for (const char* k : kDateFields)
    if (has(k)) {
      const auto v = core::projectFieldValue(p, k);
      body[k] = v.empty() ? json(nullptr) : json(v);
    }
  if (has("total_investment")) body["total_investment"] = p.total_investment;
  json funding = json::object();
  for (std::size_t i = 0; i < core::kFundingKeys.size(); ++i)
    if (has(std::string("funding.") + core::kFundingKeys[i])) funding[core::kFundingKeys[i]] = p.funding[i];
  if (!funding.empty()) body["funding"] = funding;
  if (has("levels")) body["levels"] = p.levels;
  if (!p.stage.empty()) body["stage"] = p.stage;
  return body;
}

// The project as it would stand after the row is applied, in the shape checkDateOrder reads.
json importedState(const json& body, const std::optional<store::Row>& before, const core::Lifecycle& lc) {
  json state;
  if (before) {
    state = summaryJson(*before, lc, {});  // the dates and funding; the checklist plays no part
  } else {
    json funding = json::object();
    for (const auto* k : core::kFundingKeys) funding[k] = 0;
    state = {{"total_investment", 0}, {"funding", funding}};
    for (const char* k : kDateFields) state[k] = nullptr;
  }
  for (const char* k : kDateFields)
    if (body.contains(k)) state[k] = body[k];
  if (body.contains("total_investment")) state["total_investment"] = body["total_investment"];
  if (body.contains("funding"))
    for (auto it = body["funding"].begin(); it != body["funding"].end(); ++it) state["funding"][it.key()] = it.value();
  return state;
}

}  // namespace

ImportDecisions ProjectService::importDecisions(const json& in) { return onboard::parseDecisions(in); }

ImportOutcome ProjectService::importXlsx(const core::Actor& a, const std::string& bytes, bool dryRun,
                                         const ImportDecisions& decisions) {
  if (!core::canCreateProject(a)) throw forbidden("只有总指挥部办公室或责任单位可以导入项目");
  const auto region = a.region_code;
  if (core::regionLevel(region) != core::RegionLevel::County) throw forbidden("请以县级账号导入项目");
  // Units and people join the county's org chart: the same people who keep it may create them by importing.
  const bool mayOnboard = core::canEditOrg(a, region);
  if (decisions.create_missing && !mayOnboard)
    throw forbidden("只有系统管理员或总指挥部办公室可以在导入时新建单位和人员");
  auto fileError = [](const std::string& reason) {
    json cells = json::array({{{"sheet", ""}, {"row", 0}, {"column", ""}, {"header", ""}, {"reason", reason}}});
    return ServiceError(ErrorKind::Validation, "import_invalid", "文件无法导入：" + reason, {}, {{"cells", cells}});
  };
  if (bytes.empty()) throw fileError("文件为空");
  office::Workbook wb;
  try {
    wb = office::readXlsx(bytes);
  } catch (const office::XlsxError& e) {
    // The reader's messages are complete sentences; a problem in one cell is reported at that cell.
    int row = 0, col = 0;
    const bool atCell = !e.cell.empty() && office::parseCellRef(e.cell, row, col);
    json cells = json::array({{{"sheet", e.sheet},
                               {"row", atCell ? row + 1 : 0},
                               {"column", atCell ? office::columnLetter(col) : ""},
                               {"header", ""},
                               {"reason", e.what()}}});
    if (!e.limit.empty())
      throw ServiceError(ErrorKind::TooLarge, "import_too_large", std::string("文件无法导入：") + e.what(),
                         {{"file", e.limit}}, {{"limit", {{"name", e.limit}, {"max", e.max}}}, {"cells", cells}});
    throw ServiceError(ErrorKind::Validation, "import_invalid", std::string("文件无法导入：") + e.what(), {},
                       {{"cells", cells}});
  }
  auto parsed = office::parseProjectSheet(wb);
  const auto today = core::localDay(env_.now());

  json cells = json::array();
  for (const auto& e : parsed.errors)
    cells.push_back(json{{"sheet", e.sheet}, {"row", e.row}, {"column", e.column}, {"header", e.header}, {"reason", e.reason}});
  auto cellError = [&](int row, const std::string& field, const std::string& header, const std::string& reason) {
    auto it = parsed.columns.find(field);
    auto h = parsed.headers.find(field);
    cells.push_back({{"sheet", parsed.sheet},
                     {"row", row},
                     {"column", it == parsed.columns.end() ? "" : it->second},
                     {"header", h == parsed.headers.end() ? header : h->second},
                     {"reason", reason}});
  };
  // The sheet's column for a field the API names: ids are the township/unit/leader columns, and the funding
  // total points at 总投资 (or the first funding column when the sheet has no total).
  auto columnOf = [&](const std::string& field) -> std::string {
    if (field.ends_with("_id")) return field.substr(0, field.size() - 3);
    if (field == "funding") {
      if (parsed.columns.count("total_investment")) return "total_investment";
      for (const auto* k : core::kFundingKeys)
        if (parsed.columns.count(std::string("funding.") + k)) return std::string("funding.") + k;
    }
    return field;
  };
  // Each row goes through the API's own validation, and each failure becomes a cell error.
  auto apiErrors = [&](int row, const auto& check) {
    try {
      check();
    } catch (const ServiceError& e) {
      for (const auto& f : e.fields) cellError(row, columnOf(f.field), "", importReason(f.reason));
      if (e.fields.empty()) cellError(row, "name", "", e.what());
    }
  };
  if (parsed.headerRow == 0 && cells.empty()) throw fileError("没有找到表头（至少需要“项目名称”列）");

  ImportOutcome out;
  out.dry_run = dryRun;
  out.rows = static_cast<int>(parsed.rows.size());
  auto body = [&](store::Connection& c) -> ImportOutcome {
    store::ProjectRepo repo(c);
    auto lc = loadLifecycle(c, region, today);
    const auto ones = loadChecklist(c, region, today);
    std::map<std::string, std::int64_t> townships, units, leaders;
    std::set<std::string> ambiguousLeaders;
    for (auto& u : repo.unitNamesForRegion(region)) {
      units[u.name] = u.id;
      if (u.kind == "township" || u.kind == "park") townships[u.name] = u.id;
    }
    // The county's townships and parks in the national region list: a name found there attaches to it.
    std::map<std::string, std::string> listedTownships;
    for (const auto& t : core::townshipsOf(region)) listedTownships[std::string(t.name)] = t.park ? "park" : "township";
    auto listedKind = [&](const std::string& name) {
      auto it = listedTownships.find(name);
      return it == listedTownships.end() ? std::string() : it->second;
    };
    for (auto& r : repo.peopleForRegion(region)) {
      if (leaders.count(r.display_name)) ambiguousLeaders.insert(r.display_name);
      else leaders[r.display_name] = r.id;
    }
    // The county's projects, loaded once, for matching rows to them by national code, else by name and owner.
    std::map<std::int64_t, store::Row> existingRows;
    std::map<std::string, std::int64_t> byCode, byName;
    for (auto& r : repo.inCounty(region)) {
      auto id = r.i64("id");
      if (!r.str("code").empty()) byCode.emplace(r.str("code"), id);
      byName.emplace(r.str("name") + '\x1f' + r.str("enterprise_name"), id);
      existingRows.emplace(id, std::move(r));
    }
    // Names the county lacks, gathered once each instead of one error per cell (only for those who could
    // create them; a responsible unit's import names its own unit).
    onboard::MissingNames missing(decisions);
    // Resolve names and check every row before anything is written.
    struct Planned {
      core::Project p;
      std::optional<std::int64_t> existing;
      std::optional<store::Row> before;
      std::string newUnit, newLeader, newTownship;  // names created by this import, resolved once they exist
    };
    std::vector<Planned> plan;
    for (auto& row : parsed.rows) {
      auto p = row.project;
      std::string newUnit, newLeader, newTownship;
      if (!row.townshipName.empty()) {
        auto it = townships.find(row.townshipName);
        const auto listed = listedKind(row.townshipName);
        if (it != townships.end()) p.township_id = it->second;
        else if (mayOnboard && !listed.empty()) missing.unit(newTownship = row.townshipName, row.excelRow, listed);
        else
          cellError(row.excelRow, "township", "所在乡镇",
                    "未知的乡镇：" + row.townshipName + (listed.empty() ? "（全国行政区划表中本县没有这个乡镇）" : ""));
      }
      if (!row.unitName.empty()) {
        auto it = units.find(row.unitName);
        if (it != units.end()) p.unit_id = it->second;
        else if (mayOnboard) missing.unit(newUnit = row.unitName, row.excelRow, listedKind(row.unitName));
        else cellError(row.excelRow, "unit", "责任单位", "未知的责任单位：" + row.unitName);
      }
      if (!row.leaderName.empty()) {
        auto it = leaders.find(row.leaderName);
        if (ambiguousLeaders.count(row.leaderName)) cellError(row.excelRow, "leader", "项目长", "重名人员，无法确定：" + row.leaderName);
        else if (it != leaders.end()) p.leader_id = it->second;
        else if (mayOnboard) missing.person(newLeader = row.leaderName, row.excelRow);
        else cellError(row.excelRow, "leader", "项目长", "未知的人员：" + row.leaderName);
      }
      if (!row.stageName.empty()) {
        std::string key;
        for (const auto& s : lc.stages)
          if (s.name == row.stageName || s.key == row.stageName) key = s.key;
        if (key.empty()) cellError(row.excelRow, "stage", "项目阶段", "未知的项目阶段：" + row.stageName);
        else p.stage = key;
      } else {
        p.stage = "";
      }
      if (!row.valid) continue;
      Planned pl{p, std::nullopt, std::nullopt, newUnit, newLeader, newTownship};
      std::optional<std::int64_t> found;
      if (auto it = byCode.find(p.code); !p.code.empty() && it != byCode.end()) found = it->second;
      else if (auto it2 = byName.find(p.name + '\x1f' + p.enterprise_name); it2 != byName.end()) found = it2->second;
      if (found) {
        pl.existing = *found;
        pl.before = existingRows.at(*found);
        if (!core::canEditProject(a, region, pl.before->optI64("unit_id")))
          cellError(row.excelRow, "name", "项目名称", "无权修改此项目（属于其他责任单位）");
        if (pl.p.stage.empty()) pl.p.stage = pl.before->str("stage");
      } else if (pl.p.stage.empty()) {
        pl.p.stage = lc.stages.front().key;
      }
      if (!a.has("admin") && !a.has("hq")) {
        if (pl.p.unit_id && *pl.p.unit_id != *a.org_unit_id)
          cellError(row.excelRow, "unit", "责任单位", "责任单位只能导入本单位的项目");
        pl.p.unit_id = *a.org_unit_id;
      }
      const json input = importBody(pl.p, parsed.columns, !pl.existing);
      apiErrors(row.excelRow, [&] { parseProjectInput(repo, input, !pl.existing, region, today, lc); });
      apiErrors(row.excelRow, [&] { checkDateOrder(importedState(input, pl.before, lc)); });
      // Gates apply to imported stages as to any other stage change.
      auto merged = pl.p;
      if (pl.before) {
        auto old = projectFromRow(*pl.before);
        for (const char* k : {"signed_date", "actual_start", "actual_completion"})
          if (!parsed.columns.count(k) && core::projectFieldValue(merged, k).empty()) {
            if (std::string(k) == "signed_date") merged.signed_date = old.signed_date;
            if (std::string(k) == "actual_start") merged.actual_start = old.actual_start;
            if (std::string(k) == "actual_completion") merged.actual_completion = old.actual_completion;
          }
      }
      for (const auto& g : core::gateFailures(lc, merged, merged.stage))
        cellError(row.excelRow, "stage", "项目阶段", "进入该阶段需先填写：" + g);
      plan.push_back(std::move(pl));
    }
    std::vector<std::string> unitNames;
    for (const auto& [name, id] : units) unitNames.push_back(name);
    missing.settle(unitNames, store::RegionRepository(c).name(region).value_or(""));
    json missingJson = missing.empty() ? json() : missing.report();
    // A real import refuses names the county lacks unless told to create them; the headquarters office is
    // never created. The refusal lists each name once, with how to fix it.
    std::string refusal;
    const auto hqNames = missing.uncreatable();
    if (!missing.empty() && !dryRun && !decisions.create_missing)
      refusal = "表格中有 " + std::to_string(missing.unitCount(false)) + " 个系统中没有的单位、" +
                std::to_string(missing.personCount(false)) +
                " 名系统中没有的人员。可选择“一并新建”后重新导入（命令行 --create-missing），或先在单位、用户管理中添加，"
                "或把表格中的名称改为已有的名称";
    else if (!hqNames.empty() && !dryRun)
      refusal = "总指挥部办公室不能通过导入新建：请把表格中的“" + hqNames.front() + "”改为已有的总指挥部办公室名称";
    if (!cells.empty() || !refusal.empty()) {
      std::string message;
      if (!cells.empty())
        message = "表格中有 " + std::to_string(cells.size()) + " 处错误，未导入任何数据，请修改后重新导入";
      if (!refusal.empty()) message += (message.empty() ? "" : "；") + refusal + (cells.empty() ? "。未导入任何数据" : "");
      json extra = {{"cells", cells}};
      if (!missingJson.is_null()) extra["missing"] = missingJson;
      throw ServiceError(ErrorKind::Validation, "import_invalid", message, {}, extra);
    }
    ImportOutcome o;
    o.rows = static_cast<int>(parsed.rows.size());
    o.dry_run = dryRun;
    o.missing = missingJson;
    for (const auto& pl : plan) (pl.existing ? o.updated : o.created)++;
    if (dryRun) return o;
    auto columns = parsed.columns;
    columns["stage"] = "";  // the stage is always decided (kept, given, or the first stage)
    const auto now = env_.nowIso();
    AuditAppender audit(c, env_);
    // The county's new units and people first, in this transaction and audited as part of the import.
    onboard::MissingNames::Created made;
    if (!missing.empty()) {
      made = missing.create(c, env_, a, audit, region);
      o.onboarded = made.report;
    }
    for (auto& pl : plan) {
      // A name the user chose to skip leaves a new project's field empty and an existing one's as it was.
      bool keepUnit = false, keepLeader = false, keepTownship = false;
      if (!pl.newTownship.empty()) {
        if (auto it = made.units.find(pl.newTownship); it != made.units.end()) pl.p.township_id = it->second;
        else keepTownship = true;
      }
      if (!pl.newUnit.empty()) {
        if (auto it = made.units.find(pl.newUnit); it != made.units.end()) pl.p.unit_id = it->second;
        else keepUnit = true;
      }
      if (!pl.newLeader.empty()) {
        if (auto it = made.people.find(pl.newLeader); it != made.people.end()) pl.p.leader_id = it->second;
        else keepLeader = true;
      }
      auto cols = importColumns(pl.p, columns);
      if (pl.existing && (keepUnit || keepLeader || keepTownship))
        std::erase_if(cols, [&](const auto& kv) {
          return (keepUnit && kv.first == "unit_id") || (keepLeader && kv.first == "leader_id") ||
                 (keepTownship && kv.first == "township_id");
        });
      // The search text from the sheet's values, falling back to the stored ones for columns it lacks.
      auto keep = [&](const char* field, const std::string& fromSheet) {
        return columns.count(field) || !pl.before ? fromSheet : pl.before->str(field);
      };
      cols.emplace_back("search_text", searchText(pl.p.name, keep("enterprise_name", pl.p.enterprise_name),
                                                  keep("code", pl.p.code),
                                                  keep("enterprise_credit_code", pl.p.enterprise_credit_code)));
      if (!pl.existing) {
        const bool hasUnit = std::any_of(cols.begin(), cols.end(), [](const auto& kv) { return kv.first == "unit_id"; });
        if (!hasUnit) cols.emplace_back("unit_id", store::optParam(pl.p.unit_id));
        // A sheet without 项目类别 still makes a project with one (category is NOT NULL).
        if (!columns.count("category")) cols.emplace_back("category", pl.p.category);
        auto id = repo.insert(region, now, cols, false);
        auto j = summaryJson(loadRow(repo, id), lc, ones);
        audit.append(&a, {region, "import_create", "project", std::to_string(id), nullptr, auditShape(j)});
      } else {
        auto id = *pl.existing;
        auto bj = summaryJson(*pl.before, lc, ones);
        repo.update(id, cols);
        auto aj = summaryJson(loadRow(repo, id), lc, ones);
        json b, d;
        diffJson(auditShape(bj), auditShape(aj), b, d);
        if (!d.empty()) {
          repo.bump(id, now);
          audit.append(&a, {region, "import_update", "project", std::to_string(id), b, d});
        }
      }
    }
    audit.finish();
    return o;
  };
  // A dry run only reads; a real import is one write transaction, all rows or none.
  return dryRun ? env_.db->transact(false, body) : writeTransaction(env_, region, body);
}

}  // namespace steward::service
