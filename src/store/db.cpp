#include "store/db.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>

namespace steward::store {

std::int64_t Row::i64(std::size_t i) const {
  const auto& c = cols_.at(i);
  if (!c) return 0;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(c->data(), c->data() + c->size(), v);
  if (ec != std::errc()) {
    // PostgreSQL may render booleans as t/f.
    if (*c == "t") return 1;
    if (*c == "f") return 0;
    throw DbError("column is not an integer: " + (*names_)[i]);
  }
  return v;
}

std::optional<double> Row::optF64(std::string_view name) const {
  auto i = index(name);
  if (isNull(i)) return std::nullopt;
  return std::strtod(cols_[i]->c_str(), nullptr);
}

std::size_t Row::index(std::string_view name) const {
  for (std::size_t i = 0; i < names_->size(); ++i)
    if ((*names_)[i] == name) return i;
  throw DbError("no such column in result: " + std::string(name));
}

Fault classifyPostgres(const char* sqlstate, bool connectionBad) {
  const std::string_view st = sqlstate ? sqlstate : "";
  // Class 08 (connection exception), 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now.
  if (connectionBad || st.rfind("08", 0) == 0 || st == "57P01" || st == "57P02" || st == "57P03")
    return Fault::ConnectionLost;
  if (st == "40001" || st == "40P01") return Fault::Conflict;
  if (st.rfind("23", 0) == 0) return Fault::Constraint;
  return Fault::Other;
}

std::chrono::microseconds sqliteBusyDelay(int count) {
  return std::chrono::microseconds(count < 10 ? 100 : 1000);
}

Fault classifySqlite(int extendedCode) {
  switch (extendedCode & 0xff) {
    case 5:   // SQLITE_BUSY (also BUSY_SNAPSHOT, BUSY_RECOVERY)
    case 6:   // SQLITE_LOCKED (also LOCKED_SHAREDCACHE)
      return Fault::Busy;
    case 19:  // SQLITE_CONSTRAINT
      return Fault::Constraint;
    default:
      return Fault::Other;
  }
}

void raise(Fault f, const std::string& msg) {
  switch (f) {
    case Fault::Constraint: throw ConstraintError(msg);
    case Fault::Conflict:
    case Fault::Busy:
    case Fault::ConnectionLost: throw RetryableError(f, msg);
    case Fault::Other: break;
  }
  throw DbError(msg);
}

namespace {
const char* faultName(Fault f) {
  switch (f) {
    case Fault::Conflict: return "serialization conflict";
    case Fault::Busy: return "database busy";
    case Fault::ConnectionLost: return "connection lost";
    default: return "failure";
  }
}

// Logs the failure and waits 5–20 ms, 20–80 ms, 45–180 ms...: short, jittered so that retrying writers spread out.
void logAndBackOff(int attempt, const RetryableError& e) {
  std::fprintf(stderr, "warning: database: %s, retrying the transaction (attempt %d): %s\n", faultName(e.fault),
               attempt + 1, e.what());
  thread_local std::minstd_rand rng(std::random_device{}());
  const int base = 5 * attempt * attempt;
  std::this_thread::sleep_for(std::chrono::milliseconds(base + static_cast<int>(rng() % (3 * base + 1))));
}
}  // namespace

void Database::commit(Connection& c) {
  try {
    c.commit();
  } catch (const RetryableError& e) {
    // The COMMIT may have reached the server and taken effect: running the transaction again could apply it twice.
    if (e.fault == Fault::ConnectionLost)
      throw DbError(std::string("connection lost during commit, outcome unknown: ") + e.what());
    throw;  // a conflict or a busy lock at commit: the transaction did not take effect
  }
}

Lease::~Lease() {
  if (conn_ && db_) db_->release(std::move(conn_));
}

std::unique_ptr<Database> Database::open(const std::string& url, int poolSize) {
  auto db = std::make_unique<Database>();
  db->retry_.beforeRetry = logAndBackOff;
  db->url_ = url;
  db->poolSize_ = poolSize < 1 ? 1 : poolSize;
  if (url.rfind("sqlite:", 0) == 0) {
    db->dialect_ = Dialect::Sqlite;
    db->target_ = url.substr(7);
    if (db->target_.empty()) throw DbError("sqlite URL needs a path: sqlite:PATH");
  } else if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    db->dialect_ = Dialect::Postgres;
    db->target_ = url;
  } else {
    throw DbError("unknown database URL (use sqlite:PATH or postgresql://...): " + url);
  }
  const auto target = db->target_;
  db->connector_ = db->dialect_ == Dialect::Sqlite ? Connector([target] { return openSqlite(target); })
                                                   : Connector([target] { return openPostgres(target); });
  db->release(db->connect());  // fail early when the database cannot be opened
  return db;
}

std::unique_ptr<Database> Database::open(Dialect dialect, Connector connect, int poolSize) {
  auto db = std::make_unique<Database>();
  db->retry_.beforeRetry = logAndBackOff;
  db->dialect_ = dialect;
  db->poolSize_ = poolSize < 1 ? 1 : poolSize;
  db->connector_ = std::move(connect);
  return db;
}

std::unique_ptr<Connection> Database::connect() { return connector_(); }

void Database::setRetryPolicy(RetryPolicy p) {
  if (p.attempts < 1) p.attempts = 1;
  if (!p.beforeRetry) p.beforeRetry = logAndBackOff;
  retry_ = std::move(p);
}

int Database::openConnections() {
  std::lock_guard g(mu_);
  return open_;
}

Lease Database::acquire() {
  std::unique_lock lk(mu_);
  for (;;) {
    while (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      if (!c->broken()) return Lease(this, std::move(c));
      // The server closed it while it sat idle (a restart): close it and try the next, or make a new one.
      --open_;
      lk.unlock();
      c.reset();
      lk.lock();
    }
    if (open_ < poolSize_) {
      ++open_;
      lk.unlock();
      try {
        return Lease(this, connect());
      } catch (...) {
        std::lock_guard g(mu_);
        --open_;
        throw;
      }
    }
    cv_.wait(lk);
  }
}

void Database::release(std::unique_ptr<Connection> c) {
  const bool drop = c->broken();
  {
    std::lock_guard g(mu_);
    if (open_ == 0) open_ = 1;  // the probe connection made by open()
    if (drop)
      --open_;
    else
      idle_.push_back(std::move(c));
  }
  c.reset();  // a broken connection is closed outside the lock
  cv_.notify_one();
}

std::string toDollarParams(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char ch : sql) {
    if (quote) {
      if (ch == quote) quote = 0;
      out += ch;
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
      out += ch;
    } else if (ch == '?') {
      out += '$' + std::to_string(++n);
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace steward::store
