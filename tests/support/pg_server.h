#pragma once

// A throwaway PostgreSQL 15 server for a test, through tests/support/pg-server: its data,
// socket and log in a temporary folder, listening on a free port of 127.0.0.1, run as an
// unprivileged user (initdb refuses root). Never the system's own cluster.

#include <string>

#include "../test_support.h"

namespace wardprint::testsupport {

class PgServer {
 public:
  // Makes and starts the server; throws std::runtime_error with the server's own words
  // when it cannot start (PostgreSQL 15 not installed, the port taken).
  PgServer();
  // Stops the server and removes its folder.
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // The libpq connection string of its "wardprint" database, as store.postgresql takes it.
  const std::string& connection() const { return connection_; }
  int port() const { return port_; }

  // Stops the server (as when the database goes down under a running daemon) and starts
  // it again on the same port with the same data. Both throw std::runtime_error on failure.
  void stop();
  void start();

 private:
  TempDir dir_;
  int port_;
  std::string connection_;
};

}  // namespace wardprint::testsupport
