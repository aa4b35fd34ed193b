// Validation of the identifiers and values people type into project lists: credit codes, project codes,
// dates in the many forms a county spreadsheet holds, region codes, passwords. Pure functions, no I/O.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace steward::core {

// Trims ASCII whitespace, the full-width space U+3000 and the no-break space U+00A0 from both ends.
std::string_view trimText(std::string_view text);

// Length in characters (UTF-8 code points), the unit of every text cap in core/limits.h.
std::size_t textLength(std::string_view text);

// `text` with the LIKE wildcards % and _ and the escape character \ escaped, for a pattern used with
// `ESCAPE '\'` (the same on SQLite and PostgreSQL): user input then matches itself and nothing more.
std::string escapeLike(std::string_view text);

// 统一社会信用代码 (GB 32100-2015).
enum class CreditCodeCheck { Ok, WrongLength, BadCharacter, BadAuthority, BadCheckChar };
CreditCodeCheck checkCreditCode(std::string_view code);
bool isValidCreditCode(std::string_view code);
// Chinese message for a failed check, for field errors shown to users.
std::string_view creditCodeMessage(CreditCodeCheck check);

// 投资项目统一代码 "YYMM-RRRRRR-II-TT-NNNNNN" (GB/T 40058-2021); codes issued before the 2020 switch carry
// the year instead of YYMM ("2019-430424-48-01-000123") and are accepted too.
bool isValidProjectCode(std::string_view code);
inline constexpr std::string_view kProjectCodeMessage = "项目代码格式应为 YYMM-RRRRRR-II-TT-NNNNNN";

// A calendar day → ISO "YYYY-MM-DD". Accepts 2023-04-28, 2023/4/28, 2023.4.28, 2023年4月28日, 20230428,
// an optional trailing time ("2023-04-28 08:00:00"), and Excel serials ("45044", "45044.5", 1900 date system
// with its fake 1900-02-29). Rejects days that do not exist.
std::optional<std::string> parseDate(std::string_view text);
// Exactly "YYYY-MM-DD" naming a real day.
bool isIsoDate(std::string_view text);

// 行政区划代码: six digits; xx0000 is a province, xxxx00 a city, anything else a county.
enum class RegionLevel { Province, City, County };
bool isValidRegionCode(std::string_view code);
std::optional<RegionLevel> regionLevel(std::string_view code);
// The prefix shared by every code inside the region: "430000" → "43", "430400" → "4304", "430424" → "430424".
// Empty for an invalid code.
std::string regionScopePrefix(std::string_view code);

// At least 8 characters drawn from at least 3 of: lower case, upper case, digits, anything else.
enum class PasswordCheck { Ok, TooShort, TooSimple };
PasswordCheck checkPassword(std::string_view password);

}  // namespace steward::core
