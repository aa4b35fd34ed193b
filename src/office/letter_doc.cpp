// Letters as official documents in the GB/T 9704-2012 letter format (信函格式, §10.1), as PDF (cairo + pango,
// fonts embedded by cairo) and as DOCX (WordprocessingML written with libzip).
//
// Fonts. GB/T 9704 names 方正小标宋 for the title and the issuing office's mark, 仿宋_GB2312 for the text and 宋体
// for page numbers; none of them is free. Each role asks fontconfig for the proprietary family first (a county
// that has it installed gets it) and falls back to the free Noto CJK families (Debian: fonts-noto-cjk):
//   方正小标宋简体 (FZXiaoBiaoSong-B05S)  -> Noto Serif CJK SC Bold
//   仿宋_GB2312 (FangSong_GB2312)          -> FangSong -> Noto Serif CJK SC Regular
//   宋体 (SimSun)                           -> Noto Serif CJK SC Regular
// and, last, fontconfig's generic "serif". The DOCX names the proprietary fonts and gives the free ones as
// alternates in its font table, so Word or LibreOffice uses what the machine has.
//
// Layout of the PDF (A4, all distances from the standard):
//   版心 (text area) 156 x 225 mm, top margin 37 mm, left margin 28 mm; 22 lines of 28 characters in 3号 (16 pt),
//   so the line pitch is 225 mm / 22 and the characters are set 0.22 pt tighter than their 16 pt width.
//   First page: the mark centred, its top 30 mm from the page's top, red; 4 mm below it a red double rule (thick
//   above thin), 170 mm long, centred; 20 mm above the page's bottom a second one (thin above thick); the number
//   flush right under the first rule (7/8 of a 3号 character below it); the title two lines lower, 2号 (22 pt),
//   centred; a blank line; the recipient flush left with "："; the body with a two-character first-line indent,
//   flowing over as many pages as it needs.
//   Then the signature centred over the date, the date 4 characters from the right edge, and the seal's place (a
//   faint dashed circle, 42 mm) over them; 联系人 and 抄送 at the foot of the last page's text area.
//   Page numbers "— 2 —" in 4号 (14 pt) 7 mm below the text area, odd pages right, even left, each one character
//   in; the letter format shows none on the first page, so a one-page letter has none.
//   A draft prints "（草稿，未编号）" instead of the number and a faint "草稿" across every page.
#include "office/letter_doc.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>

