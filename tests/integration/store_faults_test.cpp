// The store's faults with the real daemon: a missing, empty or damaged store file, and a
// second daemon started on the same configuration.

#include <doctest/doctest.h>

#include "service_harness.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

// One ward and its emulated printer; the daemon configured, not started.
struct OneWard {
  TempDir dir;
  PrinterBus bus{dir};
  EmulatedPrinter ward7{dir, "ward-7-laser", bus};
  DaemonUnderTest daemon{dir, {{"ward-7-laser", &ward7}},
                         "  ward-7: { name: Ward 7, phone: \"1\", printer: ward-7-laser }\n"};
};

// The configuration with store.create taken out, as an installation has it.
void withoutCreate(const DaemonUnderTest& daemon) {
  writeFile(daemon.configPath(), replaceOnce(readFile(daemon.configPath()), ", create: true", ""));
}

// Runs another wardprintd on the same configuration until it exits; its exit code and output.
ProcessResult runSecondDaemon(const TempDir& dir, const std::string& configPath) {
  const auto logPath = dir.path("second.log");
  ChildProcess second({WARDPRINTD, "--config", configPath}, {}, logPath);
  ProcessResult result;
  result.exitCode = second.wait(20s);
  result.out = readFile(logPath);
  return result;
}

}  // namespace

TEST_CASE("a missing or empty store file stops the daemon, naming the path, until init-store makes it") {
  for (const bool empty : {false, true}) {
    CAPTURE(empty);
    OneWard setup;
    auto& dir = setup.dir;
    auto& daemon = setup.daemon;
    withoutCreate(daemon);
    if (empty) writeFile(dir.path("wardprint.db"), "");

    const auto refused = runSecondDaemon(dir, daemon.configPath());
    CHECK(refused.exitCode != 0);
    CHECK(refused.out.find(dir.path("wardprint.db")) != std::string::npos);
    CHECK(refused.out.find(empty ? "the store file is empty" : "there is no store file") != std::string::npos);
    CHECK(refused.out.find("wardprint init-store") != std::string::npos);
    const bool untouched = !std::filesystem::exists(dir.path("wardprint.db")) ||
                           std::filesystem::file_size(dir.path("wardprint.db")) == 0;
    CHECK(untouched);

    const auto init = runProcess({WARDPRINT_CLI, "init-store", "--config", daemon.configPath()});
    INFO(init.err);
    REQUIRE(init.exitCode == 0);
    CHECK(init.out.find("store ready (0 leaflets)") != std::string::npos);
    daemon.start();
    CHECK(daemon.get("/healthz").status == 200);
    const auto accepted = daemon.post("/v1/discharges", sampleEvent("NEW-STORE-1"));
    CHECK(accepted.status == 202);
  }
}

TEST_CASE("a store damaged mid-file: /healthz answers 503 with the reason, and writes are refused") {
  OneWard setup;
  auto& daemon = setup.daemon;
  daemon.start();
  for (int i = 0; i < 20; ++i) REQUIRE(daemon.post("/v1/discharges", sampleEvent("DAMAGE-" + std::to_string(i))).status == 202);
  REQUIRE(daemon.terminate() == 0);

  damageMiddleBlock(setup.dir.path("wardprint.db"));

  daemon.start();
  const auto health = daemon.get("/healthz");
  CHECK(health.status == 503);
  CHECK(health.body.find("the store is damaged") != std::string::npos);
  const auto refused = daemon.post("/v1/discharges", sampleEvent("DAMAGE-NEW"));
  CHECK(refused.status == 503);
  CHECK(json(refused.body)->getValue<std::string>("title") == "The store is damaged");
  CHECK(daemon.log().find("every write is refused") != std::string::npos);
}

TEST_CASE("a second daemon on the same configuration refuses to start, naming the first one's process") {
  OneWard setup;
  auto& dir = setup.dir;
  auto& daemon = setup.daemon;
  daemon.start();
  const auto pid = readFile(dir.path("wardprint.db.lock"));
  REQUIRE(!pid.empty());

  const auto second = runSecondDaemon(dir, daemon.configPath());
  CHECK(second.exitCode != 0);
  CHECK(second.out.find("in use by another wardprintd (pid " + pid.substr(0, pid.size() - 1) + ")") !=
        std::string::npos);
  // The first one still answers, and alone.
  CHECK(daemon.get("/healthz").status == 200);
  CHECK(daemon.post("/v1/discharges", sampleEvent("ONE-DAEMON-1")).status == 202);

  // With the store on another path, the port alone must still refuse a second listener.
  auto otherStore = readFile(daemon.configPath());
  otherStore = replaceOnce(otherStore, dir.path("wardprint.db"), dir.path("other.db"));
  writeFile(dir.path("other.yaml"), otherStore);
  const auto samePort = runSecondDaemon(dir, dir.path("other.yaml"));
  CHECK(samePort.exitCode != 0);
  CHECK(samePort.out.find("in use") != std::string::npos);
}
