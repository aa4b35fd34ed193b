// Backup and restore of a whole database, beside a live server.
//   SQLite: the online backup API (sqlite3_backup_*): a consistent copy taken in one read transaction, which
//   in WAL mode never blocks the server's writers; restore copies a backup into the target through the same API.
//   PostgreSQL: pg_dump -Fc (one repeatable-read snapshot) and pg_restore, run as child processes.
#pragma once
#include <string>

namespace steward::store {

// Copies the database at `url` into `file` (written beside it, then renamed into place: a reader of `file`
// never sees half a backup).
void backupDatabase(const std::string& url, const std::string& file);

// Restores `file` into the database at `url`. Refuses a database that already holds tables unless `force`
// (then its content is replaced). SQLite refuses while any other process has the database open (a running
// server): stop it first.
void restoreDatabase(const std::string& url, const std::string& file, bool force);

}  // namespace steward::store
