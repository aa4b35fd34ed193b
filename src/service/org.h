// Regions, org units, users and the people pickers.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

struct NewUser {
  std::string username, display_name, password, phone, rank = "staff", region_code;
  std::optional<std::int64_t> org_unit_id;
  std::vector<std::string> roles;
};

class OrgService {
 public:
  explicit OrgService(Env env) : env_(env) {}
  nlohmann::json regions(const core::Actor& a);
  nlohmann::json orgUnits(const core::Actor& a, const std::string& kind);
  nlohmann::json createOrgUnit(const core::Actor& a, const nlohmann::json& in);
  nlohmann::json updateOrgUnit(const core::Actor& a, std::int64_t id, const nlohmann::json& in);

  nlohmann::json users(const core::Actor& a, const std::string& q, const std::string& role,
                       std::optional<std::int64_t> unitId, int page, int pageSize);
  nlohmann::json people(const core::Actor& a, const std::string& rank, const std::string& role);
  nlohmann::json createUser(const core::Actor* a, const NewUser& u);  // a == nullptr: the command line
  nlohmann::json updateUser(const core::Actor* a, std::int64_t id, const nlohmann::json& in);
  std::int64_t userIdByName(const std::string& username);
  // The first enabled administrator; nullopt when there is none.
  std::optional<std::int64_t> firstAdminId();

 private:
  Env env_;
};

nlohmann::json orgUnitRowJson(const store::Row& r);

class Validator;
// The field checks of a new account (username, name, password strength, rank, roles), shared by
// `steward user add`, the users page and `steward init`; the region is checked by the caller.
void checkNewUser(const NewUser& u, Validator& v);
// 422 unknown_region naming `field` when the national region list does not know `code` (a province, city or
// county): "行政区划代码 …… 不在全国行政区划表中".
void requireListedRegion(const std::string& code, const std::string& field);

}  // namespace steward::service
