// Storage faults: the statement cache bound, which failures are retried, how the pool treats broken connections.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <unistd.h>

#include "store/db.h"

using namespace steward::store;

TEST(LruCache, EvictsTheLeastRecentlyUsedAndReportsIt) {
  std::vector<int> evicted;
  LruCache<int> c(3, [&](int& v) { evicted.push_back(v); });
  c.put("a", 1);
  c.put("b", 2);
  c.put("c", 3);
  ASSERT_NE(c.find("a"), nullptr);  // a is now the most recently used; b the least
  c.put("d", 4);
  EXPECT_EQ(evicted, std::vector<int>({2}));
  EXPECT_EQ(c.find("b"), nullptr);
  EXPECT_EQ(*c.find("a"), 1);
  EXPECT_EQ(*c.find("c"), 3);
  EXPECT_EQ(*c.find("d"), 4);
  EXPECT_EQ(c.size(), 3u);
  c.put("e", 5);  // order of use is now a, c, d: a goes
  EXPECT_EQ(evicted, std::vector<int>({2, 1}));
  c.clear();
  EXPECT_EQ(evicted.size(), 5u);
  EXPECT_EQ(c.size(), 0u);
}

TEST(LruCache, StaysBoundedUnderManyDistinctKeys) {
  int live = 0;
  {
    LruCache<int> c(kStatementCacheSize, [&](int&) { --live; });
    for (int i = 0; i < 1000; ++i) {
      c.put("SELECT " + std::to_string(i), i);
      ++live;
      EXPECT_LE(c.size(), kStatementCacheSize);
    }
    EXPECT_EQ(live, static_cast<int>(kStatementCacheSize));
  }
  EXPECT_EQ(live, 0);  // destruction releases what is left
}

TEST(RetryClassification, PostgresStates) {
  EXPECT_EQ(classifyPostgres("40001", false), Fault::Conflict);
  EXPECT_EQ(classifyPostgres("40P01", false), Fault::Conflict);
  EXPECT_EQ(classifyPostgres("08006", false), Fault::ConnectionLost);
  EXPECT_EQ(classifyPostgres("08003", false), Fault::ConnectionLost);
  EXPECT_EQ(classifyPostgres("57P01", false), Fault::ConnectionLost);
  EXPECT_EQ(classifyPostgres("57P02", false), Fault::ConnectionLost);
  EXPECT_EQ(classifyPostgres("57P03", false), Fault::ConnectionLost);
  EXPECT_EQ(classifyPostgres(nullptr, true), Fault::ConnectionLost);     // libpq's own "server closed the connection"
  EXPECT_EQ(classifyPostgres("42601", true), Fault::ConnectionLost);     // whatever the error, the connection is gone
  EXPECT_EQ(classifyPostgres("23505", false), Fault::Constraint);
  EXPECT_EQ(classifyPostgres("23503", false), Fault::Constraint);
  EXPECT_EQ(classifyPostgres("42601", false), Fault::Other);             // a bad statement is a bug, not retried
  EXPECT_EQ(classifyPostgres("25P02", false), Fault::Other);
  EXPECT_EQ(classifyPostgres("57014", false), Fault::Other);             // query_canceled
  EXPECT_EQ(classifyPostgres(nullptr, false), Fault::Other);
  EXPECT_EQ(classifyPostgres("", false), Fault::Other);
}

TEST(RetryClassification, SqliteCodes) {
  EXPECT_EQ(classifySqlite(5), Fault::Busy);             // SQLITE_BUSY
  EXPECT_EQ(classifySqlite(5 | (2 << 8)), Fault::Busy);  // SQLITE_BUSY_SNAPSHOT
  EXPECT_EQ(classifySqlite(6), Fault::Busy);             // SQLITE_LOCKED
  EXPECT_EQ(classifySqlite(19), Fault::Constraint);
  EXPECT_EQ(classifySqlite(19 | (8 << 8)), Fault::Constraint);  // SQLITE_CONSTRAINT_UNIQUE
  EXPECT_EQ(classifySqlite(1), Fault::Other);
  EXPECT_EQ(classifySqlite(11), Fault::Other);  // SQLITE_CORRUPT
  EXPECT_EQ(classifySqlite(13), Fault::Other);  // SQLITE_FULL
}

