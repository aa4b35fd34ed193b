// Reference data compiled into the binary from src/core/data/*.tsv (cmake/embed_files.cmake): the national
// region list, the table that infers a unit's kind from its name, common short forms of unit names.
// Each file is UTF-8 text, one record a line, fields separated by tabs, '#' lines are comments.
#pragma once
#include <string_view>
#include <vector>

namespace steward::core {

// The text of the embedded file `name` ("regions.tsv"); empty when there is no such file.
std::string_view embeddedData(std::string_view name);

// The records of an embedded file: non-empty lines not starting with '#', each split at tabs.
std::vector<std::vector<std::string_view>> embeddedRecords(std::string_view name);

}  // namespace steward::core
