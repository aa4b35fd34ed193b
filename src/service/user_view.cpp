#include "service/user_view.h"

#include "service/errors.h"
#include "store/user_repo.h"

namespace steward::service {

using nlohmann::json;

namespace {

std::vector<std::string> splitRoles(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s + ",") {
    if (ch == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  return out;
}
}  // namespace

json userRowJson(const store::Row& r) {
  return {{"id", r.i64("id")},
          {"username", r.str("username")},
          {"display_name", r.str("display_name")},
          {"phone", r.str("phone")},
          {"region_code", r.str("region_code")},
          {"region_name", r.str("region_name")},
          {"org_unit_id", r.isNull("org_unit_id") ? json() : json(r.i64("org_unit_id"))},
          {"org_unit_name", r.str("org_unit_name")},
          {"rank", r.str("rank")},
          {"roles", splitRoles(r.str("roles"))},
          {"disabled", r.boolean("disabled")},
          {"has_login", r.boolean("has_login")},
          {"created_at", r.str("created_at")}};
}

json loadUserJson(store::Connection& c, std::int64_t id) {
  auto row = store::UserRepository(c).findView(id);
  if (!row) throw notFound("用户不存在");
  return userRowJson(*row);
}

core::Actor loadActor(store::Connection& c, std::int64_t userId) {
  auto found = store::UserRepository(c).findActor(userId);
  if (!found) throw notFound("用户不存在");
  const auto& row = *found;
  core::Actor a;
  a.user_id = row.i64("id");
  a.username = row.str("username");
  a.display_name = row.str("display_name");
  a.region_code = row.str("region_code");
  a.org_unit_id = row.optI64("org_unit_id");
  a.rank = row.str("rank");
  a.roles = splitRoles(row.str("roles"));
  return a;
}

}  // namespace steward::service
