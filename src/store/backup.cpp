#include "store/backup.h"

#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "store/db.h"

extern char** environ;

namespace steward::store {
namespace {

bool isSqlite(const std::string& url) { return url.rfind("sqlite:", 0) == 0; }
bool isPostgres(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}
std::string sqlitePath(const std::string& url) {
  auto p = url.substr(7);
  if (p.empty()) throw DbError("sqlite URL needs a path: sqlite:PATH");
  return p;
}

struct SqliteHandle {
  sqlite3* db = nullptr;
  ~SqliteHandle() { sqlite3_close_v2(db); }
};

void openSqliteFile(SqliteHandle& h, const std::string& path, int flags) {
  if (sqlite3_open_v2(path.c_str(), &h.db, flags, nullptr) != SQLITE_OK)
    throw DbError("cannot open " + path + ": " + (h.db ? sqlite3_errmsg(h.db) : "out of memory"));
  sqlite3_busy_timeout(h.db, 10000);
}

// Copies all of `from` into `to` in one step (one read transaction on `from`: a consistent snapshot), retrying
// while the source or target is busy.
void copyDatabase(sqlite3* from, sqlite3* to, const std::string& what) {
  std::unique_ptr<sqlite3_backup, int (*)(sqlite3_backup*)> b(sqlite3_backup_init(to, "main", from, "main"),
                                                                 sqlite3_backup_finish);
  if (!b) throw DbError(what + ": " + sqlite3_errmsg(to));
  for (int attempt = 0;; ++attempt) {
    int rc = sqlite3_backup_step(b.get(), -1);
    if (rc == SQLITE_DONE) break;
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && attempt < 400) {
      sqlite3_sleep(25);
      continue;
    }
    throw DbError(what + ": " + sqlite3_errstr(rc));
  }
  int rc = sqlite3_backup_finish(b.release());
  if (rc != SQLITE_OK) throw DbError(what + ": " + sqlite3_errstr(rc));
}

std::string scalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) throw DbError(sqlite3_errmsg(db));
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return out;
}

void fsyncDir(const std::filesystem::path& file) {
  auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Whether another connection has the WAL database open: each holds a shared lock on the "dead man switch"
// byte of the -shm file (byte 128, SQLite's unix VFS), which SQLite itself tests to know it is the first.
bool sqliteInUse(const std::string& path) {
  int fd = ::open((path + "-shm").c_str(), O_RDWR);
  if (fd < 0) return false;
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = 128;
  fl.l_len = 1;
  bool busy = ::fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
  ::close(fd);
  return busy;
}

void run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ);
  if (rc != 0) throw DbError("cannot run " + args[0] + ": " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw DbError(args[0] + " failed (" +
                  (WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status)) : std::string("signal")) + ")");
}

}  // namespace

void backupDatabase(const std::string& url, const std::string& file) {
  const std::filesystem::path out(file);
  const auto tmp = file + ".partial";
  std::filesystem::remove(tmp);
  // A backup holds password hashes: only its owner may read it.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw DbError("cannot create " + tmp + ": " + std::strerror(errno));
  ::close(fd);
  if (isSqlite(url)) {
    const auto path = sqlitePath(url);
    if (!std::filesystem::exists(path)) throw DbError("no database at " + path);
    {
      SqliteHandle src, dst;
      openSqliteFile(src, path, SQLITE_OPEN_READWRITE);
      openSqliteFile(dst, tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      copyDatabase(src.db, dst.db, "backup of " + path);
      // A backup is one self-contained file.
      scalar(dst.db, "PRAGMA journal_mode=DELETE");
      auto check = scalar(dst.db, "PRAGMA quick_check");
      if (check != "ok") throw DbError("backup of " + path + " failed its check: " + check);
    }
  } else if (isPostgres(url)) {
    run({"pg_dump", "--format=custom", "--no-owner", "--file=" + tmp, "--dbname=" + url});
  } else {
    throw DbError("unknown database URL (use sqlite:PATH or postgresql://...): " + url);
  }
  std::filesystem::rename(tmp, out);
  fsyncDir(out);
}

void restoreDatabase(const std::string& url, const std::string& file, bool force) {
  if (!std::filesystem::exists(file)) throw DbError("no backup at " + file);
  if (isSqlite(url)) {
    const auto path = sqlitePath(url);
    if (sqliteInUse(path))
      throw DbError(path + " is open in another process (a running server?): stop it before restoring");
    SqliteHandle src, dst;
    openSqliteFile(src, file, SQLITE_OPEN_READONLY);
    if (scalar(src.db, "PRAGMA quick_check") != "ok") throw DbError(file + " is not an intact SQLite backup");
    if (!path.empty() && std::filesystem::path(path).has_parent_path())
      std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    openSqliteFile(dst, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!force && scalar(dst.db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") != "0")
      throw DbError(path + " already holds a database; restore into an empty one, or pass --force to replace it");
    // Through the backup API the replacement is one transaction of the target: all of it or none.
    copyDatabase(src.db, dst.db, "restore into " + path);
    scalar(dst.db, "PRAGMA journal_mode=WAL");
    return;
  }
  if (!isPostgres(url)) throw DbError("unknown database URL (use sqlite:PATH or postgresql://...): " + url);
  if (!force) {
    auto db = Database::open(url, 1);
    auto c = db->acquire();
    auto n = c->query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()")
                 .one()
                 .i64(0);
    if (n > 0)
      throw DbError("the database already holds tables; restore into an empty one, or pass --force to replace it");
  }
  std::vector<std::string> args = {"pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
                                   "--dbname=" + url};
  if (force) args.insert(args.begin() + 1, {"--clean", "--if-exists"});
  args.push_back(file);
  run(args);
}

}  // namespace steward::store
