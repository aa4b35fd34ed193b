// What the demo loaders share: the demo county, one of its users as the services see them, and the environment
// with its clock set to a past day (the demo writes its history day by day through the real services).
#pragma once
#include <string>
#include <vector>

#include "core/access.h"
#include "service/context.h"
#include "store/db.h"

namespace steward::service {

inline constexpr const char* kDemoCounty = "430424";

// The demo user `username` acting in the demo county with `roles`; an empty actor when there is no such user.
core::Actor demoActor(store::Connection& c, const std::string& username, std::vector<std::string> roles);
// `env` with its clock at 10:00 in the county (02:00 UTC) on `day`.
Env envOn(const Env& env, const std::string& day);

}  // namespace steward::service
