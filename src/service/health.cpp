#include "service/health.h"

#include "store/migrations.h"

namespace steward::service {

HealthInfo HealthService::check() const {
  auto c = env_.db->acquire();
  return {env_.db->dialect() == store::Dialect::Sqlite ? "sqlite" : "postgresql", store::schemaVersion(*c)};
}

}  // namespace steward::service
