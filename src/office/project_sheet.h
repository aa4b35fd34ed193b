// The project list (项目清单) as counties keep it in Excel: import with per-cell errors, export, blank
// template. Names of townships, units and leaders are carried as text; the service resolves them to ids.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/project.h"
#include "office/xlsx_reader.h"

namespace steward::office {

struct ImportRow {
  int excelRow = 0;  // 1-based, as Excel shows it
  core::Project project;
  std::string townshipName, unitName, leaderName, stageName;
  bool valid = true;  // false when an ImportError names this row
};

struct ImportError {
  std::string sheet;
  int row = 0;         // 1-based; 0 when the problem is the whole file
  std::string column;  // column letter such as "C"; empty when not about one cell
  std::string header;  // the header as written in the file
  std::string reason;  // Chinese, shown to the user
};

struct ImportResult {
  std::string sheet;  // the sheet the projects were read from
  int headerRow = 0;  // 1-based; 0 when no header was found
  std::vector<ImportRow> rows;
  std::vector<ImportError> errors;
  std::vector<std::string> ignoredHeaders;  // header cells not recognised (备注 and anything unknown)
  std::vector<int> skippedRows;  // 1-based rows taken for totals (合计) or section headings (一、…)
  // The fields the sheet carries, keyed as the API names them ("name", "funding.self_raised", "township",
  // "unit", "leader", "stage"), each with its column letter: an update changes only what the sheet has.
  std::map<std::string, std::string> columns;
  std::map<std::string, std::string> headers;  // the same keys → the header as written in the file
};

// Finds the first visible sheet with a project header in its first 10 rows (title rows above it are skipped,
// a two-row header under a merged group such as 资金来源（万元） is understood) and reads every data row.
ImportResult parseProjectSheet(const Workbook& workbook);

struct ProjectRow {
  core::Project project;
  std::string townshipName, unitName, leaderName, stageName;
  // The published light (export only, never read back): "green"/"yellow"/"red" or empty, its reasons' messages,
  // and SPI in basis points (10000 = on schedule) when the project has a plan.
  std::string light;
  std::vector<std::string> lightReasons;
  std::optional<std::int64_t> spiBp;
};

// The project list as .xlsx bytes; no rows gives the blank import template. An empty title omits the title
// row. Reading the result with parseProjectSheet and writing it again gives the same cell texts.
// With `lights`, three columns follow the layout: 亮灯 (红灯/黄灯/绿灯), 亮灯原因 (the messages joined by "；")
// and SPI (two decimals); an import ignores them.
std::string writeProjectSheet(const std::vector<ProjectRow>& rows, std::string_view title, bool lights = false);

}  // namespace steward::office
