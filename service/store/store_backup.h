#pragma once

#include <cstdint>
#include <string>

namespace wardprint::store {

// What a backup or a restore copied. Every copy has passed PRAGMA integrity_check.
struct CopySummary {
  int schemaVersion = 0;     // of the copy as it was taken
  std::int64_t leaflets = 0;  // documents
  std::int64_t events = 0;    // accepted events, purged ones included
  std::int64_t bytes = 0;     // size of the file written
  int upgradedTo = 0;         // restore: the schema an older copy was brought up to, else 0
};

// Copies the store at `storePath` to `outPath` with SQLite's online backup API while a
// daemon may be writing it: the copy is of one moment (a WAL reader neither waits for the
// daemon nor makes it wait), so it needs no StoreLock. The copy is written beside
// `outPath`, checked, synced and renamed into place: `outPath` is a whole, checked copy
// or is left as it was. Both calls refuse (StoreError) to run as a user other than the
// owner of the store's folder, whose files SQLite would otherwise leave behind. Throws StoreError (StoreDamaged when the copy fails its check).
CopySummary backupStore(const std::string& storePath, const std::string& outPath);

// Puts the backup at `backupPath` back as the store at `storePath`, where there must be
// no store yet: throws StoreError naming what is in the way (the store file or its -wal).
// Checks the backup first (integrity_check, a schema this wardprint knows), copies it,
// then opens it as the daemon does, which brings an older schema up to date. Holds the
// store's StoreLock meanwhile (throws StoreError when a daemon has it).
CopySummary restoreStore(const std::string& backupPath, const std::string& storePath);

}  // namespace wardprint::store
