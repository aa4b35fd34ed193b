// Over 600 lines on purpose: one sheet layout (title rows, one- and two-row headers, aliases, merged cells, total
// rows, every date form) read in one pass; the column table and the parsers it uses belong together.
#include "office/project_sheet.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "core/money.h"
#include "core/validate.h"
#include "office/xlsx_writer.h"

namespace steward::office {
namespace {

using core::MoneyUnit;

// clang-format off
enum class Field {
  Seq, Name, Code, Category, Industry, Chain, Enterprise, CreditCode, Township, Address, Levels,
  Total, CentralBudget, SpecialBonds, SelfRaised, BankLoans, OtherFunds,
  Signed, PlannedStart, ActualStart, PlannedCompletion, ActualCompletion, Production, PlannedProduction,
  Content, Unit, Leader, Stage,
};
// clang-format on
enum class Kind { Sequence, Text, Money, Date };

struct ColumnDef {
  Field field;
  Kind kind;
  std::string_view header;  // written on export
  double width;
  // Accepted on import, compared after normalising and dropping the unit.
  std::vector<std::string_view> names;
};

// The layout counties keep, in export order.
const std::vector<ColumnDef>& columnDefs() {
  // clang-format off
  static const std::vector<ColumnDef> kDefs = {
      {Field::Seq, Kind::Sequence, "序号", 6, {"序号", "编号"}},
      {Field::Name, Kind::Text, "项目名称", 30, {"项目名称", "名称"}},
      {Field::Code, Kind::Text, "项目代码", 26, {"项目代码", "投资项目统一代码", "项目统一代码", "统一项目代码"}},
      {Field::Category, Kind::Text, "项目类别", 10, {"项目类别", "类别", "项目类型"}},
      {Field::Industry, Kind::Text, "所属产业", 12, {"所属产业", "行业", "所属行业", "产业"}},
      {Field::Chain, Kind::Text, "产业链", 12, {"产业链", "所属产业链"}},
      {Field::Enterprise, Kind::Text, "业主单位", 24, {"业主单位", "项目业主", "建设单位", "企业名称", "项目单位"}},
      {Field::CreditCode, Kind::Text, "统一社会信用代码", 22, {"统一社会信用代码", "信用代码", "社会信用代码"}},
      {Field::Township, Kind::Text, "所在乡镇", 12, {"所在乡镇", "乡镇", "所在乡镇(街道)", "乡镇(街道)"}},
      {Field::Address, Kind::Text, "建设地点", 20, {"建设地点", "地址", "项目地址", "建设地址"}},
      {Field::Levels, Kind::Text, "项目级别", 14, {"项目级别", "级别"}},
      {Field::Total, Kind::Money, "总投资（万元）", 14, {"总投资", "项目总投资", "计划总投资"}},
      {Field::CentralBudget, Kind::Money, "中央预算内（万元）", 12, {"中央预算内", "中央预算内资金", "中央预算内投资"}},
      {Field::SpecialBonds, Kind::Money, "专项债（万元）", 12, {"专项债", "专项债券", "专项债券资金"}},
      {Field::SelfRaised, Kind::Money, "企业自筹（万元）", 12, {"企业自筹", "企业自筹资金", "自筹资金"}},
      {Field::BankLoans, Kind::Money, "银行贷款（万元）", 12, {"银行贷款"}},
      {Field::OtherFunds, Kind::Money, "其他资金（万元）", 12, {"其他资金"}},
      {Field::Signed, Kind::Date, "签约时间", 12, {"签约时间", "签约日期"}},
      {Field::PlannedStart, Kind::Date, "计划开工时间", 12, {"计划开工时间", "计划开工", "计划开工日期"}},
      {Field::ActualStart, Kind::Date, "实际开工时间", 12, {"实际开工时间", "实际开工", "实际开工日期"}},
      {Field::PlannedCompletion, Kind::Date, "计划竣工时间", 12, {"计划竣工时间", "计划竣工", "计划竣工日期"}},
      {Field::ActualCompletion, Kind::Date, "实际竣工时间", 12, {"实际竣工时间", "实际竣工", "实际竣工日期"}},
      {Field::Production, Kind::Date, "投产时间", 12, {"投产时间", "投产日期"}},
      {Field::PlannedProduction, Kind::Date, "计划投产时间", 12, {"计划投产时间", "计划投产", "计划投产日期"}},
      {Field::Content, Kind::Text, "建设内容及规模", 40, {"建设内容及规模", "建设内容", "建设规模及内容", "主要建设内容"}},
      {Field::Unit, Kind::Text, "责任单位", 16, {"责任单位", "项目责任单位"}},
      {Field::Leader, Kind::Text, "项目长", 10, {"项目长", "牵头县领导", "县级领导", "联系县领导"}},
      {Field::Stage, Kind::Text, "项目阶段", 12, {"项目阶段", "阶段"}},
  };
  // clang-format on
  return kDefs;
}

const ColumnDef& defOf(Field field) { return columnDefs()[std::size_t(field)]; }

// Removes every occurrence of `from`, or replaces it with `to`.
void replaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

// Header text as compared: no spaces or line breaks, ASCII brackets, no required-field stars.
std::string normaliseHeader(std::string_view text) {
  std::string s(text);
  for (std::string_view space : {" ", "\t", "\r", "\n", "\u3000", "\u00a0", "*", "＊"})
    replaceAll(s, space, "");
  replaceAll(s, "（", "(");
  replaceAll(s, "）", ")");
  return s;
}

struct Recognised {
  Field field;
  std::optional<MoneyUnit> unit;
};

std::optional<Recognised> recognise(std::string_view headerText) {
  std::string base = normaliseHeader(headerText);
  const std::optional<MoneyUnit> unit = core::detectUnit(base);
  for (std::string_view u : {"(万元)", "(亿元)", "(元)"}) replaceAll(base, u, "");
  for (const ColumnDef& def : columnDefs()) {
    for (std::string_view name : def.names) {
      if (normaliseHeader(name) == base) return Recognised{def.field, unit};
    }
  }
  return std::nullopt;
}

struct Column {
  int col = -1;
  std::string header;
  MoneyUnit unit = MoneyUnit::Wan;
};
using Layout = std::map<Field, Column>;

std::string cellText(const Sheet& sheet, int row, int col) {
  return std::string(core::trimText(sheet.at(row, col).text));
}

// A header as shown in error messages: line breaks typed to wrap a narrow column are dropped.
std::string displayHeader(std::string text) {
  replaceAll(text, "\r", "");
  replaceAll(text, "\n", "");
  return text;
}

// Distinct fields recognised in a row; the candidate header row is the one with the most, and it must
// contain 项目名称.
std::set<Field> fieldsInRow(const Sheet& sheet, int row) {
  std::set<Field> fields;
  if (std::size_t(row) >= sheet.rows.size()) return fields;
  for (std::size_t c = 0; c < sheet.rows[std::size_t(row)].size(); ++c) {
    if (const auto rec = recognise(cellText(sheet, row, int(c)))) fields.insert(rec->field);
  }
  return fields;
}

const CellRange* mergeAt(const Sheet& sheet, int row, int col) {
  for (const CellRange& m : sheet.merged)
    if (m.contains(row, col)) return &m;
  return nullptr;
}

struct HeaderInfo {
  int headerRow = -1;
  int dataStart = -1;
  Layout layout;
  std::vector<std::string> ignored;
};

std::optional<HeaderInfo> findHeader(const Sheet& sheet) {
  constexpr int kScanRows = 10;
  int best = -1;
  std::size_t bestCount = 0;
  for (int r = 0; r < kScanRows && std::size_t(r) < sheet.rows.size(); ++r) {
    const std::set<Field> fields = fieldsInRow(sheet, r);
    if (fields.contains(Field::Name) && fields.size() > bestCount) {
      best = r;
      bestCount = fields.size();
    }
  }
  if (best < 0) return std::nullopt;

  HeaderInfo info;
  info.headerRow = best;
  info.dataStart = best + 1;
  std::map<int, std::string> unrecognised;  // column → header text
  for (std::size_t c = 0; c < sheet.rows[std::size_t(best)].size(); ++c) {
    const std::string text = cellText(sheet, best, int(c));
    if (text.empty()) continue;
    const auto rec = recognise(text);
    if (!rec || info.layout.contains(rec->field)) {  // unknown, or a repeated column: the first one counts
      unrecognised[int(c)] = displayHeader(text);
      continue;
    }
    info.layout[rec->field] = Column{int(c), displayHeader(text), rec->unit.value_or(MoneyUnit::Wan)};
  }

  // A second header row under merged groups ("资金来源（万元）" over 中央预算内, 专项债 …): its name cell is
  // empty and it names fields the first row did not; a sub-header without a unit takes its group's unit.
  const int sub = best + 1;
  const int nameCol = info.layout.at(Field::Name).col;
  if (std::size_t(sub) < sheet.rows.size() && cellText(sheet, sub, nameCol).empty()) {
    Layout extra;
    std::set<int> groupCols;
    for (std::size_t c = 0; c < sheet.rows[std::size_t(sub)].size(); ++c) {
      const std::string text = cellText(sheet, sub, int(c));
      const auto rec = text.empty() ? std::nullopt : recognise(text);
      if (!rec || info.layout.contains(rec->field) || extra.contains(rec->field)) continue;
      const CellRange* group = mergeAt(sheet, best, int(c));
      const int groupCol = group != nullptr ? group->firstCol : int(c);
      const auto groupUnit = core::detectUnit(normaliseHeader(cellText(sheet, best, groupCol)));
      extra[rec->field] =
          Column{int(c), displayHeader(text), rec->unit.value_or(groupUnit.value_or(MoneyUnit::Wan))};
      groupCols.insert(groupCol);
    }
    if (!extra.empty()) {
      info.layout.merge(extra);
      info.dataStart = sub + 1;
      for (int c : groupCols) unrecognised.erase(c);
    }
  }
  for (const auto& [col, text] : unrecognised) info.ignored.push_back(text);
  return info;
}

bool startsWithAny(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(), [&](std::string_view p) { return s.starts_with(p); });
}

// Totals (合计) and section headings (一、续建项目) sit between project rows in county sheets.
bool isSummaryOrSection(std::string_view seq, std::string_view name) {
  const std::string s = normaliseHeader(seq), n = normaliseHeader(name);
  if (startsWithAny(s, {"合计", "总计", "小计"}) || startsWithAny(n, {"合计", "总计", "小计"})) return true;
  return startsWithAny(s, {"一",  "二",  "三",  "四",  "五",  "六",  "七",  "八",  "九",  "十",
                           "(一", "(二", "(三", "(四", "(五", "(六", "(七", "(八", "(九", "(十"});
}

std::optional<std::string> categoryKey(std::string_view text) {
  std::string t = normaliseHeader(text);
  if (t.ends_with("类")) t.resize(t.size() - std::string_view("类").size());
  static const std::map<std::string, std::string, std::less<>> kAliases = {
      {"产业", "industrial"},       {"工业", "industrial"},
      {"产业类项目", "industrial"}, {"基础设施项目", "infrastructure"},
      {"民生", "social"},           {"社会事业", "social"},
      {"民生项目", "social"},       {"农业", "agriculture"},
      {"农业项目", "agriculture"},  {"生态", "ecology"},
      {"环保", "ecology"},          {"生态环境", "ecology"},
  };
  for (std::size_t i = 0; i < core::kCategoryNames.size(); ++i) {
    if (t == core::kCategoryNames[i] || t == core::kCategoryKeys[i])
      return std::string(core::kCategoryKeys[i]);
  }
  if (const auto it = kAliases.find(t); it != kAliases.end()) return it->second;
  return std::nullopt;
}

std::optional<std::string> levelKey(std::string token) {
  if (token.ends_with("项目")) token.resize(token.size() - std::string_view("项目").size());
  static const std::array<std::array<std::string_view, 4>, 3> kNames = {{
      {"省重点", "省级重点", "省级", "省"},
      {"市重点", "市级重点", "市级", "市"},
      {"县重点", "县级重点", "县级", "县"},
  }};
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    for (std::string_view name : kNames[i])
      if (token == name) return std::string(core::kLevelKeys[i]);
  }
  return std::nullopt;
}

