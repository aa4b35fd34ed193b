// Users: accounts and the people without a login yet.
#pragma once
#include <optional>
#include <string>

#include "store/db.h"

namespace steward::store {

struct UserFilter {
  std::string text{};  // matches username, display name or phone
  std::string role{};  // one of the comma-separated roles
  std::optional<std::int64_t> org_unit_id{};
};

struct NewUserRow {
  std::string region_code, username, display_name, phone, rank, roles, password_hash;
  std::optional<std::int64_t> org_unit_id;
  std::optional<std::string> password_changed_at;  // null: no password set yet
  std::string at;
};

struct UserCredentials {
  std::int64_t id = 0;
  std::string region_code, password_hash;
  bool disabled = false;
};

// "View" rows are the user as the API shows it: id, username, display_name, phone, region_code, region_name,
// org_unit_id, org_unit_name, rank, roles, disabled, created_at, has_login (1 once a password was set: people
// created without one, by the demo or an import, cannot sign in until an administrator gives them one).
class UserRepository {
 public:
  explicit UserRepository(Connection& c) : c_(c) {}
  std::optional<Row> findView(std::int64_t id);
  // Who acts: id, username, display_name, region_code, org_unit_id, rank, roles.
  std::optional<Row> findActor(std::int64_t id);
  std::optional<UserCredentials> credentials(const std::string& username);
  std::optional<std::string> passwordHash(std::int64_t id);
  std::optional<std::int64_t> idByName(const std::string& username);
  // An enabled user of `region` by name.
  std::optional<std::int64_t> enabledIdByName(const std::string& username, const std::string& region);
  // Whom a notification reaches (enabled users, by id, at most 500): a unit's people; a county's headquarters.
  std::vector<std::int64_t> unitUserIds(std::int64_t unitId);
  std::vector<std::int64_t> headquartersUserIds(const std::string& region);
  bool any();
  // The first enabled administrator (the command line acts as them when no --as is given).
  std::optional<std::int64_t> firstEnabledAdmin();

  std::int64_t countMatching(const std::string& scopeRegion, const UserFilter& f);
  // View rows by id.
  Result pageMatching(const std::string& scopeRegion, const UserFilter& f, std::int64_t limit, std::int64_t offset);
  // Enabled people for the pickers, by id: id, display_name, rank, org_unit_id, org_unit_name.
  Result enabledPeople(const std::string& scopeRegion, const std::string& rank, const std::string& role,
                       std::int64_t limit);
  std::int64_t countEnabled(const std::string& scopeRegion);

  // Throws ConstraintError when the username is taken.
  std::int64_t insert(const NewUserRow& u);
  void setDisplayName(std::int64_t id, const std::string& v);
  void setRank(std::int64_t id, const std::string& v);
  void setRoles(std::int64_t id, const std::string& commaSeparated);
  void setPhone(std::int64_t id, const std::string& v);
  void setDisabled(std::int64_t id, bool disabled);
  void setOrgUnit(std::int64_t id, std::optional<std::int64_t> unitId);
  void setPassword(std::int64_t id, const std::string& hash, const std::string& at);
  void touch(std::int64_t id, const std::string& at);

 private:
  Connection& c_;
};

}  // namespace steward::store
