#include "pg_server.h"

#include <stdexcept>

namespace wardprint::testsupport {
namespace {

std::string runScript(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv{sourceFile("tests/support/pg-server")};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  const auto result = runProcess(argv);
  if (result.exitCode != 0) {
    throw std::runtime_error("tests/support/pg-server " + arguments.at(0) + " failed: " + result.err);
  }
  return result.out;
}

}  // namespace

PgServer::PgServer() : port_(freePort()) { start(); }

PgServer::~PgServer() {
  try {
    stop();
  } catch (const std::exception&) {
    // The folder goes anyway; a server left running would hold only a deleted folder.
  }
}

void PgServer::start() {
  auto line = runScript({"start", dir_.path("pg"), std::to_string(port_)});
  while (!line.empty() && line.back() == '\n') line.pop_back();
  connection_ = line;
}

void PgServer::stop() { runScript({"stop", dir_.path("pg")}); }

}  // namespace wardprint::testsupport
