// The thin database layer: one interface over SQLite (WAL) and PostgreSQL (libpq).
// SQL is written once with `?` placeholders; dialect differences live in this folder only.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <list>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace steward::store {

enum class Dialect { Sqlite, Postgres };

struct Null {};
using Param = std::variant<Null, std::int64_t, std::string>;
using Params = std::vector<Param>;

inline Param optParam(const std::optional<std::string>& v) { return v ? Param{*v} : Param{Null{}}; }
inline Param optParam(const std::optional<std::int64_t>& v) { return v ? Param{*v} : Param{Null{}}; }

// A database failure the caller did not expect (the service maps it to 500, never shows its text).
struct DbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A unique or foreign-key constraint was violated: an expected, reportable conflict.
struct ConstraintError : DbError {
  using DbError::DbError;
};

// What a database failure means for the caller, as far as trying again goes.
enum class Fault {
  Other,           // a bug or a bad statement: not retried
  Constraint,      // ConstraintError
  Conflict,        // PostgreSQL serialization failure (40001) or deadlock (40P01): the server rolled back
  Busy,            // SQLite SQLITE_BUSY / SQLITE_LOCKED: another writer held the lock too long
  ConnectionLost,  // the connection broke (restart, failover, network): it is discarded, a new one is made
};
// A failure worth running the whole transaction again for (Conflict, Busy, ConnectionLost).
struct RetryableError : DbError {
  RetryableError(Fault f, const std::string& msg) : DbError(msg), fault(f) {}
  Fault fault;
};
// PostgreSQL: the fault of an error with SQLSTATE `sqlstate` (null or empty when libpq made the error itself);
// connectionBad is PQstatus(conn) == CONNECTION_BAD after the failed call.
Fault classifyPostgres(const char* sqlstate, bool connectionBad);
// SQLite: the fault of an (extended) result code.
Fault classifySqlite(int extendedCode);
// SQLite: how long a writer waiting for another writer's lock sleeps before its try number `count` + 1 (count from
// 0), until the busy timeout. Short and flat: SQLite's own schedule grows to 100 ms a try, so under contention a
// long waiter keeps losing the lock to newcomers that poll every millisecond (bench/README.md: p99 1.1 s at 16
// concurrent report submissions).
std::chrono::microseconds sqliteBusyDelay(int count);
// Throws the exception type that goes with `f`.
[[noreturn]] void raise(Fault f, const std::string& msg);

// A bounded least-recently-used map, for prepared statements per connection. `evict` runs on the value that
// falls out (finalize / DEALLOCATE); it must not throw.
template <class V>
class LruCache {
 public:
  explicit LruCache(std::size_t capacity, std::function<void(V&)> evict)
      : capacity_(capacity < 1 ? 1 : capacity), evict_(std::move(evict)) {}
  LruCache(const LruCache&) = delete;
  LruCache& operator=(const LruCache&) = delete;
  ~LruCache() { clear(); }
  // The value for `key`, now the most recently used; null when absent.
  V* find(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }
  // Adds `key` (absent) as the most recently used, evicting the least recently used entry when full.
  V& put(const std::string& key, V value) {
    if (index_.size() >= capacity_) {
      auto& victim = order_.back();
      evict_(victim.second);
      index_.erase(victim.first);
      order_.pop_back();
    }
    order_.emplace_front(key, std::move(value));
    index_[key] = order_.begin();
    return order_.front().second;
  }
  void clear() {
    for (auto& [k, v] : order_) evict_(v);
    order_.clear();
    index_.clear();
  }
  std::size_t size() const { return index_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  std::size_t capacity_;
  std::function<void(V&)> evict_;
  std::list<std::pair<std::string, V>> order_;  // most recently used first
  std::unordered_map<std::string, typename std::list<std::pair<std::string, V>>::iterator> index_;
};
// Prepared statements kept per connection, on both databases.
inline constexpr std::size_t kStatementCacheSize = 256;

// One result row; every column arrives as text or NULL, typed on access.
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> names, std::vector<std::optional<std::string>> cols)
      : names_(std::move(names)), cols_(std::move(cols)) {}
  bool isNull(std::size_t i) const { return !cols_.at(i).has_value(); }
  bool isNull(std::string_view name) const { return isNull(index(name)); }
  std::string str(std::size_t i) const { return cols_.at(i).value_or(""); }
  std::string str(std::string_view name) const { return str(index(name)); }
  std::optional<std::string> optStr(std::string_view name) const { return cols_.at(index(name)); }
  std::int64_t i64(std::size_t i) const;
  std::int64_t i64(std::string_view name) const { return i64(index(name)); }
  std::optional<std::int64_t> optI64(std::string_view name) const {
    auto i = index(name);
    return isNull(i) ? std::nullopt : std::optional<std::int64_t>(i64(i));
  }
  std::optional<double> optF64(std::string_view name) const;
  bool boolean(std::string_view name) const { return i64(name) != 0; }
  std::size_t size() const { return cols_.size(); }
  std::size_t index(std::string_view name) const;

 private:
  std::shared_ptr<const std::vector<std::string>> names_;  // shared: a row may outlive its result
  std::vector<std::optional<std::string>> cols_;
};

