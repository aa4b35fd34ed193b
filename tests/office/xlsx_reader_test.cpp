#include "office/xlsx_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "xlsx_test_util.h"

namespace steward::office {
namespace {

using testing::LxwBook;

TEST(CellRef, LettersAndReferences) {
  EXPECT_EQ(columnLetter(0), "A");
  EXPECT_EQ(columnLetter(25), "Z");
  EXPECT_EQ(columnLetter(26), "AA");
  EXPECT_EQ(columnLetter(701), "ZZ");
  EXPECT_EQ(columnLetter(702), "AAA");
  EXPECT_EQ(columnLetter(16383), "XFD");
  int row = -1, col = -1;
  ASSERT_TRUE(parseCellRef("B3", row, col));
  EXPECT_EQ(row, 2);
  EXPECT_EQ(col, 1);
  ASSERT_TRUE(parseCellRef("$AA$10", row, col));
  EXPECT_EQ(row, 9);
  EXPECT_EQ(col, 26);
  ASSERT_TRUE(parseCellRef("XFD1048576", row, col));
  EXPECT_EQ(col, 16383);
  for (const char* bad : {"", "A", "3", "A0", "XFE1", "A1048577", "A1B", "1A", "A-1"})
    EXPECT_FALSE(parseCellRef(bad, row, col)) << bad;
}

TEST(ReadXlsx, CellKindsFromLibxlsxwriter) {
  LxwBook book;
  lxw_worksheet* ws = book.sheet("数据表");
  worksheet_write_string(ws, 0, 0, "项目名称", nullptr);
  worksheet_write_number(ws, 0, 1, 12345.67, nullptr);
  worksheet_write_boolean(ws, 0, 2, 1, nullptr);
  worksheet_write_boolean(ws, 0, 3, 0, nullptr);
  worksheet_write_formula_num(ws, 0, 4, "=1+2", nullptr, 3);
  lxw_format* bold = workbook_add_format(book.get());
  format_set_bold(bold);
  lxw_rich_string_tuple plain = {nullptr, const_cast<char*>("县")};
  lxw_rich_string_tuple strong = {bold, const_cast<char*>("重点")};
  lxw_rich_string_tuple* rich[] = {&plain, &strong, nullptr};
  worksheet_write_rich_string(ws, 1, 0, rich, nullptr);
  worksheet_write_string(ws, 9, 3, "远处", nullptr);  // sparse: nothing between
  worksheet_merge_range(ws, 11, 0, 11, 2, "合并", nullptr);
  book.sheet("第二页");
  const Workbook wb = readXlsx(book.finish());

  ASSERT_EQ(wb.sheets.size(), 2u);
  EXPECT_EQ(wb.sheets[1].name, "第二页");
  EXPECT_TRUE(wb.sheets[1].rows.empty());
  const Sheet& s = wb.sheets[0];
  EXPECT_EQ(s.name, "数据表");
  EXPECT_FALSE(s.hidden);
  EXPECT_EQ(s.at(0, 0).text, "项目名称");
  EXPECT_FALSE(s.at(0, 0).isNumber);
  EXPECT_EQ(s.at(0, 1).text, "12345.67");
  EXPECT_TRUE(s.at(0, 1).isNumber);
  EXPECT_FALSE(s.at(0, 1).isDateFormatted);
  EXPECT_EQ(s.at(0, 2).text, "TRUE");
  EXPECT_EQ(s.at(0, 3).text, "FALSE");
  EXPECT_EQ(s.at(0, 4).text, "3");  // cached formula value
  EXPECT_EQ(s.at(1, 0).text, "县重点");
  EXPECT_EQ(s.at(9, 3).text, "远处");
  EXPECT_EQ(s.at(5, 1).text, "");
  EXPECT_EQ(s.at(500, 500).text, "");
  EXPECT_EQ(s.rows.size(), 12u);
  EXPECT_EQ(s.rows[9].size(), 4u);
  ASSERT_EQ(s.merged.size(), 1u);
  EXPECT_EQ(s.merged[0].firstRow, 11);
  EXPECT_EQ(s.merged[0].lastCol, 2);
  EXPECT_TRUE(s.merged[0].contains(11, 1));
  EXPECT_FALSE(s.merged[0].contains(10, 1));
}

TEST(ReadXlsx, InlineStringsFromConstantMemoryMode) {
  LxwBook book(/*constantMemory=*/true);
  lxw_worksheet* ws = book.sheet("Sheet1");
  worksheet_write_string(ws, 0, 0, "内联字符串", nullptr);
  worksheet_write_number(ws, 1, 0, 0.0001, nullptr);
  const Workbook wb = readXlsx(book.finish());
  EXPECT_EQ(wb.sheets[0].at(0, 0).text, "内联字符串");
  EXPECT_EQ(wb.sheets[0].at(1, 0).text, "0.0001");
}

TEST(ReadXlsx, DateFormatsAreFlagged) {
  LxwBook book;
  lxw_worksheet* ws = book.sheet("Sheet1");
  lxw_format* builtin = workbook_add_format(book.get());
  format_set_num_format_index(builtin, 14);
  lxw_format* builtinCjk = workbook_add_format(book.get());
  format_set_num_format_index(builtinCjk, 31);
  struct Case {
    lxw_format* format;
    bool date;
  };
  const Case cases[] = {
      {builtin, true},
      {builtinCjk, true},
      {book.numFormat("yyyy-mm-dd"), true},
      {book.numFormat("yyyy\"年\"m\"月\"d\"日\""), true},
      {book.numFormat("[$-804]yyyy/m/d;@"), true},
      {book.numFormat("[h]:mm"), true},
      {book.numFormat("0.00"), false},
      {book.numFormat("#,##0.00\"万元\""), false},
      {book.numFormat("0\" days\""), false},
      {book.numFormat("[Red]#,##0.00"), false},
      {book.numFormat("0.00E+00"), false},
      {nullptr, false},
  };
  for (std::size_t i = 0; i < std::size(cases); ++i)
    worksheet_write_number(ws, lxw_row_t(i), 0, 45044, cases[i].format);
  worksheet_write_string(ws, 0, 1, "text", builtin);  // a string in a date style is not a date
  const Workbook wb = readXlsx(book.finish());
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    const Cell& cell = wb.sheets[0].at(int(i), 0);
    EXPECT_EQ(cell.text, "45044");
    EXPECT_TRUE(cell.isNumber);
    EXPECT_EQ(cell.isDateFormatted, cases[i].date) << "case " << i;
  }
  EXPECT_FALSE(wb.sheets[0].at(0, 1).isDateFormatted);
}

const char* kWorkbookRels = R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/../worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="./sharedStrings.xml"/>
</Relationships>)";

