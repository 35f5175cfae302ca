#pragma once

// A throwaway PostgreSQL server for the cluster tests: scripts/lib/postgres-server in a
// folder of the test's own, on a free loopback port. Stopped when the object goes away.

#include <memory>
#include <string>

#include "../integration/service_harness.h"

namespace wardprint::testsupport {

class PostgresServer {
 public:
  // Makes the cluster (initdb) and starts it; returns once it takes sessions. Throws
  // std::runtime_error with the server's log if it does not.
  explicit PostgresServer(const TempDir& dir);

  // Fast shutdown (SIGINT: sessions are cut, nothing committed is lost) and waits for it.
  void stop();
  // Starts it again on the same port and data; returns once it takes sessions.
  void start();

  int port() const { return port_; }
  // The libpq connection string of its wardprint database.
  std::string connectionString() const;
  // The store: section's value for a daemon on this server.
  std::string storeYaml() const;
  // Runs SQL through psql as the wardprint role; returns psql's unaligned output. Throws
  // std::runtime_error with psql's message if it fails.
  std::string sql(const std::string& statements) const;

 private:
  std::string dir_;
  int port_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace wardprint::testsupport
