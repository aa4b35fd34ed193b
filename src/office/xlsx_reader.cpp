// Over 600 lines on purpose: one streaming reader whose every part (zip entries, shared strings, styles, sheets)
// is parsed while it is inflated under one shared budget; split, the budget checks would scatter across files.
#include "office/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <cstdlib>
#include <exception>
#include <functional>
#include <map>
#include <optional>
#include <memory>

namespace steward::office {
namespace {

// Excel's own grid; parseCellRef refuses anything outside it.
constexpr int kExcelRows = 1048576, kExcelCols = 16384;
// Below this many inflated bytes an entry may compress as well as it likes (tiny repetitive parts do).
constexpr std::uint64_t kRatioFloorBytes = 1u << 20;
// Parts are inflated into a buffer that starts small and doubles up to 4 MiB: libexpat 2.5 rescans an unfinished
// token on every feed, so growing feeds keep a huge tag or comment from costing quadratic time.
constexpr std::size_t kFirstChunkBytes = 64u << 10, kMaxChunkBytes = 4u << 20;

const std::string kRelOfficeDocument = "/officeDocument";
const std::string kRelWorksheet = "/worksheet";
const std::string kRelSharedStrings = "/sharedStrings";
const std::string kRelStyles = "/styles";

std::string mib(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MB"; }

// What the whole read has spent so far, against its limits.
struct Budget {
  const ReadLimits& limits;
  std::uint64_t inflated = 0, elements = 0, cells = 0, textBytes = 0;

  void inflate(std::uint64_t n) {
    inflated += n;
    if (inflated > limits.inflatedBytes)
      throw XlsxError::overLimit("xlsx 文件解压后超过 " + mib(limits.inflatedBytes) + "，无法导入",
                                 "inflated_bytes", limits.inflatedBytes);
  }
  void element() {
    if (++elements > limits.xmlElements)
      throw XlsxError::overLimit("xlsx 文件的 XML 元素超过 " + std::to_string(limits.xmlElements) + " 个，无法导入",
                                 "xml_elements", limits.xmlElements);
  }
};

class ZipArchive {
 public:
  ZipArchive(const std::string& bytes, Budget& budget) : budget_(budget) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source != nullptr) {
      archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
      if (archive_ == nullptr) zip_source_free(source);
    }
    zip_error_fini(&error);
    if (archive_ == nullptr)
      throw XlsxError("文件不是有效的 xlsx 文件（无法作为 zip 打开），请在 Excel 中另存为 .xlsx 后重试");
    const zip_int64_t entries = zip_get_num_entries(archive_, 0);
    if (entries < 0 || std::uint64_t(entries) > budget_.limits.archiveEntries) {
      zip_discard(archive_);
      throw XlsxError::overLimit("xlsx 文件包含的条目超过 " + std::to_string(budget_.limits.archiveEntries) +
                                     " 个，无法导入",
                                 "archive_entries", budget_.limits.archiveEntries);
    }
  }
  ~ZipArchive() { zip_discard(archive_); }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // Streams the uncompressed part to `sink` in chunks, counting every byte against the budget; false when the
  // archive has no such entry. Sizes in the zip directory are checked first but never trusted.
  bool read(const std::string& name, const std::function<void(const char*, std::size_t)>& sink) const {
    const zip_int64_t index = zip_name_locate(archive_, name.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return false;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive_, zip_uint64_t(index), 0, &st) != 0)
      throw XlsxError("xlsx 文件已损坏（无法读取 " + name + "）");
    const ReadLimits& limits = budget_.limits;
    const std::uint64_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if ((st.valid & ZIP_STAT_SIZE) && st.size > limits.inflatedBytes - std::min(budget_.inflated, limits.inflatedBytes))
      throw XlsxError::overLimit("xlsx 文件解压后超过 " + mib(limits.inflatedBytes) + "（" + name + "），无法导入",
                                 "inflated_bytes", limits.inflatedBytes);
    auto overRatio = [&](std::uint64_t inflated) {
      return inflated > kRatioFloorBytes && inflated / std::max<std::uint64_t>(compressed, 1) > limits.compressionRatio;
    };
    if ((st.valid & ZIP_STAT_SIZE) && overRatio(st.size)) throw ratioError(name);
    zip_file_t* file = zip_fopen_index(archive_, zip_uint64_t(index), 0);
    if (file == nullptr) throw XlsxError("xlsx 文件已损坏（无法读取 " + name + "）");
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> closer(file, zip_fclose);
    std::string chunk(kFirstChunkBytes, '\0');
    std::uint64_t done = 0;
    for (;;) {
      const zip_int64_t n = zip_fread(file, chunk.data(), chunk.size());
      if (n < 0) throw XlsxError("xlsx 文件已损坏（" + name + " 解压失败）");
      if (n == 0) break;
      done += zip_uint64_t(n);
      budget_.inflate(zip_uint64_t(n));
      if (overRatio(done)) throw ratioError(name);
      sink(chunk.data(), std::size_t(n));
      if (chunk.size() < kMaxChunkBytes) chunk.resize(chunk.size() * 2);
    }
    return true;
  }

