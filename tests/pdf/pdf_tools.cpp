#include "pdf_tools.h"

#include <doctest/doctest.h>

#include <regex>
#include <sstream>

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

// The dashed second line marks out the columns; the type column can hold spaces ("CID
// TrueType"), so rows are cut at the dashes, not at spaces.
std::vector<FontRow> parsePdffonts(const std::string& table) {
  std::istringstream lines(table);
  std::string header, dashes, line;
  std::getline(lines, header);
  std::getline(lines, dashes);
  std::vector<std::pair<std::size_t, std::size_t>> columns;  // start, length
  for (std::size_t start = dashes.find('-'); start != std::string::npos;
       start = dashes.find('-', start)) {
    const auto end = std::min(dashes.find(' ', start), dashes.size());
    columns.emplace_back(start, end - start);
    start = end;
  }
  REQUIRE(columns.size() >= 4);
  const auto cell = [&](const std::string& row, std::size_t column) {
    const auto [start, length] = columns[column];
    return start < row.size() ? collapseWhitespace(row.substr(start, length)) : std::string();
  };
  std::vector<FontRow> rows;
  while (std::getline(lines, line)) {
    if (!line.empty()) rows.push_back({cell(line, 0), cell(line, 1), cell(line, 2), cell(line, 3)});
  }
  return rows;
}

}  // namespace wardprint::testsupport