TEST(RetryClassification, RaiseThrowsTheMatchingType) {
  EXPECT_THROW(raise(Fault::Constraint, "x"), ConstraintError);
  EXPECT_THROW(raise(Fault::Other, "x"), DbError);
  for (auto f : {Fault::Conflict, Fault::Busy, Fault::ConnectionLost}) {
    try {
      raise(f, "x");
      ADD_FAILURE() << "raise returned";
    } catch (const RetryableError& e) {
      EXPECT_EQ(e.fault, f);
    }
  }
  try {
    raise(Fault::Other, "x");
  } catch (const RetryableError&) {
    ADD_FAILURE() << "an ordinary failure must not be retryable";
  } catch (const DbError&) {
  }
}

namespace {
// A connection that does what the test says: fails on commit, or breaks, on cue.
struct Script {
  int made = 0;
  int commits = 0;
  int rollbacks = 0;
  std::function<void()> onCommit;
};
class FakeConnection final : public Connection {
 public:
  FakeConnection(Script& s, int id) : s_(s), id(id) {}
  Dialect dialect() const override { return Dialect::Postgres; }
  void execScript(const std::string&) override {}
  Result query(const std::string&, const Params&) override { return {}; }
  std::int64_t insert(const std::string&, const Params&) override { return 0; }
  std::int64_t exec(const std::string&, const Params&) override { return 0; }
  void begin(bool) override {}
  void commit() override {
    if (s_.onCommit) s_.onCommit();
    ++s_.commits;
  }
  void rollback() override { ++s_.rollbacks; }
  void copyRows(const std::string&, const std::vector<std::string>&, const std::vector<Params>&) override {}
  bool broken() override { return isBroken; }
  Script& s_;
  int id;
  bool isBroken = false;
};
FakeConnection& fake(Connection& c) { return dynamic_cast<FakeConnection&>(c); }

std::unique_ptr<Database> fakeDb(Script& s, int poolSize, std::vector<int>* retries = nullptr) {
  auto db = Database::open(Dialect::Postgres, [&s] { return std::make_unique<FakeConnection>(s, ++s.made); }, poolSize);
  RetryPolicy p;
  p.attempts = 4;
  p.beforeRetry = [retries](int attempt, const RetryableError&) {
    if (retries) retries->push_back(attempt);
  };
  db->setRetryPolicy(p);
  return db;
}
}  // namespace

TEST(Transact, RetriesConflictsAndBusyLocksThenSucceeds) {
  Script s;
  std::vector<int> retries;
  auto db = fakeDb(s, 2, &retries);
  int calls = 0;
  int r = db->transact(true, [&](Connection&) {
    ++calls;
    if (calls == 1) throw RetryableError(Fault::Conflict, "40001");
    if (calls == 2) throw RetryableError(Fault::Busy, "busy");
    return 42;
  });
  EXPECT_EQ(r, 42);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(retries, std::vector<int>({1, 2}));
  EXPECT_EQ(s.rollbacks, 2);
  EXPECT_EQ(s.commits, 1);
}

TEST(Transact, GivesUpAfterTheBoundedNumberOfAttempts) {
  Script s;
  auto db = fakeDb(s, 2);
  int calls = 0;
  EXPECT_THROW(db->transact(true, [&](Connection&) {
    ++calls;
    throw RetryableError(Fault::Conflict, "40P01");
  }),
               RetryableError);
  EXPECT_EQ(calls, 4);
  EXPECT_EQ(s.commits, 0);
}

TEST(Transact, DoesNotRetryOrdinaryFailures) {
  Script s;
  auto db = fakeDb(s, 2);
  int calls = 0;
  EXPECT_THROW(db->transact(true, [&](Connection&) { ++calls, throw ConstraintError("23505"); }), ConstraintError);
  EXPECT_THROW(db->transact(true, [&](Connection&) { ++calls, throw DbError("42601"); }), DbError);
  EXPECT_THROW(db->transact(true, [&](Connection&) { ++calls, throw std::runtime_error("validation"); }),
               std::runtime_error);
  EXPECT_EQ(calls, 3);
}

