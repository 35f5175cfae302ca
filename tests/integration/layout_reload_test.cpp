// SIGHUP reloads the layouts, only once every one of them loads and lays out (issue 15).

#include <doctest/doctest.h>

#include <csignal>
#include <filesystem>

#include "service_harness.h"

using namespace wardprint::testsupport;

namespace {

const std::string kLayout = "vertebroplasty.en-GB.yaml";

// The layout version of a posted discharge's document.
int layoutVersionOf(const DaemonUnderTest& daemon, const std::string& eventId) {
  const auto posted = daemon.post("/v1/discharges", sampleEvent(eventId));
  REQUIRE_MESSAGE(posted.status == 202, posted.body);
  const auto document = daemon.get("/v1/discharges/" + idOf(posted));
  return json(document.body)->getObject("layout")->getValue<int>("version");
}

std::string withVersion(const std::string& layout, int version) {
  const auto at = layout.find("\nversion: ");
  REQUIRE(at != std::string::npos);
  const auto end = layout.find('\n', at + 1);
  return layout.substr(0, at) + "\nversion: " + std::to_string(version) + layout.substr(end);
}

}  // namespace

TEST_CASE("SIGHUP reloads the layouts only once they validate, and keeps the old ones otherwise") {
  TwoWards wards;
  const auto layouts = wards.dir.root() / "layouts";
  std::filesystem::create_directory(layouts);
  for (const auto& entry : std::filesystem::directory_iterator(sourceFile("layouts"))) {
    std::filesystem::copy(entry.path(), layouts / entry.path().filename());
  }
  auto config = readFile(wards.daemon.configPath());
  const auto from = config.find("layouts_dir: ") + 13;
  config.replace(from, config.find(" }", from) - from, layouts.string());
  writeFile(wards.daemon.configPath(), config);
  wards.daemon.start();

  const auto original = readFile(layouts / kLayout);
  const auto first = layoutVersionOf(wards.daemon, "RELOAD-1");

  // A newer version with body text too small to read does not replace the one in use.
  writeFile(layouts / kLayout,
            replaceOnce(withVersion(original, first + 1), "body: { font: regular, size: 14", "body: { font: regular, size: 4"));
  wards.daemon.signal(SIGHUP);
  REQUIRE_MESSAGE(waitUntil([&] { return wards.daemon.log().find("info: layouts not reloaded: the layouts loaded before stay in use") != std::string::npos; },
                            std::chrono::seconds(30)),
                  wards.daemon.log());
  CHECK(wards.daemon.log().find(kLayout + ": styles.body.size") != std::string::npos);
  CHECK(wards.daemon.log().find("warning: layouts not reloaded: ") != std::string::npos);
  CHECK(layoutVersionOf(wards.daemon, "RELOAD-2") == first);

  writeFile(layouts / kLayout, withVersion(original, first + 1));
  wards.daemon.signal(SIGHUP);
  REQUIRE_MESSAGE(waitUntil([&] { return wards.daemon.log().find("info: layouts reloaded from") != std::string::npos; },
                            std::chrono::seconds(30)),
                  wards.daemon.log());
  CHECK(layoutVersionOf(wards.daemon, "RELOAD-3") == first + 1);
  CHECK(wards.daemon.terminate() == 0);
}
