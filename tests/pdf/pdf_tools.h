#pragma once

// What the pdf tests share: sample events of tests/data parsed under the default
// configuration, and the poppler tools that read a rendered leaflet back.

#include <string>
#include <vector>

#include "../test_support.h"
#include "intake/leaflet_service.h"
#include "events/discharge_event.h"

namespace wardprint::testsupport {

// config/wardprint.yaml of the source tree.
std::string defaultConfigPath();

// An event parsed under the service's rules; the test stops (REQUIRE) if it is refused.
events::DischargeEvent parseEventJson(const std::string& json, const intake::LeafletService& service);

// tests/data/<file>, parsed as above.
events::DischargeEvent loadEvent(const std::string& file, const intake::LeafletService& service);

// Runs a tool and insists it exits 0; stderr is left for the caller to judge.
ProcessResult runTool(const std::vector<std::string>& argv);

// The page count pdfinfo reports.
int pdfinfoPageCount(const std::string& pdf);

// One row of pdffonts' table.
struct FontRow {
  std::string name, type, encoding, embedded;
};

// The rows of pdffonts' output.
std::vector<FontRow> parsePdffonts(const std::string& table);

}  // namespace wardprint::testsupport
