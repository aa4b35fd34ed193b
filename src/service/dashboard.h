// The home page's figures for the actor's region.
#pragma once
#include <nlohmann/json.hpp>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

class DashboardService {
 public:
  explicit DashboardService(Env env) : env_(env) {}
  nlohmann::json summary(const core::Actor& a);

 private:
  Env env_;
};

}  // namespace steward::service
