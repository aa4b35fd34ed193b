#include "support/case_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace steward::testing {
namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t p = 0;
  while (true) {
    auto q = s.find(sep, p);
    out.push_back(trim(s.substr(p, q == std::string_view::npos ? std::string_view::npos : q - p)));
    if (q == std::string_view::npos) break;
    p = q + 1;
  }
  return out;
}

}  // namespace

const std::string& CaseRow::operator[](std::string_view name) const {
  for (std::size_t i = 0; i < header_->size(); ++i)
    if ((*header_)[i] == name) return cells_[i];
  throw CaseFileError(where_ + ": no column named '" + std::string(name) + "' in the header");
}

std::vector<std::string> CaseRow::list(std::string_view name) const {
  const auto& cell = (*this)[name];
  if (cell.empty() || cell == "-") return {};
  auto items = split(cell, ',');
  for (const auto& item : items)
    if (item.empty()) throw CaseFileError(where_ + ": empty item in the list of column '" + std::string(name) + "'");
  return items;
}

long long CaseRow::integer(std::string_view name) const {
  const auto& cell = (*this)[name];
  try {
    std::size_t used = 0;
    long long v = std::stoll(cell, &used);
    if (used == cell.size()) return v;
  } catch (const std::exception&) {
  }
  throw CaseFileError(where_ + ": column '" + std::string(name) + "' is not an integer: '" + cell + "'");
}

void parseCaseFile(const std::string& name, std::string_view text, CaseFile& out) {
  out.name = name;
  out.header.clear();
  out.rows.clear();
  int lineNo = 0;
  std::size_t p = 0;
  while (p <= text.size()) {
    auto q = text.find('\n', p);
    auto line = text.substr(p, q == std::string_view::npos ? std::string_view::npos : q - p);
    p = q == std::string_view::npos ? text.size() + 1 : q + 1;
    ++lineNo;
    auto t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const auto where = name + ":" + std::to_string(lineNo);
    auto cells = split(t, '|');
    if (out.header.empty()) {
      std::set<std::string> seen;
      for (const auto& c : cells)
        if (c.empty() || !seen.insert(c).second)
          throw CaseFileError(where + ": the header needs distinct, non-empty column names");
      out.header = std::move(cells);
      continue;
    }
    if (cells.size() != out.header.size())
      throw CaseFileError(where + ": " + std::to_string(cells.size()) + " columns, the header names " +
                          std::to_string(out.header.size()));
    out.rows.emplace_back(where, &out.header, std::move(cells));
  }
  if (out.header.empty()) throw CaseFileError(name + ": no header line (column names separated by '|')");
}

int runCases(const std::string& relPath, const std::function<void(const CaseRow&)>& fn) {
  std::ifstream in(std::string(STEWARD_SOURCE_DIR) + "/" + relPath, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << relPath << ": case file missing";
    return 0;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  CaseFile file;
  try {
    parseCaseFile(relPath, ss.str(), file);
  } catch (const CaseFileError& e) {
    ADD_FAILURE() << e.what();
    return 0;
  }
  for (const auto& row : file.rows) {
    SCOPED_TRACE(row.where());
    try {
      fn(row);
    } catch (const std::exception& e) {
      const std::string what = e.what();
      if (what.rfind(row.where(), 0) == 0) ADD_FAILURE() << what;  // already names the row
      else ADD_FAILURE() << row.where() << ": " << what;
    }
  }
  return static_cast<int>(file.rows.size());
}

}  // namespace steward::testing
