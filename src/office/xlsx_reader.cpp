#include "office/xlsx_reader.h"

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <pugixml.hpp>

namespace steward::office {
namespace {

// Bounds that keep a hostile file (zip bomb, a lone cell at XFD1048576) from exhausting memory.
constexpr zip_uint64_t kMaxPartBytes = 256u << 20;
constexpr std::size_t kMaxCells = 5'000'000;
constexpr int kMaxRows = 1048576, kMaxCols = 16384;

const std::string kRelOfficeDocument = "/officeDocument";
const std::string kRelWorksheet = "/worksheet";
const std::string kRelSharedStrings = "/sharedStrings";
const std::string kRelStyles = "/styles";

class ZipArchive {
 public:
  explicit ZipArchive(const std::string& bytes) {
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
  }
  ~ZipArchive() { zip_discard(archive_); }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // The uncompressed part, or nullopt when the archive has no such entry.
  std::optional<std::string> read(const std::string& name) const {
    const zip_int64_t index = zip_name_locate(archive_, name.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return std::nullopt;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive_, zip_uint64_t(index), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
      throw XlsxError("xlsx 文件已损坏（无法读取 " + name + "）");
    if (st.size > kMaxPartBytes) throw XlsxError("xlsx 文件过大（" + name + " 解压后超过 256 MB）");
    zip_file_t* file = zip_fopen_index(archive_, zip_uint64_t(index), 0);
    if (file == nullptr) throw XlsxError("xlsx 文件已损坏（无法读取 " + name + "）");
    std::string data(st.size, '\0');
    zip_uint64_t done = 0;
    while (done < st.size) {
      const zip_int64_t n = zip_fread(file, data.data() + done, st.size - done);
      if (n <= 0) break;
      done += zip_uint64_t(n);
    }
    zip_fclose(file);
    if (done != st.size) throw XlsxError("xlsx 文件已损坏（" + name + " 解压失败）");
    return data;
  }

 private:
  zip_t* archive_ = nullptr;
};

// Element and attribute names compared without their namespace prefix ("x:row" and "row" alike).
std::string_view localName(const char* name) {
  std::string_view n(name);
  const std::size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node c : node.children())
    if (c.type() == pugi::node_element && localName(c.name()) == name) return c;
  return {};
}

template <class F>
void forEachChild(pugi::xml_node node, std::string_view name, F&& f) {
  for (pugi::xml_node c : node.children())
    if (c.type() == pugi::node_element && localName(c.name()) == name) f(c);
}

std::string_view attr(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_attribute a : node.attributes())
    if (localName(a.name()) == name) return a.value();
  return {};
}

pugi::xml_document parseXml(const std::string& data, const std::string& part) {
  pugi::xml_document doc;
  // Keep whitespace-only text such as <t xml:space="preserve"> </t>.
  const auto result =
      doc.load_buffer(data.data(), data.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
  if (!result) throw XlsxError("xlsx 文件已损坏（" + part + " 不是有效的 XML）");
  return doc;
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

// Relationships of `part`, keyed by id; empty when the part has no .rels file.
std::map<std::string, Relationship> readRelationships(const ZipArchive& zip, const std::string& part) {
  const std::string dir = directoryOf(part);
  const std::string relsName = dir + "_rels/" + part.substr(dir.size()) + ".rels";
  std::map<std::string, Relationship> rels;
  const auto data = zip.read(relsName);
  if (!data) return rels;
  const pugi::xml_document doc = parseXml(*data, relsName);
  forEachChild(child(doc, "Relationships"), "Relationship", [&](pugi::xml_node r) {
    if (attr(r, "TargetMode") == "External") return;
    rels[std::string(attr(r, "Id"))] = {std::string(attr(r, "Type")), resolvePath(dir, attr(r, "Target"))};
  });
  return rels;
}

std::optional<std::string> findByType(const std::map<std::string, Relationship>& rels,
                                      const std::string& suffix) {
  for (const auto& [id, rel] : rels)
    if (rel.type.ends_with(suffix)) return rel.target;
  return std::nullopt;
}

// Undoes the _xHHHH_ escapes Excel uses for control characters in strings.
std::string unescapeXString(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 2, "_x") == 0 && i + 7 <= s.size() && s[i + 6] == '_' &&
        std::all_of(s.begin() + long(i) + 2, s.begin() + long(i) + 6,
                    [](char c) { return std::isxdigit(c); })) {
      const unsigned cp = unsigned(std::strtoul(s.substr(i + 2, 4).c_str(), nullptr, 16));
      if (cp < 0x80) {
        out.push_back(char(cp));
      } else if (cp < 0x800) {
        out.push_back(char(0xC0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3F)));
      } else {
        out.push_back(char(0xE0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
      }
      i += 6;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Text of an <si> or <is>: plain <t>, or rich-text runs <r><t>; phonetic hints <rPh> are not content.
std::string stringItemText(pugi::xml_node item) {
  std::string text;
  for (pugi::xml_node c : item.children()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view name = localName(c.name());
    if (name == "t") {
      text += c.text().get();
    } else if (name == "r") {
      text += child(c, "t").text().get();
    }
  }
  return unescapeXString(std::move(text));
}

std::vector<std::string> readSharedStrings(const ZipArchive& zip, const std::optional<std::string>& part) {
  std::vector<std::string> strings;
  if (!part) return strings;
  const auto data = zip.read(*part);
  if (!data) return strings;
  const pugi::xml_document doc = parseXml(*data, *part);
  forEachChild(child(doc, "sst"), "si", [&](pugi::xml_node si) { strings.push_back(stringItemText(si)); });
  return strings;
}

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

// For each cell style index (the s attribute), whether its number format is a date.
std::vector<bool> readDateStyles(const ZipArchive& zip, const std::optional<std::string>& part) {
  std::vector<bool> isDate;
  if (!part) return isDate;
  const auto data = zip.read(*part);
  if (!data) return isDate;
  const pugi::xml_document doc = parseXml(*data, *part);
  const pugi::xml_node styleSheet = child(doc, "styleSheet");
  std::map<int, std::string> customFormats;
  forEachChild(child(styleSheet, "numFmts"), "numFmt", [&](pugi::xml_node f) {
    customFormats[std::atoi(std::string(attr(f, "numFmtId")).c_str())] = std::string(attr(f, "formatCode"));
  });
  forEachChild(child(styleSheet, "cellXfs"), "xf", [&](pugi::xml_node xf) {
    const int id = std::atoi(std::string(attr(xf, "numFmtId")).c_str());
    const auto custom = customFormats.find(id);
    isDate.push_back(custom != customFormats.end() ? isDateFormatCode(custom->second)
                                                   : isBuiltinDateFormat(id));
  });
  return isDate;
}

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
  std::vector<std::string> strings;
  std::vector<bool> dateStyles;
};

void readWorksheet(const std::string& data, const std::string& part, const SharedParts& shared,
                   Sheet& sheet) {
  const pugi::xml_document doc = parseXml(data, part);
  const pugi::xml_node worksheet = child(doc, "worksheet");
  std::size_t cells = 0;
  int nextRow = 0;
  forEachChild(child(worksheet, "sheetData"), "row", [&](pugi::xml_node rowNode) {
    int row = nextRow;
    if (const std::string_view r = attr(rowNode, "r"); !r.empty())
      row = std::atoi(std::string(r).c_str()) - 1;
    if (row < 0 || row >= kMaxRows) throw XlsxError("xlsx 文件已损坏（" + sheet.name + " 的行号无效）");
    nextRow = row + 1;
    int nextCol = 0;
    forEachChild(rowNode, "c", [&](pugi::xml_node c) {
      int r = row, col = nextCol;
      if (const std::string_view ref = attr(c, "r"); !ref.empty() && !parseCellRef(ref, r, col))
        throw XlsxError("xlsx 文件已损坏（" + sheet.name + " 的单元格引用 " + std::string(ref) + " 无效）");
      nextCol = col + 1;
      const std::string_view type = attr(c, "t");
      const std::string value = child(c, "v").text().get();
      Cell cell;
      if (type == "s") {
        char* end = nullptr;
        const unsigned long index = std::strtoul(value.c_str(), &end, 10);
        if (value.empty() || *end != '\0' || index >= shared.strings.size())
          throw XlsxError("xlsx 文件已损坏（" + sheet.name + " 引用了不存在的共享字符串）");
        cell.text = shared.strings[index];
      } else if (type == "inlineStr") {
        cell.text = stringItemText(child(c, "is"));
      } else if (type == "b") {
        cell.text = value == "1" ? "TRUE" : "FALSE";
      } else if (type == "str" || type == "e") {
        cell.text = unescapeXString(value);  // formula string result or an error such as #N/A
      } else if (type == "d") {
        cell.text = value;  // ISO 8601 date cell (strict OOXML)
        cell.isDateFormatted = true;
      } else {
        cell.text = value;  // kept verbatim: "12345.67" must not pass through double
        cell.isNumber = !value.empty();
        const std::size_t style = std::strtoul(std::string(attr(c, "s")).c_str(), nullptr, 10);
        cell.isDateFormatted = cell.isNumber && style < shared.dateStyles.size() && shared.dateStyles[style];
      }
      if (cell.text.empty()) return;
      if (std::size_t(r) >= sheet.rows.size()) sheet.rows.resize(std::size_t(r) + 1);
      auto& cellsInRow = sheet.rows[std::size_t(r)];
      if (std::size_t(col) >= cellsInRow.size()) {
        cells += std::size_t(col) + 1 - cellsInRow.size();
        if (cells > kMaxCells) throw XlsxError("工作表“" + sheet.name + "”过大，超过 500 万个单元格");
        cellsInRow.resize(std::size_t(col) + 1);
      }
      cellsInRow[std::size_t(col)] = std::move(cell);
    });
  });
  forEachChild(child(worksheet, "mergeCells"), "mergeCell", [&](pugi::xml_node m) {
    CellRange range;
    if (parseRange(attr(m, "ref"), range)) sheet.merged.push_back(range);
  });
}

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
    if (c > kMaxCols) return false;
  }
  if (i == lettersStart) return false;
  if (i < ref.size() && ref[i] == '$') ++i;
  const std::size_t digitsStart = i;
  for (; i < ref.size() && std::isdigit(static_cast<unsigned char>(ref[i])); ++i) {
    r = r * 10 + (ref[i] - '0');
    if (r > kMaxRows) return false;
  }
  if (i == digitsStart || i != ref.size() || r == 0) return false;
  row = int(r - 1);
  col = int(c - 1);
  return true;
}

Workbook readXlsx(const std::string& bytes) {
  if (bytes.empty()) throw XlsxError("文件为空，不是有效的 xlsx 文件");
  if (looksLikeLegacyXls(bytes)) throw XlsxError("这是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入");
  const ZipArchive zip(bytes);

  const auto packageRels = readRelationships(zip, "");
  const std::string workbookPart = findByType(packageRels, kRelOfficeDocument).value_or("xl/workbook.xml");
  const auto workbookData = zip.read(workbookPart);
  if (!workbookData) throw XlsxError("文件不是 Excel 工作簿（缺少 " + workbookPart + "）");
  const pugi::xml_document workbookDoc = parseXml(*workbookData, workbookPart);
  const auto rels = readRelationships(zip, workbookPart);

  const std::string dir = directoryOf(workbookPart);
  SharedParts shared;
  shared.strings =
      readSharedStrings(zip, findByType(rels, kRelSharedStrings).value_or(dir + "sharedStrings.xml"));
  shared.dateStyles = readDateStyles(zip, findByType(rels, kRelStyles).value_or(dir + "styles.xml"));

  Workbook workbook;
  forEachChild(child(child(workbookDoc, "workbook"), "sheets"), "sheet", [&](pugi::xml_node s) {
    const auto rel = rels.find(std::string(attr(s, "id")));
    if (rel == rels.end() || !rel->second.type.ends_with(kRelWorksheet)) return;  // chart and dialog sheets
    Sheet sheet;
    sheet.name = attr(s, "name");
    sheet.hidden = !attr(s, "state").empty() && attr(s, "state") != "visible";
    const auto data = zip.read(rel->second.target);
    if (!data) throw XlsxError("xlsx 文件已损坏（缺少工作表“" + sheet.name + "”）");
    readWorksheet(*data, rel->second.target, shared, sheet);
    workbook.sheets.push_back(std::move(sheet));
  });
  if (workbook.sheets.empty()) throw XlsxError("工作簿中没有工作表");
  return workbook;
}

}  // namespace steward::office