// "省重点、市重点", "省重点,县重点", "市重点 县重点" → keys in canonical order; sets `unknown` on failure.
std::vector<std::string> splitLevels(std::string_view text, std::string& unknown) {
  std::string s(text);
  for (std::string_view sep : {"、", "，", "／", "；", "\u3000", ",", "/", ";", "\n", "\t"})
    replaceAll(s, sep, " ");
  std::set<std::size_t> found;
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t end = s.find(' ', start);
    if (end == std::string::npos) end = s.size();
    const std::string token = s.substr(start, end - start);
    start = end + 1;
    if (token.empty()) continue;
    const auto key = levelKey(token);
    if (!key) {
      unknown = token;
      return {};
    }
    for (std::size_t i = 0; i < core::kLevelKeys.size(); ++i)
      if (*key == core::kLevelKeys[i]) found.insert(i);
  }
  std::vector<std::string> keys;
  for (std::size_t i : found) keys.emplace_back(core::kLevelKeys[i]);
  return keys;
}

// Digits with at most one decimal point, the way Excel stores a date serial.
bool isBareNumber(std::string_view s) {
  const std::size_t dot = s.find('.');
  const auto digits = [](std::string_view part) {
    return !part.empty() && part.find_first_not_of("0123456789") == std::string_view::npos;
  };
  return digits(s.substr(0, dot)) && (dot == std::string_view::npos || digits(s.substr(dot + 1)));
}

