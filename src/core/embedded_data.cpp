#include "core/embedded_data.h"

#include <cstddef>

namespace steward::core {

struct EmbeddedDataFile {
  const char* name;
  const char* text;
  std::size_t size;
};
extern const EmbeddedDataFile kEmbeddedData[];
extern const std::size_t kEmbeddedDataCount;

std::string_view embeddedData(std::string_view name) {
  for (std::size_t i = 0; i < kEmbeddedDataCount; ++i)
    if (name == kEmbeddedData[i].name) return {kEmbeddedData[i].text, kEmbeddedData[i].size};
  return {};
}

std::vector<std::vector<std::string_view>> embeddedRecords(std::string_view name) {
  std::vector<std::vector<std::string_view>> out;
  auto text = embeddedData(name);
  while (!text.empty()) {
    auto nl = text.find('\n');
    auto line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> fields;
    while (true) {
      auto tab = line.find('\t');
      fields.push_back(line.substr(0, tab));
      if (tab == std::string_view::npos) break;
      line = line.substr(tab + 1);
    }
    out.push_back(std::move(fields));
  }
  return out;
}

}  // namespace steward::core
