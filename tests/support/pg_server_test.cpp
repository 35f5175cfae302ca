// The throwaway PostgreSQL server itself: it answers, keeps its data across a stop and a
// start, and refuses connections while stopped.
#include "pg_server.h"

#include <doctest/doctest.h>

using namespace wardprint::testsupport;

namespace {

ProcessResult psql(const PgServer& server, const std::string& sql) {
  return runProcess({"psql", server.connection(), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql});
}

}  // namespace

TEST_CASE("the test PostgreSQL server keeps its data across a restart and refuses connections while stopped") {
  PgServer server;
  REQUIRE(psql(server, "CREATE TABLE kept (word text); INSERT INTO kept VALUES ('still here')").exitCode == 0);

  server.stop();
  CHECK(psql(server, "SELECT 1").exitCode != 0);

  server.start();
  CHECK(psql(server, "SELECT word FROM kept").out == "still here\n");
}