std::string normaliseCode(std::string_view text) {
  std::string s(core::trimText(text));
  for (std::string_view dash : {"－", "—", "–", "‐"}) replaceAll(s, dash, "-");
  replaceAll(s, " ", "");
  return s;
}

std::string normaliseCreditCode(std::string_view text) {
  std::string s(core::trimText(text));
  replaceAll(s, " ", "");
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  return s;
}

// Templates so that one mapping serves both the importer (mutable) and the exporter (const).
template <class P>
auto& moneyField(P& p, Field field) {
  switch (field) {
    case Field::CentralBudget:
      return p.funding[std::size_t(core::FundingSource::CentralBudget)];
    case Field::SpecialBonds:
      return p.funding[std::size_t(core::FundingSource::SpecialBonds)];
    case Field::SelfRaised:
      return p.funding[std::size_t(core::FundingSource::SelfRaised)];
    case Field::BankLoans:
      return p.funding[std::size_t(core::FundingSource::BankLoans)];
    case Field::OtherFunds:
      return p.funding[std::size_t(core::FundingSource::Other)];
    default:
      return p.total_investment;
  }
}

template <class P>
auto& dateField(P& p, Field field) {
  switch (field) {
    case Field::Signed:
      return p.signed_date;
    case Field::PlannedStart:
      return p.planned_start;
    case Field::ActualStart:
      return p.actual_start;
    case Field::PlannedCompletion:
      return p.planned_completion;
    case Field::ActualCompletion:
      return p.actual_completion;
    case Field::PlannedProduction:
      return p.planned_production;
    default:
      return p.production_date;
  }
}