namespace steward::office {
namespace {

// ---------------------------------------------------------------------------------------------------------------
// Text hygiene shared by both renderers: valid UTF-8, no control characters but tab and newline, nothing XML 1.0
// cannot hold. Bad bytes become U+FFFD.
std::string cleanText(const std::string& in, bool keepNewlines) {
  std::string out;
  out.reserve(in.size());
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  std::size_t i = 0;
  auto bad = [&] { out += "\xEF\xBF\xBD"; };
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      if (c == '\n' || c == '\t') out += keepNewlines || c == '\t' ? char(c) : ' ';
      else if (c == '\r') {
      } else if (c < 0x20 || c == 0x7F) {
        out += ' ';
      } else {
        out += char(c);
      }
      ++i;
      continue;
    }
    int len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
    if (len == 0 || i + len > n) {
      bad();
      ++i;
      continue;
    }
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (ok && len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    if (ok && len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ok = false;
    if (ok && (cp == 0xFFFE || cp == 0xFFFF || (cp >= 0x80 && cp < 0xA0))) ok = false;
    if (!ok) {
      bad();
      ++i;
      continue;
    }
    out.append(in, i, len);
    i += len;
  }
  return out;
}

// "2023-10-31" -> "2023年10月31日" (GB/T 9704 §7.3.5.1: Arabic numerals, the year in full, no leading zeros).
std::string chineseDate(const std::string& iso) {
  if (iso.size() >= 10 && iso[4] == '-' && iso[7] == '-') {
    auto digits = [&](std::size_t from, std::size_t len) {
      for (std::size_t k = from; k < from + len; ++k)
        if (iso[k] < '0' || iso[k] > '9') return false;
      return true;
    };
    if (digits(0, 4) && digits(5, 2) && digits(8, 2)) {
      const int m = std::stoi(iso.substr(5, 2)), d = std::stoi(iso.substr(8, 2));
      if (m >= 1 && m <= 12 && d >= 1 && d <= 31)
        return iso.substr(0, 4) + "年" + std::to_string(m) + "月" + std::to_string(d) + "日";
    }
  }
  return cleanText(iso, false);
}

std::string numberLine(const LetterDocument& doc) {
  return doc.draft ? std::string("（草稿，未编号）") : cleanText(doc.number, false);
}

std::string contactLine(const LetterDocument& doc) {
  const std::string c = cleanText(doc.contact, false);
  if (c.empty()) return c;
  return c.rfind("联系人", 0) == 0 ? "（" + c + "）" : "（联系人：" + c + "）";
}

std::string copyToLine(const LetterDocument& doc) {
  std::string c = cleanText(doc.copy_to, false);
  if (c.empty()) return c;
  if (c.rfind("抄送", 0) != 0) c = "抄送：" + c;
  const std::string stop = "。";
  if (c.size() < stop.size() || c.compare(c.size() - stop.size(), stop.size(), stop) != 0) c += stop;
  return c;
}

std::vector<std::string> bodyParagraphs(const LetterDocument& doc) {
  std::vector<std::string> out;
  for (const auto& p : doc.paragraphs) {
    const std::string clean = cleanText(p, true);
    std::size_t start = 0;
    while (start <= clean.size()) {
      const std::size_t nl = clean.find('\n', start);
      std::string part = clean.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (!part.empty()) out.push_back(std::move(part));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// PDF

constexpr double kMm = 72.0 / 25.4;
constexpr double kPageW = 210 * kMm, kPageH = 297 * kMm;
constexpr double kLeft = 28 * kMm, kTop = 37 * kMm, kTextW = 156 * kMm, kTextH = 225 * kMm;
constexpr double kBottom = kTop + kTextH;
constexpr double kPitch = kTextH / 22;  // 28.99 pt: 22 lines in the text area
constexpr double kBodyPt = 16;          // 3号
constexpr double kTitlePt = 22;         // 2号
constexpr double kSmallPt = 14;         // 4号
constexpr double kBodyTracking = -0.22; // 28 characters of 16 pt in 156 mm
constexpr double kRed[3] = {0xE6 / 255.0, 0x00 / 255.0, 0x12 / 255.0};

const char* const kMarkFamilies = "FZXiaoBiaoSong-B05S, 方正小标宋简体, Noto Serif CJK SC, Noto Serif CJK, serif";
const char* const kBodyFamilies = "FangSong_GB2312, 仿宋_GB2312, FangSong, 仿宋, Noto Serif CJK SC, Noto Serif CJK, serif";
const char* const kSongFamilies = "SimSun, 宋体, Noto Serif CJK SC, Noto Serif CJK, serif";

struct Font {
  const char* families;
  double size;
  bool bold;
};
const Font kMarkFont{kMarkFamilies, 30, true};
const Font kTitleFont{kMarkFamilies, kTitlePt, true};
const Font kBodyFont{kBodyFamilies, kBodyPt, false};
const Font kSmallFont{kBodyFamilies, kSmallPt, false};
const Font kPageNoFont{kSongFamilies, kSmallPt, false};

template <class T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
void unrefObject(PangoLayout* p) { g_object_unref(p); }
using LayoutPtr = std::unique_ptr<PangoLayout, Deleter<PangoLayout, unrefObject>>;

cairo_status_t appendBytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

class PdfWriter {
 public:
  // `breakAt`: the body line (0-based) that starts a new page, or -1 to fill pages.
  // `dry`: lay out onto a recording surface only (no PDF, so no font subsetting), to learn where things fall.
  PdfWriter(const LetterDocument& doc, int breakAt, bool dry = false) : doc_(doc), breakAt_(breakAt) {
    surface_ = dry ? cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nullptr)
                   : cairo_pdf_surface_create_for_stream(appendBytes, &bytes_, kPageW, kPageH);
    cr_ = cairo_create(surface_);
    if (cairo_status(cr_) != CAIRO_STATUS_SUCCESS) {
      cleanup();
      throw std::runtime_error("letter PDF: cannot create the cairo surface");
    }
    const std::string title = cleanText(doc.title, false);
    if (!dry) {
      cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, title.c_str());
      cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "Steward");
    }
    context_ = pango_cairo_create_context(cr_);
    // Outlines as drawn, no hinting: the PDF is scaled by whoever views it.
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context_, options);
    cairo_font_options_destroy(options);
    PangoLanguage* zh = pango_language_from_string("zh-cn");
    pango_context_set_language(context_, zh);
  }
  ~PdfWriter() { cleanup(); }
  PdfWriter(const PdfWriter&) = delete;
  PdfWriter& operator=(const PdfWriter&) = delete;

