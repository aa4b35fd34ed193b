// Official letters (三函, 工作提示) as printable documents in the GB/T 9704-2012 layout (信函格式): the issuing
// office's mark in red with the red rule, the number, the title, the recipient, the body, the signature, the date
// and the seal area. As PDF with embedded Chinese fonts (cairo + pango) and as DOCX for editing.
#pragma once
#include <string>
#include <vector>

namespace steward::office {

struct LetterDocument {
  std::string issuer;                   // 发文机关标志: "衡东县重点项目建设指挥部办公室"
  std::string number;                   // 发文字号: "衡重项督〔2023〕5号"; empty for a draft
  std::string title;                    // 标题: "关于××项目开工滞后的督办函"
  std::string recipient;                // 主送机关: "县工业和信息化局"
  std::vector<std::string> paragraphs;  // 正文, one string per paragraph
  std::string signature;                // 发文机关署名
  std::string date;                     // 成文日期, ISO day: printed "2023年10月31日"
  std::string copy_to;                  // 抄送 (optional)
  std::string contact;                  // 联系人及电话 (optional)
  bool draft = false;                   // printed with a "草稿" mark and no number
};

// The letter as a PDF (A4, fonts embedded). Throws std::runtime_error only on an internal failure.
std::string renderLetterPdf(const LetterDocument& doc);
// The letter as a DOCX (WordprocessingML in a zip).
std::string renderLetterDocx(const LetterDocument& doc);

}  // namespace steward::office
