#include "office/project_sheet.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "office/xlsx_writer.h"
#include "xlsx_test_util.h"

namespace steward::office {
namespace {

using core::FundingSource;
using testing::LxwBook;

core::Yuan funding(const core::Project& p, FundingSource source) { return p.funding[std::size_t(source)]; }

// Writes a row of strings; a null entry leaves the cell empty.
void writeRow(lxw_worksheet* ws, lxw_row_t row, const std::vector<const char*>& cells) {
  for (std::size_t c = 0; c < cells.size(); ++c)
    if (cells[c] != nullptr) worksheet_write_string(ws, row, lxw_col_t(c), cells[c], nullptr);
}

// "sheet!C8 [header] reason", one line an error, to compare and print whole lists.
std::vector<std::string> errorLines(const std::vector<ImportError>& errors) {
  std::vector<std::string> lines;
  for (const ImportError& e : errors)
    lines.push_back(e.sheet + "!" + e.column + std::to_string(e.row) + " [" + e.header + "] " + e.reason);
  return lines;
}

std::string expectedErrors(const std::vector<ImportError>& errors) {
  std::string out;
  for (const std::string& line : errorLines(errors)) out += line + "\n";
  return out;
}

// A county's own list: a notes sheet, a hidden old sheet, then the real one with two title rows above the
// header, header aliases, an amount column in 亿元, a date-formatted serial, and assorted mistakes.
std::string countyWorkbook() {
  LxwBook book;
  writeRow(book.sheet("填表说明"), 0, {"请按模板填写，金额单位见表头"});
  lxw_worksheet* old = book.sheet("旧表");
  writeRow(old, 0, {"项目名称", "总投资"});
  writeRow(old, 1, {"旧项目", "1"});
  worksheet_hide(old);

  lxw_worksheet* ws = book.sheet("2023年重点项目");
  worksheet_merge_range(ws, 0, 0, 0, 14, "某县2023年重点项目清单", nullptr);
  worksheet_merge_range(ws, 1, 0, 1, 14, "填报单位：县发改局", nullptr);
  writeRow(ws, 2,
           {"序号", "名称", "投资项目统一代码", "类别", "项目业主", "信用代码", "乡镇", "级别",
            "总投资\n（亿元）", "计划开工", "牵头县领导", "阶段", "备注", "自定义列", "专项债(万元)"});
  lxw_format* dateFormat = book.numFormat("yyyy-mm-dd");
  // Excel row 4.
  writeRow(ws, 3,
           {"1", "县城污水处理厂提质改造", "2304-430424-04-01-123456", "基础设施", "某县城市建设投资有限公司",
            "91350100M000100Y43", "城关镇", "省重点、市重点", nullptr, "2023/5/1", "张三", "开工建设",
            "备注不导入", "x"});
  worksheet_write_number(ws, 3, 8, 1.5, nullptr);
  worksheet_write_number(ws, 3, 14, 3000, nullptr);
  // Row 5: amount typed as text in 亿元, a real Excel date, a lower-case credit code.
  writeRow(ws, 4,
           {"2", "新能源电池材料项目", " 2305-430424-38-01-654321 ", "产业项目", "某某新材料有限公司",
            "9144030071526726xg", "吴集镇", "县重点", "1.2345", nullptr, "李四", "谋划储备"});
  worksheet_write_number(ws, 4, 9, 45044, dateFormat);
  // Row 6: an amount that is not a number.
  writeRow(ws, 5, {"3", "现代物流园", nullptr, "产业项目", "物流公司", nullptr, nullptr, nullptr, "约5亿"});
  // Row 7 stays empty. Row 8: the code of row 4 again.
  writeRow(ws, 7, {"4", "污水处理二期", "2304-430424-04-01-123456", "基础设施"});
  // Row 9: same name and owner as row 5.
  writeRow(ws, 8, {"5", "新能源电池材料项目", nullptr, "产业项目", "某某新材料有限公司"});
  writeRow(ws, 9, {"6", "文旅综合体", nullptr, "社会民生", "文旅公司", "91350100M000100Y44"});
  writeRow(ws, 10, {"7", "高标准农田", "2313-430424-01-01-000001", "农业农村"});
  writeRow(ws, 11,
           {"8", "学校建设", nullptr, "社会民生", nullptr, nullptr, nullptr, nullptr, nullptr, "2023-02-30"});
  writeRow(ws, 12, {"9", "商业综合体", nullptr, "商业"});
  writeRow(ws, 13, {"10", nullptr, nullptr, "其他", "无名公司"});
  writeRow(ws, 14, {"合计", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "10"});
  writeRow(ws, 15, {"11", "湿地公园", nullptr, "生态环保", nullptr, nullptr, nullptr, "国家重点", "-3"});
  // Trailing rows that only look used: formatted blanks and a blank-looking string.
  lxw_format* border = workbook_add_format(book.get());
  format_set_border(border, LXW_BORDER_THIN);
  for (lxw_row_t r = 16; r < 30; ++r)
    for (lxw_col_t c = 0; c < 15; ++c) worksheet_write_blank(ws, r, c, border);
  worksheet_write_string(ws, 22, 1, "  ", nullptr);
  return book.finish();
}

TEST(ParseProjectSheet, CountyWorkbookWithTitleRowsAliasesAndMistakes) {
  const ImportResult result = parseProjectSheet(readXlsx(countyWorkbook()));
  EXPECT_EQ(result.sheet, "2023年重点项目");
  EXPECT_EQ(result.headerRow, 3);
  EXPECT_EQ(result.ignoredHeaders, (std::vector<std::string>{"备注", "自定义列"}));

  EXPECT_EQ(errorLines(result.errors), (std::vector<std::string>{
                                           "2023年重点项目!I6 [总投资（亿元）] 金额格式不正确",
                                           "2023年重点项目!C8 [投资项目统一代码] 与第 4 行的项目代码重复",
                                           "2023年重点项目!B9 [名称] 与第 5 行的项目名称和业主单位相同",
                                           "2023年重点项目!F10 [信用代码] 统一社会信用代码校验位错误",
                                           "2023年重点项目!C11 [投资项目统一代码] 项目代码格式应为 "
                                           "YYMM-RRRRRR-II-TT-NNNNNN",
                                           "2023年重点项目!J12 [计划开工] 日期格式不正确",
                                           "2023年重点项目!D13 [类别] 未知的项目类别",
                                           "2023年重点项目!B14 [名称] 项目名称不能为空",
                                           "2023年重点项目!H16 [级别] 未知的项目级别“国家重点”，应为省重点、"
                                           "市重点或县重点",
                                           "2023年重点项目!I16 [总投资（亿元）] 金额不能为负数",
                                       }));

  std::vector<int> excelRows;
  for (const ImportRow& row : result.rows) excelRows.push_back(row.excelRow);
  EXPECT_EQ(excelRows, (std::vector<int>{4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 16}));
  EXPECT_EQ(result.skippedRows, (std::vector<int>{15}));  // 合计

  const ImportRow& first = result.rows[0];
  EXPECT_TRUE(first.valid);
  EXPECT_EQ(first.project.name, "县城污水处理厂提质改造");
  EXPECT_EQ(first.project.code, "2304-430424-04-01-123456");
  EXPECT_EQ(first.project.category, "infrastructure");
  EXPECT_EQ(first.project.enterprise_name, "某县城市建设投资有限公司");
  EXPECT_EQ(first.project.enterprise_credit_code, "91350100M000100Y43");
  EXPECT_EQ(first.townshipName, "城关镇");
  EXPECT_EQ(first.project.township_name, "城关镇");
  EXPECT_EQ(first.project.levels, (std::vector<std::string>{"province", "city"}));
  EXPECT_EQ(first.project.total_investment, 150000000);                      // 1.5 亿元
  EXPECT_EQ(funding(first.project, FundingSource::SpecialBonds), 30000000);  // 3000 万元
  EXPECT_EQ(first.project.planned_start, "2023-05-01");
  EXPECT_EQ(first.leaderName, "张三");
  EXPECT_EQ(first.stageName, "开工建设");

  const ImportRow& second = result.rows[1];
  EXPECT_TRUE(second.valid);
  EXPECT_EQ(second.project.code, "2305-430424-38-01-654321");
  EXPECT_EQ(second.project.category, "industrial");
  EXPECT_EQ(second.project.enterprise_credit_code, "9144030071526726XG");
  EXPECT_EQ(second.project.levels, (std::vector<std::string>{"county"}));
  EXPECT_EQ(second.project.total_investment, 123450000);
  EXPECT_EQ(second.project.planned_start, "2023-04-28");

  EXPECT_FALSE(result.rows[2].valid);
  EXPECT_EQ(result.rows[2].project.total_investment, 0);
  EXPECT_FALSE(result.rows[3].valid);  // duplicate code
  EXPECT_EQ(result.rows[9].project.category, "other");
}

TEST(ParseProjectSheet, TwoRowHeaderSectionsAndVerticalMerges) {
  LxwBook book;
  lxw_worksheet* ws = book.sheet("Sheet1");
  worksheet_merge_range(ws, 0, 0, 0, 6, "重点项目推进表", nullptr);
  worksheet_merge_range(ws, 1, 0, 2, 0, "序号", nullptr);
  worksheet_merge_range(ws, 1, 1, 2, 1, "项目名称", nullptr);
  worksheet_merge_range(ws, 1, 2, 1, 4, "资金来源（亿元）", nullptr);
  worksheet_merge_range(ws, 1, 5, 2, 5, "总投资（万元）", nullptr);
  worksheet_merge_range(ws, 1, 6, 2, 6, "责任\n单位", nullptr);
  writeRow(ws, 2, {nullptr, nullptr, "中央预算内", "专项债（万元）", "银行贷款"});
  worksheet_merge_range(ws, 3, 0, 3, 6, "一、续建项目（2个）", nullptr);
  writeRow(ws, 4, {"1", "项目甲", "0.01", "200.5", "0.03", "1200"});
  worksheet_merge_range(ws, 4, 6, 5, 6, "县发改局", nullptr);
  writeRow(ws, 5, {"2", "项目乙", nullptr, nullptr, "0.5", "800"});
  writeRow(ws, 6, {"二、新建项目"});
  writeRow(ws, 7, {"3", "项目丙", nullptr, nullptr, nullptr, "100", "县住建局"});
  writeRow(ws, 8, {"4", nullptr});  // a pre-numbered empty template row
  const ImportResult result = parseProjectSheet(readXlsx(book.finish()));

  EXPECT_EQ(result.headerRow, 2);
  EXPECT_TRUE(result.errors.empty()) << expectedErrors(result.errors);
  EXPECT_TRUE(result.ignoredHeaders.empty());
  ASSERT_EQ(result.rows.size(), 3u);
  const core::Project& a = result.rows[0].project;
  EXPECT_EQ(result.rows[0].excelRow, 5);
  EXPECT_EQ(funding(a, FundingSource::CentralBudget), 1000000);  // 0.01 亿元, the group's unit
  EXPECT_EQ(funding(a, FundingSource::SpecialBonds), 2005000);   // 200.5 万元, its own unit
  EXPECT_EQ(funding(a, FundingSource::BankLoans), 3000000);
  EXPECT_EQ(a.total_investment, 12000000);
  EXPECT_EQ(result.rows[0].unitName, "县发改局");
  EXPECT_EQ(result.rows[1].unitName, "县发改局");  // from the vertical merge
  EXPECT_EQ(result.rows[2].project.name, "项目丙");
  EXPECT_EQ(result.rows[2].unitName, "县住建局");
  EXPECT_TRUE(result.skippedRows.empty());  // headings written in the 序号 column leave the row blank
}

TEST(ParseProjectSheet, HeadingInTheNameColumnVersusAWideNameCell) {
  LxwBook book;
  lxw_worksheet* ws = book.sheet("Sheet1");
  writeRow(ws, 0, {"项目名称", nullptr, nullptr, "总投资（万元）", "责任单位"});
  worksheet_merge_range(ws, 1, 0, 1, 4, "产业项目", nullptr);          // a heading over the whole row
  worksheet_merge_range(ws, 2, 0, 2, 2, "宽单元格里的项目", nullptr);  // a project whose name spans A:C
  writeRow(ws, 2, {nullptr, nullptr, nullptr, "100", "县发改局"});
  worksheet_merge_range(ws, 3, 4, 5, 4, "县住建局", nullptr);  // unit merged over a blank row
  writeRow(ws, 3, {"项目丁", nullptr, nullptr, "5"});
  const ImportResult result = parseProjectSheet(readXlsx(book.finish()));
  EXPECT_TRUE(result.errors.empty()) << expectedErrors(result.errors);
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0].project.name, "宽单元格里的项目");
  EXPECT_EQ(result.rows[0].project.total_investment, 1000000);
  EXPECT_EQ(result.rows[1].unitName, "县住建局");
  EXPECT_EQ(result.skippedRows, (std::vector<int>{2}));
}

