// A user as the API shows it and as an actor, read through the user repository; shared by the sign-in and the
// organisation use cases.
#pragma once
#include <nlohmann/json.hpp>

#include "core/access.h"
#include "store/db.h"

namespace steward::service {

// Loads the user row as the API shows it; throws NotFound when there is none.
nlohmann::json loadUserJson(store::Connection& c, std::int64_t id);
nlohmann::json userRowJson(const store::Row& r);
core::Actor loadActor(store::Connection& c, std::int64_t userId);

}  // namespace steward::service
