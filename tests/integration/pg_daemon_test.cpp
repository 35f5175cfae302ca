// The daemon on a PostgreSQL store (store.postgresql), against a throwaway server: it
// prints exactly the stored bytes, answers 503 while the database is down and recovers
// without a restart when it is back (staff sessions too), and refuses to start on a newer
// schema.
#include <doctest/doctest.h>

#include "../support/pg_server.h"
#include "service_harness.h"
#include "staff.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

// Points the daemon's configuration at the server instead of a SQLite file.
void onPostgres(const DaemonUnderTest& daemon, const TempDir& dir, const PgServer& server) {
  writeFile(daemon.configPath(),
            replaceOnce(readFile(daemon.configPath()), "store: { path: " + dir.path("wardprint.db") + ", create: true }",
                        "store: { postgresql: \"" + server.connection() + "\", pool_size: 4 }"));
}

// Posts until the daemon answers something other than 503 (the database just came back).
HttpReply postWhenBack(const DaemonUnderTest& daemon, const std::string& body) {
  HttpReply reply;
  waitUntil(
      [&] {
        reply = daemon.post("/v1/discharges", body);
        return reply.status != 503;
      },
      15s);
  return reply;
}

}  // namespace

TEST_CASE("a daemon on PostgreSQL prints, answers 503 while the database is down, and recovers without a restart") {
  PgServer server;
  TwoWards setup;
  onPostgres(setup.daemon, setup.dir, server);
  setup.daemon.start();

  const auto first = setup.daemon.post("/v1/discharges", sampleEvent("ADT-PG-1"));
  REQUIRE(first.status == 202);
  const auto id = idOf(first);
  REQUIRE(setup.daemon.waitForState(id, "printed", 20s));
  const auto jobs = setup.ward7.jobsFor(id);
  REQUIRE(jobs.size() == 1);
  CHECK(readFile(jobs[0]) == setup.daemon.get("/v1/discharges/" + id + "/pdf").body);
  CHECK(setup.daemon.post("/v1/discharges", sampleEvent("ADT-PG-1")).status == 200);

  server.stop();
  CHECK(setup.daemon.post("/v1/discharges", sampleEvent("ADT-PG-2")).status == 503);

  server.start();
  const auto later = postWhenBack(setup.daemon, sampleEvent("ADT-PG-2"));
  REQUIRE(later.status == 202);
  CHECK(setup.daemon.waitForState(idOf(later), "printed", 20s));
  CHECK(setup.ward7.jobsFor(id).size() == 1);  // the first printed once, never again
  CHECK(setup.daemon.log().find("Łukasiewicz") == std::string::npos);  // no patient data in the log
}

TEST_CASE("a daemon refuses to start on a PostgreSQL store of a newer schema, and says so") {
  PgServer server;
  TwoWards setup;
  onPostgres(setup.daemon, setup.dir, server);
  setup.daemon.start();
  REQUIRE(setup.daemon.terminate() == 0);
  REQUIRE(runProcess({"psql", server.connection(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
                      "UPDATE schema_version SET version = version + 1"})
              .exitCode == 0);

  const auto logPath = setup.dir.path("newer.log");
  ChildProcess refused({WARDPRINTD, "--config", setup.daemon.configPath()}, {}, logPath);
  CHECK(refused.wait(20s) != 0);
  CHECK(readFile(logPath).find("written by a newer wardprint") != std::string::npos);
}

TEST_CASE("while PostgreSQL is down a nurse's requests answer 503, the page still loads, and her session comes back") {
  PgServer server;
  TwoWards setup(staffAuthSection());
  onPostgres(setup.daemon, setup.dir, server);
  setup.daemon.start();
  const auto nurse = signInAs(setup.daemon, "nurse.jones");

  server.stop();
  const auto list = setup.daemon.request("GET", "/v1/discharges", "", "", nurse);
  CHECK(list.status == 503);
  CHECK(list.contentType == "application/problem+json");
  // The page's own files need no session, so they load (and can say the service is away).
  CHECK(setup.daemon.request("GET", "/", "", "", nurse).status == 200);

  server.start();
  CHECK(waitUntil([&] { return setup.daemon.request("GET", "/v1/session", "", "", nurse).status == 200; }, 15s));
}