  std::string render() {
    startPage();
    firstPageHead();
    const std::string recipient = cleanText(doc_.recipient, false);
    counting_ = true;
    if (!recipient.empty()) flow(recipient + "：", kBodyFont, PANGO_ALIGN_LEFT, 0, kBodyTracking);
    for (const auto& p : bodyParagraphs(doc_)) flow(p, kBodyFont, PANGO_ALIGN_LEFT, 2, kBodyTracking);
    counting_ = false;
    signatureBlock();
    foot();
    finishPage();
    cairo_surface_finish(surface_);
    if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS)
      throw std::runtime_error(std::string("letter PDF: ") + cairo_status_to_string(cairo_surface_status(surface_)));
    return std::move(bytes_);
  }
  // Whether the signature and date had to start a page of their own, and how many body lines there were.
  bool signatureAlone() const { return signatureAlone_; }
  int bodyLines() const { return bodyLines_; }

 private:
  void cleanup() {
    if (context_) g_object_unref(context_);
    if (cr_) cairo_destroy(cr_);
    if (surface_) cairo_surface_destroy(surface_);
    context_ = nullptr;
    cr_ = nullptr;
    surface_ = nullptr;
  }

  LayoutPtr layout(const std::string& text, const Font& font, PangoAlignment align, double width, int indentChars,
                   double tracking) {
    LayoutPtr l(pango_layout_new(context_));
    PangoFontDescription* desc = pango_font_description_from_string(font.families);
    pango_font_description_set_absolute_size(desc, font.size * PANGO_SCALE);
    pango_font_description_set_weight(desc, font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l.get(), desc);
    pango_font_description_free(desc);
    if (width > 0) {
      pango_layout_set_width(l.get(), int(width * PANGO_SCALE));
      pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l.get(), align);
    if (indentChars) pango_layout_set_indent(l.get(), int(indentChars * (font.size + tracking) * PANGO_SCALE));
    if (tracking != 0) {
      PangoAttrList* attrs = pango_attr_list_new();
      pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(int(tracking * PANGO_SCALE)));
      pango_layout_set_attributes(l.get(), attrs);
      pango_attr_list_unref(attrs);
    }
    pango_layout_set_text(l.get(), text.c_str(), int(text.size()));
    return l;
  }

  void setRed() { cairo_set_source_rgb(cr_, kRed[0], kRed[1], kRed[2]); }
  void setBlack() { cairo_set_source_rgb(cr_, 0, 0, 0); }

  void startPage() {
    y_ = kTop;
  }

  void finishPage() {
    if (page_ > 1) pageNumber();
    if (doc_.draft) watermark();  // over the text, translucent: the text stays black enough to read
    cairo_show_page(cr_);
  }

  void newPage() {
    finishPage();
    ++page_;
    startPage();
  }

  void watermark() {
    auto l = layout("草稿", Font{kMarkFamilies, 170, true}, PANGO_ALIGN_LEFT, 0, 0, 30);
    PangoRectangle ink;
    pango_layout_get_extents(l.get(), &ink, nullptr);
    cairo_save(cr_);
    cairo_translate(cr_, kPageW / 2, kPageH / 2);
    cairo_rotate(cr_, -M_PI / 6);
    cairo_set_source_rgba(cr_, 0.5, 0.5, 0.5, 0.14);
    // The ink's centre on the page's centre.
    cairo_move_to(cr_, -double(ink.x + ink.width / 2) / PANGO_SCALE, -double(ink.y + ink.height / 2) / PANGO_SCALE);
    pango_cairo_show_layout(cr_, l.get());
    cairo_restore(cr_);
  }

  // A red double rule, 170 mm long and centred; `thickFirst` puts the thick line above.
  void doubleRule(double top, bool thickFirst) {
    const double thick = 2.0, thin = 0.75, gap = 1.5;
    const double x0 = (kPageW - 170 * kMm) / 2, x1 = x0 + 170 * kMm;
    setRed();
    const double w1 = thickFirst ? thick : thin, w2 = thickFirst ? thin : thick;
    cairo_rectangle(cr_, x0, top, x1 - x0, w1);
    cairo_rectangle(cr_, x0, top + w1 + gap, x1 - x0, w2);
    cairo_fill(cr_);
  }

  void firstPageHead() {
    // The mark: as large as fits in 150 mm, up to 30 pt, its ink's top 30 mm from the page's top.
    double markBottom = 30 * kMm + 30;
    const std::string issuer = cleanText(doc_.issuer, false);
    if (!issuer.empty()) {
      Font f = kMarkFont;
      LayoutPtr l = layout(issuer, f, PANGO_ALIGN_LEFT, 0, 0, 2);
      PangoRectangle ink, logical;
      pango_layout_get_extents(l.get(), &ink, &logical);
      double width = double(logical.width) / PANGO_SCALE;
      if (width > 150 * kMm) {
        f.size = std::max(10.0, f.size * 150 * kMm / width);
        l = layout(issuer, f, PANGO_ALIGN_LEFT, 150 * kMm, 0, 1);
        pango_layout_get_extents(l.get(), &ink, &logical);
        width = std::min(150 * kMm, double(logical.width) / PANGO_SCALE);
      }
      const double inkTop = double(ink.y) / PANGO_SCALE, inkBottom = double(ink.y + ink.height) / PANGO_SCALE;
      const double top = 30 * kMm - inkTop;
      setRed();
      cairo_move_to(cr_, (kPageW - width) / 2, top);
      pango_cairo_show_layout(cr_, l.get());
      markBottom = top + inkBottom;
    }
    const double ruleTop = markBottom + 4 * kMm;
    doubleRule(ruleTop, true);
    doubleRule(kPageH - 20 * kMm - 4.25, false);
    setBlack();

    // The number, flush right, its characters' top 7/8 of a 3号 character below the rule.
    const double ruleBottom = ruleTop + 4.25;
    y_ = ruleBottom + kBodyPt * 7 / 8;
    const std::string number = numberLine(doc_);
    double baseline = y_ + kBodyPt * 0.88;
    if (!number.empty()) {
      LayoutPtr l = layout(number, kBodyFont, PANGO_ALIGN_RIGHT, kTextW, 0, 0);
      PangoRectangle ink, logical;
      pango_layout_get_extents(l.get(), &ink, &logical);
      // Put the top of a full-height character (the em box's top, 0.88 em above the baseline) at y_.
      const double base = double(pango_layout_get_baseline(l.get())) / PANGO_SCALE;
      cairo_move_to(cr_, kLeft, y_ + kBodyPt * 0.88 - base);
      pango_cairo_show_layout(cr_, l.get());
      baseline = y_ + kBodyPt * 0.88;
    }
    // The title two lines below the number; the body grid continues from the title.
    y_ = baseline + kPitch * 1.2;
    const std::string title = cleanText(doc_.title, false);
    if (!title.empty()) {
      LayoutPtr l = layout(title, kTitleFont, PANGO_ALIGN_CENTER, kTextW - 2 * kBodyPt, 0, 0);
      PangoLayoutIter* it = pango_layout_get_iter(l.get());
      const double titlePitch = kTitlePt * 1.5;
      do {
        PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, nullptr, &logical);
        const double base = y_ + (titlePitch + kTitlePt * 0.76) / 2;
        cairo_move_to(cr_, kLeft + kBodyPt + double(logical.x) / PANGO_SCALE, base);
        pango_cairo_show_layout_line(cr_, line);
        y_ += titlePitch;
      } while (pango_layout_iter_next_line(it));
      pango_layout_iter_free(it);
      y_ += kPitch;  // one blank line before the recipient
    }
  }

  // Sets `text` line by line on the body grid, starting a new page whenever the text area is full.
  void flow(const std::string& text, const Font& font, PangoAlignment align, int indentChars, double tracking,
            double indentLeft = 0, double indentRight = 0) {
    LayoutPtr l = layout(text, font, align, kTextW - indentLeft - indentRight, indentChars, tracking);
    pango_layout_set_justify(l.get(), align == PANGO_ALIGN_LEFT);
    PangoLayoutIter* it = pango_layout_get_iter(l.get());
    do {
      if (y_ + kPitch > kBottom + 0.5 || (counting_ && bodyLines_ == breakAt_)) newPage();
      if (counting_) ++bodyLines_;
      PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      const double base = y_ + (kPitch + font.size * 0.76) / 2;  // the em box centred in the line's slot
      setBlack();
      cairo_move_to(cr_, kLeft + indentLeft + double(logical.x) / PANGO_SCALE, base);
      pango_cairo_show_layout_line(cr_, line);
      y_ += kPitch;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
  }

  double textWidth(const std::string& text, const Font& font, double tracking) {
    LayoutPtr l = layout(text, font, PANGO_ALIGN_LEFT, 0, 0, tracking);
    PangoRectangle logical;
    pango_layout_get_extents(l.get(), nullptr, &logical);
    return double(logical.width) / PANGO_SCALE;
  }

  void textAt(const std::string& text, const Font& font, double x, double slotTop, double tracking) {
    LayoutPtr l = layout(text, font, PANGO_ALIGN_LEFT, 0, 0, tracking);
    PangoLayoutLine* line = pango_layout_get_line_readonly(l.get(), 0);
    cairo_move_to(cr_, x, slotTop + (kPitch + font.size * 0.76) / 2);
    pango_cairo_show_layout_line(cr_, line);
  }

  // 发文机关署名 centred over 成文日期, the date four characters in from the right; the seal's place over both,
  // its top within a line of the text above (GB/T 9704 §7.3.5.1).
  void signatureBlock() {
    const std::string date = chineseDate(doc_.date);
    const std::string signature = cleanText(doc_.signature, false);
    if (date.empty() && signature.empty()) return;
    const int lines = (signature.empty() ? 0 : 1) + (date.empty() ? 0 : 1);
    if (y_ + (2 + lines) * kPitch > kBottom + 0.5) {
      signatureAlone_ = true;
      newPage();
    }
    y_ += 2 * kPitch;
    const double dateRight = kLeft + kTextW - 4 * (kBodyPt + kBodyTracking);
    const double dateWidth = date.empty() ? 0 : textWidth(date, kBodyFont, kBodyTracking);
    const double dateCentre = dateRight - dateWidth / 2;
    const double sigTop = y_;
    if (!signature.empty()) {
      const double w = textWidth(signature, kBodyFont, kBodyTracking);
      double x = date.empty() ? dateRight - w : dateCentre - w / 2;
      x = std::clamp(x, kLeft, std::max(kLeft, kLeft + kTextW - w));
      setBlack();
      textAt(signature, kBodyFont, x, y_, kBodyTracking);
      y_ += kPitch;
    }
    if (!date.empty()) {
      setBlack();
      textAt(date, kBodyFont, std::max(kLeft, dateRight - dateWidth), y_, kBodyTracking);
      y_ += kPitch;
    }
    sealPlace(date.empty() ? dateRight - 21 * kMm : dateCentre, sigTop + kPitch * 0.55);
  }

  void sealPlace(double cx, double cy) {
    cairo_save(cr_);
    const double dash[] = {3.0, 3.0};
    cairo_set_dash(cr_, dash, 2, 0);
    cairo_set_line_width(cr_, 0.6);
    cairo_set_source_rgba(cr_, kRed[0], kRed[1], kRed[2], 0.45);
    cairo_new_path(cr_);
    cairo_arc(cr_, cx, cy, 21 * kMm, 0, 2 * M_PI);
    cairo_stroke(cr_);
    const Font label{kSongFamilies, 9, false};
    LayoutPtr l = layout("印章位置", label, PANGO_ALIGN_LEFT, 0, 0, 1);
    PangoRectangle logical;
    pango_layout_get_extents(l.get(), nullptr, &logical);
    cairo_move_to(cr_, cx - double(logical.width) / PANGO_SCALE / 2, cy - 21 * kMm + 8);
    pango_cairo_show_layout(cr_, l.get());
    cairo_restore(cr_);
  }

  // 联系人 and 抄送 at the foot of the last page's text area (版记 of the letter format: no rules).
  void foot() {
    const std::string contact = contactLine(doc_);
    const std::string copyTo = copyToLine(doc_);
    if (contact.empty() && copyTo.empty()) return;
    auto linesOf = [&](const std::string& text, const Font& f, double inset) {
      if (text.empty()) return 0;
      LayoutPtr l = layout(text, f, PANGO_ALIGN_LEFT, kTextW - 2 * inset, 0, 0);
      return pango_layout_get_line_count(l.get());
    };
    const int n = linesOf(contact, kSmallFont, kSmallPt) + linesOf(copyTo, kSmallFont, kSmallPt);
    const double need = n * kPitch;
    if (y_ + kPitch + need > kBottom + 0.5) newPage();
    y_ = kBottom - need;
    if (!contact.empty()) flow(contact, kSmallFont, PANGO_ALIGN_LEFT, 0, 0, kSmallPt, kSmallPt);
    if (!copyTo.empty()) flow(copyTo, kSmallFont, PANGO_ALIGN_LEFT, 0, 0, kSmallPt, kSmallPt);
  }

  // "— 2 —" in 4号 宋体, 7 mm below the text area; odd pages right, even pages left, one character in.
  void pageNumber() {
    const std::string text = "— " + std::to_string(page_) + " —";
    LayoutPtr l = layout(text, kPageNoFont, PANGO_ALIGN_LEFT, 0, 0, 0);
    PangoRectangle logical;
    pango_layout_get_extents(l.get(), nullptr, &logical);
    const double w = double(logical.width) / PANGO_SCALE;
    const double x = page_ % 2 ? kLeft + kTextW - kSmallPt - w : kLeft + kSmallPt;
    const double base = double(pango_layout_get_baseline(l.get())) / PANGO_SCALE;
    setBlack();
    cairo_move_to(cr_, x, kBottom + 7 * kMm + kSmallPt * 0.88 - base);
    pango_cairo_show_layout(cr_, l.get());
  }

  const LetterDocument& doc_;
  std::string bytes_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  PangoContext* context_ = nullptr;
  int page_ = 1;
  double y_ = kTop;
  int breakAt_ = -1;
  bool counting_ = false;
  int bodyLines_ = 0;
  bool signatureAlone_ = false;
};

