// The real `wardprint` binary, run as a script or an operator would run it.

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "../test_support.h"
#include "settings/config.h"
#include "intake/leaflet_service.h"
#include "cli/commands.h"
#include "events/event_parser.h"

namespace intake = wardprint::intake;
namespace settings = wardprint::settings;
namespace cli = wardprint::cli;
namespace events = wardprint::events;
namespace fs = std::filesystem;
using namespace wardprint::testsupport;

namespace {

ProcessResult runWardprint(std::vector<std::string> args) {
  args.insert(args.begin(), WARDPRINT_CLI);
  return runProcess(args);
}

std::string sampleEventPath() { return sourceFile("tests/data/discharge-vertebroplasty.json"); }

// The default configuration, moved into `dir` with its relative paths made absolute.
std::string relocatedConfig(const TempDir& dir) {
  auto config = readFile(sourceFile("config/wardprint.yaml"));
  config = replaceOnce(config, "path: ../var/wardprint.db", "path: " + dir.path("wardprint.db"));
  return config;
}

std::vector<std::string> filesIn(const TempDir& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.root()))
    names.push_back(entry.path().filename().string());
  return names;
}

}  // namespace

TEST_CASE("wardprint render writes the sample leaflet and exits 0") {
  const TempDir dir;
  const auto out = dir.path("leaflet.pdf");
  const auto result = runWardprint({"render", "--event", sampleEventPath(), "--out", out});
  INFO("stderr: " << result.err);
  CHECK(result.exitCode == cli::kExitOk);
  CHECK(result.err == "");
  REQUIRE(fs::exists(out));
  const auto pdf = readFile(out);
  CHECK(pdf.rfind("%PDF-", 0) == 0);
  CHECK(result.out.find(out) != std::string::npos);
  CHECK(filesIn(dir) == std::vector<std::string>{"leaflet.pdf"});  // no temporary file left over

  SUBCASE("with the same bytes as the library renders") {
    intake::LeafletService service(settings::loadConfig(sourceFile("config/wardprint.yaml")));
    const auto parsed =
        events::parseDischargeEvent(readFile(sampleEventPath()), service.eventRules());
    REQUIRE(parsed.event.has_value());
    CHECK(service.render(*parsed.event).pdf == pdf);
  }
}

TEST_CASE(
    "wardprint render refuses a bad event with exit 2, 'field: reason' lines and no output file") {
  const TempDir dir;
  const auto sample = readFile(sampleEventPath());
  struct RefusedCase {
    std::string name;
    std::string event;
    std::vector<std::string>
        inErr;  // "\nfield: " for each problem, and other text stderr must hold
  };
  const std::vector<RefusedCase> cases{
      {"bad NHS check digit and too many copies",
       replaceOnce(replaceOnce(sample, "\"9434765919\"", "\"9434765918\""), "\"copies\": 1",
                   "\"copies\": 9"),
       {"\npatient.nhs_number: ", "\ncopies: "}},
      {"not JSON", "this is not { JSON", {"\n(body): "}},
      {"a family name no font can print",
       replaceOnce(sample, "Łukasiewicz-Ørsted", "ሰላም"),
       {"\npatient.family_name: ", "U+1230"}},
  };
  for (const auto& refused : cases) {
    CAPTURE(refused.name);
    const auto eventPath = dir.path("event.json");
    const auto out = dir.path("leaflet.pdf");
    writeFile(eventPath, refused.event);
    const auto result = runWardprint({"render", "--event", eventPath, "--out", out});
    CAPTURE(result.err);
    CHECK(result.exitCode == cli::kExitInvalidEvent);
    CHECK(result.out == "");
    for (const auto& text : refused.inErr) {
      CAPTURE(text);
      CHECK(result.err.find(text) != std::string::npos);
    }
    CHECK(!fs::exists(out));
    CHECK(filesIn(dir) == std::vector<std::string>{"event.json"});
  }
}

TEST_CASE("wardprint render without --out is a usage error (exit 64)") {
  const auto result = runWardprint({"render", "--event", sampleEventPath()});
  CHECK(result.exitCode == cli::kExitUsage);
  CHECK(result.err.find("--out") != std::string::npos);
  CHECK(result.out == "");
}

TEST_CASE("wardprint exits 1 and names the key when the configuration is bad") {
  const TempDir dir;
  const auto config = dir.path("wardprint.yaml");
  const auto out = dir.path("leaflet.pdf");

  SUBCASE("the relocated configuration itself is fine") {
    // Proves the failure below comes from the printer, not from moving the file (the
    // layouts are found where the executable is, not beside the configuration).
    writeFile(config, relocatedConfig(dir));
    const auto result =
        runWardprint({"render", "--event", sampleEventPath(), "--out", out, "--config", config});
    INFO("stderr: " << result.err);
    CHECK(result.exitCode == cli::kExitOk);
  }
  SUBCASE("a ward's printer is not configured") {
    writeFile(config, replaceOnce(relocatedConfig(dir), "    printer: ward-7-laser",
                                  "    printer: laser-9"));
    const auto result =
        runWardprint({"render", "--event", sampleEventPath(), "--out", out, "--config", config});
    CHECK(result.exitCode == cli::kExitFailure);
    CHECK(result.err.find("wards.ward-7.printer") != std::string::npos);
    CHECK(result.err.find("laser-9") != std::string::npos);
    CHECK(!fs::exists(out));
  }
}

TEST_CASE("wardprint check-layouts exits 0 and lists all eight layouts, drafts marked") {
  const auto result = runWardprint({"check-layouts"});
  INFO("stderr: " << result.err);
  CHECK(result.exitCode == cli::kExitOk);
  for (const char* layout : {"vertebroplasty.en-GB v2 (", "vertebroplasty.en-GB.large v2 (", "kyphoplasty.en-GB v2 (",
                             "kyphoplasty.en-GB.large v2 (", "vertebroplasty.cy-GB v1 (draft)",
                             "vertebroplasty.cy-GB.large v1 (draft)", "kyphoplasty.cy-GB v1 (draft)",
                             "kyphoplasty.cy-GB.large v1 (draft)"}) {
    CAPTURE(layout);
    CHECK(countOccurrences(result.out, layout) == 1);
  }
  CHECK(countOccurrences(result.out, "\n") == 8);
}

TEST_CASE("wardprint --help exits 0 and shows the usage") {
  const auto result = runWardprint({"--help"});
  CHECK(result.exitCode == cli::kExitOk);
  CHECK(result.out.find("wardprint render --event") != std::string::npos);
  CHECK(result.out.find("wardprint check-layouts") != std::string::npos);
}
