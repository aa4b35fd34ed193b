#include "core/money.h"

#include <cstdint>
#include <limits>

#include "core/limits.h"
#include "core/validate.h"

namespace steward::core {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

int unitExponent(MoneyUnit unit) {
  switch (unit) {
    case MoneyUnit::Yuan:
      return 0;
    case MoneyUnit::Wan:
      return 4;
    case MoneyUnit::Yi:
      return 8;
  }
  return 0;
}

// Appends one decimal digit to a non-negative int64, refusing overflow.
bool pushDigit(std::int64_t& value, int digit) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  if (value > (kMax - digit) / 10) return false;
  value = value * 10 + digit;
  return true;
}

std::string groupThousands(std::uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Magnitude as unsigned so that INT64_MIN does not overflow on negation.
std::uint64_t magnitude(Yuan amount) {
  return amount < 0 ? std::uint64_t(0) - static_cast<std::uint64_t>(amount)
                    : static_cast<std::uint64_t>(amount);
}

// Formats |amount| / divisor with two decimals, half up, thousands separated.
std::string formatScaled(Yuan amount, std::uint64_t divisor) {
  const std::uint64_t cents = (magnitude(amount) + divisor / 200) / (divisor / 100);
  std::string frac = std::to_string(cents % 100);
  if (frac.size() < 2) frac.insert(0, 1, '0');
  return (amount < 0 && cents > 0 ? "-" : "") + groupThousands(cents / 100) + "." + frac;
}

}  // namespace

std::optional<Yuan> parseAmount(std::string_view text, MoneyUnit unit) {
  std::string_view s = trimText(text);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  std::string digits;  // integer and fraction digits, the decimal point removed
  int fracDigits = 0;
  std::size_t i = 0;
  // Integer part; a comma is a thousands separator only between digits.
  for (; i < s.size(); ++i) {
    if (isDigit(s[i])) {
      digits.push_back(s[i]);
    } else if (s[i] == ',' && i > 0 && isDigit(s[i - 1]) && i + 1 < s.size() && isDigit(s[i + 1])) {
      continue;
    } else {
      break;
    }
  }
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && isDigit(s[i]); ++i) {
      digits.push_back(s[i]);
      ++fracDigits;
    }
  }
  if (digits.empty()) return std::nullopt;
  int exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    if (i == s.size() || !isDigit(s[i])) return std::nullopt;
    for (; i < s.size() && isDigit(s[i]); ++i) {
      if (exponent < 100000) exponent = exponent * 10 + (s[i] - '0');  // clamped: far beyond int64 either way
    }
    if (negative) exponent = -exponent;
  }
  if (i != s.size()) return std::nullopt;

  const std::size_t firstNonZero = digits.find_first_not_of('0');
  if (firstNonZero == std::string::npos) return Yuan{0};
  digits.erase(0, firstNonZero);
  const long scale = long(exponent) - fracDigits + unitExponent(unit);  // value = digits × 10^scale

  std::int64_t value = 0;
  if (scale >= 0) {
    if (long(digits.size()) + scale > 19) return std::nullopt;
    for (char c : digits)
      if (!pushDigit(value, c - '0')) return std::nullopt;
    for (long k = 0; k < scale; ++k)
      if (!pushDigit(value, 0)) return std::nullopt;
    return value;
  }
  const long dropped = -scale;
  const long kept = long(digits.size()) - dropped;
  if (kept < 0) return Yuan{0};  // below half a yuan: the first dropped digit is a leading zero
  for (long k = 0; k < kept; ++k)
    if (!pushDigit(value, digits[k] - '0')) return std::nullopt;
  if (digits[kept] >= '5' && value == std::numeric_limits<std::int64_t>::max()) return std::nullopt;
  if (digits[kept] >= '5') ++value;
  return value;
}

std::string formatWan(Yuan amount) { return formatScaled(amount, 10000); }

std::string formatYi(Yuan amount) { return formatScaled(amount, 100000000); }

std::string toWanPlain(Yuan amount) {
  const std::uint64_t mag = magnitude(amount);
  std::string out = (amount < 0 ? "-" : "") + std::to_string(mag / 10000);
  if (const std::uint64_t rem = mag % 10000; rem != 0) {
    std::string frac = std::to_string(rem);
    frac.insert(0, 4 - frac.size(), '0');
    frac.erase(frac.find_last_not_of('0') + 1);
    out += "." + frac;
  }
  return out;
}

std::optional<MoneyUnit> detectUnit(std::string_view header) {
  // 亿元 and 万元 end in 元, so the larger units are looked for first.
  if (header.find("亿元") != std::string_view::npos) return MoneyUnit::Yi;
  if (header.find("万元") != std::string_view::npos) return MoneyUnit::Wan;
  if (header.find("元") != std::string_view::npos) return MoneyUnit::Yuan;
  return std::nullopt;
}

AmountCheck checkAmount(Yuan amount) {
  if (amount < 0) return AmountCheck::Negative;
  if (amount > limits::kMaxYuan) return AmountCheck::TooLarge;
  return AmountCheck::Ok;
}

std::string_view amountReason(AmountCheck check) {
  switch (check) {
    case AmountCheck::Ok:
      return "";
    case AmountCheck::Negative:
      return "negative";
    case AmountCheck::TooLarge:
      return "too_large";
  }
  return "";
}

std::optional<Yuan> addAmounts(Yuan a, Yuan b) {
  Yuan out;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::optional<Yuan> sumAmounts(std::span<const Yuan> parts) {
  Yuan total = 0;
  for (Yuan p : parts) {
    auto next = addAmounts(total, p);
    if (!next) return std::nullopt;
    total = *next;
  }
  return total;
}

Yuan joinSplitSum(std::int64_t millions, std::int64_t remainder) {
  constexpr Yuan kMax = std::numeric_limits<Yuan>::max();
  if (millions < 0 || remainder < 0) return 0;  // clamped inputs are never negative; refuse to invent a value
  Yuan scaled;
  if (__builtin_mul_overflow(millions, kSplitSumUnit, &scaled)) return kMax;
  return addAmounts(scaled, remainder).value_or(kMax);
}

}  // namespace steward::core
