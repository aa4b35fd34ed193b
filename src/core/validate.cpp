#include "core/validate.h"

#include <array>
#include <cstdio>

#include "core/time.h"

namespace steward::core {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool allDigits(std::string_view s) {
  for (char c : s)
    if (!isDigit(c)) return false;
  return !s.empty();
}

int toInt(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

bool consume(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// Reads 1..maxLen leading digits.
std::optional<int> readNumber(std::string_view& s, std::size_t minLen, std::size_t maxLen) {
  std::size_t n = 0;
  while (n < s.size() && n < maxLen && isDigit(s[n])) ++n;
  if (n < minLen || (n < s.size() && isDigit(s[n]))) return std::nullopt;
  const int v = toInt(s.substr(0, n));
  s.remove_prefix(n);
  return v;
}

bool isLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeapYear(y) ? 29 : kDays[m - 1];
}

// Years before 1900 cannot come from Excel and are typing errors in a project list.
std::optional<std::string> isoIfReal(int y, int m, int d) {
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return std::string(buf);
}

// Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 is the non-existent 1900-02-29 that
// Lotus 1-2-3 introduced, so serials after it count from 1899-12-30.
std::optional<std::string> fromExcelSerial(long serial) {
  constexpr long kMaxSerial = 2958465;  // 9999-12-31
  if (serial < 1 || serial == 60 || serial > kMaxSerial) return std::nullopt;
  const std::int64_t epoch = serial < 60 ? daysFromCivil(1899, 12, 31) : daysFromCivil(1899, 12, 30);
  int y;
  unsigned m, d;
  civilFromDays(epoch + serial, y, m, d);
  return isoIfReal(y, int(m), int(d));
}

// Accepts " 08:00", "T08:00:00", " 8:00:00.000" after a date, which Excel text exports carry.
bool isTimeSuffix(std::string_view s) {
  if (s.empty()) return true;
  if (s.front() != ' ' && s.front() != 'T') return false;
  s = trimText(s.substr(1));
  if (!readNumber(s, 1, 2) || !consume(s, ":") || !readNumber(s, 2, 2)) return false;
  if (consume(s, ":")) {
    if (!readNumber(s, 2, 2)) return false;
    if (consume(s, ".") && !readNumber(s, 1, 9)) return false;
  }
  return s.empty();
}

constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

}  // namespace

std::string_view trimText(std::string_view text) {
  static constexpr std::array<std::string_view, 8> kSpaces = {" ",  "\t", "\n",     "\r",
                                                              "\v", "\f", "\u3000", "\u00a0"};
  for (bool trimmed = true; trimmed;) {
    trimmed = false;
    for (std::string_view space : kSpaces) {
      while (text.starts_with(space)) {
        text.remove_prefix(space.size());
        trimmed = true;
      }
      while (text.ends_with(space)) {
        text.remove_suffix(space.size());
        trimmed = true;
      }
    }
  }
  return text;
}

std::size_t textLength(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++n;  // count lead bytes, not continuation bytes
  return n;
}

std::string escapeLike(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

CreditCodeCheck checkCreditCode(std::string_view code) {
  static constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                   29, 25, 13, 8,  24, 10, 30, 28};
  if (code.size() != 18) return CreditCodeCheck::WrongLength;
  for (char c : code)
    if (kCreditAlphabet.find(c) == std::string_view::npos) return CreditCodeCheck::BadCharacter;
  // Registration authority (1-9, A, N, Y) and then an institution-type digit.
  const char authority = code[0], type = code[1];
  if (!((authority >= '1' && authority <= '9') || authority == 'A' || authority == 'N' || authority == 'Y'))
    return CreditCodeCheck::BadAuthority;
  if (type < '1' || type > '9') return CreditCodeCheck::BadAuthority;
  int sum = 0;
  for (std::size_t i = 0; i < kWeights.size(); ++i) sum += int(kCreditAlphabet.find(code[i])) * kWeights[i];
  const int check = (31 - sum % 31) % 31;
  return code[17] == kCreditAlphabet[check] ? CreditCodeCheck::Ok : CreditCodeCheck::BadCheckChar;
}

bool isValidCreditCode(std::string_view code) { return checkCreditCode(code) == CreditCodeCheck::Ok; }

std::string_view creditCodeMessage(CreditCodeCheck check) {
  switch (check) {
    case CreditCodeCheck::Ok:
      return "";
    case CreditCodeCheck::WrongLength:
      return "统一社会信用代码应为18位";
    case CreditCodeCheck::BadCharacter:
      return "统一社会信用代码含有无效字符（不使用 I、O、Z、S、V）";
    case CreditCodeCheck::BadAuthority:
      return "统一社会信用代码前两位（登记管理部门和机构类别）无效";
    case CreditCodeCheck::BadCheckChar:
      return "统一社会信用代码校验位错误";
  }
  return "";
}

bool isValidProjectCode(std::string_view code) {
  static constexpr std::array<std::size_t, 5> kParts = {4, 6, 2, 2, 6};
  std::array<std::string_view, 5> parts;
  std::string_view rest = code;
  for (std::size_t i = 0; i < kParts.size(); ++i) {
    const std::size_t len = kParts[i];
    if (rest.size() < len || !allDigits(rest.substr(0, len))) return false;
    parts[i] = rest.substr(0, len);
    rest.remove_prefix(len);
    if (i + 1 < kParts.size() && !consume(rest, "-")) return false;
  }
  if (!rest.empty()) return false;
  const int month = toInt(parts[0].substr(2));
  const int legacyYear = toInt(parts[0]);
  return (month >= 1 && month <= 12) || (legacyYear >= 2015 && legacyYear <= 2020);
}

std::optional<std::string> parseDate(std::string_view text) {
  std::string_view s = trimText(text);
  if (s.empty()) return std::nullopt;

  // A bare number: YYYYMMDD, or an Excel serial possibly carrying the time of day as a fraction.
  const std::size_t dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  if (allDigits(whole) && (dot == std::string_view::npos || allDigits(s.substr(dot + 1)))) {
    if (whole.size() == 8 && dot == std::string_view::npos)
      return isoIfReal(toInt(whole.substr(0, 4)), toInt(whole.substr(4, 2)), toInt(whole.substr(6, 2)));
    if (whole.size() <= 7) return fromExcelSerial(toInt(whole));
    return std::nullopt;
  }

  std::string_view rest = s;
  const auto year = readNumber(rest, 4, 4);
  if (!year) return std::nullopt;
  std::string_view monthSep, daySep;
  for (std::string_view sep : {"-", "/", ".", "年"}) {
    if (consume(rest, sep)) {
      monthSep = sep;
      daySep = sep == "年" ? std::string_view("月") : sep;
      break;
    }
  }
  if (monthSep.empty()) return std::nullopt;
  const auto month = readNumber(rest, 1, 2);
  if (!month || !consume(rest, daySep)) return std::nullopt;
  const auto day = readNumber(rest, 1, 2);
  if (!day) return std::nullopt;
  if (monthSep == "年" && !consume(rest, "日")) consume(rest, "号");
  if (!isTimeSuffix(rest)) return std::nullopt;
  return isoIfReal(*year, *month, *day);
}

bool isIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  if (!allDigits(text.substr(0, 4)) || !allDigits(text.substr(5, 2)) || !allDigits(text.substr(8, 2)))
    return false;
  return isoIfReal(toInt(text.substr(0, 4)), toInt(text.substr(5, 2)), toInt(text.substr(8, 2))).has_value();
}

