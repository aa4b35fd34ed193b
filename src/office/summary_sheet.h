// The report summary table (汇总表) in the layout counties send upward: a merged title row, a unit row
// (填报单位 … / 单位：万元), a two-row header whose 投资完成情况 group is merged over its four columns (the other
// headers merged down both rows), one row per project and a 合计 row.
#pragma once
#include <string>
#include <vector>

#include "office/xlsx_writer.h"

namespace steward::office {

// The columns, in order; kSummaryGroup names the merged group over columns kSummaryGroupFirst..+3.
inline constexpr const char* kSummaryColumns[] = {"序号",         "项目名称",     "责任单位",
                                                  "所在乡镇",     "总投资",       "年度计划投资",
                                                  "本期完成",     "本年累计完成", "开工累计完成",
                                                  "年度计划完成率（%）", "形象进度", "备注"};
inline constexpr std::size_t kSummaryColumnCount = std::size(kSummaryColumns);
inline constexpr const char* kSummaryGroup = "投资完成情况";
inline constexpr std::size_t kSummaryGroupFirst = 6;

struct SummarySheet {
  std::string title;     // e.g. 2026年2月重点项目投资进度汇总表
  std::string reporter;  // 填报单位：…
  std::string unit = "单位：万元";
  // One row per project: cells 1..11 (序号 is written by the writer); a row shorter than that is padded.
  std::vector<std::vector<OutCell>> rows;
  // The 合计 row's cells 4..11 (columns before are merged into the word 合计).
  std::vector<OutCell> total;
};

// The .xlsx file as bytes. Throws XlsxError when libxlsxwriter refuses the content.
std::string writeSummaryXlsx(const SummarySheet& sheet);

}  // namespace steward::office