 private:
  XlsxError ratioError(const std::string& name) const {
    return XlsxError::overLimit("xlsx 文件中 " + name + " 的压缩率异常（超过 " +
                                    std::to_string(budget_.limits.compressionRatio) + " 倍），疑似压缩炸弹，无法导入",
                                "compression_ratio", budget_.limits.compressionRatio);
  }

  zip_t* archive_ = nullptr;
  Budget& budget_;
};

// Element and attribute names compared without their namespace prefix ("x:row" and "row" alike).
std::string_view localName(const char* name) {
  std::string_view n(name);
  const std::size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string_view attr(const char** attrs, std::string_view name) {
  for (int i = 0; attrs[i] != nullptr; i += 2)
    if (localName(attrs[i]) == name) return attrs[i + 1];
  return {};
}

// SAX callbacks for one part; `depth` is 1 for the root element.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void start(std::string_view name, const char** attrs, std::size_t depth) = 0;
  virtual void end(std::string_view name, std::size_t depth) = 0;
  virtual void text(const char*, std::size_t) {}
  // Where the parse is, for an error message ("单元格 B7"); empty when unknown.
  virtual std::string where() const { return {}; }
  // The cell being read ("B7"), if any.
  virtual std::string cell() const { return {}; }
};

// Parses one part as it is inflated: nothing but the handler's own state is held. DTDs are refused, so no
// entity can expand; an exception thrown by the handler stops the parser and is rethrown by parse().
class XmlStream {
 public:
  XmlStream(std::string part, std::string sheet, Budget& budget, XmlHandler& handler)
      : part_(std::move(part)), sheet_(std::move(sheet)), budget_(budget), handler_(handler) {
    parser_ = XML_ParserCreate(nullptr);
    if (parser_ == nullptr) throw std::bad_alloc();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &XmlStream::onStart, &XmlStream::onEnd);
    XML_SetCharacterDataHandler(parser_, &XmlStream::onText);
    XML_SetStartDoctypeDeclHandler(parser_, &XmlStream::onDoctype);
  }
  ~XmlStream() { XML_ParserFree(parser_); }
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  void feed(const char* data, std::size_t n, bool final) {
    // No tag, attribute value or run of text may contain a literal '<', so a long stretch without one is a
    // single huge token, which libexpat would rescan on every feed.
    const void* lt = memrchr(data, '<', n);
    sinceMarkup_ = lt != nullptr ? std::size_t(data + n - static_cast<const char*>(lt)) : sinceMarkup_ + n;
    if (sinceMarkup_ > budget_.limits.xmlTokenBytes)
      throw XlsxError::overLimit("xlsx 文件中 " + part_ + " 有超过 " + std::to_string(budget_.limits.xmlTokenBytes >> 10) +
                                     " KB 的单个 XML 标记或文本，无法导入",
                                 "xml_token_bytes", budget_.limits.xmlTokenBytes);
    if (XML_Parse(parser_, data, int(n), final ? 1 : 0) != XML_STATUS_OK) {
      if (failure_) std::rethrow_exception(failure_);
      std::string where = handler_.where();
      throw XlsxError("xlsx 文件已损坏（" + part_ + " 不是有效的 XML：第 " +
                          std::to_string(XML_GetCurrentLineNumber(parser_)) + " 行，" +
                          XML_ErrorString(XML_GetErrorCode(parser_)) + (where.empty() ? "" : "，位于" + where) + "）",
                      sheet_, handler_.cell());
    }
  }

 private:
  template <class F>
  static void guarded(void* self, F&& f) {
    auto* s = static_cast<XmlStream*>(self);
    if (s->failure_) return;
    try {
      f(*s);
    } catch (...) {
      s->failure_ = std::current_exception();
      XML_StopParser(s->parser_, XML_FALSE);
    }
  }
  static void XMLCALL onStart(void* self, const char* name, const char** attrs) {
    guarded(self, [&](XmlStream& s) {
      s.budget_.element();
      if (++s.depth_ > s.budget_.limits.xmlDepth)
        throw XlsxError::overLimit("xlsx 文件中 " + s.part_ + " 的 XML 嵌套超过 " +
                                       std::to_string(s.budget_.limits.xmlDepth) + " 层，无法导入",
                                   "xml_depth", s.budget_.limits.xmlDepth);
      s.handler_.start(localName(name), attrs, s.depth_);
    });
  }
  static void XMLCALL onEnd(void* self, const char* name) {
    guarded(self, [&](XmlStream& s) {
      s.handler_.end(localName(name), s.depth_);
      --s.depth_;
    });
  }
  static void XMLCALL onText(void* self, const char* text, int len) {
    guarded(self, [&](XmlStream& s) { s.handler_.text(text, std::size_t(len)); });
  }
  static void XMLCALL onDoctype(void* self, const char*, const char*, const char*, int) {
    guarded(self, [&](XmlStream& s) -> void {
      throw XlsxError("xlsx 文件已损坏（" + s.part_ + " 含有 DTD 声明）");
    });
  }

  std::string part_, sheet_;
  Budget& budget_;
  XmlHandler& handler_;
  XML_Parser parser_ = nullptr;
  std::size_t depth_ = 0, sinceMarkup_ = 0;
  std::exception_ptr failure_;
};

