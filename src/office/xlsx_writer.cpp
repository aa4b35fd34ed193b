#include "office/xlsx_writer.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "office/xlsx_reader.h"
#include "office/xlsx_workbook.h"

namespace steward::office {
namespace {

// libxlsxwriter only writes to a named file, so each workbook goes through a private temp file.
class TempFile {
 public:
  TempFile() {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    path_ = (dir / "steward-xlsx-XXXXXX").string();
    const int fd = mkstemp(path_.data());
    if (fd < 0) throw XlsxError("无法创建临时文件以生成 xlsx");
    close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Owns the workbook until close, so an exception part-way does not leak it.
class WorkbookHandle {
 public:
  explicit WorkbookHandle(const std::string& path) : wb_(workbook_new(path.c_str())) {
    if (wb_ == nullptr) throw XlsxError("无法创建 xlsx 工作簿");
  }
  ~WorkbookHandle() {
    if (wb_ != nullptr) workbook_close(wb_);
  }
  WorkbookHandle(const WorkbookHandle&) = delete;
  WorkbookHandle& operator=(const WorkbookHandle&) = delete;
  lxw_workbook* get() const { return wb_; }
  void close() {
    const lxw_error err = workbook_close(wb_);
    wb_ = nullptr;
    if (err != LXW_NO_ERROR) throw XlsxError(std::string("无法保存 xlsx 文件：") + lxw_strerror(err));
  }

 private:
  lxw_workbook* wb_;
};

void check(lxw_error err, const std::string& what) {
  if (err != LXW_NO_ERROR) throw XlsxError("生成 xlsx 失败（" + what + "）：" + lxw_strerror(err));
}

// Excel's sheet-name rules: at most 31 characters, none of []:*?/\, not empty, unique.
std::string sheetName(const std::string& wanted, std::size_t index) {
  std::string name;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < wanted.size() && chars < 31; ++i) {
    const unsigned char c = static_cast<unsigned char>(wanted[i]);
    if ((c & 0xC0) != 0x80) ++chars;
    name.push_back(std::string_view("[]:*?/\\").find(char(c)) == std::string_view::npos ? char(c) : '_');
    while (i + 1 < wanted.size() && (static_cast<unsigned char>(wanted[i + 1]) & 0xC0) == 0x80)
      name.push_back(wanted[++i]);  // keep a multi-byte character whole
  }
  return name.empty() ? "Sheet" + std::to_string(index + 1) : name;
}

struct Formats {
  lxw_format* title;
  lxw_format* header;
  lxw_format* text;
  std::vector<lxw_format*> numbers;  // per column
};

Formats makeFormats(lxw_workbook* wb, const OutSheet& sheet) {
  Formats f{};
  f.title = workbook_add_format(wb);
  format_set_bold(f.title);
  format_set_font_size(f.title, 16);
  format_set_align(f.title, LXW_ALIGN_CENTER);
  format_set_align(f.title, LXW_ALIGN_VERTICAL_CENTER);

  f.header = workbook_add_format(wb);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xDDEBF7);
  format_set_border(f.header, LXW_BORDER_THIN);
  format_set_align(f.header, LXW_ALIGN_CENTER);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_CENTER);
  format_set_text_wrap(f.header);

  f.text = workbook_add_format(wb);
  format_set_border(f.text, LXW_BORDER_THIN);
  format_set_align(f.text, LXW_ALIGN_VERTICAL_CENTER);

