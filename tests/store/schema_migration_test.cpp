// A store written before discharges were keyed by their intake key: its events, live and
// purged, are still known after the upgrade, so a late retry is never printed again.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "../test_support.h"
#include "store/job_store.h"
#include "store/schema.h"
#include "util/intake_key.h"

using namespace wardprint;

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
