// SQLite connection: WAL, synchronous=FULL (acknowledged writes survive a crash), foreign keys on.
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <string_view>

#include "store/db.h"

namespace steward::store {
namespace {

// A prepared statement borrowed from the connection's cache; reset (not finalized) when done.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  ~Stmt() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  void bind(const Params& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      int idx = (int)i + 1, rc;
      if (std::holds_alternative<Null>(params[i])) {
        rc = sqlite3_bind_null(st_, idx);
      } else if (auto* v = std::get_if<std::int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(st_, idx, *v);
      } else {
        const auto& s = std::get<std::string>(params[i]);
        rc = sqlite3_bind_text(st_, idx, s.data(), (int)s.size(), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) throw DbError(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
    }
  }
  // Binds a row without clearing the statement's other state (bulk inserts reuse one statement).
  void rebind(const Params& params) {
    sqlite3_reset(st_);
    bind(params);
  }
  int step() {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) return rc;
    raise(classifySqlite(sqlite3_extended_errcode(db_)), std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  sqlite3_stmt* get() { return st_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw DbError("cannot open sqlite database " + path + ": " + msg);
    }
    busyTimeout_ = std::chrono::milliseconds(busyTimeoutMs());
    sqlite3_busy_handler(db_, &SqliteConnection::onBusy, this);
    execScript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
        "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32000;");
  }
  ~SqliteConnection() override {
    cache_.clear();
    sqlite3_close_v2(db_);
  }
  Dialect dialect() const override { return Dialect::Sqlite; }

  void execScript(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown";
      sqlite3_free(err);
      raise(classifySqlite(sqlite3_extended_errcode(db_)), "sqlite: " + msg);
    }
  }

  Result query(const std::string& sql, const Params& params) override {
    Stmt st(db_, prepare(sql));
    st.bind(params);
    Result r;
    int n = sqlite3_column_count(st.get());
    for (int i = 0; i < n; ++i) r.names->push_back(sqlite3_column_name(st.get(), i));
    while (st.step() == SQLITE_ROW) {
      std::vector<std::optional<std::string>> cols(n);
      for (int i = 0; i < n; ++i) {
        if (sqlite3_column_type(st.get(), i) == SQLITE_NULL) continue;
        auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), i));
        cols[i] = std::string(t, sqlite3_column_bytes(st.get(), i));
      }
      r.rows.emplace_back(r.names, std::move(cols));
    }
    return r;
  }

  std::int64_t insert(const std::string& sql, const Params& params) override {
    Stmt st(db_, prepare(sql));
    st.bind(params);
    st.step();
    return sqlite3_last_insert_rowid(db_);
  }

  std::int64_t exec(const std::string& sql, const Params& params) override {
    Stmt st(db_, prepare(sql));
    st.bind(params);
    while (st.step() == SQLITE_ROW) {
    }
    return sqlite3_changes(db_);
  }

  void begin(bool write) override { execScript(write ? "BEGIN IMMEDIATE" : "BEGIN"); }
  void commit() override { execScript("COMMIT"); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) execScript("ROLLBACK");
  }

  void copyRows(const std::string& table, const std::vector<std::string>& columns,
                const std::vector<Params>& rows) override {
    std::string sql = "INSERT INTO " + table + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? "," : "") + columns[i];
    sql += ") VALUES (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += i ? ",?" : "?";
    sql += ")";
    Stmt st(db_, prepare(sql));
    for (const auto& row : rows) {
      st.rebind(row);
      st.step();
    }
  }

 private:
  // How long a statement waits for another writer's lock before failing with SQLITE_BUSY (then the transaction
  // is retried): 10 s, or STEWARD_SQLITE_BUSY_TIMEOUT_MS.
  static int busyTimeoutMs() {
    const char* v = std::getenv("STEWARD_SQLITE_BUSY_TIMEOUT_MS");
    if (!v || !*v) return 10000;
    char* end = nullptr;
    long ms = std::strtol(v, &end, 10);
    return *end || ms < 0 || ms > 600000 ? 10000 : static_cast<int>(ms);
  }

  // Prepared statements are kept per connection, the least recently used dropped beyond kStatementCacheSize
  // (some queries are built from filters). A statement is only in use while one call runs, never across calls.
  sqlite3_stmt* prepare(const std::string& sql) {
    if (auto* st = cache_.find(sql)) return *st;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), (int)sql.size(), SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
      raise(classifySqlite(sqlite3_extended_errcode(db_)), std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
    return cache_.put(sql, st);
  }
  sqlite3* db_ = nullptr;
  std::chrono::milliseconds busyTimeout_{0};
  std::chrono::steady_clock::time_point busySince_;

  // Waits for another writer's lock in short, flat steps (sqliteBusyDelay) up to the busy timeout, then fails with
  // SQLITE_BUSY. Runs on the waiting thread, for one statement at a time on this connection.
  static int onBusy(void* self, int count) {
    auto* c = static_cast<SqliteConnection*>(self);
    const auto now = std::chrono::steady_clock::now();
    if (count == 0) c->busySince_ = now;
    if (now - c->busySince_ >= c->busyTimeout_) return 0;
    std::this_thread::sleep_for(sqliteBusyDelay(count));
    return 1;
  }
  LruCache<sqlite3_stmt*> cache_{kStatementCacheSize, [](sqlite3_stmt*& st) { sqlite3_finalize(st); }};
};

}  // namespace

std::unique_ptr<Connection> openSqlite(const std::string& path) { return std::make_unique<SqliteConnection>(path); }

}  // namespace steward::store