// Reads `part` through `handler`; false when the archive has no such part.
bool parsePart(const ZipArchive& zip, const std::string& part, Budget& budget, XmlHandler& handler,
               const std::string& sheet = {}) {
  XmlStream stream(part, sheet, budget, handler);
  if (!zip.read(part, [&](const char* data, std::size_t n) { stream.feed(data, n, false); })) return false;
  stream.feed("", 0, true);
  return true;
}

std::string directoryOf(const std::string& part) {
  const std::size_t slash = part.rfind('/');
  return slash == std::string::npos ? "" : part.substr(0, slash + 1);
}

// Resolves a relationship target against the directory of the part that owns it, folding "." and "..".
std::string resolvePath(const std::string& baseDir, std::string_view target) {
  std::string joined =
      target.starts_with('/') ? std::string(target.substr(1)) : baseDir + std::string(target);
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    const std::string segment = joined.substr(start, end - start);
    if (segment == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!segment.empty() && segment != ".") {
      parts.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

struct Relationship {
  std::string type;
  std::string target;  // resolved part name
};

class RelationshipsHandler : public XmlHandler {
 public:
  RelationshipsHandler(std::string dir, const ReadLimits& limits) : dir_(std::move(dir)), limits_(limits) {}
  void start(std::string_view name, const char** attrs, std::size_t depth) override {
    if (depth != 2 || name != "Relationship" || attr(attrs, "TargetMode") == "External") return;
    if (rels.size() >= limits_.archiveEntries)  // more relationships than parts cannot all be real
      throw XlsxError::overLimit("xlsx 文件的关系条目过多，无法导入", "archive_entries", limits_.archiveEntries);
    rels[std::string(attr(attrs, "Id"))] = {std::string(attr(attrs, "Type")), resolvePath(dir_, attr(attrs, "Target"))};
  }
  void end(std::string_view, std::size_t) override {}
  std::map<std::string, Relationship> rels;

 private:
  std::string dir_;
  const ReadLimits& limits_;
};

// Relationships of `part`, keyed by id; empty when the part has no .rels file.
std::map<std::string, Relationship> readRelationships(const ZipArchive& zip, const std::string& part,
                                                      Budget& budget) {
  const std::string dir = directoryOf(part);
  RelationshipsHandler handler(dir, budget.limits);
  parsePart(zip, dir + "_rels/" + part.substr(dir.size()) + ".rels", budget, handler);
  return std::move(handler.rels);
}

std::optional<std::string> findByType(const std::map<std::string, Relationship>& rels,
                                      const std::string& suffix) {
  for (const auto& [id, rel] : rels)
    if (rel.type.ends_with(suffix)) return rel.target;
  return std::nullopt;
}

void appendUtf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out.push_back(char(cp));
  } else if (cp < 0x800) {
    out.push_back(char(0xC0 | (cp >> 6)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(char(0xE0 | (cp >> 12)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (cp >> 18)));
    out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(char(0x80 | (cp & 0x3F)));
  }
}

// The code unit of an _xHHHH_ escape starting at s[i], or nullopt when there is none there.
std::optional<unsigned> escapeAt(std::string_view s, std::size_t i) {
  if (s.compare(i, 2, "_x") != 0 || i + 7 > s.size() || s[i + 6] != '_') return std::nullopt;
  unsigned cp = 0;
  for (std::size_t k = i + 2; k < i + 6; ++k) {
    const char c = s[k];
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    cp = cp * 16 + unsigned(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (std::tolower(c) - 'a' + 10));
  }
  return cp;
}

// Undoes the _xHHHH_ escapes Excel uses for control characters in strings. UTF-16 surrogate pairs are
// joined; a lone surrogate or a NUL has no place in text, so the result is nullopt.
std::optional<std::string> unescapeXString(std::string_view s) {
  if (s.find("_x") == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto cp = escapeAt(s, i);
    if (!cp) {
      out.push_back(s[i]);
      continue;
    }
    i += 6;
    if (*cp == 0 || (*cp >= 0xDC00 && *cp <= 0xDFFF)) return std::nullopt;
    if (*cp >= 0xD800 && *cp <= 0xDBFF) {
      const auto low = i + 1 < s.size() ? escapeAt(s, i + 1) : std::nullopt;
      if (!low || *low < 0xDC00 || *low > 0xDFFF) return std::nullopt;
      appendUtf8(out, 0x10000 + ((*cp - 0xD800) << 10) + (*low - 0xDC00));
      i += 7;
      continue;
    }
    appendUtf8(out, *cp);
  }
  return out;
}

// Number of code points when `s` is valid UTF-8 without NUL (no overlongs, no surrogates); nullopt otherwise.
std::optional<std::size_t> utf8Length(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    unsigned cp = 0;
    if (b == 0) return std::nullopt;
    if (b < 0x80) len = 1, cp = b;
    else if ((b & 0xE0) == 0xC0) len = 2, cp = b & 0x1F;
    else if ((b & 0xF0) == 0xE0) len = 3, cp = b & 0x0F;
    else if ((b & 0xF8) == 0xF0) len = 4, cp = b & 0x07;
    else return std::nullopt;
    if (i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr unsigned kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += len;
  }
  return count;
}

// Text of an <si> or <is> collected from <t> and rich-text <r><t>; phonetic hints <rPh> are not content.
// Texts are kept raw (escaped) and capped; the caller unescapes.
class StringItem {
 public:
  explicit StringItem(const ReadLimits& limits) : limits_(limits) {}
  // Called for elements below the item; `rel` is the depth below the <si>/<is> element (1 for its children).
  void start(std::string_view name, std::size_t rel) {
    if (rel == 1 && name == "rPh") inPhonetic_ = true;
    if (!inPhonetic_ && name == "t" && (rel == 1 || (rel == 2 && inRun_))) inText_ = true;
    if (rel == 1 && name == "r") inRun_ = true;
  }
  void end(std::string_view name, std::size_t rel) {
    if (name == "t") inText_ = false;
    if (rel == 1) inPhonetic_ = inRun_ = false;
  }
  // False when the text is over the per-cell cap (escapes can take up to seven bytes per character).
  bool text(const char* s, std::size_t n) {
    if (!inText_) return true;
    raw.append(s, n);
    return raw.size() <= limits_.cellChars * 7;
  }
  void clear() {
    raw.clear();
    inText_ = inRun_ = inPhonetic_ = false;
  }
  std::string raw;

 private:
  const ReadLimits& limits_;
  bool inText_ = false, inRun_ = false, inPhonetic_ = false;
};

XlsxError cellTooLong(const std::string& sheet, const std::string& cell, std::uint64_t max) {
  XlsxError e = XlsxError::overLimit(
      (sheet.empty() ? "" : "工作表“" + sheet + "”") + (cell.empty() ? "共享字符串" : "的单元格 " + cell) +
          "超过 " + std::to_string(max) + " 个字符（Excel 单元格的上限），无法导入",
      "cell_chars", max);
  e.sheet = sheet;
  e.cell = cell;
  return e;
}

// Shared strings stay raw (escaped) until a cell uses them, so a bad one is reported at the cell.
class SharedStringsHandler : public XmlHandler {
 public:
  explicit SharedStringsHandler(const ReadLimits& limits) : limits_(limits), item_(limits) {}
  void start(std::string_view name, const char**, std::size_t depth) override {
    if (depth == 2 && name == "si") {
      if (strings.size() >= limits_.sharedStrings)
        throw XlsxError::overLimit("xlsx 文件的共享字符串超过 " + std::to_string(limits_.sharedStrings) + " 个，无法导入",
                                   "shared_strings", limits_.sharedStrings);
      inItem_ = true;
      item_.clear();
    } else if (inItem_) {
      item_.start(name, depth - 2);
    }
  }
  void end(std::string_view name, std::size_t depth) override {
    if (depth == 2 && inItem_) {
      strings.push_back(std::move(item_.raw));
      item_.clear();
      inItem_ = false;
    } else if (inItem_) {
      item_.end(name, depth - 2);
    }
  }
  void text(const char* s, std::size_t n) override {
    if (inItem_ && !item_.text(s, n)) throw cellTooLong("", "", limits_.cellChars);
  }
  std::string where() const override { return "第 " + std::to_string(strings.size() + 1) + " 个共享字符串"; }
  std::vector<std::string> strings;

 private:
  const ReadLimits& limits_;
  StringItem item_;
  bool inItem_ = false;
};

// True when a number format code displays a date or time: y/m/d/h/s outside quotes, brackets and escapes.
bool isDateFormatCode(std::string_view code) {
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '"') {
      const std::size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
    } else if (c == '[') {
      const std::size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) return false;
      const std::string_view inside = code.substr(i + 1, close - i - 1);
      // Elapsed-time codes like [h] or [mm] are times; colours and locales ([Red], [$-804]) are not.
      if (!inside.empty() && std::all_of(inside.begin(), inside.end(), [](char x) {
            return x == 'h' || x == 'H' || x == 'm' || x == 'M' || x == 's' || x == 'S';
          }))
        return true;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal, a spacer or a fill
    } else if (std::string_view("yYmMdDhHsS").find(c) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

bool isBuiltinDateFormat(int id) {
  // 14-22 and 45-47 are the international date/time formats; 27-36 and 50-58 are the CJK ones (年月日).
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

int smallInt(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
    v = v * 10 + (c - '0');
    if (v > 100'000'000) return -1;
  }
  return s.empty() ? -1 : v;
}

// For each cell style index (the s attribute), whether its number format is a date.
class StylesHandler : public XmlHandler {
 public:
  explicit StylesHandler(const ReadLimits& limits) : limits_(limits) {}
  void start(std::string_view name, const char** attrs, std::size_t depth) override {
    if (depth == 2) section_ = name;
    if (depth != 3) return;
    if (section_ == "numFmts" && name == "numFmt") {
      if (formats_.size() >= limits_.styles) throw tooMany();
      formats_[smallInt(attr(attrs, "numFmtId"))] = std::string(attr(attrs, "formatCode"));
    } else if (section_ == "cellXfs" && name == "xf") {
      if (ids_.size() >= limits_.styles) throw tooMany();
      ids_.push_back(smallInt(attr(attrs, "numFmtId")));
    }
  }
  void end(std::string_view, std::size_t depth) override {
    if (depth == 2) section_.clear();
  }
  std::vector<bool> dateStyles() const {
    std::vector<bool> isDate;
    for (int id : ids_) {
      const auto custom = formats_.find(id);
      isDate.push_back(custom != formats_.end() ? isDateFormatCode(custom->second) : isBuiltinDateFormat(id));
    }
    return isDate;
  }

 private:
  XlsxError tooMany() const {
    return XlsxError::overLimit("xlsx 文件的单元格格式超过 " + std::to_string(limits_.styles) + " 个，无法导入",
                                "styles", limits_.styles);
  }
  const ReadLimits& limits_;
  std::string section_;
  std::map<int, std::string> formats_;
  std::vector<int> ids_;
};

struct SheetEntry {
  std::string name, id;
  bool hidden = false;
};

class WorkbookHandler : public XmlHandler {
 public:
  explicit WorkbookHandler(const ReadLimits& limits) : limits_(limits) {}
  void start(std::string_view name, const char** attrs, std::size_t depth) override {
    if (depth == 2) inSheets_ = name == "sheets";
    if (depth != 3 || !inSheets_ || name != "sheet") return;
    if (sheets.size() >= limits_.sheets)
      throw XlsxError::overLimit("工作簿中的工作表超过 " + std::to_string(limits_.sheets) + " 个，无法导入", "sheets",
                                 limits_.sheets);
    const std::string_view state = attr(attrs, "state");
    sheets.push_back({std::string(attr(attrs, "name")), std::string(attr(attrs, "id")),
                      !state.empty() && state != "visible"});
  }
  void end(std::string_view, std::size_t depth) override {
    if (depth == 2) inSheets_ = false;
  }
  std::vector<SheetEntry> sheets;

 private:
  const ReadLimits& limits_;
  bool inSheets_ = false;
};

bool parseRange(std::string_view ref, CellRange& range) {
  const std::size_t colon = ref.find(':');
  const std::string_view first = ref.substr(0, colon);
  const std::string_view last = colon == std::string_view::npos ? first : ref.substr(colon + 1);
  if (!parseCellRef(first, range.firstRow, range.firstCol) ||
      !parseCellRef(last, range.lastRow, range.lastCol))
    return false;
  if (range.firstRow > range.lastRow) std::swap(range.firstRow, range.lastRow);
  if (range.firstCol > range.lastCol) std::swap(range.firstCol, range.lastCol);
  return true;
}

struct SharedParts {
  std::vector<std::string> strings;  // raw, escaped
  std::vector<bool> dateStyles;
};

class WorksheetHandler : public XmlHandler {
 public:
  WorksheetHandler(Sheet& sheet, const SharedParts& shared, Budget& budget)
      : sheet_(sheet), shared_(shared), budget_(budget), limits_(budget.limits), item_(budget.limits) {}

  void start(std::string_view name, const char** attrs, std::size_t depth) override {
    if (depth == 2) section_ = name;
    if (section_ == "sheetData") {
      if (depth == 3 && name == "row") startRow(attrs);
      else if (depth == 4 && name == "c" && inRow_) startCell(attrs);
      else if (depth == 5 && inCell_) {
        inValue_ = name == "v";
        inInline_ = name == "is";
      } else if (depth > 5 && inInline_) {
        item_.start(name, depth - 5);
      }
    } else if (section_ == "mergeCells" && depth == 3 && name == "mergeCell") {
      if (sheet_.merged.size() >= limits_.mergedRanges)
        throw over("合并单元格超过 " + std::to_string(limits_.mergedRanges) + " 处", "merged_ranges",
                   limits_.mergedRanges);
      CellRange range;
      if (parseRange(attr(attrs, "ref"), range)) sheet_.merged.push_back(range);
    }
  }

  void end(std::string_view name, std::size_t depth) override {
    if (depth == 2) section_.clear();
    if (section_ != "sheetData") return;
    if (depth == 3) {
      inRow_ = false;
    } else if (depth == 4 && inCell_) {
      finishCell();
    } else if (depth == 5) {
      inValue_ = inInline_ = false;
    } else if (depth > 5 && inInline_) {
      item_.end(name, depth - 5);
    }
  }

  void text(const char* s, std::size_t n) override {
    if (inValue_) {
      value_.append(s, n);
      if (value_.size() > limits_.cellChars * 7) throw cellTooLong(sheet_.name, ref(), limits_.cellChars);
    } else if (inInline_ && !item_.text(s, n)) {
      throw cellTooLong(sheet_.name, ref(), limits_.cellChars);
    }
  }

  std::string where() const override {
    return inCell_ ? "单元格 " + ref() : "第 " + std::to_string(row_ + 1) + " 行";
  }
  std::string cell() const override { return inCell_ ? ref() : std::string(); }

 private:
  std::string ref() const { return columnLetter(col_) + std::to_string(row_ + 1); }

  XlsxError over(const std::string& what, std::string limit, std::uint64_t max) const {
    XlsxError e = XlsxError::overLimit("工作表“" + sheet_.name + "”" + what + "，无法导入", std::move(limit), max);
    e.sheet = sheet_.name;
    return e;
  }
  XlsxError invalid(const std::string& what) const {
    return XlsxError("工作表“" + sheet_.name + "”的单元格 " + ref() + what, sheet_.name, ref());
  }

  void startRow(const char** attrs) {
    inRow_ = true;
    row_ = nextRow_;
    if (const std::string_view r = attr(attrs, "r"); !r.empty()) {
      const int n = smallInt(r.size() > 8 ? std::string_view("x") : r);
      if (n < 1 || n > kExcelRows)
        throw XlsxError("xlsx 文件已损坏（" + sheet_.name + " 的行号 " + std::string(r.substr(0, 16)) + " 无效）",
                        sheet_.name);
      row_ = n - 1;
    }
    nextRow_ = row_ + 1;
    nextCol_ = 0;
  }

  void startCell(const char** attrs) {
    inCell_ = true;
    row_ = nextRow_ - 1;
    col_ = nextCol_;
    if (const std::string_view r = attr(attrs, "r"); !r.empty() && !parseCellRef(r, row_, col_))
      throw XlsxError("xlsx 文件已损坏（" + sheet_.name + " 的单元格引用 " + std::string(r.substr(0, 16)) + " 无效）",
                      sheet_.name);
    nextCol_ = col_ + 1;
    type_ = attr(attrs, "t");
    style_ = attr(attrs, "s");
    value_.clear();
    item_.clear();
  }

  std::string decode(std::string_view raw) const {
    const auto text = unescapeXString(raw);
    if (!text) throw invalid("含有无效字符（不成对的 _xD800_ 类转义或空字符），请删除后重新导入");
    const auto length = utf8Length(*text);
    if (!length) throw invalid("含有无效的字符编码（不是 UTF-8），请删除后重新导入");
    if (*length > limits_.cellChars) throw cellTooLong(sheet_.name, ref(), limits_.cellChars);
    return *text;
  }

  void finishCell() {
    inCell_ = inValue_ = inInline_ = false;
    Cell cell;
    if (type_ == "s") {
      const int index = smallInt(value_);
      if (index < 0 || std::size_t(index) >= shared_.strings.size())
        throw XlsxError("xlsx 文件已损坏（" + sheet_.name + " 引用了不存在的共享字符串）", sheet_.name, ref());
      cell.text = decode(shared_.strings[std::size_t(index)]);
    } else if (type_ == "inlineStr") {
      cell.text = decode(item_.raw);
    } else if (type_ == "b") {
      cell.text = value_ == "1" ? "TRUE" : "FALSE";
    } else if (type_ == "str" || type_ == "e") {
      cell.text = decode(value_);  // formula string result or an error such as #N/A
    } else if (type_ == "d") {
      cell.text = decode(value_);  // ISO 8601 date cell (strict OOXML)
      cell.isDateFormatted = true;
    } else {
      cell.text = decode(value_);  // kept verbatim: "12345.67" must not pass through double
      cell.isNumber = !cell.text.empty();
      const int style = smallInt(style_);
      cell.isDateFormatted =
          cell.isNumber && style >= 0 && std::size_t(style) < shared_.dateStyles.size() && shared_.dateStyles[std::size_t(style)];
    }
    if (cell.text.empty()) return;
    if (std::uint64_t(row_) >= limits_.rows)
      throw over("超过 " + std::to_string(limits_.rows) + " 行（单元格 " + ref() + "）", "rows", limits_.rows);
    if (std::uint64_t(col_) >= limits_.columns)
      throw over("超过 " + std::to_string(limits_.columns) + " 列（单元格 " + ref() + "）", "columns", limits_.columns);
    budget_.textBytes += cell.text.size();
    if (budget_.textBytes > limits_.cellTextBytes)
      throw XlsxError::overLimit("xlsx 文件的单元格文字合计超过 " + mib(limits_.cellTextBytes) + "，无法导入",
                                 "cell_text_bytes", limits_.cellTextBytes);
    if (std::size_t(row_) >= sheet_.rows.size()) {
      budget_.cells += std::size_t(row_) + 1 - sheet_.rows.size();  // an empty row costs about one cell
      checkCells();
      sheet_.rows.resize(std::size_t(row_) + 1);
    }
    auto& cellsInRow = sheet_.rows[std::size_t(row_)];
    if (std::size_t(col_) >= cellsInRow.size()) {
      budget_.cells += std::size_t(col_) + 1 - cellsInRow.size();
      checkCells();
      cellsInRow.resize(std::size_t(col_) + 1);
    }
    cellsInRow[std::size_t(col_)] = std::move(cell);
  }

  void checkCells() const {
    if (budget_.cells > limits_.cells)
      throw XlsxError::overLimit("xlsx 文件的单元格超过 " + std::to_string(limits_.cells) + " 个，无法导入", "cells",
                                 limits_.cells);
  }

  Sheet& sheet_;
  const SharedParts& shared_;
  Budget& budget_;
  const ReadLimits& limits_;
  StringItem item_;
  std::string section_, type_, style_, value_;
  int row_ = 0, col_ = 0, nextRow_ = 0, nextCol_ = 0;
  bool inRow_ = false, inCell_ = false, inValue_ = false, inInline_ = false;
};

bool looksLikeLegacyXls(const std::string& bytes) {
  return bytes.size() >= 8 && bytes.compare(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
}

}  // namespace

const Cell& Sheet::at(int row, int col) const {
  static const Cell kEmpty;
  if (row < 0 || col < 0 || std::size_t(row) >= rows.size()) return kEmpty;
  const auto& r = rows[std::size_t(row)];
  return std::size_t(col) < r.size() ? r[std::size_t(col)] : kEmpty;
}

std::string columnLetter(int col) {
  std::string letters;
  for (int n = col + 1; n > 0; n = (n - 1) / 26) letters.insert(letters.begin(), char('A' + (n - 1) % 26));
  return letters;
}

bool parseCellRef(std::string_view ref, int& row, int& col) {
  std::size_t i = 0;
  long c = 0, r = 0;
  if (i < ref.size() && ref[i] == '$') ++i;
  const std::size_t lettersStart = i;
  for (; i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i])); ++i) {
    c = c * 26 + (std::toupper(static_cast<unsigned char>(ref[i])) - 'A' + 1);
    if (c > kExcelCols) return false;
  }
  if (i == lettersStart) return false;
  if (i < ref.size() && ref[i] == '$') ++i;
  const std::size_t digitsStart = i;
  for (; i < ref.size() && std::isdigit(static_cast<unsigned char>(ref[i])); ++i) {
    r = r * 10 + (ref[i] - '0');
    if (r > kExcelRows) return false;
  }
  if (i == digitsStart || i != ref.size() || r == 0) return false;
  row = int(r - 1);
  col = int(c - 1);
  return true;
}

