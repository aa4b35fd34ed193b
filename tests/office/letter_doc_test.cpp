// The letter as an official document: the PDF is read back with poppler (text, pages, pixels), the DOCX is unzipped
// and every part parsed with expat.
#include "office/letter_doc.h"

#include <cairo.h>
#include <expat.h>
#include <gtest/gtest.h>
#include <poppler.h>
#include <zip.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace steward::office {
namespace {

constexpr double kScale = 2;  // render at 144 dpi
double px(double mm) { return mm * 72 / 25.4 * kScale; }

LetterDocument sample() {
  LetterDocument doc;
  doc.issuer = "衡东县重点项目建设指挥部办公室";
  doc.number = "衡重项督〔2023〕5号";
  doc.title = "关于园区厂房项目开工滞后的督办函";
  doc.recipient = "县工业和信息化局";
  doc.paragraphs = {"该项目计划于2023年6月开工，截至2023年10月31日仍未开工，已滞后4个月。",
                    "请于2023年11月15日前将整改落实情况书面报送县重点项目建设指挥部办公室。", "特此函告。"};
  doc.signature = "衡东县重点项目建设指挥部办公室";
  doc.date = "2023-10-31";
  return doc;
}

std::string strip(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') out += c;
  return out;
}

class Pdf {
 public:
  explicit Pdf(const std::string& bytes) : data_(bytes) {
    bytes_ = g_bytes_new_static(data_.data(), data_.size());
    GError* error = nullptr;
    doc_ = poppler_document_new_from_bytes(bytes_, nullptr, &error);
    if (error) {
      message_ = error->message;
      g_error_free(error);
    }
  }
  ~Pdf() {
    if (doc_) g_object_unref(doc_);
    g_bytes_unref(bytes_);
  }
  bool ok() const { return doc_ != nullptr; }
  const std::string& message() const { return message_; }
  int pages() const { return poppler_document_get_n_pages(doc_); }
  std::string text(int page) const {
    PopplerPage* p = poppler_document_get_page(doc_, page);
    char* t = poppler_page_get_text(p);
    std::string out = t ? t : "";
    g_free(t);
    g_object_unref(p);
    return out;
  }
  // Page `page` as an RGB image on white.
  std::shared_ptr<cairo_surface_t> render(int page) const {
    PopplerPage* p = poppler_document_get_page(doc_, page);
    double w, h;
    poppler_page_get_size(p, &w, &h);
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, int(w * kScale), int(h * kScale));
    cairo_t* cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, kScale, kScale);
    poppler_page_render(p, cr);
    cairo_destroy(cr);
    g_object_unref(p);
    cairo_surface_flush(s);
    return {s, cairo_surface_destroy};
  }
  void size(int page, double& w, double& h) const {
    PopplerPage* p = poppler_document_get_page(doc_, page);
    poppler_page_get_size(p, &w, &h);
    g_object_unref(p);
  }

 private:
  std::string data_;
  GBytes* bytes_ = nullptr;
  PopplerDocument* doc_ = nullptr;
  std::string message_;
};

struct Counts {
  int red = 0, dark = 0, grey = 0, total = 0;
};
// Pixels in the rectangle [x0,x1) x [y0,y1) given in millimetres from the page's top-left corner.
Counts sampleArea(cairo_surface_t* s, double x0, double y0, double x1, double y1) {
  Counts c;
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  const int W = cairo_image_surface_get_width(s), H = cairo_image_surface_get_height(s);
  for (int y = std::max(0, int(px(y0))); y < std::min(H, int(px(y1))); ++y)
    for (int x = std::max(0, int(px(x0))); x < std::min(W, int(px(x1))); ++x) {
      const auto* p = reinterpret_cast<const std::uint32_t*>(data + y * stride) + x;
      const int r = (*p >> 16) & 0xFF, g = (*p >> 8) & 0xFF, b = *p & 0xFF;
      ++c.total;
      if (r > 180 && g < 90 && b < 90) ++c.red;
      else if (r < 90 && g < 90 && b < 90) ++c.dark;
      else if (r < 235 && std::abs(r - g) < 12 && std::abs(g - b) < 12) ++c.grey;
    }
  return c;
}