// ---------------------------------------------------------------------------------------------------------------
// DOCX

std::string xmlEscape(const std::string& raw) {
  const std::string s = cleanText(raw, false);
  std::string out;
  out.reserve(s.size() + 16);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

// Twips (1/20 pt): 1 mm = 56.69 twips.
int twips(double mm) { return int(std::lround(mm * 1440 / 25.4)); }

// Approximate width of a line in 3号 characters (a CJK character 1, ASCII 1/2), to centre the signature.
double charWidth(const std::string& s) {
  double w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += c < 0x80 ? 0.5 : 1.0;
    i += len;
  }
  return w;
}

const char* const kXiaoBiaoSong = "方正小标宋简体";
const char* const kFangSong = "仿宋_GB2312";

std::string runProps(const char* font, int halfPoints, bool bold, const char* colour) {
  std::string r = "<w:rPr><w:rFonts w:ascii=\"" + std::string(font) + "\" w:hAnsi=\"" + font + "\" w:eastAsia=\"" +
                  font + "\" w:cs=\"" + font + "\"/>";
  if (bold) r += "<w:b/><w:bCs/>";
  if (colour) r += "<w:color w:val=\"" + std::string(colour) + "\"/>";
  r += "<w:sz w:val=\"" + std::to_string(halfPoints) + "\"/><w:szCs w:val=\"" + std::to_string(halfPoints) + "\"/>";
  return r + "</w:rPr>";
}