TEST(Transact, NeverRetriesACommitWhoseOutcomeIsUnknown) {
  Script s;
  auto db = fakeDb(s, 2);
  s.onCommit = [] { throw RetryableError(Fault::ConnectionLost, "server closed the connection"); };
  int calls = 0;
  try {
    db->transact(true, [&](Connection&) { ++calls; });
    ADD_FAILURE() << "the commit failure was swallowed";
  } catch (const RetryableError&) {
    ADD_FAILURE() << "a commit that may have happened must not be retryable";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("outcome unknown"), std::string::npos) << e.what();
  }
  EXPECT_EQ(calls, 1);
}

TEST(Transact, RetriesAConflictReportedAtCommit) {
  Script s;
  auto db = fakeDb(s, 2);
  int failures = 1;
  s.onCommit = [&] {
    if (failures-- > 0) throw RetryableError(Fault::Conflict, "40001 at commit");
  };
  int calls = 0;
  db->transact(true, [&](Connection&) { ++calls; });
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(s.commits, 1);
}

TEST(Pool, DropsABrokenConnectionAndMakesANewOne) {
  Script s;
  auto db = fakeDb(s, 1);  // one connection: returning a broken one would leave nothing usable
  int first = 0;
  {
    auto c = db->acquire();
    first = fake(*c).id;
    fake(*c).isBroken = true;
  }
  EXPECT_EQ(db->openConnections(), 0);
  auto c = db->acquire();
  EXPECT_NE(fake(*c).id, first);
  EXPECT_FALSE(c->broken());
  EXPECT_EQ(s.made, 2);
  EXPECT_EQ(db->openConnections(), 1);
}

TEST(Pool, DoesNotLendAConnectionThatBrokeWhileIdle) {
  Script s;
  auto db = fakeDb(s, 2);
  FakeConnection* idle = nullptr;
  {
    auto c = db->acquire();
    idle = &fake(*c);
  }
  EXPECT_EQ(db->openConnections(), 1);
  idle->isBroken = true;  // the server restarted while it sat in the pool
  auto c = db->acquire();
  EXPECT_EQ(fake(*c).id, 2);
  EXPECT_EQ(db->openConnections(), 1);
}

TEST(Transact, RunsAgainOnAFreshConnectionWhenTheConnectionBreaksBeforeCommit) {
  Script s;
  auto db = fakeDb(s, 1);
  std::vector<int> used;
  db->transact(true, [&](Connection& c) {
    used.push_back(fake(c).id);
    if (used.size() == 1) {
      fake(c).isBroken = true;
      throw RetryableError(Fault::ConnectionLost, "terminating connection due to administrator command");
    }
  });
  EXPECT_EQ(used, std::vector<int>({1, 2}));
  EXPECT_EQ(s.rollbacks, 0);  // no ROLLBACK is sent down a broken connection
  EXPECT_EQ(db->openConnections(), 1);
}

