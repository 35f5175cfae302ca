#include "hl7/mapping_config.h"

#include <stdexcept>

#include "util/problems.h"

namespace wardprint::hl7 {

std::set<std::string> defaultDiedDispositions() {
  return {"Dead", "Died", "Deceased", "Expired", "4", "5", "79"};
}

const date::time_zone& timeZoneOf(const MappingConfig& config) {
  try {
    return *date::locate_zone(config.timezone);
  } catch (const std::runtime_error&) {
    throw util::ConfigError("hl7.timezone: unknown time zone \"" + config.timezone + "\"");
  }
}

void validateMappingConfig(const MappingConfig& config, const std::set<std::string>& wards) {
  timeZoneOf(config);
  if (config.processingIds.empty()) {
    throw util::ConfigError("hl7.processing_ids: list at least one, usually P");
  }
  if (config.maxAge.count() <= 0) throw util::ConfigError("hl7.max_age_hours: must be more than 0");
  for (const auto& [pointOfCare, ward] : config.locations) {
    if (!wards.count(ward)) {
      throw util::ConfigError("hl7.locations." + pointOfCare + ": \"" + ward +
                              "\" is not a configured ward");
    }
  }
  for (const auto& [ward, procedure] : config.defaultProcedures) {
    if (!wards.count(ward))
      throw util::ConfigError("wards." + ward + ".default_procedure: no such ward");
  }
}

}  // namespace wardprint::hl7