// Vertically merged cells (one 责任单位 for several projects) apply to every row they span.
using FillMap = std::map<std::pair<int, int>, int>;  // (row, col) → row holding the value

FillMap verticalFills(const Sheet& sheet, int dataStart) {
  // A few thousand projects with a handful of merged columns; more is a crafted file, and past the last row
  // of the sheet there is nothing to fill.
  constexpr std::size_t kMaxFilled = 200'000;
  const int lastRow = int(sheet.rows.size()) - 1;
  FillMap fill;
  std::size_t steps = 0;
  for (const CellRange& m : sheet.merged) {
    if (m.firstCol != m.lastCol || m.firstRow < dataStart) continue;
    for (int r = m.firstRow + 1; r <= std::min(m.lastRow, lastRow) && ++steps <= kMaxFilled; ++r)
      fill[{r, m.firstCol}] = m.firstRow;
  }
  return fill;
}

// Merges at least three columns wide over the name cell, by row: candidates for section headings.
std::map<int, CellRange> wideMergesOverName(const Sheet& sheet, int nameCol) {
  std::map<int, CellRange> rows;
  const int lastRow = int(sheet.rows.size()) - 1;
  std::size_t steps = 0;  // overlapping merges would otherwise revisit the same rows without end
  for (const CellRange& m : sheet.merged) {
    if (m.lastCol - m.firstCol < 2 || nameCol < m.firstCol || nameCol > m.lastCol) continue;
    for (int r = m.firstRow; r <= std::min(m.lastRow, lastRow) && ++steps <= 200'000; ++r) rows.emplace(r, m);
  }
  return rows;
}

class RowParser {
 public:
  RowParser(const Sheet& sheet, const HeaderInfo& header, ImportResult& result)
      : sheet_(sheet),
        header_(header),
        result_(result),
        fill_(verticalFills(sheet, header.dataStart)),
        wide_(wideMergesOverName(sheet, header.layout.at(Field::Name).col)) {}

  std::string text(int row, Field field) const {
    const auto it = header_.layout.find(field);
    if (it == header_.layout.end()) return {};
    const int col = it->second.col;
    std::string value = cellText(sheet_, row, col);
    if (value.empty() && defOf(field).kind != Kind::Money) {  // a merged amount must not be counted twice
      if (const auto f = fill_.find({row, col}); f != fill_.end()) value = cellText(sheet_, f->second, col);
    }
    return value;
  }

  // Nothing of its own besides 序号: values merged down from a row above do not make a project.
  bool isBlank(int row) const {
    for (const auto& [field, column] : header_.layout)
      if (field != Field::Seq && !cellText(sheet_, row, column.col).empty()) return false;
    return true;
  }

  // A heading such as "一、续建项目" merged across the name cell, with nothing filled outside the merge.
  bool isHeading(int row) const {
    const auto it = wide_.find(row);
    if (it == wide_.end()) return false;
    for (const auto& [field, column] : header_.layout) {
      if (column.col >= it->second.firstCol && column.col <= it->second.lastCol) continue;
      if (!cellText(sheet_, row, column.col).empty()) return false;
    }
    return true;
  }

  void error(int row, Field field, std::string reason) {
    const Column& column = header_.layout.at(field);
    result_.errors.push_back(
        {sheet_.name, row + 1, columnLetter(column.col), column.header, std::move(reason)});
  }

  ImportRow parse(int row) {
    const std::size_t errorsBefore = result_.errors.size();
    ImportRow out;
    out.excelRow = row + 1;
    core::Project& p = out.project;
    for (const auto& [field, column] : header_.layout) {
      const std::string value = text(row, field);
      switch (defOf(field).kind) {
        case Kind::Sequence:
          break;
        case Kind::Money:
          parseMoney(row, field, value, column.unit, moneyField(p, field));
          break;
        case Kind::Date:
          parseDate(row, field, value, dateField(p, field));
          break;
        case Kind::Text:
          parseText(row, field, value, out);
          break;
      }
    }
    if (!header_.layout.contains(Field::Category)) p.category = "other";
    out.valid = result_.errors.size() == errorsBefore;
    return out;
  }

 private:
  void parseMoney(int row, Field field, const std::string& value, MoneyUnit unit, core::Yuan& out) {
    if (value.empty()) return;
    if (const auto amount = core::parseAmount(value, unit)) {
      out = *amount;
    } else {
      error(row, field, value.starts_with('-') ? "金额不能为负数" : "金额格式不正确");
    }
  }

  void parseDate(int row, Field field, const std::string& value, core::Date& out) {
    if (value.empty()) return;
    // A bare number below 10000 is a year or a typo, not a serial (10000 is 1927-05-18).
    if (isBareNumber(value) && value.substr(0, value.find('.')).size() < 5) {
      error(row, field, "日期格式不正确");
      return;
    }
    if (auto iso = core::parseDate(value)) {
      out = std::move(iso);
    } else {
      error(row, field, "日期格式不正确");
    }
  }

  void parseText(int row, Field field, const std::string& value, ImportRow& out) {
    core::Project& p = out.project;
    switch (field) {
      case Field::Name:
        p.name = value;
        if (value.empty()) error(row, field, "项目名称不能为空");
        break;
      case Field::Code:
        p.code = normaliseCode(value);
        if (!p.code.empty() && !core::isValidProjectCode(p.code))
          error(row, field, std::string(core::kProjectCodeMessage));
        break;
      case Field::Category:
        if (value.empty()) {
          p.category = "other";
        } else if (auto key = categoryKey(value)) {
          p.category = std::move(*key);
        } else {
          error(row, field, "未知的项目类别");
        }
        break;
      case Field::Industry:
        p.industry = value;
        break;
      case Field::Chain:
        p.chain = value;
        break;
      case Field::Enterprise:
        p.enterprise_name = value;
        break;
      case Field::CreditCode:
        p.enterprise_credit_code = normaliseCreditCode(value);
        if (!p.enterprise_credit_code.empty()) {
          const auto check = core::checkCreditCode(p.enterprise_credit_code);
          if (check != core::CreditCodeCheck::Ok)
            error(row, field, std::string(core::creditCodeMessage(check)));
        }
        break;
      case Field::Township:
        out.townshipName = p.township_name = value;
        break;
      case Field::Address:
        p.address = value;
        break;
      case Field::Levels: {
        std::string unknown;
        p.levels = splitLevels(value, unknown);
        if (!unknown.empty())
          error(row, field, "未知的项目级别“" + unknown + "”，应为省重点、市重点或县重点");
        break;
      }
      case Field::Content:
        p.content = value;
        break;
      case Field::Unit:
        out.unitName = p.unit_name = value;
        break;
      case Field::Leader:
        out.leaderName = p.leader_name = value;
        break;
      case Field::Stage:
        out.stageName = value;
        break;
      default:
        break;
    }
  }

  const Sheet& sheet_;
  const HeaderInfo& header_;
  ImportResult& result_;
  FillMap fill_;
  std::map<int, CellRange> wide_;
};

// The second occurrence of a code, or of a name with the same owner, is an error pointing at the first.
void flagDuplicates(ImportResult& result, const Layout& layout) {
  std::map<std::string, int> byCode, byNameOwner;
  for (ImportRow& row : result.rows) {
    const core::Project& p = row.project;
    const std::size_t before = result.errors.size();
    auto flag = [&](Field field, const std::string& reason) {
      const Column& column = layout.at(field);
      result.errors.push_back({result.sheet, row.excelRow, columnLetter(column.col), column.header, reason});
    };
    if (!p.code.empty()) {
      if (const auto [it, fresh] = byCode.emplace(p.code, row.excelRow); !fresh)
        flag(Field::Code, "与第 " + std::to_string(it->second) + " 行的项目代码重复");
    }
    if (!p.name.empty()) {
      const std::string key = p.name + '\x1f' + p.enterprise_name;
      if (const auto [it, fresh] = byNameOwner.emplace(key, row.excelRow); !fresh)
        flag(Field::Name, "与第 " + std::to_string(it->second) + " 行的项目名称和业主单位相同");
    }
    if (result.errors.size() != before) row.valid = false;
  }
}

// Errors in sheet order, so a user can work down the file.
void sortErrors(std::vector<ImportError>& errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const ImportError& a, const ImportError& b) {
    if (a.row != b.row) return a.row < b.row;
    if (a.column.size() != b.column.size()) return a.column.size() < b.column.size();
    return a.column < b.column;
  });
}

