#include "postgres_server.h"

#include <signal.h>

#include <filesystem>
#include <stdexcept>

namespace wardprint::testsupport {

namespace fs = std::filesystem;

PostgresServer::PostgresServer(const TempDir& dir) : dir_(dir.path("postgres")), port_(freePort()) {
  // As root the server runs as the postgres user, which must be able to reach its folder.
  fs::permissions(dir.root(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  start();
}

void PostgresServer::start() {
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{sourceFile("scripts/lib/postgres-server"), dir_, std::to_string(port_)},
      std::map<std::string, std::string>{}, dir_ + ".log");
  const auto ready = [&] {
    return runProcess({"pg_isready", "-q", "-h", "127.0.0.1", "-p", std::to_string(port_), "-d", "wardprint", "-U",
                       "wardprint"})
               .exitCode == 0;
  };
  if (!waitUntil(ready, std::chrono::seconds(60))) {
    throw std::runtime_error("PostgreSQL did not start: " + readFile(dir_ + ".log"));
  }
}

void PostgresServer::stop() {
  process_->signal(SIGINT);
  if (process_->wait(std::chrono::seconds(30)) == -1) throw std::runtime_error("PostgreSQL did not stop");
  process_.reset();
}

std::string PostgresServer::connectionString() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=wardprint user=wardprint";
}

std::string PostgresServer::storeYaml() const {
  return "{ postgresql: \"" + connectionString() + "\", pool_size: 4 }";
}

std::string PostgresServer::sql(const std::string& statements) const {
  const auto result =
      runProcess({"psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", connectionString(), "-c", statements});
  if (result.exitCode != 0) throw std::runtime_error("psql: " + result.err);
  return result.out;
}

}  // namespace wardprint::testsupport
