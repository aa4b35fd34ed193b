// The shared case-file format and runner (tests/support/case_file.h): what a reviewer may write, and how a
// malformed file is reported.
#include "support/case_file.h"

#include <gtest/gtest.h>
#include <gtest/gtest-spi.h>

using steward::testing::CaseFile;
using steward::testing::CaseFileError;
using steward::testing::parseCaseFile;

namespace {
std::string errorOf(const std::string& text) {
  CaseFile f;
  try {
    parseCaseFile("cases.txt", text, f);
  } catch (const CaseFileError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(CaseFile, HeaderNamesColumnsCommentsAndBlankLinesAreSkipped) {
  CaseFile f;
  parseCaseFile("cases.txt",
                "# a comment\n\n  day | in force \n"
                "2026-03-15 | 1\n"
                "   # an indented comment\n"
                "\t\n"
                "2026-03-16|  -  \r\n",
                f);
  EXPECT_EQ(f.header, (std::vector<std::string>{"day", "in force"}));
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.rows[0]["day"], "2026-03-15");
  EXPECT_EQ(f.rows[0].integer("in force"), 1);
  EXPECT_EQ(f.rows[0].where(), "cases.txt:4");
  EXPECT_EQ(f.rows[1]["in force"], "-");
  EXPECT_TRUE(f.rows[1].list("in force").empty());
  EXPECT_EQ(f.rows[1].where(), "cases.txt:7");
}

TEST(CaseFile, ListsAreCommaSeparatedAndTrimmed) {
  CaseFile f;
  parseCaseFile("cases.txt", "a | b\nx | signed_date , actual_start\n", f);
  EXPECT_EQ(f.rows[0].list("b"), (std::vector<std::string>{"signed_date", "actual_start"}));
  EXPECT_EQ(f.rows[0].list("a"), (std::vector<std::string>{"x"}));
}

TEST(CaseFile, MalformedFilesNameFileAndLine) {
  EXPECT_EQ(errorOf("a | b | c\n1 | 2 | 3\n\n1 | 2\n"), "cases.txt:4: 2 columns, the header names 3");
  EXPECT_EQ(errorOf("# only comments\n\n"), "cases.txt: no header line (column names separated by '|')");
  EXPECT_EQ(errorOf("a | a\n"), "cases.txt:1: the header needs distinct, non-empty column names");
  EXPECT_EQ(errorOf("a | | c\n"), "cases.txt:1: the header needs distinct, non-empty column names");
  EXPECT_EQ(errorOf("a | b\n1 | 2 | 3\n"), "cases.txt:2: 3 columns, the header names 2");
}

TEST(CaseFile, AskingForAMissingColumnOrABadNumberNamesTheRow) {
  CaseFile f;
  parseCaseFile("cases.txt", "# c\na | b\n1 | x\n", f);
  try {
    (void)f.rows[0]["c"];
    FAIL() << "expected CaseFileError";
  } catch (const CaseFileError& e) {
    EXPECT_STREQ(e.what(), "cases.txt:3: no column named 'c' in the header");
  }
  try {
    (void)f.rows[0].integer("b");
    FAIL() << "expected CaseFileError";
  } catch (const CaseFileError& e) {
    EXPECT_STREQ(e.what(), "cases.txt:3: column 'b' is not an integer: 'x'");
  }
}

TEST(CaseFile, TheRunnerFailsARowThatThrowsAndGoesOn) {
  int seen = 0;
  EXPECT_NONFATAL_FAILURE(
      {
        int n = steward::testing::runCases("tests/core/cases/periods.txt", [&](const steward::testing::CaseRow& row) {
          if (++seen == 2) (void)row["no such column"];  // the second row is malformed; the rest still run
        });
        EXPECT_EQ(n, seen);
      },
      "tests/core/cases/periods.txt:4: no column named 'no such column'");
  EXPECT_GE(seen, 14);
  EXPECT_NONFATAL_FAILURE(steward::testing::runCases("tests/core/cases/nope.txt", [](const auto&) {}),
                          "tests/core/cases/nope.txt: case file missing");
}
