// The part of the project import that onboards a county: the units and people a sheet names but the county
// lacks, gathered once each with the kind each unit's name suggests; near-duplicate warnings; the user's edited
// decisions; and creating them in the import's own transaction. Used by projects_import.cpp only.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/access.h"
#include "service/audit.h"
#include "service/context.h"
#include "service/projects.h"
#include "store/db.h"

namespace steward::service::onboard {

// Kinds a user may give a new unit, and the decision that leaves a name out.
inline constexpr const char* kSkip = "skip";
inline constexpr const char* kCreate = "create";

// The import's parameter as the API and the command line pass it: {"units": {name: kind | "skip"},
// "people": {name: "create" | "skip"}}. Throws 422 naming decisions.units / decisions.people on a bad shape, an
// unknown kind (the headquarters office included), or more entries than an import can name.
ImportDecisions parseDecisions(const nlohmann::json& in);

// The names a sheet gives that the county lacks, in the order they first appear.
class MissingNames {
 public:
  MissingNames(const ImportDecisions& d) : decisions_(d) {}
  // `listedKind` (township or park) when the name is a township of the county in the national region list:
  // the unit then takes the list's kind and the report says where the name was found.
  void unit(const std::string& name, int row, const std::string& listedKind = "");
  void person(const std::string& name, int row);
  bool empty() const { return units_.empty() && people_.empty(); }
  // Decides each unit's kind (the user's, else the inferred one, else department) and the warnings for names
  // that are probably an existing unit (`existing`) or another new name.
  void settle(const std::vector<std::string>& existing, const std::string& countyName);
  // Units a real import may not create whatever the flag says: the headquarters office.
  std::vector<std::string> uncreatable() const;
  bool skippedUnit(const std::string& name) const;
  bool skippedPerson(const std::string& name) const;
  int unitCount(bool toCreate) const;
  int personCount(bool toCreate) const;
  // {"units": [...], "people": [...], "warnings": [...]} as the dry run and the refusal report them.
  nlohmann::json report() const;

  // Creates every unit and person not skipped, audited as part of the import; returns name → id of each.
  struct Created {
    std::map<std::string, std::int64_t> units, people;
    nlohmann::json report;  // {"units": [{id,name,kind}], "people": [{id,display_name,rank}], "skipped": {...}}
  };
  Created create(store::Connection& c, const Env& env, const core::Actor& a, AuditAppender& audit,
                 const std::string& region) const;

 private:
  struct Unit {
    std::string name, kind, inferred;  // inferred: the table's kind, "" when no rule matched
    std::vector<int> rows;
    bool skip = false, chosen = false;
    bool listed = false;  // a township of the county in the national region list
  };
  struct Person {
    std::string name;
    std::vector<int> rows;
    bool skip = false;
  };
  const ImportDecisions& decisions_;
  std::vector<Unit> units_;
  std::vector<Person> people_;
  std::map<std::string, std::size_t> unitIndex_, personIndex_;
  nlohmann::json warnings_ = nlohmann::json::array();
};

}  // namespace steward::service::onboard
