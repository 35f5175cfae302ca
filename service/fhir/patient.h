#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fhir/discharge.h"
#include "fhir/json_tree.h"
#include "fhir/mapping_config.h"

// Internal to the fhir module: the Patient's part of a discharge.
namespace wardprint::fhir {

// The identifier system of NHS numbers (UK Core).
inline constexpr const char* kNhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";

// Fills the patient's part of `out` from `patient`: the hospital number (the identifier of
// config.hospitalNumberSystem), the NHS number, the name (use official, else usual, else the
// first; its text when it has no parts) and birthDate. Returns the issue that makes the
// Encounter unacceptable (422): no hospital number, or no name. An NHS number failing its
// check, or a birthDate that is not a full date, is left out with a warning; warnings name
// elements, never their values.
std::optional<Issue> readPatient(const Node& patient, Elements& elements,
                                 const MappingConfig& config, Discharge& out,
                                 std::vector<std::string>& warnings);

// True when Patient.deceasedBoolean is true or Patient.deceasedDateTime is set.
bool patientDeceased(const Node& patient, Elements& elements);

}  // namespace wardprint::fhir
