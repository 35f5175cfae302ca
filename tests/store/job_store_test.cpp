// The store's own guards, on a real SQLite file: retention by the event's own times with a
// cap per pass and tombstones, refusing a missing or empty file, a damaged store, and the
// printers a job left on its way to the fallback (kept across the schema's migration).
#include "store/job_store.h"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <unistd.h>

#include "../test_support.h"
#include "store/schema.h"
#include "store/store_lock.h"

using namespace wardprint;

namespace {

constexpr store::Millis kDay = 24LL * 3600 * 1000;
constexpr store::Millis kNow = 1'790'000'000'000;  // 2026-09-21, the "real" time of the tests

// Accepts an event stored at `storedAt` and discharged at `dischargedAt`, for printer
// "laser" (falling back to "spare", when asked); returns its print job's id.
std::int64_t accept(store::JobStore& store, const std::string& eventId, store::Millis storedAt,
                    store::Millis dischargedAt, bool withFallback = false) {
  store::NewDocument document;
  document.id = "DOC-" + eventId;
  document.eventId = eventId;
  document.intakeKey = eventId;
  document.eventHash = "digest-" + eventId;
  document.eventJson = "{}";
  document.ward = "ward-7";
  document.dischargedAt = dischargedAt;
  document.pdf = "%PDF-1.4";
  store::NewPrintJob job;
  job.documentId = document.id;
  job.printer = "laser";
  if (withFallback) job.fallbackPrinter = "spare";
  store.acceptDischarge(document, job, storedAt);
  return store.document(document.id)->jobs.at(0).id;
}

// The same, printed at once; returns the document id.
std::string addPrinted(store::JobStore& store, const std::string& eventId, store::Millis storedAt,
                       store::Millis dischargedAt) {
  store.markPrinted(accept(store, eventId, storedAt, dischargedAt), storedAt);
  return "DOC-" + eventId;
}

std::unique_ptr<store::JobStore> tenMinutesOld(const testsupport::TempDir& dir) {
  auto store = store::JobStore::open(dir.path("store.db"), true);
  for (int i = 0; i < 10; ++i) addPrinted(*store, "EV-" + std::to_string(i), kNow - 10 * 60000, kNow - 20 * 60000);
  return store;
}

}  // namespace

TEST_CASE("a clock 100 days fast does not empty the store: the pass is refused and says so") {
  testsupport::TempDir dir;
  auto store = tenMinutesOld(dir);
  const store::Millis fastNow = kNow + 100 * kDay;
  const auto result = store->purge(fastNow - 90 * kDay, 0.2, false, fastNow);
  CHECK(result.refused);
  CHECK(result.removed == 0);
  CHECK(result.eligible == 10);
  CHECK(result.total == 10);
  CHECK(store->documentCount() == 10);
}

TEST_CASE("retention goes by the event's own discharge time too, not only when it was stored") {
  testsupport::TempDir dir;
  auto store = store::JobStore::open(dir.path("store.db"), true);
  // Stored "100 days ago" by a clock that was wrong, but discharged minutes ago.
  addPrinted(*store, "YOUNG", kNow - 100 * kDay, kNow - 60000);
  for (int i = 0; i < 9; ++i) addPrinted(*store, "KEEP-" + std::to_string(i), kNow, kNow);
  const auto result = store->purge(kNow - 90 * kDay, 0.2, false, kNow);
  CHECK(result.eligible == 0);
  CHECK(store->documentCount() == 10);
}

TEST_CASE("a purged event leaves a tombstone: its late retry is a repeat, a different event a conflict") {
  testsupport::TempDir dir;
  auto store = store::JobStore::open(dir.path("store.db"), true);
  const auto old = addPrinted(*store, "OLD", kNow - 100 * kDay, kNow - 100 * kDay);
  for (int i = 0; i < 9; ++i) addPrinted(*store, "NEW-" + std::to_string(i), kNow, kNow);
  const auto result = store->purge(kNow - 90 * kDay, 0.2, false, kNow);
  REQUIRE(result.removed == 1);
  CHECK_FALSE(store->document(old));

  const auto known = store->event("OLD");
  REQUIRE(known);
  CHECK(known->first == "digest-OLD");
  CHECK(known->second == old);

  store::NewDocument retry;
  retry.id = "DOC-OTHER";
  retry.eventId = "OLD";
  retry.intakeKey = "OLD";
  retry.eventHash = "digest-OLD";
  retry.eventJson = "{}";
  retry.pdf = "%PDF";
  store::NewPrintJob job;
  job.documentId = retry.id;
  job.printer = "laser";
  CHECK(store->acceptDischarge(retry, job, kNow).first == store::Acceptance::kRepeat);
  retry.eventHash = "another digest";
  CHECK(store->acceptDischarge(retry, job, kNow).first == store::Acceptance::kConflict);
  CHECK(store->documentCount() == 9);
}

TEST_CASE("past the cap, only an operator's force purges") {
  testsupport::TempDir dir;
  auto store = tenMinutesOld(dir);
  const auto result = store->purge(kNow, 0.2, true, kNow);
  CHECK_FALSE(result.refused);
  CHECK(result.removed == 10);
  CHECK(store->event("EV-3"));  // tombstones all the same
}