OutCell moneyCell(core::Yuan amount) {
  return amount == 0 ? OutCell::text("") : OutCell::num(core::toWanPlain(amount));
}

std::string categoryName(const std::string& key) {
  for (std::size_t i = 0; i < core::kCategoryKeys.size(); ++i)
    if (key == core::kCategoryKeys[i]) return core::kCategoryNames[i];
  return key;
}

std::string levelNames(const std::vector<std::string>& keys) {
  std::string out;
  for (std::size_t i = 0; i < core::kLevelKeys.size(); ++i) {
    if (std::find(keys.begin(), keys.end(), core::kLevelKeys[i]) == keys.end()) continue;
    out += (out.empty() ? "" : "、") + std::string(core::kLevelNames[i]);
  }
  return out;
}

OutCell exportCell(const ProjectRow& row, Field field, std::size_t index) {
  const core::Project& p = row.project;
  auto date = [](const core::Date& d) { return OutCell::text(d.value_or("")); };
  switch (field) {
    case Field::Seq:
      return OutCell::num(std::to_string(index + 1));
    case Field::Name:
      return OutCell::text(p.name);
    case Field::Code:
      return OutCell::text(p.code);
    case Field::Category:
      return OutCell::text(categoryName(p.category));
    case Field::Industry:
      return OutCell::text(p.industry);
    case Field::Chain:
      return OutCell::text(p.chain);
    case Field::Enterprise:
      return OutCell::text(p.enterprise_name);
    case Field::CreditCode:
      return OutCell::text(p.enterprise_credit_code);
    case Field::Township:
      return OutCell::text(row.townshipName);
    case Field::Address:
      return OutCell::text(p.address);
    case Field::Levels:
      return OutCell::text(levelNames(p.levels));
    case Field::Total:
      return moneyCell(p.total_investment);
    case Field::CentralBudget:
    case Field::SpecialBonds:
    case Field::SelfRaised:
    case Field::BankLoans:
    case Field::OtherFunds:
      return moneyCell(moneyField(p, field));
    case Field::Signed:
    case Field::PlannedStart:
    case Field::ActualStart:
    case Field::PlannedCompletion:
    case Field::ActualCompletion:
    case Field::Production:
    case Field::PlannedProduction:
      return date(dateField(p, field));
    case Field::Content:
      return OutCell::text(p.content);
    case Field::Unit:
      return OutCell::text(row.unitName);
    case Field::Leader:
      return OutCell::text(row.leaderName);
    case Field::Stage:
      return OutCell::text(row.stageName);
  }
  return OutCell::text("");
}

}  // namespace

