// `wardprint backup` against a running daemon that is accepting discharges, and
// `wardprint restore` of what it took: no event the daemon had accepted is missing.
#include <doctest/doctest.h>

#include <mutex>
#include <set>
#include <thread>

#include "service_harness.h"
#include "store/job_store.h"
#include "util/intake_key.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

constexpr int kPosters = 2;
constexpr int kEventsEach = 30;

// Event ids whose 202 came back, and those whose POST got anything else.
struct Burst {
  std::mutex mutex;
  std::set<std::string> accepted;
  std::vector<std::string> refused;

  std::size_t acceptedCount() {
    std::lock_guard lock(mutex);
    return accepted.size();
  }
  std::set<std::string> acceptedSoFar() {
    std::lock_guard lock(mutex);
    return accepted;
  }
};

// Restores `backup` into a store of its own; the store, opened.
std::unique_ptr<wardprint::store::JobStore> restored(const TempDir& dir, const std::string& backup,
                                                     const std::string& name) {
  const auto result = runProcess({WARDPRINT_CLI, "restore", "--store", dir.path(name), "--from", backup});
  INFO(result.err);
  REQUIRE(result.exitCode == 0);
  CHECK(result.out.find("restored " + backup + " as " + dir.path(name)) != std::string::npos);
  CHECK(result.out.find("integrity check ok") != std::string::npos);
  return wardprint::store::JobStore::open(dir.path(name));
}

void requireAll(const wardprint::store::JobStore& store, const std::set<std::string>& eventIds) {
  for (const auto& eventId : eventIds) {
    CAPTURE(eventId);
    const auto event = store.event(wardprint::util::intakeKey("json", eventId));
    REQUIRE(event);
    const auto document = store.document(event->second);
    REQUIRE(document);
    CHECK(document->jobs.size() == 1);
  }
}

}  // namespace

TEST_CASE("a backup taken during a burst of discharges restores every event accepted before it began") {
  TwoWards setup;
  setup.daemon.start();
  Burst burst;
  std::vector<std::thread> posters;
  for (int poster = 0; poster < kPosters; ++poster) {
    posters.emplace_back([&, poster] {
      for (int i = 0; i < kEventsEach; ++i) {
        const auto eventId = "BURST-" + std::to_string(poster) + "-" + std::to_string(i);
        const auto reply = setup.daemon.post("/v1/discharges", sampleEvent(eventId, poster ? "ward-8" : "ward-7"));
        std::lock_guard lock(burst.mutex);
        if (reply.status == 202) {
          burst.accepted.insert(eventId);
        } else {
          burst.refused.push_back(eventId);
        }
      }
    });
  }
  const bool underWay = waitUntil([&] { return burst.acceptedCount() >= 10; }, 60s);
  const auto beforeBackup = burst.acceptedSoFar();
  const auto during = runProcess(
      {WARDPRINT_CLI, "backup", "--config", setup.daemon.configPath(), "--out", setup.dir.path("during.db")});
  const auto acceptedByBackupEnd = burst.acceptedCount();
  for (auto& poster : posters) poster.join();
  REQUIRE(underWay);
  INFO(during.err);
  REQUIRE(during.exitCode == 0);
  CHECK(during.out.find("backed up " + setup.dir.path("wardprint.db") + " to " + setup.dir.path("during.db")) !=
        std::string::npos);
  CHECK(burst.refused.empty());  // the daemon went on accepting while the backup ran
  CHECK(burst.accepted.size() == kPosters * kEventsEach);
  MESSAGE("accepted before the backup: " << beforeBackup.size() << ", by its end: " << acceptedByBackupEnd);

  const auto duringStore = restored(setup.dir, setup.dir.path("during.db"), "restored-during.db");
  requireAll(*duringStore, beforeBackup);
  CHECK(duringStore->documentCount() >= static_cast<std::int64_t>(beforeBackup.size()));
  CHECK(duringStore->documentCount() <= static_cast<std::int64_t>(acceptedByBackupEnd));

  const auto after = runProcess(
      {WARDPRINT_CLI, "backup", "--config", setup.daemon.configPath(), "--out", setup.dir.path("after.db")});
  REQUIRE(after.exitCode == 0);
  const auto afterStore = restored(setup.dir, setup.dir.path("after.db"), "restored-after.db");
  requireAll(*afterStore, burst.accepted);
  CHECK(afterStore->documentCount() == kPosters * kEventsEach);
}

TEST_CASE("restore will not replace the running daemon's store and says which file is in the way") {
  TwoWards setup;
  setup.daemon.start();
  REQUIRE(setup.daemon.post("/v1/discharges", sampleEvent("ADT-KEEP")).status == 202);
  REQUIRE(runProcess({WARDPRINT_CLI, "backup", "--config", setup.daemon.configPath(), "--out",
                      setup.dir.path("backup.db")})
              .exitCode == 0);
  const auto refused =
      runProcess({WARDPRINT_CLI, "restore", "--config", setup.daemon.configPath(), "--from", setup.dir.path("backup.db")});
  CHECK(refused.exitCode == 1);
  CHECK(refused.err.find(setup.dir.path("wardprint.db")) != std::string::npos);
  CHECK(setup.daemon.post("/v1/discharges", sampleEvent("ADT-AFTER")).status == 202);
}
