// What only the PostgreSQL store has to do: printer leases by the database's clock,
// one retention pass at a time, and riding out the server going down and coming back.
#include "pgstore/pg_store.h"

#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <thread>

#include "../support/pg_server.h"
#include "../test_support.h"
#include "pgstore/pg_connection.h"

using namespace wardprint;
using namespace std::chrono_literals;

namespace {

// Takes `count` connections from `pool` at once (each kept until all are taken, so that no
// two are the same) and runs a statement on each; returns how many ran it.
int ranOnEach(pgstore::Pool& pool, int count) {
  if (count == 0) return 0;
  auto connection = pool.take();
  bool ran = false;
  try {
    ran = connection->run("SELECT 1").rows() == 1;
  } catch (const store::StoreError& e) {
    MESSAGE("a pooled connection failed its first statement: " << std::string(e.what()));
  }
  return (ran ? 1 : 0) + ranOnEach(pool, count - 1);
}

}  // namespace

TEST_CASE("pgstore: one holder per printer, taken over when its lease runs out, at once when released") {
  testsupport::PgServer server;
  const auto nodeA = pgstore::openPostgresStore(server.connection(), 2);
  const auto nodeB = pgstore::openPostgresStore(server.connection(), 2);
  CHECK(nodeA->holdPrinter("laser", "A", 1500));
  CHECK_FALSE(nodeB->holdPrinter("laser", "B", 1500));
  CHECK(nodeB->holdPrinter("inkjet", "B", 1500));  // another printer is free
  CHECK(nodeA->holdPrinter("laser", "A", 1500));   // renewed

  // A stops renewing, as a dead daemon would: B gets the printer once A's lease runs out.
  CHECK(testsupport::waitUntil([&] { return nodeB->holdPrinter("laser", "B", 60000); }, 10s));
  CHECK_FALSE(nodeA->holdPrinter("laser", "A", 1500));

  nodeA->releasePrinter("laser", "A");  // not A's any more: changes nothing
  CHECK_FALSE(nodeA->holdPrinter("laser", "A", 1500));
  nodeB->releasePrinter("laser", "B");
  CHECK(nodeA->holdPrinter("laser", "A", 1500));
}

TEST_CASE("pgstore: a retention pass finds another daemon's pass running and does nothing") {
  testsupport::PgServer server;
  const auto store = pgstore::openPostgresStore(server.connection(), 2);
  PGconn* other = PQconnectdb(server.connection().c_str());
  REQUIRE(PQstatus(other) == CONNECTION_OK);
  // The lock a pass holds (pg_upkeep.cpp), taken here as another daemon's pass would.
  PQclear(PQexec(other, "SELECT pg_advisory_lock(7152002)"));
  CHECK(store->purge(0, 1.0, true, 0).busy);
  PQclear(PQexec(other, "SELECT pg_advisory_unlock(7152002)"));
  CHECK_FALSE(store->purge(0, 1.0, true, 0).busy);
  PQfinish(other);
}

TEST_CASE("pgstore: while the server is down every call throws StoreError, and the store recovers when it is back") {
  testsupport::PgServer server;
  const auto store = pgstore::openPostgresStore(server.connection(), 3);
  store->appendAudit({0, 1, "nurse.jones", "nurse", "view", std::nullopt, "10.0.0.7", ""});
  // Every pooled connection in use once, so that all of them see the restart.
  std::thread a([&] { store->documentCount(); });
  std::thread b([&] { store->documentCount(); });
  store->documentCount();
  a.join();
  b.join();

  server.stop();
  for (int i = 0; i < 4; ++i) CHECK_THROWS_AS(store->documentCount(), store::StoreError);
  CHECK_THROWS_AS(store->appendAudit({0, 2, "nurse.jones", "nurse", "view", std::nullopt, "10.0.0.7", ""}),
                  store::StoreError);

  server.start();
  for (int i = 0; i < 4; ++i) CHECK(store->documentCount() == 0);
  store->appendAudit({0, 3, "nurse.jones", "nurse", "view", std::nullopt, "10.0.0.7", ""});
  CHECK(store->audit({}).size() == 2);
}

TEST_CASE("pgstore: after the server restarts, every idle pooled connection works at its first use") {
  testsupport::PgServer server;
  constexpr int kSize = 4;
  pgstore::Pool pool(server.connection(), kSize);
  REQUIRE(ranOnEach(pool, kSize) == kSize);  // all four connected and used once

  // They sat idle through the restart: the server closed them, and no statement has failed
  // on them since. None may fail now (a statement is never retried: it could be a write).
  server.stop();
  server.start();
  CHECK(ranOnEach(pool, kSize) == kSize);
}

TEST_CASE("pgstore: a server that cannot be reached at start-up is a StoreError that says so") {
  const auto port = testsupport::freePort();
  CHECK_THROWS_WITH_AS(
      pgstore::openPostgresStore("host=127.0.0.1 port=" + std::to_string(port) + " dbname=wardprint user=wardprint", 2),
      doctest::Contains("PostgreSQL is not reachable"), store::StoreError);
}