// The API's name of a field (nullptr for the sequence column).
const char* apiFieldKey(Field f) {
  switch (f) {
    case Field::Seq:
      return nullptr;
    case Field::Name:
      return "name";
    case Field::Code:
      return "code";
    case Field::Category:
      return "category";
    case Field::Industry:
      return "industry";
    case Field::Chain:
      return "chain";
    case Field::Enterprise:
      return "enterprise_name";
    case Field::CreditCode:
      return "enterprise_credit_code";
    case Field::Township:
      return "township";
    case Field::Address:
      return "address";
    case Field::Levels:
      return "levels";
    case Field::Total:
      return "total_investment";
    case Field::CentralBudget:
      return "funding.central_budget";
    case Field::SpecialBonds:
      return "funding.special_bonds";
    case Field::SelfRaised:
      return "funding.self_raised";
    case Field::BankLoans:
      return "funding.bank_loans";
    case Field::OtherFunds:
      return "funding.other";
    case Field::Signed:
      return "signed_date";
    case Field::PlannedStart:
      return "planned_start";
    case Field::ActualStart:
      return "actual_start";
    case Field::PlannedCompletion:
      return "planned_completion";
    case Field::ActualCompletion:
      return "actual_completion";
    case Field::Production:
      return "production_date";
    case Field::PlannedProduction:
      return "planned_production";
    case Field::Content:
      return "content";
    case Field::Unit:
      return "unit";
    case Field::Leader:
      return "leader";
    case Field::Stage:
      return "stage";
  }
  return nullptr;
}

