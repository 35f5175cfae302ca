#include "pdf_tools.h"

#include <doctest/doctest.h>

#include <regex>

#include "events/event_parser.h"
#include "util/problems.h"

namespace wardprint::testsupport {

std::string defaultConfigPath() { return WARDPRINT_SOURCE_DIR "/config/wardprint.yaml"; }

events::DischargeEvent parseEventJson(const std::string& json, const intake::LeafletService& service) {
  const auto parsed = events::parseDischargeEvent(json, service.eventRules());
  INFO("event refused:\n" << util::describe(parsed.problems));
  REQUIRE(parsed.event.has_value());
  return *parsed.event;
}

events::DischargeEvent loadEvent(const std::string& file, const intake::LeafletService& service) {
  return parseEventJson(readFile(sourceFile("tests/data/" + file)), service);
}

ProcessResult runTool(const std::vector<std::string>& argv) {
  auto result = runProcess(argv);
  INFO(argv[0] << " stderr: " << result.err);
  REQUIRE(result.exitCode == 0);
  return result;
}

int pdfinfoPageCount(const std::string& pdf) {
  const auto info = runTool({"pdfinfo", pdf}).out;
  std::smatch match;
  static const std::regex pagesLine(R"((^|\n)Pages:\s+(\d+))");
  REQUIRE(std::regex_search(info, match, pagesLine));
  return std::stoi(match[2]);
}

}  // namespace wardprint::testsupport
