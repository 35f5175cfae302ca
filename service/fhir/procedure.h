#pragma once

#include <date/tz.h>

#include <string>
#include <vector>

#include "fhir/discharge.h"
#include "fhir/json_tree.h"
#include "fhir/mapping_config.h"

// Internal to the fhir module: the procedure's part of a discharge.
namespace wardprint::fhir {

// Fills the procedure part of `out` from the Encounter's Procedures (in request order;
// not-done and entered-in-error ones are skipped) and its reasonCode. The first SNOMED CT
// or OPCS-4 coding in a Procedure.code, else in Encounter.reasonCode, whose code is in
// config.procedureCodes gives the procedure. The Procedure that coding came from (or the
// first Procedure) gives the code as sent, the time (performedDateTime or
// performedPeriod.start), spinal levels named in bodySite's codes, displays and text, and
// the clinician (the first performer's actor.display). An unreadable time is left out with
// a warning.
void readProcedure(const std::vector<Node>& procedures, const Node& encounter, Elements& elements,
                   const MappingConfig& config, const date::time_zone& zone, Discharge& out,
                   std::vector<std::string>& warnings);

}  // namespace wardprint::fhir