TEST(LetterPdf, HasTheNumberTitleRecipientAndDateAsText) {
  Pdf pdf(renderLetterPdf(sample()));
  ASSERT_TRUE(pdf.ok()) << pdf.message();
  double w, h;
  pdf.size(0, w, h);
  EXPECT_NEAR(w, 595.28, 0.5);  // A4
  EXPECT_NEAR(h, 841.89, 0.5);
  std::string all;
  for (int i = 0; i < pdf.pages(); ++i) all += strip(pdf.text(i));
  const std::string first = strip(pdf.text(0));
  EXPECT_NE(first.find("衡东县重点项目建设指挥部办公室"), std::string::npos);
  EXPECT_NE(first.find("衡重项督〔2023〕5号"), std::string::npos) << first;
  EXPECT_NE(first.find("关于园区厂房项目开工滞后的督办函"), std::string::npos);
  EXPECT_NE(first.find("县工业和信息化局："), std::string::npos);
  EXPECT_NE(all.find("2023年10月31日"), std::string::npos) << all;
  EXPECT_EQ(all.find("2023-10-31"), std::string::npos);
  EXPECT_EQ(all.find("草稿"), std::string::npos);
  EXPECT_EQ(pdf.pages(), 1);
  EXPECT_EQ(all.find("—1—"), std::string::npos);  // the letter format shows no number on the first page
}

TEST(LetterPdf, TheMarkAndRulesAreRedAndTheBodyIsBlack) {
  Pdf pdf(renderLetterPdf(sample()));
  ASSERT_TRUE(pdf.ok());
  auto page = pdf.render(0);
  // The mark: red from 30 mm down, centred; nothing above 29 mm.
  const Counts mark = sampleArea(page.get(), 28, 30, 182, 42);
  EXPECT_GT(mark.red, 2000);
  EXPECT_EQ(mark.dark, 0);
  EXPECT_EQ(sampleArea(page.get(), 0, 0, 210, 29).red, 0);
  // The double rule is 170 mm long, centred: red at 21 mm and 189 mm from the left, nothing at 19 or 191 mm.
  EXPECT_GT(sampleArea(page.get(), 20.5, 40, 21.5, 60).red, 4);
  EXPECT_GT(sampleArea(page.get(), 188.5, 40, 189.5, 60).red, 4);
  EXPECT_EQ(sampleArea(page.get(), 18.5, 40, 19.5, 60).red, 0);
  EXPECT_EQ(sampleArea(page.get(), 190.5, 40, 191.5, 60).red, 0);
  // The lower rule 20 mm above the page's bottom.
  EXPECT_GT(sampleArea(page.get(), 20.5, 297 - 22, 189.5, 297 - 19).red, 500);
  // The body: black text inside the 156 mm text area from 28 mm, nothing red, nothing left of 28 mm.
  const Counts body = sampleArea(page.get(), 28, 100, 184, 160);
  EXPECT_GT(body.dark, 3000);
  EXPECT_EQ(body.red, 0);
  EXPECT_EQ(sampleArea(page.get(), 0, 60, 27.5, 250).dark, 0);
  EXPECT_EQ(sampleArea(page.get(), 184.5, 60, 210, 250).dark, 0);
}

TEST(LetterPdf, FontsAreEmbedded) {
  const std::string bytes = renderLetterPdf(sample());
  EXPECT_EQ(bytes.rfind("%PDF-", 0), 0u);
  EXPECT_NE(bytes.find("/FontFile"), std::string::npos);  // FontFile2/FontFile3: the glyphs are in the file
  EXPECT_GT(bytes.size(), 5000u);
}

