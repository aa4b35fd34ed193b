// The region-scope condition now lives with the queries, in store/scope.h; this name stays for the callers that
// still build their SQL here (the project queries, until the project repository takes them).
#pragma once
#include "store/scope.h"

namespace steward::service {

using store::scopeSql;

}  // namespace steward::service
