#include "store/db.h"

#include <charconv>
#include <cstdlib>

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

Lease::~Lease() {
  if (conn_ && db_) db_->release(std::move(conn_));
}

std::unique_ptr<Database> Database::open(const std::string& url, int poolSize) {
  auto db = std::make_unique<Database>();
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
  db->release(db->connect());  // fail early when the database cannot be opened
  return db;
}

std::unique_ptr<Connection> Database::connect() {
  return dialect_ == Dialect::Sqlite ? openSqlite(target_) : openPostgres(target_);
}

Lease Database::acquire() {
  std::unique_lock lk(mu_);
  for (;;) {
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
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
  {
    std::lock_guard g(mu_);
    if (open_ == 0) open_ = 1;  // the probe connection made by open()
    idle_.push_back(std::move(c));
  }
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
