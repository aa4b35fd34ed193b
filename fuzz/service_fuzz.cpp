// The JSON input of every write use case. A temporary SQLite database is migrated and given the demo county
// once; each input is <method byte> <selector byte> <JSON body>. A ServiceError is the expected answer to bad
// input (a 4xx); any other exception would be a 500 caused by input, so it aborts as a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "service/auth.h"
#include "service/demo.h"
#include "service/errors.h"
#include "service/json_input.h"
#include "service/services.h"
#include "store/db.h"
#include "store/migrations.h"

namespace {

using nlohmann::json;
namespace service = steward::service;
namespace store = steward::store;

struct World {
  std::string dir;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<service::Services> services;
  steward::core::Actor admin, unit;
  std::vector<std::int64_t> projects, orgUnits, users;

  World() {
    std::string path = (std::filesystem::temp_directory_path() / "steward-fuzz-XXXXXX").string();
    if (mkdtemp(path.data()) == nullptr) std::abort();
    dir = path;
    db = store::Database::open("sqlite:" + dir + "/fuzz.db", 2);
    store::migrate(*db);
    service::Env env{db.get()};
    std::ostringstream log;
    service::loadDemo(env, log);
    services = std::make_unique<service::Services>(env);
    auto c = db->acquire();
    auto ids = [&](const char* sql) {
      std::vector<std::int64_t> out;
      for (auto& r : c->query(sql, {}).rows) out.push_back(r.i64(0));
      return out;
    };
    projects = ids("SELECT id FROM projects ORDER BY id LIMIT 32");
    orgUnits = ids("SELECT id FROM org_units ORDER BY id LIMIT 32");
    users = ids("SELECT id FROM users ORDER BY id LIMIT 32");
    admin = service::loadActor(*c, services->org.userIdByName("admin"));
    unit = service::loadActor(*c, services->org.userIdByName("unit"));
  }
  ~World() { std::filesystem::remove_all(dir); }
};

World& world() {
  static World w;
  return w;
}

std::int64_t pick(const std::vector<std::int64_t>& ids, std::uint8_t selector) {
  if (ids.empty() || selector >= 0xF0) return 999'999'999;  // now and then an id that does not exist
  return ids[selector % ids.size()];
}

void call(World& w, std::uint8_t method, std::uint8_t selector, const json& in) {
  const auto& actor = (selector & 1) ? w.unit : w.admin;
  auto& s = *w.services;
  const auto project = pick(w.projects, selector >> 1);
  switch (method % 12) {
    case 0: s.projects.create(actor, in); break;
    case 1: s.projects.update(actor, project, in); break;
    case 2: s.projects.changeStage(actor, project, in); break;
    case 3: s.projects.changeStatus(actor, project, in); break;
    case 4: s.projects.setTeam(actor, project, in); break;
    case 5: s.projects.setNodes(actor, project, in); break;
    case 6: s.projects.setPlan(actor, project, in); break;
    case 7: s.org.createOrgUnit(actor, in); break;
    case 8: s.org.updateOrgUnit(actor, pick(w.orgUnits, selector >> 1), in); break;
    case 9: {  // as POST /users reads its body (src/http/api.cpp)
      service::Validator v;
      service::JsonInput i(in, v);
      service::NewUser u;
      u.username = i.str("username", true).value_or("");
      u.display_name = i.str("display_name", true).value_or("");
      u.password = i.str("password", true).value_or("");
      u.phone = i.str("phone", false).value_or("");
      u.rank = i.str("rank", false).value_or("staff");
      u.roles = i.strList("roles", true).value_or(std::vector<std::string>{});
      u.org_unit_id = i.i64("org_unit_id", false);
      u.region_code = i.str("region_code", false).value_or("");
      v.throwIfAny();
      s.org.createUser(&actor, u);
      break;
    }
    case 10: s.org.updateUser(&actor, pick(w.users, selector >> 1), in); break;
    default: s.projects.create(actor, in); break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  World& w = world();
  // As the HTTP layer reads a body: not JSON or not an object is a 400 before any service runs.
  const json in = json::parse(data + 2, data + size, nullptr, false);
  if (in.is_discarded() || !in.is_object()) return 0;
  try {
    call(w, data[0], data[1], in);
  } catch (const service::ServiceError&) {
    // the expected 4xx
  } catch (const std::exception& e) {
    std::fprintf(stderr, "finding: method %d: %s\n", data[0] % 12, e.what());
    std::abort();
  }
  return 0;
}