struct Para {
  std::string props;  // inside <w:pPr>
  std::string runProps;
  std::string text;
};

std::string paragraph(const Para& p) {
  std::string out = "<w:p><w:pPr>" + p.props + p.runProps + "</w:pPr>";
  if (!p.text.empty()) out += "<w:r>" + p.runProps + "<w:t xml:space=\"preserve\">" + xmlEscape(p.text) + "</w:t></w:r>";
  return out + "</w:p>";
}

constexpr int kLineTwips = 580;  // 225 mm / 22 lines, exact

std::string documentXml(const LetterDocument& doc) {
  const std::string body = runProps(kFangSong, 32, false, nullptr);
  const std::string exact = "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"" + std::to_string(kLineTwips) +
                            "\" w:lineRule=\"exact\"/>";
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>";
  // The mark in red, centred, with the red double rule (thick above thin) as its bottom border, 4 mm below it.
  x += paragraph({"<w:jc w:val=\"center\"/><w:spacing w:before=\"0\" w:after=\"0\"/>"
                  "<w:pBdr><w:bottom w:val=\"thickThinSmallGap\" w:sz=\"24\" w:space=\"11\" w:color=\"E60012\"/></w:pBdr>",
                  runProps(kXiaoBiaoSong, 60, false, "E60012"), doc.issuer});
  // The number flush right under the rule.
  x += paragraph({"<w:jc w:val=\"right\"/><w:spacing w:before=\"280\" w:after=\"0\" w:line=\"" +
                      std::to_string(kLineTwips) + "\" w:lineRule=\"exact\"/>",
                  body, numberLine(doc)});
  x += paragraph({exact, body, ""});
  // The title, 2号, centred, two lines below the number.
  x += paragraph({"<w:jc w:val=\"center\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"660\" w:lineRule=\"exact\"/>",
                  runProps(kXiaoBiaoSong, 44, false, nullptr), doc.title});
  x += paragraph({exact, body, ""});
  if (!doc.recipient.empty()) x += paragraph({"<w:jc w:val=\"both\"/>" + exact, body, doc.recipient + "："});
  for (const auto& p : bodyParagraphs(doc))
    x += paragraph({"<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:jc w:val=\"both\"/>" + exact, body, p});
  // Signature centred over the date; the date four characters in from the right.
  const std::string date = chineseDate(doc.date);
  const std::string signature = cleanText(doc.signature, false);
  if (!date.empty() || !signature.empty()) {
    x += paragraph({exact, body, ""});
    x += paragraph({exact, body, ""});
    const double dateRight = 4, dateW = charWidth(date);
    if (!signature.empty()) {
      const double right = std::max(0.0, dateRight + (dateW - charWidth(signature)) / 2);
      x += paragraph({"<w:jc w:val=\"right\"/><w:ind w:right=\"" + std::to_string(int(right * 320)) + "\"/>" + exact,
                      body, signature});
    }
    if (!date.empty())
      x += paragraph({"<w:jc w:val=\"right\"/><w:ind w:right=\"" + std::to_string(int(dateRight * 320)) + "\"/>" + exact,
                      body, date});
  }
  const std::string small = runProps(kFangSong, 28, false, nullptr);
  const std::string contact = contactLine(doc), copyTo = copyToLine(doc);
  if (!contact.empty() || !copyTo.empty()) x += paragraph({exact, body, ""});
  if (!contact.empty())
    x += paragraph({"<w:ind w:left=\"280\" w:right=\"280\"/>" + exact, small, contact});
  if (!copyTo.empty())
    x += paragraph({"<w:ind w:left=\"280\" w:right=\"280\"/>" + exact, small, copyTo});
  // A4; margins top 37, bottom 35, left 28, right 26 mm; 22 lines a page; page numbers from the second page.
  x += "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId3\"/>"
       "<w:pgSz w:w=\"" + std::to_string(twips(210)) + "\" w:h=\"" + std::to_string(twips(297)) + "\"/>"
       "<w:pgMar w:top=\"" + std::to_string(twips(37)) + "\" w:right=\"" + std::to_string(twips(26)) +
       "\" w:bottom=\"" + std::to_string(twips(35)) + "\" w:left=\"" + std::to_string(twips(28)) +
       "\" w:header=\"851\" w:footer=\"" + std::to_string(twips(35 - 7 - 5)) + "\" w:gutter=\"0\"/>"
       "<w:titlePg/><w:docGrid w:type=\"lines\" w:linePitch=\"" + std::to_string(kLineTwips) + "\"/></w:sectPr>";
  return x + "</w:body></w:document>";
}

