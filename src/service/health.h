// What /health reports about the database, so the transport layer never reaches into store.
#pragma once
#include <string>

#include "service/context.h"

namespace steward::service {

struct HealthInfo {
  std::string db;      // "sqlite" or "postgresql"
  int schema_version;  // of the database, read now (so a broken connection fails the check)
};

class HealthService {
 public:
  explicit HealthService(Env env) : env_(env) {}
  HealthInfo check() const;

 private:
  Env env_;
};

}  // namespace steward::service