TEST(LetterPdf, ALongBodyFlowsOverPagesWithPageNumbers) {
  LetterDocument doc = sample();
  doc.paragraphs.clear();
  for (int i = 0; i < 40; ++i)
    doc.paragraphs.push_back("第" + std::to_string(i + 1) +
                             "段：请你单位高度重视，对照项目建设节点，倒排工期、挂图作战，逐项解决前期手续问题。");
  doc.copy_to = "县委办，县政府办";
  doc.contact = "李明，电话：0734-5222123";
  Pdf pdf(renderLetterPdf(doc));
  ASSERT_TRUE(pdf.ok());
  ASSERT_GE(pdf.pages(), 2);
  const int last = pdf.pages() - 1;
  EXPECT_EQ(strip(pdf.text(0)).find("—1—"), std::string::npos);
  EXPECT_NE(strip(pdf.text(1)).find("—2—"), std::string::npos) << pdf.text(1);
  EXPECT_NE(strip(pdf.text(last)).find("—" + std::to_string(last + 1) + "—"), std::string::npos);
  // Every paragraph is there, in order, and the signature, date, 联系人 and 抄送 end the last page.
  std::string all;
  for (int i = 0; i < pdf.pages(); ++i) all += strip(pdf.text(i));
  std::size_t at = 0;
  for (int i = 0; i < 40; ++i) {
    const std::size_t found = all.find("第" + std::to_string(i + 1) + "段", at);
    ASSERT_NE(found, std::string::npos) << i;
    at = found;
  }
  const std::string lastText = strip(pdf.text(last));
  EXPECT_NE(lastText.find("2023年10月31日"), std::string::npos);
  EXPECT_NE(lastText.find("抄送：县委办，县政府办。"), std::string::npos);
  EXPECT_NE(lastText.find("联系人：李明"), std::string::npos);
  // No body text below the text area (225 mm from 37 mm) on a full page.
  auto page = pdf.render(0);
  EXPECT_EQ(sampleArea(page.get(), 28, 262.5, 184, 270).dark, 0);
  // The text area holds 22 lines: page 2 has text near its top (37 mm) and near its bottom (262 mm).
  auto second = pdf.render(1);
  EXPECT_GT(sampleArea(second.get(), 28, 37, 184, 47).dark, 200);
  EXPECT_GT(sampleArea(second.get(), 28, 252, 184, 262).dark, 200);
}

TEST(LetterPdf, TheSealsPageAlwaysCarriesText) {
  // Find a body length whose signature does not fit under it, then check the last page has body text too.
  for (int n = 10; n < 40; ++n) {
    LetterDocument doc = sample();
    doc.paragraphs.assign(n, "请你单位高度重视，逐项解决前期手续问题，确保项目按期开工建设。");
    doc.paragraphs.back() = "末段文字。";
    Pdf pdf(renderLetterPdf(doc));
    ASSERT_TRUE(pdf.ok());
    const std::string last = strip(pdf.text(pdf.pages() - 1));
    ASSERT_NE(last.find("2023年10月31日"), std::string::npos) << n;
    EXPECT_NE(last.find("末段文字"), std::string::npos) << n << " paragraphs: the date's page has no body text";
  }
}

TEST(LetterPdf, ADraftIsMarkedAndUnnumbered) {
  LetterDocument doc = sample();
  doc.draft = true;  // a number given by mistake is not printed on a draft
  Pdf pdf(renderLetterPdf(doc));
  ASSERT_TRUE(pdf.ok());
  const std::string text = strip(pdf.text(0));
  EXPECT_NE(text.find("（草稿，未编号）"), std::string::npos) << text;
  EXPECT_EQ(text.find("衡重项督"), std::string::npos);
  // The watermark: light grey across the page's middle, where the issued letter has none.
  auto draftPage = pdf.render(0);
  Pdf issued(renderLetterPdf(sample()));
  auto issuedPage = issued.render(0);
  // The watermark: across the page's middle, paper that is white on the issued letter is grey on the draft, and
  // the text under it stays dark.
  int greyed = 0, inked = 0, textStillDark = 0;
  const int stride = cairo_image_surface_get_stride(draftPage.get());
  for (int y = int(px(90)); y < int(px(210)); ++y)
    for (int x = int(px(40)); x < int(px(170)); ++x) {
      auto at = [&](cairo_surface_t* s) {
        return *(reinterpret_cast<const std::uint32_t*>(cairo_image_surface_get_data(s) + y * stride) + x);
      };
      const std::uint32_t d = at(draftPage.get()), i = at(issuedPage.get());
      const int dr = (d >> 16) & 0xFF, dg = (d >> 8) & 0xFF, ir = (i >> 16) & 0xFF, ig = (i >> 8) & 0xFF;
      if (ir > 250 && ig > 250 && dr < 245 && dr > 180 && std::abs(dr - dg) < 8) ++greyed;
      if (ir < 60 && ig < 60) {
        ++inked;
        if (dr < 90) ++textStillDark;
      }
    }
  EXPECT_GT(greyed, 20000);
  EXPECT_GT(inked, 1000);
  EXPECT_GE(textStillDark, inked * 95 / 100);
}