namespace {
std::string tempSqliteUrl(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / ("steward-faults-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::remove(dir / name);
  std::filesystem::remove(dir / (std::string(name) + "-wal"));
  std::filesystem::remove(dir / (std::string(name) + "-shm"));
  return "sqlite:" + (dir / name).string();
}
// Opens with a busy timeout of 0 ms so a held lock fails at once instead of waiting 10 s.
std::unique_ptr<Database> openImpatient(const std::string& url) {
  ::setenv("STEWARD_SQLITE_BUSY_TIMEOUT_MS", "0", 1);
  auto db = Database::open(url, 1);
  ::unsetenv("STEWARD_SQLITE_BUSY_TIMEOUT_MS");
  return db;
}
}  // namespace

TEST(SqliteBusy, AWriteWaitingForAnotherWritersLockIsRetried) {
  auto url = tempSqliteUrl("busy.db");
  auto holder = Database::open(url, 1);
  holder->acquire()->execScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  auto db = openImpatient(url);

  auto hold = holder->acquire();
  hold->begin(true);  // another writer holds the write lock
  std::vector<Fault> seen;
  RetryPolicy p;
  p.beforeRetry = [&](int, const RetryableError& e) {
    seen.push_back(e.fault);
    if (seen.size() == 2) hold->commit();  // the other writer finishes after two failed tries
  };
  db->setRetryPolicy(p);
  db->transact(true, [](Connection& c) { c.exec("INSERT INTO t (v) VALUES ('after the lock')"); });
  EXPECT_EQ(seen, std::vector<Fault>({Fault::Busy, Fault::Busy}));
  EXPECT_EQ(db->acquire()->query("SELECT COUNT(*) FROM t").one().i64(0), 1);
}

TEST(SqliteBusy, ALockHeldThroughEveryAttemptFailsAsRetryable) {
  auto url = tempSqliteUrl("busy2.db");
  auto holder = Database::open(url, 1);
  holder->acquire()->execScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  auto db = openImpatient(url);
  auto hold = holder->acquire();
  hold->begin(true);
  int retries = 0;
  RetryPolicy p;
  p.attempts = 3;
  p.beforeRetry = [&](int, const RetryableError&) { ++retries; };
  db->setRetryPolicy(p);
  int calls = 0;
  try {
    db->transact(true, [&](Connection& c) { ++calls, c.exec("INSERT INTO t (v) VALUES ('x')"); });
    ADD_FAILURE() << "the write went through a held lock";
  } catch (const RetryableError& e) {
    EXPECT_EQ(e.fault, Fault::Busy);
  }
  EXPECT_EQ(retries, 2);
  EXPECT_EQ(calls, 0);  // BEGIN IMMEDIATE itself waits for the lock: fn never ran
  hold->rollback();
}

// A writer waiting for the lock tries again at least every millisecond: SQLite's default busy handler backs off to
// 100 ms between tries, so under contention a long waiter kept losing the lock to fresh ones (p99 1.1 s at 16
// concurrent report submissions; bench/README.md).
TEST(SqliteBusy, AWaitingWriterTriesAgainAtLeastEveryMillisecond) {
  for (int count = 0; count < 100000; ++count) {
    ASSERT_GT(sqliteBusyDelay(count).count(), 0) << count;
    ASSERT_LE(sqliteBusyDelay(count), std::chrono::milliseconds(1)) << count;
  }
}

// The short steps still end at the busy timeout: a lock held throughout fails as Busy instead of waiting forever.
TEST(SqliteBusy, AWaitEndsAtTheBusyTimeout) {
  auto url = tempSqliteUrl("busy3.db");
  auto holder = Database::open(url, 1);
  holder->acquire()->execScript("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  ::setenv("STEWARD_SQLITE_BUSY_TIMEOUT_MS", "20", 1);
  auto db = Database::open(url, 1);
  ::unsetenv("STEWARD_SQLITE_BUSY_TIMEOUT_MS");
  auto hold = holder->acquire();
  hold->begin(true);
  RetryPolicy p;
  p.attempts = 1;
  db->setRetryPolicy(p);
  try {
    db->transact(true, [&](Connection& c) { c.exec("INSERT INTO t (v) VALUES ('x')"); });
    ADD_FAILURE() << "the write went through a held lock";
  } catch (const RetryableError& e) {
    EXPECT_EQ(e.fault, Fault::Busy);
  }
  hold->rollback();
  db->transact(true, [&](Connection& c) { c.exec("INSERT INTO t (v) VALUES ('after')"); });  // the lock is free
  EXPECT_EQ(db->acquire()->query("SELECT COUNT(*) FROM t").one().i64(0), 1);
}

TEST(SqliteStatements, ManyDistinctStatementsOnOneConnection) {
  auto db = Database::open(tempSqliteUrl("stmts.db"), 1);
  auto c = db->acquire();
  // More distinct statements than the cache holds; evicted ones are prepared again when used again.
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < static_cast<int>(kStatementCacheSize) + 50; ++i)
      EXPECT_EQ(c->query("SELECT " + std::to_string(i) + " + ?", {std::int64_t(1)}).one().i64(0), i + 1);
}

// PostgreSQL: only when STEWARD_TEST_PG names a server (scripts/with-postgres.sh sets it).
namespace {
std::unique_ptr<Database> pgOrSkip(int poolSize) {
  const char* url = std::getenv("STEWARD_TEST_PG");
  if (!url || !*url) return nullptr;
  return Database::open(url, poolSize);
}
#define PG_OR_SKIP(db, n)                                        \
  auto db = pgOrSkip(n);                                         \
  if (!db) GTEST_SKIP() << "STEWARD_TEST_PG is not set";
}  // namespace

TEST(PostgresFaults, AConnectionTheServerEndedIsReplaced) {
  PG_OR_SKIP(db, 2);
  std::int64_t victim = 0;
  {
    auto a = db->acquire();
    auto b = db->acquire();
    victim = a->query("SELECT pg_backend_pid()").one().i64(0);
    // b ends a's backend (and waits until it is gone), as a server restart or failover would.
    EXPECT_TRUE(b->query("SELECT pg_terminate_backend(?::int, 5000)", {victim}).one().boolean("pg_terminate_backend"));
  }  // both go back to the pool; a is now broken
  for (int i = 0; i < 3; ++i) {
    auto c = db->acquire();
    EXPECT_NE(c->query("SELECT pg_backend_pid()").one().i64(0), victim);
  }
  EXPECT_LE(db->openConnections(), 2);
}

TEST(PostgresFaults, ATransactionWhoseConnectionIsKilledRunsAgain) {
  PG_OR_SKIP(db, 1);
  std::vector<std::int64_t> pids;
  RetryPolicy p;
  p.beforeRetry = [](int, const RetryableError& e) { EXPECT_EQ(e.fault, Fault::ConnectionLost) << e.what(); };
  db->setRetryPolicy(p);
  auto n = db->transact(true, [&](Connection& c) {
    pids.push_back(c.query("SELECT pg_backend_pid()").one().i64(0));
    if (pids.size() == 1) c.query("SELECT pg_terminate_backend(pg_backend_pid())");
    return c.query("SELECT 7").one().i64(0);
  });
  EXPECT_EQ(n, 7);
  ASSERT_EQ(pids.size(), 2u);
  EXPECT_NE(pids[0], pids[1]);
  EXPECT_EQ(db->openConnections(), 1);
}

TEST(PostgresFaults, SerializationFailuresAndDeadlocksAreRetried) {
  PG_OR_SKIP(db, 1);
  std::vector<Fault> seen;
  RetryPolicy p;
  p.beforeRetry = [&](int, const RetryableError& e) { seen.push_back(e.fault); };
  db->setRetryPolicy(p);
  int calls = 0;
  db->transact(true, [&](Connection& c) {
    ++calls;
    if (calls == 1) c.execScript("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$");
    if (calls == 2) c.execScript("DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = 'deadlock_detected'; END $$");
  });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(seen, std::vector<Fault>({Fault::Conflict, Fault::Conflict}));
  int other = 0;
  EXPECT_THROW(db->transact(true, [&](Connection& c) {
    ++other;
    c.execScript("DO $$ BEGIN RAISE EXCEPTION 'bad' USING ERRCODE = 'data_exception'; END $$");
  }),
               DbError);
  EXPECT_EQ(other, 1);
}

TEST(PostgresFaults, PreparedStatementsStayBoundedPerConnection) {
  PG_OR_SKIP(db, 1);
  auto c = db->acquire();
  const int n = static_cast<int>(kStatementCacheSize) + 50;
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < n; ++i)
      EXPECT_EQ(c->query("SELECT " + std::to_string(i) + " + ?::int AS v", {std::int64_t(1)}).one().i64(0), i + 1);
  auto held = c->query("SELECT COUNT(*) FROM pg_prepared_statements").one().i64(0);
  EXPECT_LE(held, static_cast<std::int64_t>(kStatementCacheSize));
  EXPECT_GT(held, 0);
}
