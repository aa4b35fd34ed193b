#include "office/summary_sheet.h"

#include <xlsxwriter.h>

#include "office/xlsx_reader.h"
#include "office/xlsx_workbook.h"

namespace steward::office {
namespace {

void check(lxw_error err, const char* what) {
  if (err != LXW_NO_ERROR) throw XlsxError(std::string("生成汇总表失败（") + what + "）：" + lxw_strerror(err));
}

lxw_format* bordered(lxw_workbook* wb) {
  lxw_format* f = workbook_add_format(wb);
  format_set_border(f, LXW_BORDER_THIN);
  format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
  return f;
}

void writeCell(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const OutCell& cell, lxw_format* text,
               lxw_format* number) {
  double value = 0;
  if (cell.number && exactXlsxNumber(cell.value, value))
    check(worksheet_write_number(ws, r, c, value, number), "数字");
  else if (cell.value.empty())
    check(worksheet_write_blank(ws, r, c, text), "空白");
  else
    check(worksheet_write_string(ws, r, c, cell.value.c_str(), text), "文字");
}

void writeSheet(lxw_workbook* wb, const SummarySheet& s) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, "汇总表");
  if (ws == nullptr) throw XlsxError("无法添加工作表“汇总表”");
  const auto last = lxw_col_t(kSummaryColumnCount - 1);

  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 16);
  format_set_align(title, LXW_ALIGN_CENTER);
  format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format* left = workbook_add_format(wb);
  lxw_format* right = workbook_add_format(wb);
  format_set_align(right, LXW_ALIGN_RIGHT);
  lxw_format* header = bordered(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xDDEBF7);
  format_set_align(header, LXW_ALIGN_CENTER);
  format_set_text_wrap(header);
  lxw_format* text = bordered(wb);
  format_set_text_wrap(text);
  lxw_format* number = bordered(wb);
  format_set_num_format(number, "#,##0.00##");
  lxw_format* totalText = bordered(wb);
  format_set_bold(totalText);
  format_set_align(totalText, LXW_ALIGN_CENTER);
  lxw_format* totalNumber = bordered(wb);
  format_set_bold(totalNumber);
  format_set_num_format(totalNumber, "#,##0.00##");

  const double widths[] = {6, 30, 18, 12, 12, 12, 12, 12, 12, 12, 30, 10};
  for (std::size_t c = 0; c < kSummaryColumnCount; ++c)
    check(worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), widths[c], nullptr), "列宽");

  // Row 1: the title; row 2: who reports (left) and the unit (right).
  check(worksheet_set_row(ws, 0, 30, nullptr), "标题行");
  check(worksheet_merge_range(ws, 0, 0, 0, last, s.title.c_str(), title), "标题行");
  check(worksheet_merge_range(ws, 1, 0, 1, 5, s.reporter.c_str(), left), "单位行");
  check(worksheet_merge_range(ws, 1, 6, 1, last, s.unit.c_str(), right), "单位行");

  // Rows 3–4: the header. The group spans its four columns on row 3; every other header spans both rows.
  for (std::size_t c = 0; c < kSummaryColumnCount; ++c) {
    const auto col = lxw_col_t(c);
    if (c >= kSummaryGroupFirst && c < kSummaryGroupFirst + 4) {
      check(worksheet_write_string(ws, 3, col, kSummaryColumns[c], header), "表头");
      continue;
    }
    check(worksheet_merge_range(ws, 2, col, 3, col, kSummaryColumns[c], header), "表头");
  }
  check(worksheet_merge_range(ws, 2, lxw_col_t(kSummaryGroupFirst), 2, lxw_col_t(kSummaryGroupFirst + 3),
                              kSummaryGroup, header),
        "表头");
  worksheet_freeze_panes(ws, 4, 2);

  lxw_row_t r = 4;
  for (std::size_t i = 0; i < s.rows.size(); ++i, ++r) {
    check(worksheet_write_number(ws, r, 0, double(i + 1), text), "序号");
    for (std::size_t c = 1; c < kSummaryColumnCount; ++c) {
      const std::size_t k = c - 1;
      writeCell(ws, r, lxw_col_t(c), k < s.rows[i].size() ? s.rows[i][k] : OutCell{}, text, number);
    }
  }
  check(worksheet_merge_range(ws, r, 0, r, 3, "合计", totalText), "合计行");
  for (std::size_t c = 4; c < kSummaryColumnCount; ++c) {
    const std::size_t k = c - 4;
    writeCell(ws, r, lxw_col_t(c), k < s.total.size() ? s.total[k] : OutCell{}, totalText, totalNumber);
  }
}

}  // namespace

std::string writeSummaryXlsx(const SummarySheet& sheet) {
  return writeWorkbook([&](lxw_workbook* wb) { writeSheet(wb, sheet); });
}

}  // namespace steward::office
