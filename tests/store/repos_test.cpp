// The repositories against a freshly migrated SQLite database: named queries, the region scope, constraints.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "core/audit_chain.h"
#include "store/audit_repo.h"
#include "store/login_guard_repo.h"
#include "store/migrations.h"
#include "store/org_repo.h"
#include "store/region_repo.h"
#include "store/scope.h"
#include "store/session_repo.h"
#include "store/user_repo.h"

using namespace steward::store;
namespace core = steward::core;

namespace {
std::atomic<int> counter{0};

// Province 430000 > city 430400 > counties 430424 and 430421; each county has units and users.
struct Repos : ::testing::Test {
  void SetUp() override {
    auto dir = std::filesystem::temp_directory_path() /
               ("steward-repos-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
    std::filesystem::remove(dir / "r.db");
    db = Database::open("sqlite:" + (dir / "r.db").string(), 2);
    migrate(*db);
    lease.emplace(db->acquire());
    RegionRepository regions(c());
    regions.insert("430000", "湖南省", "province", std::nullopt);
    regions.insert("430400", "衡阳市", "city", "430000");
    regions.insert("430424", "衡东县", "county", "430400");
    regions.insert("430421", "衡阳县", "county", "430400");
  }
  Connection& c() { return **lease; }
  std::int64_t unit(const std::string& region, const std::string& name, const std::string& kind, int sort = 0) {
    return OrgUnitRepository(c()).insert(region, {name, "", kind, sort}, kAt);
  }
  std::int64_t user(const std::string& region, const std::string& username, const std::string& roles,
                    const std::string& phone = "", std::optional<std::int64_t> unitId = std::nullopt) {
    NewUserRow u;
    u.region_code = region;
    u.username = username;
    u.display_name = "名" + username;
    u.phone = phone;
    u.rank = "staff";
    u.roles = roles;
    u.password_hash = "hash-" + username;
    u.org_unit_id = unitId;
    u.at = kAt;
    return UserRepository(c()).insert(u);
  }
  static constexpr const char* kAt = "2026-11-23T02:00:00Z";
  std::unique_ptr<Database> db;
  std::optional<Lease> lease;
};

std::vector<std::string> column(const Result& r, const char* name) {
  std::vector<std::string> out;
  for (const auto& row : r.rows) out.push_back(row.str(name));
  return out;
}
}  // namespace

TEST(Scope, ACountyIsAnEqualityAndACityARange) {
  Params p;
  EXPECT_EQ(scopeSql("430424", "region_code", p), "region_code = ?");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(std::get<std::string>(p[0]), "430424");
  Params q;
  EXPECT_EQ(scopeSql("430400", "u.region_code", q), "u.region_code BETWEEN ? AND ?");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(std::get<std::string>(q[0]), "430400");
  EXPECT_EQ(std::get<std::string>(q[1]), "430499");
}

TEST_F(Repos, RegionsSeeTheirOwnBelowAndTheTwoAbove) {
  RegionRepository r(c());
  EXPECT_TRUE(r.exists("430424"));
  EXPECT_FALSE(r.exists("430425"));
  EXPECT_EQ(r.name("430400").value_or(""), "衡阳市");
  EXPECT_FALSE(r.name("999999").has_value());
  EXPECT_EQ(column(r.visibleFrom("430424"), "code"), (std::vector<std::string>{"430000", "430400", "430424"}));
  EXPECT_EQ(column(r.visibleFrom("430400"), "code"),
            (std::vector<std::string>{"430000", "430400", "430421", "430424"}));
}

TEST_F(Repos, RegionOfRowAcceptsOnlyKnownTables) {
  auto id = unit("430421", "县水利局", "department");
  RegionRepository r(c());
  EXPECT_EQ(r.regionOfRow("org_units", id).value_or(""), "430421");
  EXPECT_FALSE(r.regionOfRow("org_units", id + 1).has_value());
  EXPECT_THROW(r.regionOfRow("users; DROP TABLE users", 1), DbError);
}

TEST_F(Repos, OrgUnitsAreScopedSortedAndUniquePerRegion) {
  unit("430424", "乙局", "department", 2);
  auto a = unit("430424", "甲局", "department", 1);
  unit("430424", "城关镇", "township", 3);
  auto other = unit("430421", "甲局", "department", 1);  // the same name in another county is fine
  EXPECT_THROW(unit("430424", "甲局", "township"), ConstraintError);
  OrgUnitRepository units(c());
  EXPECT_EQ(column(units.listInScope("430424", "", 100), "name"), (std::vector<std::string>{"甲局", "乙局", "城关镇"}));
  EXPECT_EQ(column(units.listInScope("430424", "township", 100), "name"), (std::vector<std::string>{"城关镇"}));
  EXPECT_EQ(units.listInScope("430400", "", 100).rows.size(), 4u);
  EXPECT_EQ(units.listInScope("430400", "", 2).rows.size(), 2u);
  EXPECT_EQ(units.countOfKinds("430424", {"department", "township"}), 3);
  EXPECT_EQ(units.countOfKinds("430424", {"township"}), 1);
  EXPECT_EQ(units.countOfKinds("430400", {"department"}), 3);
  EXPECT_TRUE(units.existsInRegion(a, "430424"));
  EXPECT_FALSE(units.existsInRegion(other, "430424"));
  EXPECT_EQ(units.idByName("430421", "甲局").value_or(0), other);
  units.update(a, {"甲局（新）", "甲", "park", 9}, "2026-11-24T00:00:00Z");
  auto row = units.find(a);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->str("name"), "甲局（新）");
  EXPECT_EQ(row->str("kind"), "park");
  EXPECT_EQ(row->i64("sort"), 9);
  EXPECT_FALSE(units.find(a + 100).has_value());
}

