#include "fhir/mapping_config.h"

#include <stdexcept>

#include "util/problems.h"

namespace wardprint::fhir {

const date::time_zone& timeZoneOf(const MappingConfig& config) {
  try {
    return *date::locate_zone(config.timezone);
  } catch (const std::runtime_error&) {
    throw util::ConfigError("fhir.timezone: unknown time zone \"" + config.timezone + "\"");
  }
}

void validateMappingConfig(const MappingConfig& config, const std::set<std::string>& wards) {
  timeZoneOf(config);
  if (config.hospitalNumberSystem.empty()) {
    throw util::ConfigError(
        "fhir.hospital_number_system: set the Patient.identifier system of hospital numbers");
  }
  if (config.maxAge.count() <= 0)
    throw util::ConfigError("fhir.max_age_hours: must be more than 0");
  if (config.maxBodyBytes == 0) throw util::ConfigError("fhir.max_body_bytes: must be more than 0");
  if (config.maxDepth == 0) throw util::ConfigError("fhir.max_depth: must be more than 0");
  for (const auto& [location, ward] : config.locations) {
    if (!wards.count(ward)) {
      throw util::ConfigError("fhir.locations." + location + ": \"" + ward +
                              "\" is not a configured ward");
    }
  }
}

}  // namespace wardprint::fhir
