#pragma once

// Shared set-up for the fhir tests: one configuration, one clock, and a reading helper.

#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <string>

#include "fhir/encounter_mapping.h"
#include "fhir_samples.h"

namespace wardprint::fhir::testing {

using namespace std::chrono_literals;

inline const date::sys_seconds kNow = date::sys_days{date::year{2026} / 12 / 2} + 9h;
inline const std::set<std::string> kLeaflets{"vertebroplasty", "kyphoplasty"};

inline MappingConfig config() {
  MappingConfig config;
  config.hospitalNumberSystem = samples::kHospitalNumberSystem;
  config.locations = {{"Ward 11 East", "ward-7"}, {"T12W", "ward-8"}, {"Spinal Unit", "ward-9"}};
  config.procedureCodes = {
      {"392010000", "vertebroplasty"}, {"V44.4", "vertebroplasty"}, {"429616001", "kyphoplasty"}};
  return config;
}

inline Reading read(const std::string& body, Endpoint endpoint,
                    const MappingConfig& settings = config()) {
  return readBody(body, endpoint, kNow, settings, kLeaflets);
}

// The one Encounter of a request that was not refused as a whole.
inline Mapped onlyEncounter(const Reading& reading) {
  REQUIRE_FALSE(reading.refusal);
  Mapped found;
  int count = 0;
  for (const EntryReading& entry : reading.entries) {
    if (entry.encounter) {
      found = *entry.encounter;
      ++count;
    }
  }
  REQUIRE(count == 1);
  return found;
}

inline Mapped plain(const samples::Sample& sample, const MappingConfig& settings = config()) {
  return onlyEncounter(read(sample.plainEncounter(), Endpoint::kEncounter, settings));
}

// "<status> <code> <expression>" of a refusal's first issue.
inline std::string describe(const Refusal& refusal) {
  REQUIRE_FALSE(refusal.issues.empty());
  const Issue& issue = refusal.issues.front();
  return std::to_string(refusal.status) + ' ' + issue.code + ' ' + issue.expression;
}

inline std::string refusalOf(const Mapped& mapped) {
  REQUIRE(mapped.kind == Mapped::Kind::kRefuse);
  REQUIRE(mapped.refusal);
  CHECK_FALSE(mapped.discharge);
  return describe(*mapped.refusal);
}

}  // namespace wardprint::fhir::testing