TEST_F(Repos, UserSearchMatchesTextLiterallyAndRolesExactly) {
  auto unitId = unit("430424", "县交通运输局", "department");
  user("430424", "hq", "hq", "0734-100%");
  user("430424", "admin", "admin,hq", "13800000000", unitId);
  user("430424", "hqx", "hq_assistant");
  user("430421", "far", "hq");
  UserRepository users(c());
  auto names = [&](const std::string& scope, const UserFilter& f) {
    return column(users.pageMatching(scope, f, 50, 0), "username");
  };
  EXPECT_EQ(names("430424", {.role = "hq"}), (std::vector<std::string>{"hq", "admin"}));
  EXPECT_EQ(names("430400", {.role = "hq"}), (std::vector<std::string>{"hq", "admin", "far"}));
  EXPECT_EQ(names("430424", {.text = "100%"}), (std::vector<std::string>{"hq"}));  // % is a character, not a wildcard
  EXPECT_EQ(names("430424", {.text = "0%"}), (std::vector<std::string>{"hq"}));
  EXPECT_EQ(names("430424", {.org_unit_id = unitId}), (std::vector<std::string>{"admin"}));
  EXPECT_EQ(users.countMatching("430424", {.role = "hq"}), 2);
  EXPECT_EQ(column(users.pageMatching("430424", {}, 1, 1), "username"), (std::vector<std::string>{"admin"}));
  auto view = users.pageMatching("430424", {.text = "admin"}, 50, 0).one();
  EXPECT_EQ(view.str("region_name"), "衡东县");
  EXPECT_EQ(view.str("org_unit_name"), "县交通运输局");
}

