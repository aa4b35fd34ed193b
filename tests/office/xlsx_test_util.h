// Helpers for office tests: workbooks built directly with libxlsxwriter or libzip, kept in memory.
#pragma once
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace steward::office::testing {

class TempPath {
 public:
  TempPath() {
    path_ = (std::filesystem::temp_directory_path() / "steward-office-test-XXXXXX").string();
    const int fd = mkstemp(path_.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
  }
  ~TempPath() { std::remove(path_.c_str()); }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return path_; }
  std::string read() const {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

 private:
  std::string path_;
};

// A libxlsxwriter workbook whose bytes are taken with finish().
class LxwBook {
 public:
  explicit LxwBook(bool constantMemory = false) {
    lxw_workbook_options options{};
    options.constant_memory = constantMemory ? LXW_TRUE : LXW_FALSE;
    wb_ = workbook_new_opt(file_.path().c_str(), &options);
    if (wb_ == nullptr) throw std::runtime_error("workbook_new failed");
  }
  ~LxwBook() {
    if (wb_ != nullptr) workbook_close(wb_);
  }
  lxw_workbook* get() { return wb_; }
  lxw_worksheet* sheet(const char* name) { return workbook_add_worksheet(wb_, name); }
  lxw_format* numFormat(const char* code) {
    lxw_format* f = workbook_add_format(wb_);
    format_set_num_format(f, code);
    return f;
  }
  std::string finish() {
    if (workbook_close(wb_) != LXW_NO_ERROR) throw std::runtime_error("workbook_close failed");
    wb_ = nullptr;
    return file_.read();
  }

 private:
  TempPath file_;
  lxw_workbook* wb_ = nullptr;
};

// A zip archive holding exactly the given (name, content) entries.
inline std::string buildZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  TempPath file;
  int error = 0;
  zip_t* za = zip_open(file.path().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (za == nullptr) throw std::runtime_error("zip_open failed");
  for (const auto& [name, content] : entries) {
    zip_source_t* src = zip_source_buffer(za, content.data(), content.size(), 0);
    if (src == nullptr || zip_file_add(za, name.c_str(), src, ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(src);
      zip_discard(za);
      throw std::runtime_error("zip_file_add failed");
    }
  }
  if (zip_close(za) != 0) throw std::runtime_error("zip_close failed");
  return file.read();
}

}  // namespace steward::office::testing