// A workbook as other producers write it: namespace prefixes, absolute and relative targets, rows and
// cells without r attributes, phonetic runs, escaped control characters, every cell type.
TEST(ReadXlsx, HandWrittenPackage) {
  const std::string bytes = testing::buildZip({
      {"_rels/.rels", R"(<?xml version="1.0"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/>
</Relationships>)"},
      {"xl/workbook.xml", R"(<?xml version="1.0"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
  xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:sheets><x:sheet name="数据" sheetId="1" r:id="rId1"/><x:sheet name="隐藏" sheetId="2" state="hidden" r:id="rId2"/></x:sheets>
</x:workbook>)"},
      {"xl/_rels/workbook.xml.rels", kWorkbookRels},
      {"xl/sharedStrings.xml", R"(<?xml version="1.0"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<si><t>项目</t></si>
<si><r><t>县</t></r><r><rPr><b/></rPr><t>重点</t></r><rPh sb="0" eb="1"><t>ケン</t></rPh></si>
<si><t>第一行_x000D_
第二行</t></si>
<si><t xml:space="preserve"> </t></si>
</sst>)"},
      {"xl/worksheets/sheet1.xml", R"(<?xml version="1.0"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c></x:row>
<x:row r="3"><x:c r="C3" t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c><x:c t="str"><x:f>A1&amp;B1</x:f><x:v>项目县重点</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c><x:v>1.5E-3</x:v></x:c><x:c s="0"/></x:row>
<x:row r="4"><x:c r="A4" t="s"><x:v>2</x:v></x:c><x:c r="B4" t="s"><x:v>3</x:v></x:c></x:row>
</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells></x:worksheet>)"},
      {"xl/worksheets/sheet2.xml",
       R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1"><v>42</v></c></row></sheetData></worksheet>)"},
  });
  const Workbook wb = readXlsx(bytes);
  ASSERT_EQ(wb.sheets.size(), 2u);
  const Sheet& s = wb.sheets[0];
  EXPECT_EQ(s.name, "数据");
  EXPECT_EQ(s.at(0, 0).text, "项目");
  EXPECT_EQ(s.at(0, 1).text, "县重点");  // phonetic run left out
  EXPECT_EQ(s.at(2, 2).text, "内联");
  EXPECT_EQ(s.at(2, 3).text, "项目县重点");
  EXPECT_FALSE(s.at(2, 3).isNumber);
  EXPECT_EQ(s.at(2, 4).text, "#N/A");
  EXPECT_EQ(s.at(2, 5).text, "TRUE");
  EXPECT_EQ(s.at(2, 6).text, "1.5E-3");  // verbatim, not reformatted
  EXPECT_TRUE(s.at(2, 6).isNumber);
  EXPECT_EQ(s.rows[2].size(), 7u);  // the empty styled cell adds nothing
  EXPECT_EQ(s.at(3, 0).text, "第一行\r\n第二行");
  EXPECT_EQ(s.at(3, 1).text, " ");
  ASSERT_EQ(s.merged.size(), 1u);
  EXPECT_EQ(s.merged[0].lastCol, 1);
  EXPECT_EQ(wb.sheets[1].name, "隐藏");
  EXPECT_TRUE(wb.sheets[1].hidden);
  EXPECT_EQ(wb.sheets[1].at(0, 0).text, "42");
}

