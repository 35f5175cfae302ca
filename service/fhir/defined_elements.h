#pragma once

#include <optional>
#include <string>

#include "fhir/json_tree.h"
#include "fhir/outcome.h"

// Internal to the fhir module: reading the resources wardprint acts on as a strict FHIR R4
// server does. Elements the specification does not define are refused rather than ignored,
// so a misspelt element ("dischargeDispositon") never silently drops what it meant to say.
namespace wardprint::fhir {

// Checks `node` against FHIR R4's element list for `definition`: "Bundle" (its own elements,
// not its entries' resources), "Bundle.entry" (with its request and response, not its
// resource), "Encounter", "Patient" or "Procedure" (with their contained resources of those
// types). Returns nullopt for any other definition, and when every element is defined (a
// choice like performedDateTime and a primitive's "_name" sibling included). Otherwise the
// refusal for the first problem: an undefined element (400 "structure", diagnostics naming
// it, expression its FHIRPath), or a modifierExtension anywhere within, which wardprint
// understands none of and so may not process (422 "not-supported").
std::optional<Refusal> undefinedElements(const Node& node, const std::string& definition);

}  // namespace wardprint::fhir