TEST(ParseProjectSheet, LevelsDatesAndCategoriesInTheirVariants) {
  LxwBook book;
  lxw_worksheet* ws = book.sheet("Sheet1");
  writeRow(ws, 0, {"项目名称", "项目级别", "签约时间", "实际竣工日期", "项目类别"});
  writeRow(ws, 1, {"甲", "市重点/省重点", "2023年4月28日", "20240101", "产业"});
  writeRow(ws, 2, {"乙", "省重点,市重点 县重点", "2023.4.8", nullptr, "民生"});
  writeRow(ws, 3, {"丙", "县级重点项目、县重点", "2023", nullptr, "生态环保类"});
  writeRow(ws, 4, {"丁", nullptr, nullptr, nullptr, nullptr});
  worksheet_write_number(ws, 4, 2, 45044.5, nullptr);  // a serial without date formatting is still a date
  const ImportResult result = parseProjectSheet(readXlsx(book.finish()));

  ASSERT_EQ(result.rows.size(), 4u);
  EXPECT_EQ(result.rows[0].project.levels, (std::vector<std::string>{"province", "city"}));
  EXPECT_EQ(result.rows[0].project.signed_date, "2023-04-28");
  EXPECT_EQ(result.rows[0].project.actual_completion, "2024-01-01");
  EXPECT_EQ(result.rows[0].project.category, "industrial");
  EXPECT_EQ(result.rows[1].project.levels, (std::vector<std::string>{"province", "city", "county"}));
  EXPECT_EQ(result.rows[1].project.signed_date, "2023-04-08");
  EXPECT_EQ(result.rows[1].project.category, "social");
  EXPECT_EQ(result.rows[2].project.levels, (std::vector<std::string>{"county"}));
  EXPECT_EQ(result.rows[2].project.category, "ecology");
  EXPECT_EQ(result.rows[3].project.signed_date, "2023-04-28");
  EXPECT_TRUE(result.rows[3].project.levels.empty());
  EXPECT_EQ(result.rows[3].project.category, "other");
  // "2023" alone is a year, not serial 2023 (1905-07-15).
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].row, 4);
  EXPECT_EQ(result.errors[0].column, "C");
  EXPECT_EQ(result.errors[0].reason, "日期格式不正确");
}

