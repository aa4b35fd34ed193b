#include "office/xlsx_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "office/xlsx_reader.h"

namespace steward::office {
namespace {

TEST(ExactXlsxNumber, OnlyTextThatComesBackUnchanged) {
  double v = 0;
  for (const char* exact : {"12345.67", "0.0001", "987654321.1234", "3", "0", "100000000", "0.5", "-2.25",
                            "123456789012.345", "92233720368.5477"}) {
    EXPECT_TRUE(exactXlsxNumber(exact, v)) << exact;
  }
  // Beyond 16 significant digits, non-canonical spellings, and things that are not numbers.
  for (const char* inexact : {"922337203685477.5807", "0.00001", "1.50", "012", "1e3", "+1", " 1", "", "abc",
                              "1,234", "nan", "inf"}) {
    EXPECT_FALSE(exactXlsxNumber(inexact, v)) << inexact;
  }
}

OutSheet sampleSheet() {
  OutSheet sheet;
  sheet.name = "清单:2023/重点*项目[一]";
  sheet.title = "某县2023年重点项目清单";
  sheet.columns = {
      {"名称", 20, "", {}}, {"金额（万元）", 14, "#,##0.00##", {}}, {"类别", 10, "", {"甲", "乙"}}};
  for (const char* amount : {"12345.67", "0.0001", "987654321.1234", "3", "922337203685477.5807"})
    sheet.rows.push_back(
        {OutCell::text(std::string("项目") + amount), OutCell::num(amount), OutCell::text("甲")});
  sheet.rows.push_back({OutCell::text("空金额"), OutCell::num(""), OutCell::text("")});
  return sheet;
}

TEST(WriteXlsx, TitleHeaderAndExactNumbers) {
  const Workbook wb = readXlsx(writeXlsx({sampleSheet()}));
  ASSERT_EQ(wb.sheets.size(), 1u);
  const Sheet& s = wb.sheets[0];
  EXPECT_EQ(s.name, "清单_2023_重点_项目_一_");
  EXPECT_EQ(s.at(0, 0).text, "某县2023年重点项目清单");
  ASSERT_EQ(s.merged.size(), 1u);
  EXPECT_EQ(s.merged[0].firstRow, 0);
  EXPECT_EQ(s.merged[0].lastRow, 0);
  EXPECT_EQ(s.merged[0].lastCol, 2);
  EXPECT_EQ(s.at(1, 0).text, "名称");
  EXPECT_EQ(s.at(1, 1).text, "金额（万元）");
  const char* expected[] = {"12345.67", "0.0001", "987654321.1234", "3", "922337203685477.5807"};
  for (int i = 0; i < 5; ++i) {
    const Cell& cell = s.at(2 + i, 1);
    EXPECT_EQ(cell.text, expected[i]);
    EXPECT_EQ(cell.isNumber, i < 4) << expected[i];  // 19 significant digits fall back to text
    EXPECT_FALSE(cell.isDateFormatted);
  }
  EXPECT_EQ(s.at(7, 0).text, "空金额");
  EXPECT_EQ(s.at(7, 1).text, "");
  EXPECT_EQ(s.rows.size(), 8u);
}

TEST(WriteXlsx, NoTitleMeansHeaderFirst) {
  OutSheet sheet = sampleSheet();
  sheet.title.clear();
  const Workbook wb = readXlsx(writeXlsx({sheet}));
  EXPECT_EQ(wb.sheets[0].at(0, 0).text, "名称");
  EXPECT_TRUE(wb.sheets[0].merged.empty());
}

TEST(WriteXlsx, SeveralSheetsKeepOrderAndLongNamesAreCut) {
  OutSheet a, b;
  a.name = "第一";
  b.name = std::string(40, 'x');
  a.columns = b.columns = {{"列", 8, "", {}}};
  const Workbook wb = readXlsx(writeXlsx({a, b}));
  ASSERT_EQ(wb.sheets.size(), 2u);
  EXPECT_EQ(wb.sheets[0].name, "第一");
  EXPECT_EQ(wb.sheets[1].name, std::string(31, 'x'));
}

TEST(WriteXlsx, RefusedContentIsAnXlsxError) {
  OutSheet sheet;
  sheet.columns = {{"列", 8, "", {}}};
  sheet.rows = {{OutCell::text(std::string(40000, 'a'))}};  // Excel's limit is 32767 characters a cell
  EXPECT_THROW(writeXlsx({sheet}), XlsxError);
}

}  // namespace
}  // namespace steward::office
