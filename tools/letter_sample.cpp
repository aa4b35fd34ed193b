// steward_letter_sample OUTDIR [--draft] [--long] [--dpi N]
// Renders a sample supervision letter to OUTDIR/letter.pdf and OUTDIR/letter.docx, and each PDF page to
// OUTDIR/letter-N.png (poppler-glib onto a cairo image surface, white background), to look at the layout.
#include <cairo.h>
#include <poppler.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "office/letter_doc.h"

using steward::office::LetterDocument;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUTDIR [--draft] [--long] [--dpi N]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  bool draft = false, longBody = false;
  double dpi = 100;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--draft") draft = true;
    else if (a == "--long") longBody = true;
    else if (a == "--dpi" && i + 1 < argc) dpi = std::atof(argv[++i]);
  }
  LetterDocument doc;
  doc.issuer = "衡东县重点项目建设指挥部办公室";
  doc.number = "衡重项督〔2023〕5号";
  doc.title = "关于衡东县新材料产业园标准化厂房建设项目开工滞后的督办函";
  doc.recipient = "县工业和信息化局";
  doc.paragraphs = {
      "根据《衡东县重点项目建设“三函”管理办法》和县重点项目建设指挥部工作安排，经对全县重点项目建设情况"
      "进行调度，现将你单位牵头负责的衡东县新材料产业园标准化厂房建设项目存在的问题督办如下。",
      "一、存在问题。该项目计划于2023年6月开工，截至2023年10月31日仍未开工，已滞后4个月；年度计划投资"
      "12000万元，累计完成投资1850万元，落后时序进度47个百分点，亮红灯。",
      "二、督办事项。请你单位高度重视，对照项目建设节点，倒排工期、挂图作战，逐项解决用地报批、施工许可"
      "等前期手续问题，确保项目于2023年11月30日前开工建设。",
      "三、办理要求。请于收到本函之日起3个工作日内签收，并于2023年11月15日前将整改落实情况书面报送县重点"
      "项目建设指挥部办公室。逾期未办结的，将按程序提请县委、县政府约谈。",
      "特此函告。"};
  if (longBody)
    for (int i = 0; i < 12; ++i) doc.paragraphs.insert(doc.paragraphs.end() - 1, doc.paragraphs[1 + i % 3]);
  doc.signature = "衡东县重点项目建设指挥部办公室";
  doc.date = "2023-10-31";
  doc.copy_to = "县委办，县政府办，县发展和改革局";
  doc.contact = "李明，电话：0734-5222123";
  doc.draft = draft;

  std::filesystem::create_directories(dir);
  const std::string pdf = steward::office::renderLetterPdf(doc);
  std::ofstream(dir / "letter.pdf", std::ios::binary) << pdf;
  std::ofstream(dir / "letter.docx", std::ios::binary) << steward::office::renderLetterDocx(doc);

  GBytes* bytes = g_bytes_new(pdf.data(), pdf.size());
  GError* error = nullptr;
  PopplerDocument* document = poppler_document_new_from_bytes(bytes, nullptr, &error);
  if (!document) {
    std::fprintf(stderr, "poppler: %s\n", error ? error->message : "cannot open");
    return 1;
  }
  const int pages = poppler_document_get_n_pages(document);
  for (int i = 0; i < pages; ++i) {
    PopplerPage* page = poppler_document_get_page(document, i);
    double w, h;
    poppler_page_get_size(page, &w, &h);
    const double scale = dpi / 72;
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, int(w * scale), int(h * scale));
    cairo_t* cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(page, cr);
    const std::string png = (dir / ("letter-" + std::to_string(i + 1) + ".png")).string();
    cairo_surface_write_to_png(surface, png.c_str());
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    g_object_unref(page);
    std::printf("%s\n", png.c_str());
  }
  g_object_unref(document);
  g_bytes_unref(bytes);
  return 0;
}