ImportResult parseProjectSheet(const Workbook& workbook) {
  ImportResult result;
  const Sheet* sheet = nullptr;
  std::optional<HeaderInfo> header;
  for (const Sheet& candidate : workbook.sheets) {
    if (candidate.hidden) continue;
    if ((header = findHeader(candidate))) {
      sheet = &candidate;
      break;
    }
  }
  if (sheet == nullptr) {
    result.errors.push_back({"", 0, "", "", "未找到项目表头：前 10 行中没有“项目名称”列"});
    return result;
  }
  result.sheet = sheet->name;
  result.headerRow = header->headerRow + 1;
  result.ignoredHeaders = header->ignored;
  for (const auto& [field, column] : header->layout)
    if (const char* key = apiFieldKey(field)) {
      result.columns[key] = columnLetter(column.col);
      result.headers[key] = column.header;
    }

  RowParser parser(*sheet, *header, result);
  for (int r = header->dataStart; std::size_t(r) < sheet->rows.size(); ++r) {
    if (parser.isBlank(r)) continue;
    if (parser.isHeading(r) || isSummaryOrSection(parser.text(r, Field::Seq), parser.text(r, Field::Name))) {
      result.skippedRows.push_back(r + 1);
      continue;
    }
    result.rows.push_back(parser.parse(r));
  }
  flagDuplicates(result, header->layout);
  sortErrors(result.errors);
  return result;
}

