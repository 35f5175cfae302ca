// The executables find the nurse page and the layouts where they are installed (or, run
// from the build folder, in the source tree), not beside the configuration file.
#include <doctest/doctest.h>

#include <filesystem>

#include "settings/resources.h"
#include "service_harness.h"

using namespace wardprint::testsupport;

TEST_CASE("a configuration copied to another folder still serves the nurse page and finds the layouts") {
  TempDir dir;
  const int port = freePort();
  auto config = readFile(sourceFile("config/wardprint.yaml"));
  config = replaceOnce(config, "port: 8080", "port: " + std::to_string(port));
  config = replaceOnce(config, "path: ../var/wardprint.db", "path: wardprint.db");
  writeFile(dir.path("wardprint.yaml"), config);

  ChildProcess daemon({WARDPRINTD, "--config", dir.path("wardprint.yaml")}, {}, dir.path("daemon.log"));
  const auto healthy = [&] {
    try {
      return rawExchange(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", std::chrono::seconds(1)).find("200 OK") !=
             std::string::npos;
    } catch (const std::exception&) {
      return false;  // not listening yet
    }
  };
  REQUIRE_MESSAGE(waitUntil(healthy, std::chrono::seconds(20)), readFile(dir.path("daemon.log")));
  const auto page = rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(page.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(page.find("<title>") != std::string::npos);
}

TEST_CASE("wardprintd --check-config says a good configuration is ready and names a bad key") {
  const auto good = runProcess({WARDPRINTD, "--check-config", sourceFile("config/wardprint.yaml"), "--offline"});
  CHECK(good.exitCode == 0);
  CHECK(good.out.find("is ready to use") != std::string::npos);
  CHECK(good.out.find("vertebroplasty.en-GB v") != std::string::npos);

  TempDir dir;
  writeFile(dir.path("bad.yaml"), replaceOnce(readFile(sourceFile("config/wardprint.yaml")), "port: 8080", "port: eighty"));
  const auto bad = runProcess({WARDPRINTD, "--check-config", dir.path("bad.yaml")});
  CHECK(bad.exitCode == 1);
  CHECK(bad.err.find("server.port") != std::string::npos);
}

TEST_CASE("check-config names every problem: keys in several parts, and each layout that does not load") {
  TempDir dir;
  std::filesystem::create_directory(dir.path("layouts"));
  for (const auto& entry : std::filesystem::directory_iterator(sourceFile("layouts"))) {
    std::filesystem::copy(entry.path(), dir.root() / "layouts" / entry.path().filename());
  }
  for (const auto* layout : {"vertebroplasty.en-GB.yaml", "kyphoplasty.en-GB.yaml"}) {
    const auto path = dir.path("layouts/") + layout;
    writeFile(path, replaceOnce(readFile(path), "body: { font: regular, size: 14", "body: { font: regular, size: 4"));
  }
  auto config = readFile(sourceFile("config/wardprint.yaml"));
  config = replaceOnce(config, "port: 8080", "port: eighty");
  config = replaceOnce(config, "printer: ward-7-laser", "printer: ward-9-laser");
  config = replaceOnce(config, "  timezone: Europe/London", "  timezone: Europe/London\n  layouts_dir: layouts");
  writeFile(dir.path("bad.yaml"), config);

  for (const auto& command : std::vector<std::vector<std::string>>{{WARDPRINTD, "--check-config", dir.path("bad.yaml"), "--offline"},
                                                                    {WARDPRINT_CLI, "check-config", "--config", dir.path("bad.yaml"), "--offline"}}) {
    CAPTURE(command[0]);
    const auto bad = runProcess(command);
    CHECK(bad.exitCode == 1);
    CHECK(bad.err.find("server.port: must be a whole number") != std::string::npos);
    CHECK(bad.err.find("wards.ward-7.printer: unknown printer 'ward-9-laser'") != std::string::npos);
    CHECK(bad.err.find("vertebroplasty.en-GB.yaml: styles.body.size") != std::string::npos);
    CHECK(bad.err.find("kyphoplasty.en-GB.yaml: styles.body.size") != std::string::npos);
    CHECK(bad.out.find("is ready to use") == std::string::npos);
  }
}

TEST_CASE("resources come from the source tree for a build folder and from the install prefix otherwise") {
  const auto built = wardprint::settings::resourcesFor("/src/build/tests", "/src/build", "/src", "/usr/share/wardprint",
                                                  "/etc/wardprint");
  CHECK(built.pageDir == "/src/service/http/page");
  CHECK(built.layoutsDir == "/src/layouts");
  CHECK(built.defaultConfig == "/src/config/wardprint.yaml");
  const auto installed = wardprint::settings::resourcesFor("/usr/sbin", "/src/build", "/src", "/usr/share/wardprint",
                                                      "/etc/wardprint");
  CHECK(installed.pageDir == "/usr/share/wardprint/page");
  CHECK(installed.layoutsDir == "/usr/share/wardprint/layouts");
  CHECK(installed.defaultConfig == "/etc/wardprint/wardprint.yaml");
  CHECK(wardprint::settings::resourcesFor("/src/build-other", "/src/build", "/src", "/d", "/e").pageDir == "/d/page");
}

TEST_CASE("check-config asks each printer for its attributes and names one that does not answer, unless offline") {
  TwoWards wards;
  wards.ward8.stop();
  for (const auto& command : std::vector<std::vector<std::string>>{
           {WARDPRINTD, "--check-config", wards.daemon.configPath()},
           {WARDPRINT_CLI, "check-config", "--config", wards.daemon.configPath()}}) {
    CAPTURE(command[0]);
    const auto check = runProcess(command);
    CHECK(check.exitCode == 1);
    CHECK(check.out.find("printers.ward-7-laser: " + wards.ward7.uri() + " answered") != std::string::npos);
    CHECK_MESSAGE(check.err.find("printers.ward-8-laser: " + wards.ward8.uri() + " did not answer") != std::string::npos,
                  check.err);
  }
  const auto offline = runProcess({WARDPRINTD, "--check-config", wards.daemon.configPath(), "--offline"});
  CHECK_MESSAGE(offline.exitCode == 0, offline.err);
  CHECK(offline.out.find("printers.ward-7-laser") == std::string::npos);
}
