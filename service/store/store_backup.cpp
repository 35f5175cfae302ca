#include "store/store_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "store/job_store.h"
#include "store/schema.h"
#include "store/sqlite_statement.h"
#include "store/store_lock.h"

namespace wardprint::store {
namespace {
namespace fs = std::filesystem;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

Db openDb(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int result = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw);
  if (result != SQLITE_OK) {
    throw StoreError(path + ": cannot open: " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

// Copies all of `from` into `to` in one step, so the copy is of a single moment.
void copyDatabase(sqlite3* from, sqlite3* to, const std::string& what) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) throw StoreError(what + ": " + sqlite3_errmsg(to));
  int result = SQLITE_OK;
  for (int tries = 0; tries < 100; ++tries) {
    result = sqlite3_backup_step(backup, -1);
    if (result != SQLITE_BUSY && result != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sqlite3_backup_finish(backup);
  if (result == SQLITE_CORRUPT || result == SQLITE_NOTADB) {
    throw StoreDamaged(what + ": the store is damaged: " + sqlite3_errstr(result));
  }
  if (result != SQLITE_DONE) throw StoreError(what + ": " + sqlite3_errstr(result));
}

// The copy's integrity, schema and counts; throws StoreDamaged naming `path` when damaged.
CopySummary summarize(sqlite3* db, const std::string& path) {
  std::string problems;
  try {
    Statement check(db, "PRAGMA integrity_check");
    while (check.step() && problems.size() < 300) {
      if (check.text(0) != "ok") problems += (problems.empty() ? "" : "; ") + check.text(0);
    }
  } catch (const StoreError& e) {
    problems = e.what();
  }
  if (!problems.empty()) throw StoreDamaged(path + ": failed its integrity check (" + problems + ")");
  CopySummary summary;
  Statement version(db, "PRAGMA user_version");
  version.step();
  summary.schemaVersion = static_cast<int>(version.integer(0));
  if (summary.schemaVersion == 0) throw StoreError(path + ": is not a wardprint store");
  if (summary.schemaVersion > static_cast<int>(kSchemaVersion)) {
    throw StoreError(path + ": was written by a newer wardprint (schema " + std::to_string(summary.schemaVersion) + ")");
  }
  Statement leaflets(db, "SELECT COUNT(*) FROM documents");
  leaflets.step();
  summary.leaflets = leaflets.integer(0);
  // purged_events came with schema 4.
  Statement events(db, summary.schemaVersion >= 4
                           ? "SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM purged_events)"
                           : "SELECT COUNT(*) FROM events");
  events.step();
  summary.events = events.integer(0);
  return summary;
}

void syncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    if (fd >= 0) ::close(fd);
    throw StoreError(path + ": cannot be synced to disk");
  }
  ::close(fd);
}

// Renames the finished `temporary` to `path` durably.
void moveIntoPlace(const std::string& temporary, const std::string& path) {
  syncPath(temporary, O_RDONLY);
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) throw StoreError(path + ": cannot be written: " + error.message());
  const auto folder = fs::absolute(path).parent_path().string();
  syncPath(folder, O_RDONLY | O_DIRECTORY);
}

// Copies `fromPath` to a new file `toPath`, in `journalMode`, and checks the copy.
CopySummary copyAndCheck(const std::string& fromPath, const std::string& toPath, const char* journalMode) {
  std::error_code ignored;
  fs::remove(toPath, ignored);
  try {
    const auto from = openDb(fromPath, SQLITE_OPEN_READONLY);
    const auto to = openDb(toPath, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    copyDatabase(from.get(), to.get(), "copying " + fromPath + " to " + toPath);
    execute(to.get(), (std::string("PRAGMA journal_mode = ") + journalMode).c_str());
    auto summary = summarize(to.get(), toPath);
    summary.bytes = static_cast<std::int64_t>(fs::file_size(toPath));
    return summary;
  } catch (...) {
    fs::remove(toPath, ignored);
    fs::remove(toPath + "-wal", ignored);
    fs::remove(toPath + "-shm", ignored);
    throw;
  }
}

// SQLite makes the -wal and -shm files beside the store as the user running it: a copy made
// by root would leave files the daemon's user cannot open.
void requireFolderOwner(const std::string& storePath) {
  const auto folder = fs::absolute(storePath).parent_path().string();
  struct stat info {};
  if (::stat(folder.c_str(), &info) == 0 && info.st_uid != ::geteuid()) {
    throw StoreError(folder + ": belongs to another user; run this as that user (for an installed wardprint: "
                              "runuser -u wardprint -- wardprint ...) so the store's files stay theirs");
  }
}

}  // namespace

CopySummary backupStore(const std::string& storePath, const std::string& outPath) {
  if (!fs::is_regular_file(storePath)) throw StoreError(storePath + ": there is no store file to back up");
  requireFolderOwner(storePath);
  const auto temporary = outPath + ".partial";
  // A backup is one self-contained file, so it is not in WAL mode.
  const auto summary = copyAndCheck(storePath, temporary, "DELETE");
  moveIntoPlace(temporary, outPath);
  return summary;
}

CopySummary restoreStore(const std::string& backupPath, const std::string& storePath) {
  requireFolderOwner(storePath);
  const StoreLock lock(storePath);  // no daemon on it meanwhile
  for (const auto& inTheWay : {storePath, storePath + "-wal"}) {
    if (fs::exists(inTheWay)) {
      throw StoreError(inTheWay + ": is already there; restore puts a backup back only where there is no store. "
                                  "Move it aside first (with the daemon stopped)");
    }
  }
  if (!fs::is_regular_file(backupPath)) throw StoreError(backupPath + ": there is no such backup file");
  const auto temporary = storePath + ".restoring";
  auto summary = copyAndCheck(backupPath, temporary, "WAL");
  moveIntoPlace(temporary, storePath);
  JobStore::open(storePath);  // brings an older schema up to date, and checks it as the daemon would
  if (summary.schemaVersion < static_cast<int>(kSchemaVersion)) summary.upgradedTo = static_cast<int>(kSchemaVersion);
  return summary;
}

}  // namespace wardprint::store
