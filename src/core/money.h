// Money at the edges: parsing amounts typed in 元/万元/亿元 into integer yuan and formatting them back.
// Everything is decimal-string arithmetic on integers; no floating point ever touches an amount.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/project.h"

namespace steward::core {

enum class MoneyUnit { Yuan, Wan, Yi };  // 元, 万元 (10^4), 亿元 (10^8)

// "12345.67", "1,234.5", " 3 ", "1.2e3" (as Excel may write) in `unit` → yuan, rounded half up.
// Empty, negative, garbage and amounts beyond int64 give nullopt.
std::optional<Yuan> parseAmount(std::string_view text, MoneyUnit unit);
// 万元 with two decimals and thousands separators, half up: 123456700 → "12,345.67".
std::string formatWan(Yuan amount);
// 亿元 with two decimals and thousands separators, half up: 123456700 → "1.23".
std::string formatYi(Yuan amount);
// The exact 万元 value without separators or trailing zeros ("12345.67", "3", "0.0001"): lossless for export.
std::string toWanPlain(Yuan amount);
// The unit named in a header such as "总投资（万元）" or "总投资(亿元)"; nullopt when none is named.
std::optional<MoneyUnit> detectUnit(std::string_view header);

// Bounds of every stored amount: 0 ≤ amount ≤ limits::kMaxYuan (10^15 yuan).
enum class AmountCheck { Ok, Negative, TooLarge };
AmountCheck checkAmount(Yuan amount);
// Machine-readable reason for a failed check, as in a field error: "negative", "too_large".
std::string_view amountReason(AmountCheck check);
// a + b, or nullopt where the sum leaves int64.
std::optional<Yuan> addAmounts(Yuan a, Yuan b);
// The sum of the parts, or nullopt where any partial sum leaves int64.
std::optional<Yuan> sumAmounts(std::span<const Yuan> parts);

// An aggregate over stored amounts that cannot overflow in SQL: each amount is clamped into [0, kMaxYuan] and
// summed as two columns, amount / 10^6 and amount % 10^6 (see ProjectRepo::moneySumColumns in the store). This
// joins the two back, saturating at int64's maximum instead of wrapping.
inline constexpr std::int64_t kSplitSumUnit = 1'000'000;
Yuan joinSplitSum(std::int64_t millions, std::int64_t remainder);

}  // namespace steward::core
