#include "core/validate.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace steward::core {
namespace {

TEST(TrimText, StripsAsciiAndWideSpaces) {
  EXPECT_EQ(trimText("  a b \t\n"), "a b");
  EXPECT_EQ(trimText("\u3000项目\u00a0 "), "项目");
  EXPECT_EQ(trimText(" \u3000 "), "");
}

struct CreditCase {
  const char* code;
  CreditCodeCheck expected;
};

class CreditCodeTest : public testing::TestWithParam<CreditCase> {};

TEST_P(CreditCodeTest, Checks) {
  const CreditCase& c = GetParam();
  EXPECT_EQ(checkCreditCode(c.code), c.expected) << c.code;
  EXPECT_EQ(isValidCreditCode(c.code), c.expected == CreditCodeCheck::Ok) << c.code;
}

INSTANTIATE_TEST_SUITE_P(
    Table, CreditCodeTest,
    testing::Values(
        // Published codes of real organisations.
        CreditCase{"91350100M000100Y43", CreditCodeCheck::Ok},
        CreditCase{"91110000802100433B", CreditCodeCheck::Ok},
        CreditCase{"914403001922038216", CreditCodeCheck::Ok},
        CreditCase{"9144030071526726XG", CreditCodeCheck::Ok},
        CreditCase{"91110108551385082Q", CreditCodeCheck::Ok},
        CreditCase{"12100000400000624D", CreditCodeCheck::Ok},
        CreditCase{"51100000500000640D", CreditCodeCheck::Ok},
        // Computed: other registration authorities (N agriculture, Y other, A) and institution types.
        CreditCase{"N2430424MA4PL1E58E", CreditCodeCheck::Ok},
        CreditCase{"Y1430424MA4PL1E589", CreditCodeCheck::Ok},
        CreditCase{"A1430424MA4PL1E58X", CreditCodeCheck::Ok},
        CreditCase{"92430424MA4PL1E58U", CreditCodeCheck::Ok},
        // Wrong check character (one off, and a transposition).
        CreditCase{"91350100M000100Y44", CreditCodeCheck::BadCheckChar},
        CreditCase{"91350100M000010Y43", CreditCodeCheck::BadCheckChar},
        CreditCase{"91110000802100433C", CreditCodeCheck::BadCheckChar},
        // Letters the standard leaves out, lower case, punctuation.
        CreditCase{"91350100M000100I43", CreditCodeCheck::BadCharacter},
        CreditCase{"91350100M000100O43", CreditCodeCheck::BadCharacter},
        CreditCase{"91350100M000100Z43", CreditCodeCheck::BadCharacter},
        CreditCase{"91350100M000100S43", CreditCodeCheck::BadCharacter},
        CreditCase{"91350100M000100V43", CreditCodeCheck::BadCharacter},
        CreditCase{"91350100m000100Y43", CreditCodeCheck::BadCharacter},
        CreditCase{"91350100-000100Y43", CreditCodeCheck::BadCharacter},
        // Lengths.
        CreditCase{"", CreditCodeCheck::WrongLength},
        CreditCase{"91350100M000100Y4", CreditCodeCheck::WrongLength},
        CreditCase{"91350100M000100Y433", CreditCodeCheck::WrongLength},
        CreditCase{"91350100M000100Y4３", CreditCodeCheck::WrongLength},
        // Authority 0 and institution type 0 do not exist, even with a correct check character.
        CreditCase{"01430424MA4PL1E588", CreditCodeCheck::BadAuthority},
        CreditCase{"90430424MA4PL1E582", CreditCodeCheck::BadAuthority}));

TEST(CreditCode, MessagesAreChinese) {
  EXPECT_EQ(creditCodeMessage(CreditCodeCheck::BadCheckChar), "统一社会信用代码校验位错误");
  EXPECT_EQ(creditCodeMessage(CreditCodeCheck::Ok), "");
}

struct CodeCase {
  const char* code;
  bool valid;
};

class ProjectCodeTest : public testing::TestWithParam<CodeCase> {};

TEST_P(ProjectCodeTest, Checks) {
  EXPECT_EQ(isValidProjectCode(GetParam().code), GetParam().valid) << GetParam().code;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ProjectCodeTest,
    testing::Values(CodeCase{"2304-430424-04-01-123456", true}, CodeCase{"2101-330108-04-01-389251", true},
                    CodeCase{"2312-430424-89-05-000001", true},
                    CodeCase{"2019-430424-48-01-000123", true},  // year form, before 2020
                    CodeCase{"2015-430000-78-02-000001", true},
                    CodeCase{"2300-430424-04-01-123456", false},  // month 00
                    CodeCase{"2313-430424-04-01-123456", false},  // month 13
                    CodeCase{"2021-430424-04-01-123456", false},  // neither YYMM nor old year
                    CodeCase{"2304-43042-04-01-123456", false}, CodeCase{"2304-430424-4-01-123456", false},
                    CodeCase{"2304-430424-04-01-12345", false}, CodeCase{"2304-430424-04-01-1234567", false},
                    CodeCase{"2304430424-04-01-123456", false}, CodeCase{"2304_430424_04_01_123456", false},
                    CodeCase{"2304-430424-04-01-12345A", false}, CodeCase{" 2304-430424-04-01-123456", false},
                    CodeCase{"", false}));

struct DateCase {
  const char* input;
  std::optional<std::string> expected;
};

class ParseDateTest : public testing::TestWithParam<DateCase> {};

TEST_P(ParseDateTest, Parses) {
  EXPECT_EQ(parseDate(GetParam().input), GetParam().expected) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    Formats, ParseDateTest,
    testing::Values(DateCase{"2023-04-28", "2023-04-28"}, DateCase{"2023/4/28", "2023-04-28"},
                    DateCase{"2023.4.28", "2023-04-28"}, DateCase{"2023年4月28日", "2023-04-28"},
                    DateCase{"2023年04月08号", "2023-04-08"}, DateCase{"2023年4月8", "2023-04-08"},
                    DateCase{"2023-4-8", "2023-04-08"}, DateCase{" 2023-04-28 ", "2023-04-28"},
                    DateCase{"20230428", "2023-04-28"}, DateCase{"2023-04-28 08:30", "2023-04-28"},
                    DateCase{"2023/4/28 8:30:00", "2023-04-28"},
                    DateCase{"2023-04-28T08:30:00", "2023-04-28"},
                    DateCase{"2023-04-28 00:00:00.000", "2023-04-28"}));

INSTANTIATE_TEST_SUITE_P(ExcelSerials, ParseDateTest,
                         testing::Values(DateCase{"45044", "2023-04-28"}, DateCase{"45044.5", "2023-04-28"},
                                         DateCase{"45044.999988", "2023-04-28"},
                                         DateCase{"36526", "2000-01-01"}, DateCase{"43890", "2020-02-29"},
                                         DateCase{"43891", "2020-03-01"}, DateCase{"1", "1900-01-01"},
                                         DateCase{"59", "1900-02-28"},
                                         DateCase{"60", std::nullopt},  // Excel's fictitious 1900-02-29
                                         DateCase{"61", "1900-03-01"}, DateCase{"2958465", "9999-12-31"},
                                         DateCase{"2958466", std::nullopt}, DateCase{"0", std::nullopt}));

INSTANTIATE_TEST_SUITE_P(
    Invalid, ParseDateTest,
    testing::Values(DateCase{"", std::nullopt}, DateCase{"   ", std::nullopt},
                    DateCase{"2023-02-29", std::nullopt}, DateCase{"2024-02-29", "2024-02-29"},
                    DateCase{"2000-02-29", "2000-02-29"}, DateCase{"1900-02-29", std::nullopt},
                    DateCase{"2100-02-29", std::nullopt}, DateCase{"2023-04-31", std::nullopt},
                    DateCase{"2023-13-01", std::nullopt}, DateCase{"2023-00-10", std::nullopt},
                    DateCase{"2023-04-00", std::nullopt}, DateCase{"2023-4/28", std::nullopt},
                    DateCase{"2023年4-28", std::nullopt}, DateCase{"23-4-28", std::nullopt},
                    DateCase{"2023-004-28", std::nullopt}, DateCase{"2023-04-28x", std::nullopt},
                    DateCase{"2023-04-28 25", std::nullopt}, DateCase{"1899-12-31", std::nullopt},
                    DateCase{"20230230", std::nullopt}, DateCase{"-45044", std::nullopt},
                    DateCase{"45044.", std::nullopt}, DateCase{"待定", std::nullopt},
                    DateCase{"2023年", std::nullopt}));

TEST(IsIsoDate, OnlyCanonicalRealDays) {
  EXPECT_TRUE(isIsoDate("2023-04-28"));
  EXPECT_TRUE(isIsoDate("2024-02-29"));
  EXPECT_FALSE(isIsoDate("2023-02-29"));
  EXPECT_FALSE(isIsoDate("2023-4-28"));
  EXPECT_FALSE(isIsoDate("2023/04/28"));
  EXPECT_FALSE(isIsoDate("2023-04-28 "));
  EXPECT_FALSE(isIsoDate(""));
}

TEST(RegionCode, LevelsAndScopes) {
  EXPECT_TRUE(isValidRegionCode("430424"));
  EXPECT_FALSE(isValidRegionCode("43042"));
  EXPECT_FALSE(isValidRegionCode("4304241"));
  EXPECT_FALSE(isValidRegionCode("43042A"));
  EXPECT_FALSE(isValidRegionCode("000000"));
  EXPECT_EQ(regionLevel("430000"), RegionLevel::Province);
  EXPECT_EQ(regionLevel("430400"), RegionLevel::City);
  EXPECT_EQ(regionLevel("430424"), RegionLevel::County);
  EXPECT_EQ(regionLevel("x"), std::nullopt);
  EXPECT_EQ(regionScopePrefix("430000"), "43");
  EXPECT_EQ(regionScopePrefix("430400"), "4304");
  EXPECT_EQ(regionScopePrefix("430424"), "430424");
  EXPECT_EQ(regionScopePrefix("4304"), "");
}

struct PasswordCase {
  const char* password;
  PasswordCheck expected;
};

class PasswordTest : public testing::TestWithParam<PasswordCase> {};

TEST_P(PasswordTest, Checks) {
  EXPECT_EQ(checkPassword(GetParam().password), GetParam().expected) << GetParam().password;
}

INSTANTIATE_TEST_SUITE_P(Table, PasswordTest,
                         testing::Values(PasswordCase{"", PasswordCheck::TooShort},
                                         PasswordCase{"Ab1!xyz", PasswordCheck::TooShort},
                                         PasswordCase{"Ab1!xyzw", PasswordCheck::Ok},
                                         PasswordCase{"abcdefgh", PasswordCheck::TooSimple},
                                         PasswordCase{"abcd1234", PasswordCheck::TooSimple},
                                         PasswordCase{"ABCD1234", PasswordCheck::TooSimple},
                                         PasswordCase{"abcd!@#$", PasswordCheck::TooSimple},
                                         PasswordCase{"Abcd1234", PasswordCheck::Ok},
                                         PasswordCase{"abcd123!", PasswordCheck::Ok},
                                         PasswordCase{"ABCD!@#$x", PasswordCheck::Ok},
                                         // Seven characters though 21 bytes: length counts characters.
                                         PasswordCase{"项目管家a1B", PasswordCheck::TooShort},
                                         PasswordCase{"项目管家abc1", PasswordCheck::Ok}));

}  // namespace
}  // namespace steward::core

TEST(Validate, TextLengthCountsCharactersNotBytes) {
  using steward::core::textLength;
  EXPECT_EQ(textLength(""), 0u);
  EXPECT_EQ(textLength("abc"), 3u);
  EXPECT_EQ(textLength("衡东县"), 3u);  // 9 bytes
  EXPECT_EQ(textLength("a衡b"), 3u);
}

TEST(Validate, EscapeLikeMakesWildcardsLiteral) {
  using steward::core::escapeLike;
  EXPECT_EQ(escapeLike("county"), "county");
  EXPECT_EQ(escapeLike("%"), "\\%");
  EXPECT_EQ(escapeLike("a_b"), "a\\_b");
  EXPECT_EQ(escapeLike("\\"), "\\\\");
  EXPECT_EQ(escapeLike("100%_\\x"), "100\\%\\_\\\\x");
  EXPECT_EQ(escapeLike("衡东"), "衡东");
}
