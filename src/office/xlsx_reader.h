// Reading .xlsx workbooks from memory (libzip + pugixml). Cell values come back as the text stored in the
// file, never converted through double, so amounts and codes survive exactly.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace steward::office {

// A file that is not a readable xlsx workbook; what() is a Chinese sentence fit to show the user.
class XlsxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Cell {
  std::string text;              // shared/inline string, or the number exactly as written in <v>
  bool isNumber = false;         // a numeric cell (including dates, which Excel stores as serials)
  bool isDateFormatted = false;  // numeric cell whose number format shows a date or time
};

// Inclusive, 0-based.
struct CellRange {
  int firstRow = 0, firstCol = 0, lastRow = 0, lastCol = 0;
  bool contains(int row, int col) const {
    return row >= firstRow && row <= lastRow && col >= firstCol && col <= lastCol;
  }
};

struct Sheet {
  std::string name;
  bool hidden = false;
  // rows[r][c], 0-based as in the file; missing cells are empty; trailing empty rows and cells are dropped.
  std::vector<std::vector<Cell>> rows;
  std::vector<CellRange> merged;

  // The cell at (row, col), or an empty cell when the sheet has none there.
  const Cell& at(int row, int col) const;
};

struct Workbook {
  std::vector<Sheet> sheets;  // worksheets in workbook order; chart sheets are skipped
};

// Parses an .xlsx file held in memory. Throws XlsxError on anything that is not a readable workbook.
Workbook readXlsx(const std::string& bytes);

// 0 → "A", 25 → "Z", 26 → "AA".
std::string columnLetter(int col);
// "B3" → row 2, col 1; false for anything that is not a cell reference inside Excel's limits.
bool parseCellRef(std::string_view ref, int& row, int& col);

}  // namespace steward::office
