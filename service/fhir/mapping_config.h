#pragma once

#include <date/tz.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <set>
#include <string>

namespace wardprint::fhir {

// The fhir: section of the configuration, already typed (the YAML loader fills it).
struct MappingConfig {
  std::string timezone = "Europe/London";  // for date-times without an offset, and for days
  std::string hospitalNumberSystem;        // Patient.identifier.system of the hospital number
  // Location.identifier value, or Encounter.location.location / serviceProvider display ->
  // ward id.
  std::map<std::string, std::string> locations;
  // SNOMED CT or OPCS-4 code in Procedure.code or Encounter.reasonCode -> procedure name.
  std::map<std::string, std::string> procedureCodes;
  std::chrono::hours maxAge{24};       // older discharges are recorded, not printed
  std::size_t maxBodyBytes = 1 << 20;  // larger bodies are refused before parsing (413)
  std::size_t maxDepth = 64;           // deeper JSON nesting is refused before parsing
};

// The config's time zone. Throws util::ConfigError naming fhir.timezone if it is unknown.
const date::time_zone& timeZoneOf(const MappingConfig& config);

// Checks a loaded config against the deployment: the time zone is known, a hospital number
// system is set, max age, body size and depth are positive, and every location maps to one
// of `wards`. Throws util::ConfigError naming the key at the first problem.
void validateMappingConfig(const MappingConfig& config, const std::set<std::string>& wards);

}  // namespace wardprint::fhir
