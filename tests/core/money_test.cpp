#include "core/money.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <vector>

namespace steward::core {
namespace {

struct AmountCase {
  const char* text;
  MoneyUnit unit;
  std::optional<Yuan> expected;
};

class ParseAmountTest : public testing::TestWithParam<AmountCase> {};

TEST_P(ParseAmountTest, Parses) {
  const AmountCase& c = GetParam();
  EXPECT_EQ(parseAmount(c.text, c.unit), c.expected) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Valid, ParseAmountTest,
    testing::Values(AmountCase{"12345.67", MoneyUnit::Wan, 123456700},
                    AmountCase{"1,234.5", MoneyUnit::Wan, 12345000}, AmountCase{" 3 ", MoneyUnit::Wan, 30000},
                    AmountCase{"1.2e3", MoneyUnit::Wan, 12000000},
                    AmountCase{"1.2345E+4", MoneyUnit::Wan, 123450000}, AmountCase{"5E-4", MoneyUnit::Wan, 5},
                    AmountCase{"0.0001", MoneyUnit::Wan, 1}, AmountCase{"0.00005", MoneyUnit::Wan, 1},
                    AmountCase{"0.000049", MoneyUnit::Wan, 0}, AmountCase{"1.23", MoneyUnit::Yi, 123000000},
                    AmountCase{"0.000000015", MoneyUnit::Yi, 2}, AmountCase{"100", MoneyUnit::Yuan, 100},
                    AmountCase{"99.5", MoneyUnit::Yuan, 100}, AmountCase{"99.49", MoneyUnit::Yuan, 99},
                    AmountCase{"+7", MoneyUnit::Yuan, 7}, AmountCase{"0", MoneyUnit::Wan, 0},
                    AmountCase{"000012.50", MoneyUnit::Wan, 125000}, AmountCase{".5", MoneyUnit::Wan, 5000},
                    AmountCase{"5.", MoneyUnit::Wan, 50000},
                    AmountCase{"\u300012\u3000", MoneyUnit::Wan, 120000},
                    AmountCase{"0e999999", MoneyUnit::Wan, 0},
                    // Floating-point noise in a cached formula result rounds away.
                    AmountCase{"1234.5600000000002", MoneyUnit::Wan, 12345600},
                    AmountCase{"1234.5649999999998", MoneyUnit::Wan, 12345650},
                    AmountCase{"987654321.1234", MoneyUnit::Wan, 9876543211234},
                    // The largest representable amounts.
                    AmountCase{"9223372036854775807", MoneyUnit::Yuan, std::numeric_limits<Yuan>::max()},
                    AmountCase{"922337203685477.5807", MoneyUnit::Wan, std::numeric_limits<Yuan>::max()},
                    AmountCase{"9223372036854775806.5", MoneyUnit::Yuan, std::numeric_limits<Yuan>::max()}));

INSTANTIATE_TEST_SUITE_P(
    Invalid, ParseAmountTest,
    testing::Values(
        AmountCase{"", MoneyUnit::Wan, std::nullopt}, AmountCase{"  ", MoneyUnit::Wan, std::nullopt},
        AmountCase{"-5", MoneyUnit::Wan, std::nullopt}, AmountCase{"abc", MoneyUnit::Wan, std::nullopt},
        AmountCase{"12万", MoneyUnit::Wan, std::nullopt}, AmountCase{"1.2.3", MoneyUnit::Wan, std::nullopt},
        AmountCase{"1,,234", MoneyUnit::Wan, std::nullopt}, AmountCase{",123", MoneyUnit::Wan, std::nullopt},
        AmountCase{"123,", MoneyUnit::Wan, std::nullopt}, AmountCase{"1.234,5", MoneyUnit::Wan, std::nullopt},
        AmountCase{"1 234", MoneyUnit::Wan, std::nullopt}, AmountCase{".", MoneyUnit::Wan, std::nullopt},
        AmountCase{"1e", MoneyUnit::Wan, std::nullopt}, AmountCase{"e5", MoneyUnit::Wan, std::nullopt},
        AmountCase{"1e+", MoneyUnit::Wan, std::nullopt}, AmountCase{"0x10", MoneyUnit::Wan, std::nullopt},
        AmountCase{"NaN", MoneyUnit::Wan, std::nullopt}, AmountCase{"inf", MoneyUnit::Wan, std::nullopt},
        // Overflow of int64 yuan.
        AmountCase{"9223372036854775808", MoneyUnit::Yuan, std::nullopt},
        AmountCase{"9223372036854775807.5", MoneyUnit::Yuan, std::nullopt},
        AmountCase{"922337203685477.5808", MoneyUnit::Wan, std::nullopt},
        AmountCase{"1e20", MoneyUnit::Yuan, std::nullopt},
        AmountCase{"1e99999999999", MoneyUnit::Wan, std::nullopt}));

TEST(FormatWan, TwoDecimalsHalfUpWithSeparators) {
  EXPECT_EQ(formatWan(123456700), "12,345.67");
  EXPECT_EQ(formatWan(0), "0.00");
  EXPECT_EQ(formatWan(49), "0.00");
  EXPECT_EQ(formatWan(50), "0.01");
  EXPECT_EQ(formatWan(1234567890149), "123,456,789.01");
  EXPECT_EQ(formatWan(1234567890150), "123,456,789.02");
  EXPECT_EQ(formatWan(10000000), "1,000.00");
  EXPECT_EQ(formatWan(-123456700), "-12,345.67");
  EXPECT_EQ(formatWan(-49), "0.00");
  EXPECT_EQ(formatWan(std::numeric_limits<Yuan>::min()), "-922,337,203,685,477.58");
}

TEST(FormatYi, TwoDecimalsHalfUp) {
  EXPECT_EQ(formatYi(123456700), "1.23");
  EXPECT_EQ(formatYi(124999999), "1.25");
  EXPECT_EQ(formatYi(124500000), "1.25");
  EXPECT_EQ(formatYi(124499999), "1.24");
  EXPECT_EQ(formatYi(217800000000), "2,178.00");
  EXPECT_EQ(formatYi(0), "0.00");
}

TEST(ToWanPlain, ExactWithoutTrailingZeros) {
  EXPECT_EQ(toWanPlain(123456700), "12345.67");
  EXPECT_EQ(toWanPlain(30000), "3");
  EXPECT_EQ(toWanPlain(1), "0.0001");
  EXPECT_EQ(toWanPlain(0), "0");
  EXPECT_EQ(toWanPlain(9876543211234), "987654321.1234");
  EXPECT_EQ(toWanPlain(123450000), "12345");
  EXPECT_EQ(toWanPlain(123451000), "12345.1");
  EXPECT_EQ(toWanPlain(-5), "-0.0005");
}

TEST(ToWanPlain, RoundTripsThroughParseAmount) {
  for (Yuan y : {Yuan{0}, Yuan{1}, Yuan{9999}, Yuan{10000}, Yuan{123456789}, Yuan{9876543211234},
                 std::numeric_limits<Yuan>::max()}) {
    EXPECT_EQ(parseAmount(toWanPlain(y), MoneyUnit::Wan), y) << y;
  }
}

TEST(DetectUnit, FindsTheUnitInAHeader) {
  EXPECT_EQ(detectUnit("总投资（万元）"), MoneyUnit::Wan);
  EXPECT_EQ(detectUnit("总投资(亿元)"), MoneyUnit::Yi);
  EXPECT_EQ(detectUnit("总投资（元）"), MoneyUnit::Yuan);
  EXPECT_EQ(detectUnit("金额 / 万元"), MoneyUnit::Wan);
  EXPECT_EQ(detectUnit("总投资"), std::nullopt);
}

TEST(Money, AmountsAreBoundedToTenToTheFifteen) {
  EXPECT_EQ(checkAmount(0), AmountCheck::Ok);
  EXPECT_EQ(checkAmount(1'000'000'000'000'000), AmountCheck::Ok);
  EXPECT_EQ(checkAmount(1'000'000'000'000'001), AmountCheck::TooLarge);
  EXPECT_EQ(checkAmount(std::numeric_limits<Yuan>::max()), AmountCheck::TooLarge);
  EXPECT_EQ(checkAmount(-1), AmountCheck::Negative);
  EXPECT_EQ(checkAmount(std::numeric_limits<Yuan>::min()), AmountCheck::Negative);
  EXPECT_EQ(amountReason(AmountCheck::TooLarge), "too_large");
  EXPECT_EQ(amountReason(AmountCheck::Negative), "negative");
}

TEST(Money, SumsRefuseToWrap) {
  constexpr Yuan kMax = std::numeric_limits<Yuan>::max();
  EXPECT_EQ(addAmounts(2, 3), Yuan{5});
  EXPECT_EQ(addAmounts(kMax, 1), std::nullopt);
  EXPECT_EQ(addAmounts(kMax - 1, 1), kMax);
  // Parts that wrap a 64-bit sum to something small must not pass as small.
  const std::vector<Yuan> wrapping = {kMax, kMax, 2};
  EXPECT_EQ(sumAmounts(wrapping), std::nullopt);
  const std::vector<Yuan> fine = {1'000'000'000'000'000, 1'000'000'000'000'000, 7};
  EXPECT_EQ(sumAmounts(fine), Yuan{2'000'000'000'000'007});
  EXPECT_EQ(sumAmounts({}), Yuan{0});
}

TEST(Money, SplitSumsJoinExactlyAndSaturate) {
  EXPECT_EQ(joinSplitSum(0, 0), 0);
  EXPECT_EQ(joinSplitSum(3, 999'999), Yuan{3'999'999});
  EXPECT_EQ(joinSplitSum(1'000'000'000, 0), Yuan{1'000'000'000'000'000});
  // 10,000 projects at the maximum: the exact sum 10^19 does not fit; it saturates instead of wrapping.
  EXPECT_EQ(joinSplitSum(10'000'000'000'000, 0), std::numeric_limits<Yuan>::max());
  EXPECT_EQ(joinSplitSum(std::numeric_limits<std::int64_t>::max() / 1'000'000, 999'999'999),
            std::numeric_limits<Yuan>::max());
  EXPECT_EQ(joinSplitSum(-1, 5), 0);
}

}  // namespace
}  // namespace steward::core
