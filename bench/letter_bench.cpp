// `make bench`: 100 letters as PDF and as DOCX (office/letter_doc.h), one after the other on one thread, as the
// server renders them on request. The first PDF of a process also pays for fontconfig and the fonts' loading.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "office/letter_doc.h"

namespace {

using Clock = std::chrono::steady_clock;
double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

steward::office::LetterDocument letter(int i, int paragraphs) {
  steward::office::LetterDocument doc;
  doc.issuer = "衡东县重点项目建设指挥部办公室";
  doc.number = "衡重项督〔2023〕" + std::to_string(i + 1) + "号";
  doc.title = "关于新材料产业园标准化厂房建设项目" + std::to_string(i + 1) + "开工滞后的督办函";
  doc.recipient = "县工业和信息化局";
  for (int p = 0; p < paragraphs; ++p)
    doc.paragraphs.push_back("该项目计划于2023年6月开工，截至2023年10月31日仍未开工，已滞后4个月；年度计划投资12000万元，"
                             "累计完成投资1850万元，落后时序进度47个百分点。请于2023年11月15日前书面报送整改落实情况。");
  doc.paragraphs.push_back("特此函告。");
  doc.signature = "衡东县重点项目建设指挥部办公室";
  doc.date = "2023-10-31";
  doc.copy_to = "县委办，县政府办";
  doc.contact = "李明，电话：0734-5222123";
  return doc;
}

void measure(const char* what, int paragraphs, std::string (*render)(const steward::office::LetterDocument&)) {
  std::vector<double> times;
  std::size_t bytes = 0;
  const auto t0 = Clock::now();
  for (int i = 0; i < 100; ++i) {
    const auto a = Clock::now();
    bytes += render(letter(i, paragraphs)).size();
    times.push_back(ms(Clock::now() - a));
  }
  const double total = ms(Clock::now() - t0);
  const double first = times.front();
  std::sort(times.begin(), times.end());
  std::printf("100 letters as %-14s total %7.0f ms, first %6.1f ms, median %6.2f ms, p99 %6.2f ms, %5.0f KB each\n", what,
              total, first, times[50], times[98], bytes / 100.0 / 1024);
}

}  // namespace

void benchLetters() {
  std::printf("\n== letters (GB/T 9704 letter format)\n");
  measure("PDF, 1 page:", 1, steward::office::renderLetterPdf);
  measure("PDF, 3 pages:", 12, steward::office::renderLetterPdf);
  measure("DOCX, 1 page:", 1, steward::office::renderLetterDocx);
}