Workbook readXlsx(const std::string& bytes, const ReadLimits& limits) {
  if (bytes.empty()) throw XlsxError("文件为空，不是有效的 xlsx 文件");
  if (looksLikeLegacyXls(bytes)) throw XlsxError("这是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入");
  Budget budget{limits};
  const ZipArchive zip(bytes, budget);

  const auto packageRels = readRelationships(zip, "", budget);
  const std::string workbookPart = findByType(packageRels, kRelOfficeDocument).value_or("xl/workbook.xml");
  WorkbookHandler workbookHandler(limits);
  if (!parsePart(zip, workbookPart, budget, workbookHandler))
    throw XlsxError("文件不是 Excel 工作簿（缺少 " + workbookPart + "）");
  const auto rels = readRelationships(zip, workbookPart, budget);

  const std::string dir = directoryOf(workbookPart);
  SharedParts shared;
  SharedStringsHandler stringsHandler(limits);
  parsePart(zip, findByType(rels, kRelSharedStrings).value_or(dir + "sharedStrings.xml"), budget, stringsHandler);
  shared.strings = std::move(stringsHandler.strings);
  StylesHandler stylesHandler(limits);
  parsePart(zip, findByType(rels, kRelStyles).value_or(dir + "styles.xml"), budget, stylesHandler);
  shared.dateStyles = stylesHandler.dateStyles();

  Workbook workbook;
  for (const SheetEntry& entry : workbookHandler.sheets) {
    const auto rel = rels.find(entry.id);
    if (rel == rels.end() || !rel->second.type.ends_with(kRelWorksheet)) continue;  // chart and dialog sheets
    Sheet sheet;
    sheet.name = entry.name;
    sheet.hidden = entry.hidden;
    WorksheetHandler handler(sheet, shared, budget);
    if (!parsePart(zip, rel->second.target, budget, handler, sheet.name))
      throw XlsxError("xlsx 文件已损坏（缺少工作表“" + sheet.name + "”）", sheet.name);
    workbook.sheets.push_back(std::move(sheet));
  }
  if (workbook.sheets.empty()) throw XlsxError("工作簿中没有工作表");
  return workbook;
}

}  // namespace steward::office