struct Result {
  std::shared_ptr<std::vector<std::string>> names = std::make_shared<std::vector<std::string>>();
  std::vector<Row> rows;
  bool empty() const { return rows.empty(); }
  const Row& one() const {
    if (rows.empty()) throw DbError("expected a row, got none");
    return rows.front();
  }
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one or more statements without parameters (migrations, pragmas).
  virtual void execScript(const std::string& sql) = 0;
  virtual Result query(const std::string& sql, const Params& params = {}) = 0;
  // Runs an INSERT and returns the new row's `id`.
  virtual std::int64_t insert(const std::string& sql, const Params& params = {}) = 0;
  // Returns the number of rows changed.
  virtual std::int64_t exec(const std::string& sql, const Params& params = {}) = 0;
  // `write` takes the write lock up front (SQLite BEGIN IMMEDIATE) so a transaction never deadlocks on upgrade.
  virtual void begin(bool write) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  // Bulk-copy rows into a table (PostgreSQL COPY, SQLite prepared inserts).
  virtual void copyRows(const std::string& table, const std::vector<std::string>& columns,
                        const std::vector<Params>& rows) = 0;
  // Whether the connection is known to be unusable (it broke, or the server closed it while it sat idle);
  // the pool drops such a connection instead of lending it out again.
  virtual bool broken() { return false; }
};

class Database;

// A pooled connection, returned to the pool when the lease ends.
class Lease {
 public:
  Lease(Database* db, std::unique_ptr<Connection> c) : db_(db), conn_(std::move(c)) {}
  Lease(Lease&&) = default;
  ~Lease();
  Connection* operator->() { return conn_.get(); }
  Connection& operator*() { return *conn_; }

 private:
  Database* db_;
  std::unique_ptr<Connection> conn_;
};

// How often a transaction that failed with a RetryableError is run again, and what happens in between.
struct RetryPolicy {
  int attempts = 4;  // the first run and up to three more
  // Called before run `attempt + 1` with the failure of run `attempt`; the default logs it and sleeps a few
  // jittered milliseconds (the worker thread waits; the lock holder or the server gets a moment).
  std::function<void(int attempt, const RetryableError&)> beforeRetry;
};

class Database {
 public:
  using Connector = std::function<std::unique_ptr<Connection>()>;
  // url: "sqlite:PATH" or "postgresql://..." (also "postgres://").
  static std::unique_ptr<Database> open(const std::string& url, int poolSize = 8);
  // A pool over connections made by `connect` (tests use it to stand in a connection that fails on cue).
  static std::unique_ptr<Database> open(Dialect dialect, Connector connect, int poolSize);
  Dialect dialect() const { return dialect_; }
  const std::string& url() const { return url_; }
  Lease acquire();
  // Takes a connection back: idle again, or closed when it is broken (a new one is made on demand).
  void release(std::unique_ptr<Connection> c);
  // Connections open now (lent out and idle).
  int openConnections();
  void setRetryPolicy(RetryPolicy p);
  // Runs fn in a transaction; commits on return, rolls back on exception. A serialization failure, a deadlock,
  // SQLite's busy lock or a connection that broke before the commit runs fn again, on a fresh transaction, a
  // bounded number of times; fn must therefore only act through the connection (or be safe to repeat). A commit
  // whose outcome is unknown (the connection broke during it) is never run again: it surfaces as a DbError.
  template <class F>
  auto transact(bool write, F&& fn) {
    for (int attempt = 1;; ++attempt) {
      try {
        return transactOnce(write, fn);
      } catch (const RetryableError& e) {
        if (attempt >= retry_.attempts) throw;
        retry_.beforeRetry(attempt, e);
      }
    }
  }

 private:
  template <class F>
  auto transactOnce(bool write, F& fn) {
    auto c = acquire();
    c->begin(write);
    try {
      if constexpr (std::is_void_v<decltype(fn(*c))>) {
        fn(*c);
        commit(*c);
      } else {
        auto r = fn(*c);
        commit(*c);
        return r;
      }
    } catch (...) {
      try {
        if (!c->broken()) c->rollback();
      } catch (...) {
      }
      throw;
    }
  }
  static void commit(Connection& c);
  std::unique_ptr<Connection> connect();
  Connector connector_;
  RetryPolicy retry_;
  Dialect dialect_ = Dialect::Sqlite;
  std::string url_;
  std::string target_;
  int poolSize_ = 8;
  int open_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

std::unique_ptr<Connection> openSqlite(const std::string& path);
std::unique_ptr<Connection> openPostgres(const std::string& conninfo);
// Rewrites `?` placeholders to `$1, $2, ...`, leaving quoted text alone.
std::string toDollarParams(const std::string& sql);

}  // namespace steward::store
