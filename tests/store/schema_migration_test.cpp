// A store written by each earlier schema (tests/data/stores, made by make-stores there)
// opens, is brought up to the current schema, and keeps what it held.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>

#include "../test_support.h"
#include "store/job_store.h"
#include "store/schema.h"
#include "store/store_backup.h"
#include "util/intake_key.h"

using namespace wardprint;

namespace {

constexpr int kEarlierSchemas = 8;
constexpr store::Millis kNow = 1'790'000'000'000;

std::string copyOfSchema(const testsupport::TempDir& dir, int version) {
  const auto path = dir.path("store.db");
  std::filesystem::copy_file(testsupport::sourceFile("tests/data/stores/schema-" + std::to_string(version) + ".db"),
                             path);
  return path;
}

// The digest and document id stored for the old store's event, or "" if none.
std::string knownEvent(const store::JobStore& store) {
  const auto event = store.event(util::intakeKey("json", "ADT-OLD-1"));
  return event ? event->first + " " + event->second : "";
}

}  // namespace

TEST_CASE("a store of every earlier schema migrates on open and keeps its leaflets, events and jobs") {
  for (int version = 1; version <= kEarlierSchemas; ++version) {
    CAPTURE(version);
    testsupport::TempDir dir;
    const auto store = store::JobStore::open(copyOfSchema(dir, version));
    CHECK_FALSE(store->damage());
    const auto old = store->document("DOC-OLD-1");
    REQUIRE(old);
    CHECK(old->eventId == "ADT-OLD-1");
    REQUIRE(old->jobs.size() == 1);
    CHECK(std::string(store::toString(old->jobs[0].state)) == "printed");
    CHECK(knownEvent(*store) == "digest-1 DOC-OLD-1");
    CHECK(store->documentPdf("DOC-OLD-1").value_or("") == "%PDF-1.4");
    CHECK(store->audit({}).size() == (version >= 2 ? 1u : 0u));
    CHECK(old->jobs[0].abandoned.size() == (version >= 3 ? 1u : 0u));

    // What later schemas added works on the migrated store: the audit log (2), abandoned
    // attempts (3), the tombstones a purge leaves (4) and staff sessions (9).
    store->recordSignIn({}, "nurse.jones\n127.0.0.1", "a-digest", {"nurse.jones", "a-csrf-token"}, kNow);
    CHECK(store->useSession("a-digest", kNow - 1000, kNow).has_value());
    store->appendAudit({0, kNow, "admin.lee", "admin", "list", std::nullopt, "127.0.0.1", ""});
    CHECK(store->audit({}).size() == (version >= 2 ? 2u : 1u));
    store->abandonAttempt(old->jobs[0], "ward-7-laser", "pending", kNow);
    CHECK(store->pendingAbandoned("ward-7-laser").size() == 1);
    store->resolveAbandoned(store->pendingAbandoned("ward-7-laser").at(0).id, "cancelled", kNow);
    const auto purged = store->purge(kNow, 1.0, true, kNow);
    CHECK(purged.removed == 1);
    CHECK(store->documentCount() == 0);
    CHECK(knownEvent(*store) == "digest-1 DOC-OLD-1");  // its tombstone
  }
}

TEST_CASE("a store migrated once opens again unchanged") {
  testsupport::TempDir dir;
  const auto path = copyOfSchema(dir, 1);
  store::JobStore::open(path);
  const auto again = store::JobStore::open(path);
  CHECK(again->documentCount() == 1);
  CHECK_FALSE(again->damage());
}

TEST_CASE("restoring a backup of an earlier schema brings it up to date and says so") {
  testsupport::TempDir dir;
  const auto summary = store::restoreStore(testsupport::sourceFile("tests/data/stores/schema-2.db"), dir.path("new.db"));
  CHECK(summary.schemaVersion == 2);
  CHECK(summary.upgradedTo > 2);
  CHECK(summary.leaflets == 1);
  CHECK(store::JobStore::open(dir.path("new.db"))->document("DOC-OLD-1"));
}

// A store written before discharges were keyed by their intake key: its events, live and
// purged, are still known after the upgrade, so a late retry is never printed again.
namespace {


constexpr std::size_t kVersionBeforeIntakeKeys = 4;

void execute(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  const int status = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  REQUIRE_MESSAGE(status == SQLITE_OK, message);
}

// A store as schema version 4 left it: one live event and one purged.
void writeOldStore(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  for (std::size_t i = 0; i < kVersionBeforeIntakeKeys; ++i) execute(db, store::kSchemaMigrations[i]);
  execute(db, "PRAGMA user_version = 4");
  execute(db,
          "INSERT INTO documents VALUES ('DOC-1', 'ADT-1', 'digest-1', '{}', 'ward-7', 'RHQ1', 'A B', "
          "'vertebroplasty', 0, 'layout', 1, x'25', 0)");
  execute(db, "INSERT INTO events VALUES ('ADT-1', 'digest-1', 'DOC-1')");
  execute(db, "INSERT INTO purged_events VALUES ('ADT-0', 'digest-0', 'DOC-0', 0)");
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("a store from before intake keys knows its JSON events by their new key") {
  testsupport::TempDir dir;
  const auto path = dir.path("old.db");
  writeOldStore(path);
  const auto upgraded = store::JobStore::open(path);

  const auto live = upgraded->event(util::intakeKey("json", "ADT-1"));
  REQUIRE(live);
  CHECK(live->first == "digest-1");
  CHECK(live->second == "DOC-1");
  const auto purged = upgraded->event(util::intakeKey("json", "ADT-0"));
  REQUIRE(purged);
  CHECK(purged->second == "DOC-0");
  CHECK_FALSE(upgraded->event("ADT-1"));                           // the bare id is no key
  CHECK_FALSE(upgraded->event(util::intakeKey("hl7", "ADT-1")));  // nor another door's
  CHECK(upgraded->document("DOC-1")->eventId == "ADT-1");          // shown as sent
}
