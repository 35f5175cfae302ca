#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/encounter_mapping.h"
#include "fhir/outcome.h"

// The JSON bodies the /fhir front door answers with (Content-Type application/fhir+json).
namespace wardprint::fhir {

// One Bundle entry's answer, as the front door decided it after the intake.
struct EntryAnswer {
  int status = 200;                     // 201 new, 200 repeat or context, 4xx/5xx refused
  std::optional<std::string> location;  // response.location of a new discharge
  std::vector<Issue> outcome;           // response.outcome; empty for none
};

// "201 Created", "200 OK", "422 Unprocessable Entity"...: the HTTP status line FHIR puts in
// Bundle.entry.response.status. Unknown codes give the number alone.
std::string statusLine(int status);

// An OperationOutcome with one issue per entry, in order (severity, code, diagnostics,
// expression when not empty).
std::string operationOutcomeJson(const std::vector<Issue>& issues);

// The answer to a Bundle: a transaction-response for a transaction, a batch-response for
// every other shape, with one entry per answer in the order given (one per request entry).
std::string responseBundleJson(Shape shape, const std::vector<EntryAnswer>& answers);

// The CapabilityStatement for GET /fhir/metadata: FHIR 4.0.1, JSON only, Encounter create
// (POST /fhir/Encounter), transaction and batch at the base (which also takes collection,
// message and subscription-notification Bundles), bearer-token security. `date` is the
// statement's date ("2026-12-02"); `softwareVersion` wardprint's version.
std::string capabilityStatementJson(std::string_view softwareVersion, std::string_view date);

}  // namespace wardprint::fhir
