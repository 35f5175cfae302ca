#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/job_store.h"

struct pg_conn;
struct pg_result;

namespace wardprint::pgstore {

// Parameters of one statement ($1, $2, ... in the order added). Text goes as text; bytes
// go in binary format, so a bytea arrives exactly as given (no escaping, no encoding).
class Params {
 public:
  Params& text(const std::string& value);
  Params& text(const std::optional<std::string>& value);  // nullopt is NULL
  Params& integer(std::int64_t value);
  Params& flag(bool value);
  Params& bytes(const std::string& value);

  int size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> pointers() const;
  std::vector<int> lengths() const;
  const std::vector<int>& formats() const { return formats_; }

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
};

// The rows a statement returned. Read by row (from 0) and column (from 0).
class Result {
 public:
  explicit Result(pg_result* result);
  ~Result();
  Result(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  int rows() const;
  // How many rows an INSERT, UPDATE or DELETE touched.
  int affected() const;
  bool isNull(int row, int column) const;
  std::string text(int row, int column) const;  // also the raw bytes of a binary-format result
  std::int64_t integer(int row, int column) const;
  std::optional<std::string> optionalText(int row, int column) const;

 private:
  pg_result* result_;
};

// One connection to the server. Not thread-safe: one user at a time (see Pool).
class Connection {
 public:
  // Throws StoreError when the server cannot be reached; the message says so without the
  // password of the connection string.
  explicit Connection(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement; throws StoreError with the server's message on failure. With
  // `binaryResult`, columns come back in binary format (a bytea's raw bytes).
  Result run(const char* sql, const Params& params = {}, bool binaryResult = false);
  // Runs a script of several statements with no parameters (a migration); throws StoreError.
  void runScript(const char* sql);
  // Whether the connection is known to be down (a statement failed on it, or the server
  // closed it). A broken one is reconnected by reconnectIfBroken() before its next use.
  bool broken() const;
  // Called on an idle connection before it is handed out. Reads, without waiting and without
  // a round-trip, what the server sent while it sat idle: a server that shut down or
  // restarted said so and closed the connection, which libpq reports only once it is read.
  // Reconnects if so, or if broken(); throws StoreError when the server cannot be reached.
  // It runs no statement, so none is ever sent twice.
  void reconnectIfBroken();
  // Waits up to `timeout` for notifications (LISTEN) and returns their payloads, oldest
  // first; none when the time passed. Throws StoreError when the connection breaks.
  std::vector<std::string> awaitNotifications(std::chrono::milliseconds timeout);

 private:
  // Throws StoreError unless `raw` is a success; owns it either way.
  Result checked(pg_result* raw);
  // Reads and parses what has arrived, while no statement runs; returns at once when
  // nothing has.
  void readIdleInput();
  bool readable() const;
  pg_conn* conn_;
  // The server sent a FATAL message while the connection was idle: it is closing it.
  bool closedByServer_ = false;
};

// BEGIN ... COMMIT on one connection, rolled back unless commit() is called.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

// Up to `size` connections shared by threads. A connection that broke (the server went
// down or restarted, even while it sat idle here) is reconnected when next taken, so the
// store recovers by itself when the server comes back. Thread-safe.
class Pool {
 public:
  Pool(std::string conninfo, int size);

  // A connection for one caller, given back when it goes away.
  class Borrowed {
   public:
    Borrowed(Pool& pool, std::unique_ptr<Connection> connection);
    ~Borrowed();
    Borrowed(const Borrowed&) = delete;
    Borrowed& operator=(const Borrowed&) = delete;
    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

   private:
    Pool& pool_;
    std::unique_ptr<Connection> connection_;
  };
  // Waits for a free connection, connecting one if fewer than `size` exist. Throws
  // StoreError when the server cannot be reached.
  Borrowed take();

 private:
  void giveBack(std::unique_ptr<Connection> connection);

  std::string conninfo_;
  int size_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

}  // namespace wardprint::pgstore