bool isValidRegionCode(std::string_view code) {
  return code.size() == 6 && allDigits(code) && code.substr(0, 2) != "00";
}

std::optional<RegionLevel> regionLevel(std::string_view code) {
  if (!isValidRegionCode(code)) return std::nullopt;
  if (code.substr(2) == "0000") return RegionLevel::Province;
  if (code.substr(4) == "00") return RegionLevel::City;
  return RegionLevel::County;
}

std::string regionScopePrefix(std::string_view code) {
  const auto level = regionLevel(code);
  if (!level) return {};
  switch (*level) {
    case RegionLevel::Province:
      return std::string(code.substr(0, 2));
    case RegionLevel::City:
      return std::string(code.substr(0, 4));
    case RegionLevel::County:
      return std::string(code);
  }
  return {};
}

PasswordCheck checkPassword(std::string_view password) {
  std::size_t chars = 0;
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : password) {
    if ((c & 0xC0) != 0x80) ++chars;  // count UTF-8 code points, not bytes
    if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (isDigit(char(c))) {
      digit = true;
    } else {
      other = true;
    }
  }
  if (chars < 8) return PasswordCheck::TooShort;
  return int(lower) + int(upper) + int(digit) + int(other) >= 3 ? PasswordCheck::Ok
                                                                : PasswordCheck::TooSimple;
}

}  // namespace steward::core