  for (const OutColumn& col : sheet.columns) {
    lxw_format* number = workbook_add_format(wb);
    format_set_border(number, LXW_BORDER_THIN);
    format_set_align(number, LXW_ALIGN_VERTICAL_CENTER);
    if (!col.numFormat.empty()) format_set_num_format(number, col.numFormat.c_str());
    f.numbers.push_back(number);
  }
  return f;
}

void writeSheet(lxw_workbook* wb, const OutSheet& sheet, std::size_t index) {
  const std::string name = sheetName(sheet.name, index);
  lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
  if (ws == nullptr) throw XlsxError("无法添加工作表“" + name + "”（名称重复或无效）");
  const Formats f = makeFormats(wb, sheet);
  const auto lastCol = lxw_col_t(sheet.columns.empty() ? 0 : sheet.columns.size() - 1);

  lxw_row_t row = 0;
  if (!sheet.title.empty()) {
    check(worksheet_set_row(ws, row, 30, nullptr), "标题行");
    if (lastCol > 0) {
      check(worksheet_merge_range(ws, row, 0, row, lastCol, sheet.title.c_str(), f.title), "标题行");
    } else {
      check(worksheet_write_string(ws, row, 0, sheet.title.c_str(), f.title), "标题行");
    }
    ++row;
  }
  const lxw_row_t headerRow = row;
  check(worksheet_set_row(ws, headerRow, 32, nullptr), "表头");
  for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
    const OutColumn& col = sheet.columns[c];
    check(worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), col.width, nullptr), "列宽");
    check(worksheet_write_string(ws, headerRow, lxw_col_t(c), col.header.c_str(), f.header), "表头");
  }
  worksheet_freeze_panes(ws, headerRow + 1, 0);

  for (const auto& cells : sheet.rows) {
    ++row;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const OutCell& cell = cells[c];
      lxw_format* numberFormat = c < f.numbers.size() ? f.numbers[c] : f.text;
      double value = 0;
      lxw_error err;
      if (cell.number && exactXlsxNumber(cell.value, value)) {
        err = worksheet_write_number(ws, row, lxw_col_t(c), value, numberFormat);
      } else if (cell.value.empty()) {
        err = worksheet_write_blank(ws, row, lxw_col_t(c), f.text);
      } else {
        err = worksheet_write_string(ws, row, lxw_col_t(c), cell.value.c_str(), f.text);
      }
      if (err != LXW_NO_ERROR)
        check(err, "第 " + std::to_string(row + 1) + " 行" + columnLetter(int(c)) + " 列");
    }
  }

  // Drop-downs cover the data plus room for rows a user adds to a blank template.
  const lxw_row_t lastValidated = std::max<lxw_row_t>(row, headerRow + 1000);
  for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
    const auto& choices = sheet.columns[c].choices;
    if (choices.empty()) continue;
    std::vector<const char*> list;
    for (const std::string& s : choices) list.push_back(s.c_str());
    list.push_back(nullptr);
    lxw_data_validation dv{};
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = const_cast<char**>(list.data());
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
    check(worksheet_data_validation_range(ws, headerRow + 1, lxw_col_t(c), lastValidated, lxw_col_t(c), &dv),
          "下拉选项");
  }
}

}  // namespace

bool exactXlsxNumber(std::string_view text, double& value) {
  // Money stays decimal text; the double exists only as the cell's transport and is checked to come back
  // as the same text, which holds for up to 15 significant digits (typical 万元 values with 4 decimals).
  if (text.empty() || text.size() > 24) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return false;
  char printed[64];
  std::snprintf(printed, sizeof printed, "%.16G", value);
  return text == printed;
}

std::string writeXlsx(const std::vector<OutSheet>& sheets) {
  const TempFile file;
  {
    WorkbookHandle wb(file.path());
    for (std::size_t i = 0; i < sheets.size(); ++i) writeSheet(wb.get(), sheets[i], i);
    if (sheets.empty()) writeSheet(wb.get(), OutSheet{}, 0);
    wb.close();
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw XlsxError("无法读取生成的 xlsx 文件");
  return bytes;
}

}  // namespace steward::office

namespace steward::office {

std::string writeWorkbook(const std::function<void(lxw_workbook*)>& fill) {
  const TempFile file;
  {
    WorkbookHandle wb(file.path());
    fill(wb.get());
    wb.close();
  }
  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw XlsxError("无法读取生成的 xlsx 文件");
  return bytes;
}

}  // namespace steward::office