TEST(LetterPdf, OddInputDoesNotBreakIt) {
  std::vector<LetterDocument> docs(5);
  docs[1].paragraphs = {std::string(10000 / 3, ' ')};
  std::string tenThousand;
  for (int i = 0; i < 10000; ++i) tenThousand += i % 97 == 96 ? "。" : "督";
  docs[1].paragraphs = {tenThousand};
  docs[1].title = tenThousand.substr(0, 3 * 300);
  docs[1].issuer = tenThousand.substr(0, 3 * 80);
  docs[2] = sample();
  docs[2].paragraphs = {"表情😀🚧✅ 生僻字𠀀𪚥𠮷 龘 彁 <&>\"' \x01\x02 bad \xFF\xFE\xC3 end", "", "\n\n"};
  docs[2].recipient = "😀";
  docs[2].date = "not a date";
  docs[3].date = "2023-13-45";
  docs[3].signature = std::string(400, 'W');
  docs[4] = sample();
  docs[4].copy_to = tenThousand.substr(0, 3 * 500);
  docs[4].contact = "联系人：王五";
  for (std::size_t i = 0; i < docs.size(); ++i) {
    Pdf pdf(renderLetterPdf(docs[i]));
    ASSERT_TRUE(pdf.ok()) << i << ": " << pdf.message();
    EXPECT_GE(pdf.pages(), 1);
    const std::string docx = renderLetterDocx(docs[i]);
    EXPECT_EQ(docx.rfind("PK", 0), 0u);
  }
  Pdf big(renderLetterPdf(docs[1]));
  EXPECT_GE(big.pages(), 15);  // 10,000 characters at 28 a line, 22 lines a page
  Pdf odd(renderLetterPdf(docs[2]));
  std::string all;
  for (int i = 0; i < odd.pages(); ++i) all += odd.text(i);
  EXPECT_NE(all.find("生僻字"), std::string::npos);
  EXPECT_NE(all.find("not a date"), std::string::npos);
}

// ---- DOCX

std::map<std::string, std::string> unzip(const std::string& bytes) {
  std::map<std::string, std::string> parts;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* za = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error) : nullptr;
  zip_error_fini(&error);
  if (!za) {
    if (src) zip_source_free(src);
    return parts;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(za, zip_uint64_t(i), 0, &st);
    std::string data(st.size, '\0');
    zip_file_t* f = zip_fopen_index(za, zip_uint64_t(i), 0);
    zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    parts[st.name] = data;
  }
  zip_discard(za);
  return parts;
}

struct Parsed {
  bool ok = false;
  std::string error;
  std::string text;  // the character data of every w:t
  std::vector<std::string> elements;
  std::map<std::string, std::map<std::string, std::string>> firstAttrs;  // the first element of each name
};

Parsed parseXml(const std::string& xml) {
  Parsed out;
  XML_Parser p = XML_ParserCreate("UTF-8");
  struct State {
    Parsed* out;
    bool inText = false;
  } state{&out};
  XML_SetUserData(p, &state);
  XML_SetElementHandler(
      p,
      [](void* d, const XML_Char* name, const XML_Char** attrs) {
        auto* s = static_cast<State*>(d);
        s->out->elements.push_back(name);
        s->inText = std::string(name) == "w:t";
        if (!s->out->firstAttrs.count(name)) {
          auto& m = s->out->firstAttrs[name];
          for (int i = 0; attrs[i]; i += 2) m[attrs[i]] = attrs[i + 1];
        }
      },
      [](void* d, const XML_Char*) { static_cast<State*>(d)->inText = false; });
  XML_SetCharacterDataHandler(p, [](void* d, const XML_Char* s, int len) {
    auto* st = static_cast<State*>(d);
    if (st->inText) st->out->text.append(s, len);
  });
  out.ok = XML_Parse(p, xml.data(), int(xml.size()), 1) == XML_STATUS_OK;
  if (!out.ok) out.error = XML_ErrorString(XML_GetErrorCode(p));
  XML_ParserFree(p);
  return out;
}

