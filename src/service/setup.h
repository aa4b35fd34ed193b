// Setting up a county: `steward init`, the first-run page and a city's or province's "add county" page share
// this one use case. It creates the county (and its city and province) from the national region list, its
// townships and parks as org units, the headquarters office and the first administrator in one audited write
// transaction, then stores the county preset's rule sets (service/presets.h).
#pragma once
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/access.h"
#include "service/context.h"

namespace steward::service {

struct CountySetup {
  std::string region_code;  // a county-level code of the national region list
  std::string admin_username;
  std::string admin_display_name;  // default "系统管理员"
  std::string admin_password;      // checked as `steward user add` checks it
  std::string preset;              // a county preset name, or empty for the defaults
  bool add = false;                // allow a database that already holds another county
};

// The name of the headquarters office that every set-up county gets.
inline constexpr const char* kHeadquartersName = "总指挥部办公室";
// Children listed by GET /divisions at most (a province has at most ~150 children, a county ~100 townships).
inline constexpr std::size_t kMaxDivisionItems = 500;

class SetupService {
 public:
  explicit SetupService(Env env) : env_(env) {}

  // {configured, presets: [{name, county, region_code}]}: whether any region holds a user yet.
  nlohmann::json status();
  // The command line (`steward init`): `a` is null, the audit says "system".
  nlohmann::json initCounty(const CountySetup& s) { return setUp(nullptr, s, false); }
  // The public first-run page: only with the one-time setup code `steward serve` printed, and only while no
  // region holds a user (401 bad_setup_code, 409 already_configured).
  nlohmann::json firstRun(const nlohmann::json& in);
  // A city's or province's administrator adds a county of its own scope.
  nlohmann::json addCounty(const core::Actor& a, const nlohmann::json& in);
  // The divisions directly below `parent` (the provinces when empty), for a picker: {parent, items, truncated}.
  nlohmann::json divisions(const std::string& parent);

  // Called by `steward serve` at start: when no region holds a user yet, makes and returns the one-time code
  // that opens the first-run page; nullopt when the database is already set up.
  std::optional<std::string> openFirstRun();

 private:
  nlohmann::json setUp(const core::Actor* a, const CountySetup& s, bool firstRunOnly);
  Env env_;
  std::mutex codeMutex_;
  std::string setupCode_;  // empty: the first-run page is closed
};

// The lines `steward init` prints: what was created and the next steps.
std::string setupReportText(const nlohmann::json& report, const std::string& dbUrl);

}  // namespace steward::service