TEST(ParseProjectSheet, NoHeaderIsAFileLevelError) {
  LxwBook book;
  writeRow(book.sheet("Sheet1"), 0, {"序号", "名字", "金额"});
  const ImportResult result = parseProjectSheet(readXlsx(book.finish()));
  EXPECT_TRUE(result.rows.empty());
  EXPECT_EQ(result.headerRow, 0);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].row, 0);
  EXPECT_NE(result.errors[0].reason.find("项目名称"), std::string::npos);
}

TEST(WriteProjectSheet, BlankTemplateHasTitleAndEveryHeader) {
  const Workbook wb = readXlsx(writeProjectSheet({}, "某县重点项目导入模板"));
  const Sheet& s = wb.sheets.at(0);
  EXPECT_EQ(s.at(0, 0).text, "某县重点项目导入模板");
  const std::vector<std::string> headers = {"序号",
                                            "项目名称",
                                            "项目代码",
                                            "项目类别",
                                            "所属产业",
                                            "产业链",
                                            "业主单位",
                                            "统一社会信用代码",
                                            "所在乡镇",
                                            "建设地点",
                                            "项目级别",
                                            "总投资（万元）",
                                            "中央预算内（万元）",
                                            "专项债（万元）",
                                            "企业自筹（万元）",
                                            "银行贷款（万元）",
                                            "其他资金（万元）",
                                            "签约时间",
                                            "计划开工时间",
                                            "实际开工时间",
                                            "计划竣工时间",
                                            "实际竣工时间",
                                            "投产时间",
                                            "计划投产时间",
                                            "建设内容及规模",
                                            "责任单位",
                                            "项目长",
                                            "项目阶段"};
  ASSERT_EQ(s.rows.size(), 2u);
  ASSERT_EQ(s.rows[1].size(), headers.size());
  for (std::size_t c = 0; c < headers.size(); ++c) EXPECT_EQ(s.rows[1][c].text, headers[c]);
  const ImportResult result = parseProjectSheet(wb);
  EXPECT_TRUE(result.rows.empty());
  EXPECT_TRUE(result.errors.empty());
  EXPECT_TRUE(result.ignoredHeaders.empty());
  EXPECT_EQ(result.headerRow, 2);
}

