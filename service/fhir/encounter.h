#pragma once

#include <optional>
#include <string>

#include "fhir/json_tree.h"
#include "fhir/mapping_config.h"
#include "fhir/request.h"

// Internal to the fhir module: what the Encounter itself says.
namespace wardprint::fhir {

// The ward of the Encounter: from its locations, the latest first, a Location identifier
// (on the reference, or of the Location resource it names) or the reference's display that
// config.locations maps; else Encounter.serviceProvider.display. nullopt if none maps.
std::optional<std::string> wardOf(const Node& encounter, const Resolver& resolver,
                                  Elements& elements, const MappingConfig& config);

// True when the Encounter says the patient died: hospitalization.dischargeDisposition coded
// 79 (UK Core discharge destination: died or stillbirth) or exp (FHIR: expired), or a UK Core
// discharge method extension (on the Encounter or its hospitalization) coded 4 (died).
// A coding without a system counts; one from another system does not.
bool encounterSaysDied(const Node& encounter, Elements& elements);

// Encounter.status is one of R4's codes.
bool knownStatus(const std::string& status);

}  // namespace wardprint::fhir
