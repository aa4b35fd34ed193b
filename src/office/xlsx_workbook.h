// Inside the office layer only: a workbook built by `fill` through libxlsxwriter, returned as bytes (the temp
// file and the close are handled as for writeXlsx).
#pragma once
#include <xlsxwriter.h>

#include <functional>
#include <string>

namespace steward::office {

std::string writeWorkbook(const std::function<void(lxw_workbook*)>& fill);

}  // namespace steward::office
