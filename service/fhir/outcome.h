#pragma once

#include <string>
#include <vector>

namespace wardprint::fhir {

// One OperationOutcome.issue. `code` is a FHIR IssueType ("structure", "required", "value",
// "too-long", "not-supported", "not-found", "business-rule", "extension", "conflict",
// "exception"). `diagnostics` is plain words that never quote patient data. `expression` is
// the FHIRPath of the bad element ("Bundle.entry[1].resource.subject"); "" for the whole body.
struct Issue {
  enum class Severity { kFatal, kError, kWarning, kInformation };
  Severity severity = Severity::kError;
  std::string code;
  std::string diagnostics;
  std::string expression;
};

// Why a request, or one Encounter in it, is refused: the HTTP status a FHIR server answers
// (400 unreadable or invalid against the base specification, 413 too large, 422 against
// wardprint's rules) and the issues for its OperationOutcome.
struct Refusal {
  int status = 400;
  std::vector<Issue> issues;
};

}  // namespace wardprint::fhir