std::vector<ProjectRow> variedRows() {
  std::vector<ProjectRow> rows;
  ProjectRow full;
  core::Project& p = full.project;
  p.name = "年产10万吨锂电池正极材料项目（一期）";
  p.code = "2304-430424-38-01-123456";
  p.category = "industrial";
  p.industry = "新能源";
  p.chain = "新材料产业链";
  p.enterprise_name = "湖南某某新材料有限公司";
  p.enterprise_credit_code = "91350100M000100Y43";
  p.address = "工业园区 B 区 & <东侧> \"3号\"";
  p.levels = {"province", "city", "county"};
  p.total_investment = 9876543211234;  // 987654321.1234 万元
  p.funding = {1, 123456700, 500000000, 0, 30000};
  p.signed_date = "2022-12-31";
  p.planned_start = "2023-04-28";
  p.actual_start = "2023-05-06";
  p.planned_completion = "2024-02-29";
  p.production_date = "2025-01-01";
  p.content = "一期：建设厂房5万平方米；\n二期：购置生产线6条。";
  full.townshipName = "城关镇";
  full.unitName = "县工业和信息化局";
  full.leaderName = "王五";
  full.stageName = "开工建设";
  rows.push_back(full);

  ProjectRow minimal;
  minimal.project.name = "乡村振兴示范片";
  minimal.project.category = "other";
  rows.push_back(minimal);

  ProjectRow huge;
  huge.project.name = "超大金额";
  huge.project.category = "infrastructure";
  huge.project.levels = {"county"};
  huge.project.total_investment = std::numeric_limits<core::Yuan>::max();  // beyond a double: written as text
  huge.project.funding = {0, 0, 0, 12345, 0};
  rows.push_back(huge);

  for (std::size_t i = 0; i < core::kCategoryKeys.size(); ++i) {
    ProjectRow row;
    row.project.name = std::string("类别样例") + core::kCategoryNames[i];
    row.project.category = core::kCategoryKeys[i];
    row.project.enterprise_name = "企业" + std::to_string(i);
    row.project.total_investment = core::Yuan(i) * 10001;
    row.project.actual_completion = "2023-0" + std::to_string(i + 1) + "-1" + std::to_string(i);
    rows.push_back(row);
  }
  return rows;
}

