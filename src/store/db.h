// The thin database layer: one interface over SQLite (WAL) and PostgreSQL (libpq).
// SQL is written once with `?` placeholders; dialect differences live in this folder only.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <optional>
#include <stdexcept>
#include <string>
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

class Database {
 public:
  // url: "sqlite:PATH" or "postgresql://..." (also "postgres://").
  static std::unique_ptr<Database> open(const std::string& url, int poolSize = 8);
  Dialect dialect() const { return dialect_; }
  const std::string& url() const { return url_; }
  Lease acquire();
  void release(std::unique_ptr<Connection> c);
  // Runs fn in a transaction; commits on return, rolls back on exception.
  template <class F>
  auto transact(bool write, F&& fn) {
    auto c = acquire();
    c->begin(write);
    try {
      if constexpr (std::is_void_v<decltype(fn(*c))>) {
        fn(*c);
        c->commit();
      } else {
        auto r = fn(*c);
        c->commit();
        return r;
      }
    } catch (...) {
      try {
        c->rollback();
      } catch (...) {
      }
      throw;
    }
  }

 private:
  std::unique_ptr<Connection> connect();
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
