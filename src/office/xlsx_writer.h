// Writing simple tabular .xlsx workbooks (libxlsxwriter): an optional merged title row, a styled and frozen
// header row, then data rows of text or numbers. Numbers are given as decimal text and are written as numeric
// cells only when reading the file back yields exactly the same text.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace steward::office {

struct OutColumn {
  std::string header;
  double width = 12;                 // in Excel character units
  std::string numFormat;             // for numeric cells, e.g. "#,##0.00##"; empty = General
  std::vector<std::string> choices;  // offered as a drop-down (a warning, not a hard rule) when non-empty
};

struct OutCell {
  std::string value;
  bool number = false;
  static OutCell text(std::string v) { return {std::move(v), false}; }
  static OutCell num(std::string v) { return {std::move(v), true}; }
};

struct OutSheet {
  std::string name;   // sanitised to Excel's rules (31 characters, no []:*?/\)
  std::string title;  // merged across all columns above the header; empty for none
  std::vector<OutColumn> columns;
  std::vector<std::vector<OutCell>> rows;
};

// The .xlsx file as bytes. Throws XlsxError (xlsx_reader.h) when libxlsxwriter refuses the content.
std::string writeXlsx(const std::vector<OutSheet>& sheets);

// The double to store for `text` when the file will read back as exactly `text`; false otherwise, in which
// case the value must be written as a string. libxlsxwriter prints doubles with "%.16G".
bool exactXlsxNumber(std::string_view text, double& value);

}  // namespace steward::office