// The light's word as a county writes it.
std::string lightName(const std::string& light) {
  if (light == "red") return "红灯";
  if (light == "yellow") return "黄灯";
  if (light == "green") return "绿灯";
  return "";
}

// SPI from basis points with two decimals, rounded half up: 8549 → "0.85", 8550 → "0.86".
std::string spiText(std::int64_t bp) {
  if (bp < 0) bp = 0;
  const std::int64_t hundredths = (bp + 50) / 100;
  const std::int64_t frac = hundredths % 100;
  return std::to_string(hundredths / 100) + (frac < 10 ? ".0" : ".") + std::to_string(frac);
}

std::string writeProjectSheet(const std::vector<ProjectRow>& rows, std::string_view title, bool lights) {
  OutSheet sheet;
  sheet.name = "项目清单";
  sheet.title = std::string(title);
  for (const ColumnDef& def : columnDefs()) {
    OutColumn column{std::string(def.header), def.width, {}, {}};
    if (def.kind == Kind::Money)
      column.numFormat = "#,##0.00##";  // 万元 to the yuan, shown with 2-4 decimals
    if (def.field == Field::Category)
      column.choices.assign(core::kCategoryNames.begin(), core::kCategoryNames.end());
    sheet.columns.push_back(std::move(column));
  }
  if (lights) {
    sheet.columns.push_back({"亮灯", 8, {}, {}});
    sheet.columns.push_back({"亮灯原因", 40, {}, {}});
    sheet.columns.push_back({"SPI", 8, "0.00", {}});
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::vector<OutCell> cells;
    for (const ColumnDef& def : columnDefs()) cells.push_back(exportCell(rows[i], def.field, i));
    if (lights) {
      std::string reasons;
      for (const auto& m : rows[i].lightReasons) reasons += (reasons.empty() ? "" : "；") + m;
      cells.push_back(OutCell::text(lightName(rows[i].light)));
      cells.push_back(OutCell::text(reasons));
      cells.push_back(rows[i].spiBp ? OutCell::num(spiText(*rows[i].spiBp)) : OutCell::text(""));
    }
    sheet.rows.push_back(std::move(cells));
  }
  return writeXlsx({sheet});
}

}  // namespace steward::office