TEST_CASE("a missing or empty store file is refused unless asked to create one") {
  testsupport::TempDir dir;
  const auto path = dir.path("store.db");
  CHECK_THROWS_WITH_AS(store::JobStore::open(path), doctest::Contains("there is no store file"), store::StoreError);
  CHECK_FALSE(std::filesystem::exists(path));
  testsupport::writeFile(path, "");
  CHECK_THROWS_WITH_AS(store::JobStore::open(path), doctest::Contains("the store file is empty"), store::StoreError);
  CHECK(std::filesystem::file_size(path) == 0);
  CHECK(store::JobStore::open(path, true)->documentCount() == 0);
  CHECK(store::JobStore::open(path)->documentCount() == 0);
}

TEST_CASE("a damaged store opens, says why, and refuses every write") {
  testsupport::TempDir dir;
  const auto path = dir.path("store.db");
  {
    auto store = store::JobStore::open(path, true);
    for (int i = 0; i < 40; ++i) addPrinted(*store, "EV-" + std::to_string(i), kNow, kNow);
  }
  testsupport::damageMiddleBlock(path);
  auto store = store::JobStore::open(path);
  REQUIRE(store->damage());
  CHECK(store->damage()->find("the store is damaged") != std::string::npos);
  CHECK_THROWS_AS(addPrinted(*store, "NEW", kNow, kNow), store::StoreDamaged);
  CHECK_THROWS_AS(store->appendAudit({0, kNow, "a", "nurse", "view", std::nullopt, "127.0.0.1", ""}),
                  store::StoreDamaged);
}

TEST_CASE("the store lock is exclusive and names its holder") {
  testsupport::TempDir dir;
  const auto path = dir.path("store.db");
  {
    const store::StoreLock first(path);
    CHECK(testsupport::readFile(first.path()) == std::to_string(::getpid()) + "\n");
    // flock() locks belong to each opening of the file, so a second lock here is refused
    // exactly as another process's would be.
    const std::string expected = "in use by another wardprintd (pid " + std::to_string(::getpid()) + ")";
    CHECK_THROWS_WITH_AS(store::StoreLock{path}, doctest::Contains(expected.c_str()), store::StoreError);
  }
  // Released when its holder goes: a new lock is granted.
  const store::StoreLock again(path);
  CHECK(testsupport::readFile(again.path()).size() > 1);
}

TEST_CASE("a store from before printer history opens with the printers its moved jobs left") {
  testsupport::TempDir dir;
  const auto path = dir.path("store.db");
  {
    // A store as schema 4 left it: a job moved from "laser" to "spare" after an abandoned attempt.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    std::string script;
    for (std::size_t version = 0; version < 4; ++version) script += store::kSchemaMigrations[version];
    script +=
        "PRAGMA user_version = 4;"
        "INSERT INTO documents VALUES ('DOC-OLD', 'EV-OLD', 'h', '{\"patient\": {\"date_of_birth\": \"1948-03-02\"}}',"
        " 'ward-7', 'RHQ1', 'A Patient', 'vertebroplasty', 1, 'layout', 1, x'25', 1);"
        "INSERT INTO print_jobs (id, document_id, printer, copies, reason, requested_by, state, next_attempt_at,"
        " created_at, updated_at) VALUES (1, 'DOC-OLD', 'spare', 1, 'discharge', 'ward system', 'printed', 1, 1, 1);"
        "INSERT INTO abandoned_attempts (print_job_id, printer, job_name, abandoned_at, outcome)"
        " VALUES (1, 'laser', 'wardprint-DOC-OLD-1', 5, 'cancelled');";
    char* error = nullptr;
    const int result = sqlite3_exec(db, script.c_str(), nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE_MESSAGE(result == SQLITE_OK, message);
  }
  auto store = store::JobStore::open(path);
  const auto document = store->document("DOC-OLD");
  REQUIRE(document);
  CHECK(document->dateOfBirth == "1948-03-02");
  const auto& earlier = document->jobs.at(0).earlierPrinters;
  REQUIRE(earlier.size() == 1);
  CHECK(earlier[0].printer == "laser");
  CHECK(earlier[0].leftAt == 5);
  CHECK(earlier[0].error.empty());  // not kept before
}

TEST_CASE("failures in a row count back from the newest job that ended on the printer") {
  testsupport::TempDir dir;
  auto store = store::JobStore::open(dir.path("store.db"), true);
  addPrinted(*store, "EV-1", kNow, kNow);  // on "laser"
  const auto fail = [&](const std::string& eventId, store::Millis at) {
    const auto id = accept(*store, eventId, at, kNow, true);
    if (eventId == "EV-3") {
      store->moveToFallback(id, 2, "aborted", at);  // left "laser": a failure there
    } else {
      store->markFailed(id, 5, "aborted", at);
    }
  };
  CHECK(store->failuresInARow("laser", 3) == 0);
  fail("EV-2", kNow + 1000);
  fail("EV-3", kNow + 2000);
  CHECK(store->failuresInARow("laser", 3) == 2);
  fail("EV-4", kNow + 3000);
  fail("EV-5", kNow + 4000);
  CHECK(store->failuresInARow("laser", 3) == 3);  // never more than the window
  CHECK(store->failuresInARow("spare", 3) == 0);
  addPrinted(*store, "EV-6", kNow + 5000, kNow);
  CHECK(store->failuresInARow("laser", 3) == 0);
}
