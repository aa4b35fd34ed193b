// The reader's defences: each hostile spelling of a workbook is refused as an XlsxError naming the limit or
// the cell, with small limits where that keeps the test fast.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "office/project_sheet.h"
#include "office/xlsx_reader.h"
#include "xlsx_test_util.h"

namespace steward::office {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

const char* kNs = R"( xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main")";

// A package with the given worksheets (named S1, S2, …) and optional shared strings and styles parts.
Entries package(const std::vector<std::string>& sheetXml, const std::string& sharedStrings = {},
                const std::string& styles = {}) {
  std::string workbook = std::string("<workbook") + kNs +
                         R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)";
  std::string rels =
      R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
  Entries entries;
  for (std::size_t i = 0; i < sheetXml.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    workbook += R"(<sheet name="S)" + n + R"(" sheetId=")" + n + R"(" r:id="rId)" + n + R"("/>)";
    rels += R"(<Relationship Id="rId)" + n +
            R"(" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet)" +
            n + R"(.xml"/>)";
    entries.emplace_back("xl/worksheets/sheet" + n + ".xml", sheetXml[i]);
  }
  workbook += "</sheets></workbook>";
  rels += "</Relationships>";
  entries.emplace_back("xl/workbook.xml", workbook);
  entries.emplace_back("xl/_rels/workbook.xml.rels", rels);
  if (!sharedStrings.empty()) entries.emplace_back("xl/sharedStrings.xml", sharedStrings);
  if (!styles.empty()) entries.emplace_back("xl/styles.xml", styles);
  return entries;
}

