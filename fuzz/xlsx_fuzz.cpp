// The xlsx reader and the project-sheet parser: any bytes give a workbook or an XlsxError, never a crash.
// Small limits keep each run fast; the limits themselves are tested in tests/office/xlsx_limits_test.cpp.
#include <cstdint>
#include <string>

#include "office/project_sheet.h"
#include "office/xlsx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  steward::office::ReadLimits limits;
  limits.inflatedBytes = 8u << 20;
  limits.cells = 100'000;
  limits.cellTextBytes = 4u << 20;
  limits.xmlElements = 400'000;
  try {
    const auto workbook = steward::office::readXlsx(std::string(reinterpret_cast<const char*>(data), size), limits);
    (void)steward::office::parseProjectSheet(workbook);
  } catch (const steward::office::XlsxError&) {
  }
  return 0;
}