ProjectRow toProjectRow(const ImportRow& row) {
  return {row.project, row.townshipName, row.unitName, row.leaderName, row.stageName};
}

TEST(WriteProjectSheet, RoundTripIsExact) {
  const std::vector<ProjectRow> original = variedRows();
  const std::string title = "某县2023年重点项目清单";
  const Workbook first = readXlsx(writeProjectSheet(original, title));
  const ImportResult parsed = parseProjectSheet(first);
  ASSERT_TRUE(parsed.errors.empty()) << expectedErrors(parsed.errors);
  ASSERT_EQ(parsed.rows.size(), original.size());

  std::vector<ProjectRow> again;
  for (std::size_t i = 0; i < parsed.rows.size(); ++i) {
    const core::Project& want = original[i].project;
    const core::Project& got = parsed.rows[i].project;
    EXPECT_EQ(parsed.rows[i].excelRow, int(i) + 3);
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(got.code, want.code);
    EXPECT_EQ(got.category, want.category);
    EXPECT_EQ(got.industry, want.industry);
    EXPECT_EQ(got.chain, want.chain);
    EXPECT_EQ(got.enterprise_name, want.enterprise_name);
    EXPECT_EQ(got.enterprise_credit_code, want.enterprise_credit_code);
    EXPECT_EQ(got.address, want.address);
    EXPECT_EQ(got.levels, want.levels);
    EXPECT_EQ(got.total_investment, want.total_investment);
    EXPECT_EQ(got.funding, want.funding);
    EXPECT_EQ(got.signed_date, want.signed_date);
    EXPECT_EQ(got.planned_start, want.planned_start);
    EXPECT_EQ(got.actual_start, want.actual_start);
    EXPECT_EQ(got.planned_completion, want.planned_completion);
    EXPECT_EQ(got.actual_completion, want.actual_completion);
    EXPECT_EQ(got.production_date, want.production_date);
    EXPECT_EQ(got.content, want.content);
    EXPECT_EQ(parsed.rows[i].townshipName, original[i].townshipName);
    EXPECT_EQ(parsed.rows[i].unitName, original[i].unitName);
    EXPECT_EQ(parsed.rows[i].leaderName, original[i].leaderName);
    EXPECT_EQ(parsed.rows[i].stageName, original[i].stageName);
    again.push_back(toProjectRow(parsed.rows[i]));
  }

  const Workbook second = readXlsx(writeProjectSheet(again, title));
  const Sheet& a = first.sheets.at(0);
  const Sheet& b = second.sheets.at(0);
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (std::size_t r = 0; r < a.rows.size(); ++r) {
    ASSERT_EQ(a.rows[r].size(), b.rows[r].size()) << "row " << r;
    for (std::size_t c = 0; c < a.rows[r].size(); ++c) {
      EXPECT_EQ(a.rows[r][c].text, b.rows[r][c].text) << columnLetter(int(c)) << r + 1;
      EXPECT_EQ(a.rows[r][c].isNumber, b.rows[r][c].isNumber) << columnLetter(int(c)) << r + 1;
    }
  }
  // Money goes out as numbers in 万元 where a double carries it exactly, as text where it cannot.
  EXPECT_EQ(a.at(2, 11).text, "987654321.1234");
  EXPECT_TRUE(a.at(2, 11).isNumber);
  EXPECT_EQ(a.at(2, 12).text, "0.0001");
  EXPECT_EQ(a.at(2, 13).text, "12345.67");
  EXPECT_EQ(a.at(2, 10).text, "省重点、市重点、县重点");
  EXPECT_EQ(a.at(2, 18).text, "2023-04-28");
  EXPECT_FALSE(a.at(2, 18).isNumber);
  EXPECT_EQ(a.at(4, 11).text, "922337203685477.5807");
  EXPECT_FALSE(a.at(4, 11).isNumber);
  EXPECT_EQ(a.at(3, 11).text, "");  // zero is left blank
}

}  // namespace
}  // namespace steward::office