std::string sheet(const std::string& sheetData, const std::string& after = {}) {
  return std::string("<worksheet") + kNs + "><sheetData>" + sheetData + "</sheetData>" + after + "</worksheet>";
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

XlsxError readError(const std::string& bytes, const ReadLimits& limits = {}) {
  try {
    readXlsx(bytes, limits);
  } catch (const XlsxError& e) {
    return e;
  }
  ADD_FAILURE() << "readXlsx accepted the file";
  return XlsxError("accepted");
}

void expectLimit(const std::string& bytes, const std::string& limit, const ReadLimits& limits = {}) {
  const XlsxError e = readError(bytes, limits);
  EXPECT_EQ(e.limit, limit) << e.what();
  EXPECT_GT(e.max, 0u) << e.what();
}

TEST(ReadLimits, InflatedBytesAreBudgetedAcrossAllParts) {
  // Two sheets of 600 KB each: either alone fits in 1 MB, together they do not.
  const std::string rows = repeat(R"(<row><c t="inlineStr"><is><t>abcdefghij</t></is></c></row>)", 10'000);
  ReadLimits limits;
  limits.inflatedBytes = 1u << 20;
  ASSERT_NO_THROW(readXlsx(testing::buildZip(package({sheet(rows)})), limits));
  expectLimit(testing::buildZip(package({sheet(rows), sheet(rows)})), "inflated_bytes", limits);
}

TEST(ReadLimits, AZipBombStopsAtTheCompressionRatio) {
  // 8 MB of one repeated empty row deflates about 1000 times.
  const std::string bytes = testing::buildZip(package({sheet(repeat("<row/>", (8u << 20) / 6))}));
  ASSERT_LT(bytes.size(), 64u << 10);
  expectLimit(bytes, "compression_ratio");
}

TEST(ReadLimits, MillionsOfTinyEmptyCellsStopAtTheElementBudget) {
  ReadLimits limits;
  limits.xmlElements = 100'000;
  limits.compressionRatio = 1u << 30;  // the element count must stop it on its own
  expectLimit(testing::buildZip(package({sheet("<row>" + repeat("<c/>", 200'000) + "</row>")})), "xml_elements",
              limits);
}

TEST(ReadLimits, ThousandsOfZipEntries) {
  Entries entries = package({sheet("")});
  for (int i = 0; i < 1001; ++i) entries.emplace_back("junk/" + std::to_string(i), "x");
  expectLimit(testing::buildZip(entries), "archive_entries");
}

TEST(ReadLimits, ManySheets) {
  expectLimit(testing::buildZip(package(std::vector<std::string>(101, sheet("")))), "sheets");
}

TEST(ReadLimits, AHugeSharedStringTable) {
  const std::string sst = std::string("<sst") + kNs + ">" + repeat("<si><t>x</t></si>", 1001) + "</sst>";
  ReadLimits limits;
  limits.sharedStrings = 1000;
  expectLimit(testing::buildZip(package({sheet("")}, sst)), "shared_strings", limits);
}

TEST(ReadLimits, DeepXmlInAnyPart) {
  const std::string deep = repeat("<a>", 100) + repeat("</a>", 100);
  expectLimit(testing::buildZip(package({sheet("")}, {}, "<styleSheet>" + deep + "</styleSheet>")), "xml_depth");
  expectLimit(testing::buildZip(package({sheet("<row><c>" + deep + "</c></row>")})), "xml_depth");
}

TEST(ReadLimits, OneHugeTagOrCommentIsRefusedBeforeTheParserRescansIt) {
  ReadLimits limits;
  limits.compressionRatio = 1u << 30;
  const std::string big(3u << 20, 'q');
  expectLimit(testing::buildZip(package({sheet(R"(<row r="1" x=")" + big + R"("/>)")})), "xml_token_bytes", limits);
  expectLimit(testing::buildZip(package({sheet("", "<!--" + big + "-->")})), "xml_token_bytes", limits);
}

TEST(ReadLimits, AHugeStylesPart) {
  const std::string styles = "<styleSheet><cellXfs>" + repeat(R"(<xf numFmtId="14"/>)", 70'000) + "</cellXfs></styleSheet>";
  ReadLimits limits;
  limits.compressionRatio = 1u << 30;  // repetitive on purpose: the count must stop it on its own
  expectLimit(testing::buildZip(package({sheet("")}, {}, styles)), "styles", limits);
}

TEST(ReadLimits, ACellOfMegabytesOfText) {
  const std::string big(2u << 20, 'x');
  ReadLimits limits;
  limits.compressionRatio = 1u << 30;
  XlsxError e = readError(testing::buildZip(
      package({sheet(R"(<row r="2"><c r="B2" t="inlineStr"><is><t>)" + big + "</t></is></c></row>")})), limits);
  EXPECT_EQ(e.limit, "cell_chars");
  EXPECT_EQ(e.sheet, "S1");
  EXPECT_EQ(e.cell, "B2");
  // Just over Excel's 32,767 characters, counted as characters (Chinese takes three bytes each).
  std::string chinese;
  for (int i = 0; i < 32768; ++i) chinese += "项";
  e = readError(testing::buildZip(package({sheet(R"(<row><c r="C1"><v>)" + chinese + "</v></c></row>")})));
  EXPECT_EQ(e.limit, "cell_chars");
  EXPECT_EQ(e.cell, "C1");
  chinese.resize(chinese.size() - 3);
  EXPECT_NO_THROW(readXlsx(testing::buildZip(package({sheet(R"(<row><c r="C1"><v>)" + chinese + "</v></c></row>")}))));
}

TEST(ReadLimits, FarRowsAndColumns) {
  EXPECT_NE(std::string(readError(testing::buildZip(package({sheet(R"(<row r="99999999"><c><v>1</v></c></row>)")})))
                            .what())
                .find("99999999"),
            std::string::npos);
  expectLimit(testing::buildZip(package({sheet(R"(<row r="200000"><c r="A200000"><v>1</v></c></row>)")})), "rows");
  expectLimit(testing::buildZip(package({sheet(R"(<row r="1"><c r="XFD1"><v>1</v></c></row>)")})), "columns");
  // An empty cell far away costs nothing and is allowed.
  EXPECT_NO_THROW(readXlsx(testing::buildZip(package({sheet(R"(<row r="1048576"><c r="XFD1048576"/></row>)")}))));
}

TEST(ReadLimits, CellSlotsAndMergedRanges) {
  ReadLimits limits;
  limits.cells = 1000;
  expectLimit(testing::buildZip(package({sheet(R"(<row r="1"><c r="A1"><v>1</v></c></row><row r="2000"><c r="A2000"><v>1</v></c></row>)")})),
              "cells", limits);
  limits = {};
  limits.mergedRanges = 10;
  expectLimit(testing::buildZip(package({sheet("", "<mergeCells>" + repeat(R"(<mergeCell ref="A1:B2"/>)", 11) +
                                                       "</mergeCells>")})),
              "merged_ranges", limits);
}

TEST(ReadLimits, ASharedStringUsedMillionsOfTimesCountsEachUse) {
  const std::string sst = std::string("<sst") + kNs + "><si><t>" + std::string(30'000, 'y') + "</t></si></sst>";
  ReadLimits limits;
  limits.cellTextBytes = 10u << 20;
  std::string rows;
  for (int r = 1; r <= 400; ++r) rows += "<row>" + repeat(R"(<c t="s"><v>0</v></c>)", 1) + "</row>";
  expectLimit(testing::buildZip(package({sheet(rows)}, sst)), "cell_text_bytes", limits);
}

TEST(ReadLimits, DtdsAndEntityExpansionAreRefused) {
  const std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>)";
  const XlsxError e = readError(testing::buildZip(package({laughs + sheet("<row><c><v>&lol2;</v></c></row>")})));
  EXPECT_TRUE(e.limit.empty());
  EXPECT_NE(std::string(e.what()).find("DTD"), std::string::npos) << e.what();
}

TEST(ReadText, SurrogateEscapesAndInvalidUtf8) {
  // A pair of escapes is one character; a lone one is an error at its cell.
  const std::string pair = std::string("<sst") + kNs + "><si><t>a_xD83D__xDE00_b</t></si></sst>";
  const Workbook wb = readXlsx(testing::buildZip(package({sheet(R"(<row><c t="s"><v>0</v></c></row>)")}, pair)));
  EXPECT_EQ(wb.sheets[0].at(0, 0).text, "a\xF0\x9F\x98\x80" "b");

  for (const std::string& bad : {"_xD800_", "x_xDC00_", "_xD800_A", "_x0000_"}) {
    const std::string sst = std::string("<sst") + kNs + "><si><t>ok</t></si><si><t>" + bad + "</t></si></sst>";
    const XlsxError e = readError(testing::buildZip(
        package({sheet(R"(<row r="4"><c r="A4" t="s"><v>0</v></c><c r="D4" t="s"><v>1</v></c></row>)")}, sst)));
    EXPECT_EQ(e.sheet, "S1") << bad;
    EXPECT_EQ(e.cell, "D4") << bad << ": " << e.what();
    EXPECT_TRUE(e.limit.empty());
  }
  // Bytes that are not UTF-8 break the XML itself: the error names the part and, in a sheet, the cell.
  const XlsxError e = readError(testing::buildZip(
      package({sheet(std::string(R"(<row r="3"><c r="B3" t="inlineStr"><is><t>a)") + "\xC3\x28" + "</t></is></c></row>")})));
  EXPECT_EQ(e.sheet, "S1");
  EXPECT_EQ(e.cell, "B3") << e.what();
}

TEST(ReadLimits, TenThousandProjectRowsFitTheDefaults) {
  std::vector<ProjectRow> rows(10'000);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].project.name = "示范项目第" + std::to_string(i) + "号厂房及配套设施建设";
    rows[i].project.enterprise_name = "某某新材料科技有限公司" + std::to_string(i % 300);
    rows[i].project.category = "industrial";
    rows[i].project.total_investment = std::int64_t(i) * 10'000 + 123;
    rows[i].project.content = "新建标准化厂房 3 万平方米，购置生产线 4 条，配套建设仓储、办公及附属设施";
    rows[i].project.planned_start = "2026-03-01";
    rows[i].unitName = "县发展和改革局";
  }
  const Workbook wb = readXlsx(writeProjectSheet(rows, "重点项目库"));
  const ImportResult result = parseProjectSheet(wb);
  EXPECT_EQ(result.rows.size(), 10'000u);
  EXPECT_TRUE(result.errors.empty());
}

}  // namespace
}  // namespace steward::office