TEST_F(Repos, UsersHaveUniqueNamesAndDisabledOnesLeaveThePickers) {
  auto a = user("430424", "a", "unit");
  auto b = user("430424", "b", "unit");
  EXPECT_THROW(user("430421", "a", "unit"), ConstraintError);
  UserRepository users(c());
  EXPECT_TRUE(users.any());
  EXPECT_EQ(users.countEnabled("430424"), 2);
  users.setDisabled(b, true);
  EXPECT_EQ(users.countEnabled("430424"), 1);
  EXPECT_EQ(column(users.enabledPeople("430424", "", "unit", 10), "id"), (std::vector<std::string>{std::to_string(a)}));
  EXPECT_TRUE(users.enabledPeople("430424", "county_leader", "", 10).empty());
  auto cred = users.credentials("b");
  ASSERT_TRUE(cred);
  EXPECT_EQ(cred->id, b);
  EXPECT_TRUE(cred->disabled);
  EXPECT_EQ(cred->password_hash, "hash-b");
  EXPECT_FALSE(users.credentials("nobody").has_value());
  users.setPassword(a, "new-hash", "2026-11-24T00:00:00Z");
  EXPECT_EQ(users.passwordHash(a).value_or(""), "new-hash");
  EXPECT_EQ(users.idByName("a").value_or(0), a);
  users.setRoles(a, "leader,viewer");
  users.setDisplayName(a, "新名");
  auto actor = users.findActor(a);
  ASSERT_TRUE(actor);
  EXPECT_EQ(actor->str("roles"), "leader,viewer");
  EXPECT_EQ(actor->str("display_name"), "新名");
}

TEST_F(Repos, SessionsEndOneAllOrAllButOne) {
  auto u = user("430424", "u", "unit");
  SessionRepository s(c());
  for (const char* h : {"h1", "h2", "h3"}) s.insert({h, u, "csrf", kAt, "127.0.0.1", "test"});
  auto found = s.find("h2");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user_id, u);
  EXPECT_EQ(found->last_seen_at, kAt);
  EXPECT_FALSE(found->user_disabled);
  s.touch("h2", "2026-11-23T03:00:00Z");
  EXPECT_EQ(s.find("h2")->last_seen_at, "2026-11-23T03:00:00Z");
  EXPECT_EQ(s.find("h2")->created_at, kAt);
  UserRepository(c()).setDisabled(u, true);
  EXPECT_TRUE(s.find("h1")->user_disabled);
  EXPECT_EQ(s.removeOthersOfUser(u, "h1"), 2);
  EXPECT_TRUE(s.find("h1").has_value());
  EXPECT_FALSE(s.find("h2").has_value());
  s.remove("h1");
  EXPECT_FALSE(s.find("h1").has_value());
  EXPECT_EQ(s.removeAllOfUser(u), 0);
}

TEST_F(Repos, LoginGuardsCountLockAndStartAfreshWhenALockEnds) {
  LoginGuardRepository g(c());
  EXPECT_EQ(g.countAttempt("x", "2026-11-23T02:00:00Z").value_or(-1), 1);
  EXPECT_EQ(g.countAttempt("x", "2026-11-23T02:00:01Z").value_or(-1), 2);
  g.lock("x", "2026-11-23T02:15:00Z");
  EXPECT_FALSE(g.countAttempt("x", "2026-11-23T02:14:59Z").has_value());  // refused while the lock holds
  EXPECT_EQ(g.lockedUntil("x"), "2026-11-23T02:15:00Z");
  EXPECT_EQ(g.countAttempt("x", "2026-11-23T02:15:00Z").value_or(-1), 1);  // an expired lock starts a new count
  EXPECT_EQ(g.lockedUntil("x"), "");
  g.reset("x", "2026-11-23T02:16:00Z");
  EXPECT_EQ(g.countAttempt("x", "2026-11-23T02:16:01Z").value_or(-1), 1);
  // Pruning forgets quiet guards, but never one whose lock still holds.
  g.countAttempt("quiet", "2026-11-20T00:00:00Z");
  g.countAttempt("locked", "2026-11-20T00:00:00Z");
  g.lock("locked", "2026-11-30T00:00:00Z");
  g.prune("2026-11-22T02:00:00Z", "2026-11-23T02:00:00Z");
  EXPECT_EQ(g.countAttempt("quiet", "2026-11-23T02:17:00Z").value_or(-1), 1);
  EXPECT_FALSE(g.countAttempt("locked", "2026-11-23T02:17:00Z").has_value());
  g.remove("locked");
  EXPECT_EQ(g.countAttempt("locked", "2026-11-23T02:18:00Z").value_or(-1), 1);
}

