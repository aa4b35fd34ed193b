// Table-driven case files: the format a reviewer reads without reading C++, and the runner a test calls.
//
//   # a comment                      lines starting with '#' and blank lines are ignored
//   preset | target | set | missing   the first other line is the header: one name per column
//   hengdong | signing | - | signed_date
//
// Columns are separated by '|' and trimmed; every row has exactly as many columns as the header. By convention
// "-" is an empty value and a list is comma-separated (CaseRow::list). A malformed file is reported as
// file:line with what is wrong.
#pragma once
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace steward::testing {

struct CaseFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class CaseRow {
 public:
  CaseRow(std::string where, const std::vector<std::string>* header, std::vector<std::string> cells)
      : where_(std::move(where)), header_(header), cells_(std::move(cells)) {}
  // The cell of column `name`; throws CaseFileError naming file:line when the header has no such column.
  const std::string& operator[](std::string_view name) const;
  // The cell as a comma-separated list, trimmed; "-" or an empty cell is the empty list.
  std::vector<std::string> list(std::string_view name) const;
  // The cell as an integer; throws CaseFileError naming file:line when it is not one.
  long long integer(std::string_view name) const;
  // "tests/core/cases/periods.txt:12", for failure messages.
  const std::string& where() const { return where_; }

 private:
  std::string where_;
  const std::vector<std::string>* header_;
  std::vector<std::string> cells_;
};

struct CaseFile {
  std::string name;                 // as given, for messages
  std::vector<std::string> header;  // column names
  std::vector<CaseRow> rows;
  CaseFile() = default;
  CaseFile(const CaseFile&) = delete;  // rows point at header
  CaseFile& operator=(const CaseFile&) = delete;
};

// Parses the text of a case file called `name`; throws CaseFileError "name:line: reason" when malformed
// (no header, a duplicate or empty column name, a row with the wrong number of columns).
void parseCaseFile(const std::string& name, std::string_view text, CaseFile& out);

// Reads `relPath` (relative to the source tree) and calls `fn` once per row, each under a trace naming the
// row's file:line; a CaseFileError or other exception thrown by `fn` fails that row, and the run goes on.
// Returns the number of rows run; a missing or malformed file fails the test and returns 0.
int runCases(const std::string& relPath, const std::function<void(const CaseRow&)>& fn);

}  // namespace steward::testing