void expectXlsxError(const std::string& bytes, const std::string& fragment) {
  try {
    readXlsx(bytes);
    ADD_FAILURE() << "no XlsxError for input of " << bytes.size() << " bytes";
  } catch (const XlsxError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)
        << e.what() << " (expected " << fragment << ")";
  }
}

TEST(ReadXlsx, CorruptInputThrowsReadableErrors) {
  expectXlsxError("", "xlsx");
  expectXlsxError("this is not a spreadsheet", "xlsx");
  expectXlsxError(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'), ".xls");

  LxwBook book;
  worksheet_write_string(book.sheet("Sheet1"), 0, 0, "内容", nullptr);
  const std::string good = book.finish();
  ASSERT_NO_THROW(readXlsx(good));
  expectXlsxError(good.substr(0, good.size() / 2), "xlsx");
  expectXlsxError(good.substr(0, good.size() - 30), "xlsx");

  expectXlsxError(testing::buildZip({{"readme.txt", "hello"}}), "工作簿");
  const std::string rels =
      R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>)";
  const std::string workbook =
      R"(<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>)";
  expectXlsxError(testing::buildZip({{"xl/workbook.xml", workbook},
                                     {"xl/_rels/workbook.xml.rels", rels},
                                     {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><row>"}}),
                  "XML");
  expectXlsxError(
      testing::buildZip(
          {{"xl/workbook.xml", workbook},
           {"xl/_rels/workbook.xml.rels", rels},
           {"xl/worksheets/sheet1.xml",
            R"(<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData></worksheet>)"}}),
      "共享字符串");
  expectXlsxError(testing::buildZip({{"xl/workbook.xml", workbook}, {"xl/_rels/workbook.xml.rels", rels}}),
                  "缺少工作表");
  expectXlsxError(
      testing::buildZip(
          {{"xl/workbook.xml", workbook},
           {"xl/_rels/workbook.xml.rels", rels},
           {"xl/worksheets/sheet1.xml",
            R"(<worksheet><sheetData><row r="1"><c r="A0"><v>1</v></c></row></sheetData></worksheet>)"}}),
      "A0");
}

}  // namespace
}  // namespace steward::office