std::string footerXml() {
  const std::string r = runProps("宋体", 28, false, nullptr);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
         "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
         "<w:r>" + r + "<w:t xml:space=\"preserve\">— </w:t></w:r>"
         "<w:r>" + r + "<w:fldChar w:fldCharType=\"begin\"/></w:r>"
         "<w:r>" + r + "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
         "<w:r>" + r + "<w:fldChar w:fldCharType=\"separate\"/></w:r>"
         "<w:r>" + r + "<w:t>2</w:t></w:r>"
         "<w:r>" + r + "<w:fldChar w:fldCharType=\"end\"/></w:r>"
         "<w:r>" + r + "<w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>";
}

const char* const kContentTypes =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/settings.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
    "<Override PartName=\"/word/fontTable.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>"
    "<Override PartName=\"/word/footer1.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" "
    "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "</Types>";

const char* const kRootRels =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" "
    "Target=\"docProps/core.xml\"/>"
    "</Relationships>";

const char* const kDocumentRels =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    "Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" "
    "Target=\"settings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" "
    "Target=\"footer1.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" "
    "Target=\"fontTable.xml\"/>"
    "</Relationships>";

std::string stylesXml() {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
         "<w:docDefaults><w:rPrDefault>" + runProps(kFangSong, 32, false, nullptr) +
         "</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"" +
         std::to_string(kLineTwips) + "\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault></w:docDefaults>"
         "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
         "<w:pPr><w:jc w:val=\"both\"/></w:pPr></w:style></w:styles>";
}

