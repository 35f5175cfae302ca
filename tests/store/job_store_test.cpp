// The store's own guards, on a real SQLite file: retention by the event's own times with a
// cap per pass and tombstones, refusing a missing or empty file, and a damaged store.
#include "store/job_store.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include "../test_support.h"
#include "store/store_lock.h"

using namespace wardprint;

namespace {

constexpr store::Millis kDay = 24LL * 3600 * 1000;
constexpr store::Millis kNow = 1'790'000'000'000;  // 2026-09-21, the "real" time of the tests

// Accepts an event stored at `storedAt` and discharged at `dischargedAt`, printed at once.
std::string addPrinted(store::JobStore& store, const std::string& eventId, store::Millis storedAt,
                       store::Millis dischargedAt) {
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
  store.acceptDischarge(document, job, storedAt);
  const auto stored = store.document(document.id);
  store.markPrinted(stored->jobs.at(0).id, storedAt);
  return document.id;
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
