// Backup and restore of a real SQLite store: a checked copy taken while the store is open
// for writing, put back only where there is no store.
#include "store/store_backup.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "../test_support.h"
#include "store/job_store.h"
#include "store/store_lock.h"
#include "util/intake_key.h"

using namespace wardprint;
namespace fs = std::filesystem;

namespace {

constexpr store::Millis kNow = 1'790'000'000'000;

// A store at `path` holding `count` queued leaflets, EV-0 onwards.
std::unique_ptr<store::JobStore> storeWithLeaflets(const std::string& path, int count) {
  auto store = store::JobStore::open(path, true);
  for (int i = 0; i < count; ++i) {
    store::NewDocument document;
    document.id = "DOC-" + std::to_string(i);
    document.eventId = "EV-" + std::to_string(i);
    document.intakeKey = util::intakeKey("json", document.eventId);
    document.eventHash = "hash";
    document.eventJson = "{}";
    document.pdf = std::string(2000, 'x');
    store->acceptDischarge(document, store::NewPrintJob{document.id, "laser", std::nullopt, 1, "discharge", "ward system"}, kNow);
  }
  return store;
}

}  // namespace

TEST_CASE("a backup of an open store is a checked copy that restores with every leaflet") {
  testsupport::TempDir dir;
  const auto live = storeWithLeaflets(dir.path("live.db"), 25);  // open, as under a running daemon
  const store::StoreLock daemonsLock(dir.path("live.db"));        // a backup does not need it

  const auto copy = store::backupStore(dir.path("live.db"), dir.path("nightly.db"));
  CHECK(copy.leaflets == 25);
  CHECK(copy.events == 25);
  CHECK(copy.schemaVersion >= 4);
  CHECK(copy.bytes == static_cast<std::int64_t>(fs::file_size(dir.path("nightly.db"))));
  CHECK_FALSE(fs::exists(dir.path("nightly.db-wal")));  // one self-contained file
  CHECK_FALSE(fs::exists(dir.path("nightly.db.partial")));

  const auto restored = store::restoreStore(dir.path("nightly.db"), dir.path("restored.db"));
  CHECK(restored.leaflets == 25);
  CHECK(restored.upgradedTo == 0);
  const auto store = store::JobStore::open(dir.path("restored.db"));
  CHECK(store->documentCount() == 25);
  CHECK(store->event(util::intakeKey("json", "EV-24")));
  CHECK(store->nextJob("laser", kNow, 0));  // the queued jobs came back too
}

TEST_CASE("restore refuses to put a backup where a store already is and names it") {
  testsupport::TempDir dir;
  storeWithLeaflets(dir.path("live.db"), 1);
  store::backupStore(dir.path("live.db"), dir.path("backup.db"));
  storeWithLeaflets(dir.path("other.db"), 3);
  CHECK_THROWS_WITH_AS(store::restoreStore(dir.path("backup.db"), dir.path("other.db")),
                       doctest::Contains((dir.path("other.db") + ": is already there").c_str()), store::StoreError);
  CHECK(store::JobStore::open(dir.path("other.db"))->documentCount() == 3);

  testsupport::writeFile(dir.path("leftover.db-wal"), "x");
  CHECK_THROWS_WITH_AS(store::restoreStore(dir.path("backup.db"), dir.path("leftover.db")),
                       doctest::Contains("leftover.db-wal: is already there"), store::StoreError);
  CHECK_FALSE(fs::exists(dir.path("leftover.db")));
}

TEST_CASE("a damaged store or a file that is not a store is neither backed up nor restored") {
  testsupport::TempDir dir;
  storeWithLeaflets(dir.path("live.db"), 200);
  testsupport::damageMiddleBlock(dir.path("live.db"));
  CHECK_THROWS_AS(store::backupStore(dir.path("live.db"), dir.path("backup.db")), store::StoreDamaged);
  CHECK_FALSE(fs::exists(dir.path("backup.db")));
  CHECK_FALSE(fs::exists(dir.path("backup.db.partial")));

  testsupport::writeFile(dir.path("notes.txt"), std::string(4096, 'n'));
  CHECK_THROWS_AS(store::restoreStore(dir.path("notes.txt"), dir.path("new.db")), store::StoreError);
  CHECK_FALSE(fs::exists(dir.path("new.db")));
  CHECK_THROWS_WITH_AS(store::restoreStore(dir.path("missing.db"), dir.path("new.db")),
                       doctest::Contains("there is no such backup file"), store::StoreError);
}