const char* const kSettings =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>"
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" "
    "w:val=\"15\"/></w:compat></w:settings>";

// The proprietary faces GB/T 9704 names, with the free ones a machine is likely to have as alternates.
const char* const kFontTable =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"Noto Serif CJK SC\"/><w:charset w:val=\"86\"/>"
    "<w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>"
    "<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/><w:charset w:val=\"86\"/>"
    "<w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>"
    "<w:font w:name=\"宋体\"><w:altName w:val=\"SimSun\"/><w:charset w:val=\"86\"/>"
    "<w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>"
    "</w:fonts>";

std::string coreXml(const LetterDocument& doc) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>" + xmlEscape(doc.title) +
         "</dc:title><dc:creator>Steward</dc:creator></cp:coreProperties>";
}

std::string zipParts(const std::vector<std::pair<std::string, std::string>>& parts) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!source) {
    zip_error_fini(&error);
    throw std::runtime_error("letter DOCX: cannot create the zip buffer");
  }
  zip_t* archive = zip_open_from_source(source, ZIP_TRUNCATE, &error);
  zip_error_fini(&error);
  if (!archive) {
    zip_source_free(source);
    throw std::runtime_error("letter DOCX: cannot open the zip buffer");
  }
  zip_source_keep(source);
  for (const auto& [name, data] : parts) {
    zip_source_t* part = zip_source_buffer(archive, data.data(), data.size(), 0);
    if (!part || zip_file_add(archive, name.c_str(), part, ZIP_FL_ENC_UTF_8) < 0) {
      if (part) zip_source_free(part);
      zip_discard(archive);
      zip_source_free(source);
      throw std::runtime_error("letter DOCX: cannot add " + name);
    }
  }
  if (zip_close(archive) != 0) {
    zip_discard(archive);
    zip_source_free(source);
    throw std::runtime_error("letter DOCX: cannot write the zip");
  }
  std::string out;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(source, &st) == 0 && zip_source_open(source) == 0) {
    out.resize(st.size);
    const zip_int64_t n = zip_source_read(source, out.data(), st.size);
    zip_source_close(source);
    if (n < 0) out.clear();
    else out.resize(std::size_t(n));
  }
  zip_source_free(source);
  if (out.empty()) throw std::runtime_error("letter DOCX: cannot read the zip back");
  return out;
}

}  // namespace

std::string renderLetterPdf(const LetterDocument& doc) {
  // The page with the seal must carry text (GB/T 9704 §7.3.5.4): when the signature and date do not fit under the
  // body, the body's last two lines go over with them. A dry run (shaping only; embedding the CJK fonts' subsets is
  // what costs) tells.
  PdfWriter dry(doc, -1, true);
  dry.render();
  const int breakAt = dry.signatureAlone() && dry.bodyLines() >= 2 ? dry.bodyLines() - 2 : -1;
  return PdfWriter(doc, breakAt).render();
}

std::string renderLetterDocx(const LetterDocument& doc) {
  return zipParts({{"[Content_Types].xml", kContentTypes},
                   {"_rels/.rels", kRootRels},
                   {"docProps/core.xml", coreXml(doc)},
                   {"word/document.xml", documentXml(doc)},
                   {"word/_rels/document.xml.rels", kDocumentRels},
                   {"word/styles.xml", stylesXml()},
                   {"word/settings.xml", kSettings},
                   {"word/fontTable.xml", kFontTable},
                   {"word/footer1.xml", footerXml()}});
}

}  // namespace steward::office