namespace {
core::AuditEntry entry(AuditRepository& repo, const std::string& region, std::int64_t seq, const std::string& action,
                       const std::string& entity, const std::string& entityId) {
  core::AuditEntry e;
  e.id = repo.nextId();
  e.seq = seq;
  e.scheme = core::kSchemeSha256;
  e.at = "2026-11-23T02:00:00Z";
  e.region_code = region;
  e.actor_name = "system";
  e.action = action;
  e.entity = entity;
  e.entity_id = entityId;
  e.after_json = "{}";
  e.prev_hash = "p";
  e.hash = "h" + std::to_string(e.id);
  return e;
}
}  // namespace

TEST_F(Repos, AuditHeadsStartFromTheLegacyDigestAndEntriesReadByScope) {
  AuditRepository repo(c());
  auto [legacyId, legacyHash] = repo.legacyHead();
  EXPECT_EQ(legacyId, 0);
  EXPECT_FALSE(repo.hasHead("430424"));
  auto head = repo.lockHead("430424");  // the region's first entry creates its head
  EXPECT_EQ(head.seq, 0);
  EXPECT_EQ(head.hash, legacyHash);
  EXPECT_TRUE(repo.hasHead("430424"));

  auto u = user("430424", "u", "unit");
  std::int64_t seq = 0;
  for (const auto& [action, entity, id] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"create", "user", std::to_string(u)}, {"login", "user", std::to_string(u)}, {"update", "project", "7"}})
    repo.insert(entry(repo, "430424", ++seq, action, entity, id));
  repo.insert(entry(repo, "430421", 1, "create", "org_unit", "1"));
  repo.saveHead("430424", {seq, 3, "h3", true});
  EXPECT_TRUE(repo.anyKeyed());
  auto heads = repo.heads(std::nullopt);
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].seq, 3);
  EXPECT_EQ(repo.anchorHeads().at(0).at, "2026-11-23T02:00:00Z");
  EXPECT_EQ(repo.regionsWithEntries(std::nullopt), (std::vector<std::string>{"430421", "430424"}));
  EXPECT_EQ(repo.regionsWithEntries(CodeRange{"430424", "430424"}), (std::vector<std::string>{"430424"}));
  EXPECT_TRUE(repo.heads(CodeRange{"430421", "430421"}).empty());

  auto chain = repo.regionEntries("430424", 1, 3, 10);
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0].seq.value_or(0), 2);
  EXPECT_EQ(chain[1].entity, "project");
  EXPECT_TRUE(repo.legacyEntries(0, 10).empty());

  EXPECT_EQ(repo.count({.scope_region = "430424"}), 3);
  EXPECT_EQ(repo.count({.scope_region = "430400"}), 4);
  EXPECT_EQ(repo.count({.scope_region = "430424", .entity = "user"}), 2);
  AuditQuery noSignIns{.scope_region = "430424", .exclude_sign_ins = true};
  EXPECT_EQ(column(repo.pageBefore(noSignIns, std::nullopt, 10), "action"),
            (std::vector<std::string>{"update", "create"}));
  EXPECT_EQ(column(repo.pageBefore({.scope_region = "430424"}, 3, 10), "id"), (std::vector<std::string>{"2", "1"}));
  EXPECT_EQ(column(repo.page({.scope_region = "430400"}, 2, 1), "id"), (std::vector<std::string>{"3", "2"}));
  auto names = repo.entityNames("user", {u, u + 50});
  EXPECT_EQ(names.size(), 1u);
  EXPECT_EQ(names[std::to_string(u)], "名u");
  EXPECT_TRUE(repo.entityNames("rule_set", {1}).empty());
}
