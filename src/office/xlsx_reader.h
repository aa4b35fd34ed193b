// Reading .xlsx workbooks from memory (libzip + libexpat, streaming). Cell values come back as the text stored
// in the file, never converted through double, so amounts and codes survive exactly. A hostile file (zip bomb,
// millions of cells, a megabyte cell) is refused against ReadLimits before it can use much time or memory.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace steward::office {

// A file that is not a readable xlsx workbook; what() is a Chinese sentence fit to show the user.
// `limit` is set when the file exceeds one of ReadLimits (the file is too big rather than broken);
// `sheet` and `cell` (such as "B7") are set when the problem is in one place of one sheet.
class XlsxError : public std::runtime_error {
 public:
  explicit XlsxError(const std::string& message, std::string sheet = {}, std::string cell = {})
      : std::runtime_error(message), sheet(std::move(sheet)), cell(std::move(cell)) {}
  static XlsxError overLimit(const std::string& message, std::string limit, std::uint64_t max) {
    XlsxError e(message);
    e.limit = std::move(limit);
    e.max = max;
    return e;
  }
  std::string sheet;
  std::string cell;
  std::string limit;     // a ReadLimits field name such as "inflated_bytes"; empty unless over a limit
  std::uint64_t max = 0;  // that limit's value
};

// What one import may cost. The defaults leave a 10,000-row project list (about 12 MB of XML) far inside.
struct ReadLimits {
  // Sum of the bytes inflated across every part read: the budget that stops a zip bomb. 64 MiB is about five
  // times the largest real project list we have seen and, streamed, costs no memory of its own.
  std::uint64_t inflatedBytes = 64ull << 20;
  // Inflated/compressed per entry, checked once an entry passes 1 MiB: XML sheets deflate 5-30x, bombs 1000x.
  std::uint64_t compressionRatio = 200;
  // Zip entries: a workbook has a dozen or two; thousands only make the directory expensive to walk.
  std::uint64_t archiveEntries = 1000;
  std::uint64_t sheets = 100;                  // worksheets read from one workbook
  std::uint64_t xmlElements = 4'000'000;       // across all parts: stops millions of tiny empty cells
  std::uint64_t xmlDepth = 64;                 // nesting; real parts stay under 10
  // Bytes between two '<': one tag or run of text. The longest real one is a cell's text, 32,767 characters of
  // up to 7 bytes each (an _xHHHH_ escape) ≈ 224 KiB; libexpat rescans an unfinished token on every feed.
  std::uint64_t xmlTokenBytes = 1u << 20;
  std::uint64_t sharedStrings = 1'000'000;     // entries of the shared-string table
  std::uint64_t cells = 1'000'000;             // cell slots held (rows padded to their last cell), ~40 B each
  std::uint64_t cellTextBytes = 32ull << 20;   // text held across all cells (a shared string counts per use)
  std::uint64_t cellChars = 32767;             // Excel's own limit for one cell
  std::uint64_t rows = 100'000;                // per sheet; a county lists thousands of projects, not millions
  std::uint64_t columns = 1024;                // per sheet (AMJ); the project list has 27 columns
  std::uint64_t mergedRanges = 10'000;         // per sheet
  std::uint64_t styles = 65'536;               // cell formats (cellXfs); Excel allows about 64,000
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

// Parses an .xlsx file held in memory. Throws XlsxError on anything that is not a readable workbook or that
// exceeds the limits; cell texts are valid UTF-8 without NUL characters.
Workbook readXlsx(const std::string& bytes, const ReadLimits& limits = {});

// 0 → "A", 25 → "Z", 26 → "AA".
std::string columnLetter(int col);
// "B3" → row 2, col 1; false for anything that is not a cell reference inside Excel's limits.
bool parseCellRef(std::string_view ref, int& row, int& col);

}  // namespace steward::office
