#include "service/demo_support.h"

#include "core/time.h"
#include "service/user_view.h"
#include "store/user_repo.h"

namespace steward::service {

core::Actor demoActor(store::Connection& c, const std::string& username, std::vector<std::string> roles) {
  auto id = store::UserRepository(c).idByName(username);
  if (!id) return {};
  auto a = loadActor(c, *id);
  a.region_code = kDemoCounty;
  a.roles = std::move(roles);
  return a;
}

Env envOn(const Env& env, const std::string& day) {
  Env e = env;
  core::TimePoint t;
  core::parseTimestamp(day + "T02:00:00Z", t);
  e.now = [t] { return t; };
  return e;
}

}  // namespace steward::service
