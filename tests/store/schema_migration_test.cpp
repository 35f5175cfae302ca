// A store written by each earlier schema (tests/data/stores, made by make-stores there)
// opens, is brought up to the current schema, and keeps what it held.
#include <doctest/doctest.h>

#include <filesystem>

#include "../test_support.h"
#include "store/job_store.h"
#include "store/store_backup.h"

using namespace wardprint;

namespace {

constexpr int kEarlierSchemas = 3;
constexpr store::Millis kNow = 1'790'000'000'000;

std::string copyOfSchema(const testsupport::TempDir& dir, int version) {
  const auto path = dir.path("store.db");
  std::filesystem::copy_file(testsupport::sourceFile("tests/data/stores/schema-" + std::to_string(version) + ".db"),
                             path);
  return path;
}

// The digest and document id stored for the old store's event, or "" if none.
std::string knownEvent(const store::JobStore& store) {
  const auto event = store.event("ADT-OLD-1");
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
    // attempts (3) and the tombstones a purge leaves (4).
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