TEST(LetterDocx, IsAPackageWhosePartsAllParse) {
  const auto parts = unzip(renderLetterDocx(sample()));
  for (const char* name : {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
                           "word/styles.xml", "word/settings.xml", "word/fontTable.xml", "word/footer1.xml"})
    EXPECT_TRUE(parts.count(name)) << name;
  for (const auto& [name, xml] : parts) {
    const Parsed parsed = parseXml(xml);
    EXPECT_TRUE(parsed.ok) << name << ": " << parsed.error;
  }
  const Parsed doc = parseXml(parts.at("word/document.xml"));
  EXPECT_NE(doc.text.find("衡重项督〔2023〕5号"), std::string::npos);
  EXPECT_NE(doc.text.find("关于园区厂房项目开工滞后的督办函"), std::string::npos);
  EXPECT_NE(doc.text.find("县工业和信息化局："), std::string::npos);
  EXPECT_NE(doc.text.find("2023年10月31日"), std::string::npos);
  // A4 with the standard's margins, in twips.
  const auto& pg = doc.firstAttrs.at("w:pgSz");
  EXPECT_EQ(pg.at("w:w"), "11906");
  EXPECT_EQ(pg.at("w:h"), "16838");
  const auto& mar = doc.firstAttrs.at("w:pgMar");
  EXPECT_EQ(mar.at("w:top"), "2098");
  EXPECT_EQ(mar.at("w:left"), "1587");
  // The mark in red, the rule a red paragraph border, the fonts GB/T 9704 names.
  EXPECT_EQ(doc.firstAttrs.at("w:color").at("w:val"), "E60012");
  EXPECT_EQ(doc.firstAttrs.at("w:bottom").at("w:color"), "E60012");
  EXPECT_EQ(doc.firstAttrs.at("w:rFonts").at("w:eastAsia"), "方正小标宋简体");
  const std::string& xml = parts.at("word/document.xml");
  EXPECT_NE(xml.find("仿宋_GB2312"), std::string::npos);
  EXPECT_NE(parts.at("word/fontTable.xml").find("Noto Serif CJK SC"), std::string::npos);
}

TEST(LetterDocx, EscapesWhatXmlWouldMisread) {
  LetterDocument doc = sample();
  doc.title = "关于<b>“A&B”</b> \"引号\" 'x' 的函 ]]> &amp;";
  doc.paragraphs = {"正文 <w:p> & </w:body> \x01 \xFF end"};
  doc.recipient = "县<局>&";
  const auto parts = unzip(renderLetterDocx(doc));
  const Parsed parsed = parseXml(parts.at("word/document.xml"));
  ASSERT_TRUE(parsed.ok) << parsed.error;
  EXPECT_NE(parsed.text.find(doc.title), std::string::npos) << parsed.text;
  EXPECT_NE(parsed.text.find("正文 <w:p> & </w:body>"), std::string::npos);
  EXPECT_NE(parsed.text.find("县<局>&："), std::string::npos);
  EXPECT_EQ(std::count(parsed.elements.begin(), parsed.elements.end(), "w:body"), 1);
  EXPECT_TRUE(parseXml(parts.at("docProps/core.xml")).ok);
}

TEST(LetterDocx, ADraftHasNoNumber) {
  LetterDocument doc = sample();
  doc.draft = true;
  const Parsed parsed = parseXml(unzip(renderLetterDocx(doc)).at("word/document.xml"));
  EXPECT_NE(parsed.text.find("（草稿，未编号）"), std::string::npos);
  EXPECT_EQ(parsed.text.find("衡重项督"), std::string::npos);
}

}  // namespace
}  // namespace steward::office