namespace steward::office {
TEST(WriteProjectSheet, LightsColumnsFollowAndAreIgnoredOnImport) {
  ProjectRow red;
  red.project.name = "红灯项目";
  red.project.planned_production = "2026-06-30";
  red.light = "red";
  red.lightReasons = {"计划2026年1月开工，逾期3个月未开工", "函件签收或答复逾期1项"};
  red.spiBp = 8550;
  ProjectRow green;
  green.project.name = "绿灯项目";
  green.light = "green";
  const Workbook wb = readXlsx(writeProjectSheet({red, green}, "某县重点项目库", true));
  const Sheet& s = wb.sheets.at(0);
  const auto& header = s.rows.at(1);
  const std::size_t n = header.size();
  ASSERT_GE(n, 3u);
  EXPECT_EQ(header[n - 3].text, "亮灯");
  EXPECT_EQ(header[n - 2].text, "亮灯原因");
  EXPECT_EQ(header[n - 1].text, "SPI");
  EXPECT_EQ(s.at(2, int(n - 3)).text, "红灯");
  EXPECT_EQ(s.at(2, int(n - 2)).text, "计划2026年1月开工，逾期3个月未开工；函件签收或答复逾期1项");
  EXPECT_EQ(s.at(2, int(n - 1)).text, "0.86") << "two decimals, rounded half up";
  EXPECT_EQ(s.at(3, int(n - 3)).text, "绿灯");
  EXPECT_EQ(s.at(3, int(n - 1)).text, "") << "no plan, no SPI";
  const ImportResult back = parseProjectSheet(wb);
  ASSERT_EQ(back.rows.size(), 2u);
  EXPECT_TRUE(back.errors.empty());
  EXPECT_EQ(back.rows[0].project.planned_production, std::optional<std::string>("2026-06-30"));
  EXPECT_EQ(back.columns.count("planned_production"), 1u);
  EXPECT_EQ(back.ignoredHeaders.size(), 3u) << "亮灯, 亮灯原因 and SPI are export only";
  const Workbook plain = readXlsx(writeProjectSheet({red}, "某县重点项目库"));
  EXPECT_EQ(plain.sheets.at(0).rows.at(1).size(), n - 3) << "without lights, no lights columns";
}
}  // namespace steward::office
