// PostgreSQL connection over libpq: text-format parameters, prepared statements cached per connection.
#include <libpq-fe.h>
#include <poll.h>

#include "store/db.h"

namespace steward::store {
namespace {

struct PgResult {
  PGresult* r;
  ~PgResult() { PQclear(r); }
};

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& conninfo) {
    conn_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      // Retryable: a server that is restarting or failing over refuses connections for a moment.
      throw RetryableError(Fault::ConnectionLost, "cannot connect to postgresql: " + msg);
    }
    execScript("SET client_min_messages = warning; SET TIME ZONE 'UTC'");
  }
  ~PgConnection() override {
    broken_ = true;  // no DEALLOCATE on the way out: closing the session drops its statements
    prepared_.clear();
    PQfinish(conn_);
  }
  Dialect dialect() const override { return Dialect::Postgres; }

  void execScript(const std::string& sql) override {
    PgResult r{PQexec(conn_, sql.c_str())};
    check(r.r);
  }

  bool broken() override {
    if (broken_ || PQstatus(conn_) != CONNECTION_OK) return broken_ = true;
    // Between statements nothing should arrive; readable means the server said goodbye (a restart sends
    // 57P01 admin_shutdown and closes) or the socket closed. Either way a new connection is the safe choice.
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      pollfd p{PQsocket(conn_), POLLIN, 0};
      if (p.fd < 0 || ::poll(&p, 1, 0) != 0) return broken_ = true;
    }
    return false;
  }

  Result query(const std::string& sql, const Params& params) override {
    PgResult r{run(sql, params)};
    Result out;
    int nf = PQnfields(r.r), nt = PQntuples(r.r);
    for (int i = 0; i < nf; ++i) out.names->push_back(PQfname(r.r, i));
    out.rows.reserve(nt);
    for (int t = 0; t < nt; ++t) {
      std::vector<std::optional<std::string>> cols(nf);
      for (int i = 0; i < nf; ++i)
        if (!PQgetisnull(r.r, t, i)) cols[i] = std::string(PQgetvalue(r.r, t, i), PQgetlength(r.r, t, i));
      out.rows.emplace_back(out.names, std::move(cols));
    }
    return out;
  }

  std::int64_t insert(const std::string& sql, const Params& params) override {
    auto res = query(sql + " RETURNING id", params);
    return res.one().i64(0);
  }

  std::int64_t exec(const std::string& sql, const Params& params) override {
    PgResult r{run(sql, params)};
    const char* n = PQcmdTuples(r.r);
    return n && *n ? std::stoll(n) : 0;
  }

  void begin(bool) override { execScript("BEGIN"); }
  void commit() override { execScript("COMMIT"); }
  void rollback() override {
    auto ts = PQtransactionStatus(conn_);
    if (ts != PQTRANS_IDLE && ts != PQTRANS_UNKNOWN) execScript("ROLLBACK");
  }

  void copyRows(const std::string& table, const std::vector<std::string>& columns,
                const std::vector<Params>& rows) override {
    std::string sql = "COPY " + table + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? "," : "") + columns[i];
    sql += ") FROM STDIN";
    {
      PgResult r{PQexec(conn_, sql.c_str())};
      if (PQresultStatus(r.r) != PGRES_COPY_IN) check(r.r);
    }
    std::string buf;
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i) buf += '\t';
        if (std::holds_alternative<Null>(row[i])) {
          buf += "\\N";
        } else if (auto* v = std::get_if<std::int64_t>(&row[i])) {
          buf += std::to_string(*v);
        } else {
          for (char ch : std::get<std::string>(row[i])) {
            switch (ch) {
              case '\\': buf += "\\\\"; break;
              case '\t': buf += "\\t"; break;
              case '\n': buf += "\\n"; break;
              case '\r': buf += "\\r"; break;
              default: buf += ch;
            }
          }
        }
      }
      buf += '\n';
      if (buf.size() > (1 << 20)) flushCopy(buf);
    }
    flushCopy(buf);
    if (PQputCopyEnd(conn_, nullptr) != 1) fail(nullptr);
    for (;;) {
      PGresult* r = PQgetResult(conn_);
      if (!r) break;
      PgResult g{r};
      check(r);
    }
  }

 private:
  void flushCopy(std::string& buf) {
    if (!buf.empty() && PQputCopyData(conn_, buf.data(), (int)buf.size()) != 1) fail(nullptr);
    buf.clear();
  }

  PGresult* run(const std::string& sql, const Params& params) {
    const std::string* name = prepared_.find(sql);
    if (!name) {
      std::string fresh = "s" + std::to_string(++statements_);  // names are never reused, even after eviction
      PgResult r{PQprepare(conn_, fresh.c_str(), toDollarParams(sql).c_str(), 0, nullptr)};
      check(r.r);
      name = &prepared_.put(sql, std::move(fresh));
    }
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (std::holds_alternative<Null>(params[i])) {
        values[i] = nullptr;
        continue;
      }
      if (auto* v = std::get_if<std::int64_t>(&params[i]))
        text[i] = std::to_string(*v);
      else
        text[i] = std::get<std::string>(params[i]);
      values[i] = text[i].c_str();
    }
    PGresult* r = PQexecPrepared(conn_, name->c_str(), (int)params.size(), values.data(), nullptr, nullptr, 0);
    try {
      check(r);
    } catch (...) {
      PQclear(r);
      throw;
    }
    return r;
  }

  void check(PGresult* r) {
    auto st = PQresultStatus(r);  // a null result (out of memory, connection gone) is PGRES_FATAL_ERROR
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_COPY_IN) return;
    fail(r);
  }

  [[noreturn]] void fail(PGresult* r) {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const char* text = r ? PQresultErrorMessage(r) : "";
    std::string msg = std::string("postgresql: ") + (text && *text ? text : PQerrorMessage(conn_));
    auto fault = classifyPostgres(state, PQstatus(conn_) == CONNECTION_BAD);
    if (fault == Fault::ConnectionLost) broken_ = true;  // never lent out again
    raise(fault, msg);
  }

  // Drops a statement evicted from the cache; a failure only leaves it allocated until the session ends.
  void deallocate(const std::string& name) {
    if (broken_ || PQstatus(conn_) != CONNECTION_OK) return;
    PGresult* r = PQexec(conn_, ("DEALLOCATE " + name).c_str());
    PQclear(r);
  }

  PGconn* conn_ = nullptr;
  bool broken_ = false;
  std::uint64_t statements_ = 0;
  LruCache<std::string> prepared_{kStatementCacheSize, [this](std::string& name) { deallocate(name); }};
};

}  // namespace

std::unique_ptr<Connection> openPostgres(const std::string& conninfo) {
  return std::make_unique<PgConnection>(conninfo);
}

}  // namespace steward::store
