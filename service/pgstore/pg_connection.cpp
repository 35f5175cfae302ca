#include "pgstore/pg_connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <array>
#include <cstring>

namespace wardprint::pgstore {
namespace {

// libpq's messages end with a line break; ours do not.
std::string trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

Params& Params::text(const std::string& value) {
  values_.emplace_back(value);
  formats_.push_back(0);
  return *this;
}

Params& Params::text(const std::optional<std::string>& value) {
  values_.push_back(value);
  formats_.push_back(0);
  return *this;
}

Params& Params::integer(std::int64_t value) { return text(std::to_string(value)); }
Params& Params::flag(bool value) { return text(std::string(value ? "true" : "false")); }

Params& Params::bytes(const std::string& value) {
  values_.emplace_back(value);
  formats_.push_back(1);
  return *this;
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> out;
  for (const auto& value : values_) out.push_back(value ? value->data() : nullptr);
  return out;
}

std::vector<int> Params::lengths() const {
  std::vector<int> out;
  for (const auto& value : values_) out.push_back(value ? static_cast<int>(value->size()) : 0);
  return out;
}

Result::Result(pg_result* result) : result_(result) {}
Result::~Result() { PQclear(result_); }
Result::Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }

int Result::rows() const { return PQntuples(result_); }

int Result::affected() const {
  const std::string count = PQcmdTuples(result_);
  return count.empty() ? 0 : std::stoi(count);
}

bool Result::isNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::string Result::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::int64_t Result::integer(int row, int column) const {
  if (isNull(row, column)) return 0;
  return std::stoll(text(row, column));
}

std::optional<std::string> Result::optionalText(int row, int column) const {
  if (isNull(row, column)) return std::nullopt;
  return text(row, column);
}

Connection::Connection(const std::string& conninfo) {
  // A server that does not answer must not hold a request for minutes; a connect_timeout
  // in the configured string wins over this one.
  const std::array<const char*, 3> keywords{"connect_timeout", "dbname", nullptr};
  const std::array<const char*, 3> values{"5", conninfo.c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords.data(), values.data(), 1);
  if (!conn_) throw store::StoreError("PostgreSQL: out of memory");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const auto message = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    throw store::StoreError("PostgreSQL is not reachable: " + message);
  }
  // Notices (a table that already exists, ...) are not ours to print. An error that arrives
  // while no statement runs also comes here (libpq has no statement to fail with it): a
  // FATAL one is the server saying why it is about to close the connection (shutting down,
  // session ended). The receiver stays across PQreset.
  PQsetNoticeReceiver(
      conn_,
      [](void* self, const pg_result* notice) {
        const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
        if (severity && (std::strcmp(severity, "FATAL") == 0 || std::strcmp(severity, "PANIC") == 0)) {
          static_cast<Connection*>(self)->closedByServer_ = true;
        }
      },
      this);
}

Connection::~Connection() { PQfinish(conn_); }

Result Connection::run(const char* sql, const Params& params, bool binaryResult) {
  const auto values = params.pointers();
  const auto lengths = params.lengths();
  return checked(PQexecParams(conn_, sql, params.size(), nullptr, values.data(), lengths.data(),
                              params.formats().data(), binaryResult ? 1 : 0));
}

void Connection::runScript(const char* sql) { checked(PQexec(conn_, sql)); }

Result Connection::checked(pg_result* raw) {
  Result result(raw);
  const auto status = PQresultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    // The primary message only: the detail lines may quote the values of a row.
    const char* primary = raw ? PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    throw store::StoreError("PostgreSQL: " + trimmed(primary ? primary : PQerrorMessage(conn_)));
  }
  return result;
}

bool Connection::broken() const { return PQstatus(conn_) != CONNECTION_OK; }

bool Connection::readable() const {
  pollfd socket{PQsocket(conn_), POLLIN, 0};
  return socket.fd >= 0 && poll(&socket, 1, 0) > 0;
}

void Connection::readIdleInput() {
  // A server shutting down sends its reason, then closes the socket. One PQconsumeInput
  // reads the message and leaves the connection CONNECTION_OK; libpq sees the close only
  // on a later read that finds nothing (status CONNECTION_BAD). So read while the socket
  // has something (data, or the close); an idle session is sent a message or two at most.
  for (int reads = 0; reads < 4 && !broken() && readable(); ++reads) {
    if (PQconsumeInput(conn_) == 0) break;  // the close, or a failed read: broken() now
  }
  // Parses what was read, so that the reason reaches the notice receiver rather than
  // waiting in libpq's buffer to be taken for the next statement's answer.
  if (!broken()) PQisBusy(conn_);
}

std::vector<std::string> Connection::awaitNotifications(std::chrono::milliseconds timeout) {
  pollfd socket{PQsocket(conn_), POLLIN, 0};
  if (socket.fd < 0) throw store::StoreError("PostgreSQL connection lost");
  std::vector<std::string> payloads;
  if (poll(&socket, 1, static_cast<int>(timeout.count())) <= 0) return payloads;
  if (PQconsumeInput(conn_) == 0 || broken()) {
    throw store::StoreError("PostgreSQL connection lost: " + trimmed(PQerrorMessage(conn_)));
  }
  while (PGnotify* notification = PQnotifies(conn_)) {
    payloads.emplace_back(notification->extra);
    PQfreemem(notification);
  }
  return payloads;
}

void Connection::reconnectIfBroken() {
  // A server that restarted while this connection sat idle closed it: reading what it
  // sent shows that now, rather than as a failed statement later.
  readIdleInput();
  if (!broken() && !closedByServer_) return;
  closedByServer_ = false;
  PQreset(conn_);
  if (broken()) throw store::StoreError("PostgreSQL is not reachable: " + trimmed(PQerrorMessage(conn_)));
}

Transaction::Transaction(Connection& connection) : connection_(connection) { connection_.run("BEGIN"); }

Transaction::~Transaction() {
  if (done_) return;
  try {
    connection_.run("ROLLBACK");
  } catch (const store::StoreError&) {
    // The connection broke: the server rolls back what it had of the transaction.
  }
}

void Transaction::commit() {
  connection_.run("COMMIT");
  done_ = true;
}

Pool::Pool(std::string conninfo, int size) : conninfo_(std::move(conninfo)), size_(size < 1 ? 1 : size) {}

Pool::Borrowed::Borrowed(Pool& pool, std::unique_ptr<Connection> connection)
    : pool_(pool), connection_(std::move(connection)) {}

Pool::Borrowed::~Borrowed() { pool_.giveBack(std::move(connection_)); }

Pool::Borrowed Pool::take() {
  std::unique_ptr<Connection> connection;
  {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;
    }
  }
  try {
    if (!connection) {
      connection = std::make_unique<Connection>(conninfo_);
    } else {
      connection->reconnectIfBroken();
    }
  } catch (const store::StoreError&) {
    giveBack(std::move(connection));
    throw;
  }
  return Borrowed(*this, std::move(connection));
}

void Pool::giveBack(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    if (connection) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;  // never connected: its place is free again
    }
  }
  freed_.notify_one();
}

}  // namespace wardprint::pgstore
