// The FHIR R4 front door: POST /fhir (a Bundle), POST /fhir/Encounter, GET /fhir/metadata.
// fhir::readBody reads and maps the body; each Encounter that may print becomes the JSON
// discharge event every door shares, checked by the same rules, and goes to the intake.

#include <date/date.h>

#include "events/event_parser.h"
#include "fhir/answers.h"
#include "fhir/encounter_mapping.h"
#include "fhir/event_form.h"
#include "http/request_context.h"
#include "util/intake_key.h"

namespace wardprint::http {
namespace {

using fhir::EntryAnswer;
using fhir::Issue;

constexpr const char* kExternalIdPrefix = "fhir:";
constexpr const char* kCapabilityDate = "2026-12-02";  // when the CapabilityStatement last changed

EntryAnswer refusedWith(int status, std::string code, std::string diagnostics, std::string expression = "") {
  return {status, std::nullopt, {{Issue::Severity::kError, std::move(code), std::move(diagnostics), std::move(expression)}}};
}

// The procedures with a leaflet in the site's language: an Encounter for any other is
// recorded, not printed.
std::set<std::string> proceduresWithLeaflets(const events::EventRules& rules) {
  std::set<std::string> procedures;
  for (const auto& layout : rules.layouts) {
    if (layout.language == rules.defaultLanguage && !layout.largePrint) procedures.insert(layout.procedure);
  }
  return procedures;
}

// Where the Encounter of entry `index` is, as FHIRPath.
std::string encounterPath(fhir::Shape shape, std::size_t index) {
  if (shape == fhir::Shape::kEncounter) return "Encounter";
  return "Bundle.entry[" + std::to_string(index) + "].resource";
}

// An event field's problem as an OperationOutcome issue on the element it came from.
Issue issueOf(const util::Problem& problem, const std::string& encounter) {
  auto element = fhir::elementOf(problem.field);
  if (element.rfind("Encounter.", 0) == 0) element = encounter + element.substr(std::string("Encounter").size());
  const bool missing = problem.reason == "is required";
  return {Issue::Severity::kError, missing ? "required" : "business-rule",
          "the leaflet cannot be made: " + (problem.field.empty() ? "the discharge" : problem.field) + " " +
              problem.reason,
          element};
}

EntryAnswer invalidAnswer(const util::Problems& problems, const std::string& encounter) {
  EntryAnswer answer{422, std::nullopt, {}};
  for (const auto& problem : problems) answer.outcome.push_back(issueOf(problem, encounter));
  return answer;
}

std::string documentUrl(const std::string& documentId) { return "/v1/discharges/" + documentId; }

// The intake's answer in FHIR's terms.
EntryAnswer answerFor(const intake::AcceptOutcome& outcome, const std::string& encounter) {
  switch (outcome.kind) {
    case intake::AcceptOutcome::kAccepted:
      return {201, documentUrl(outcome.documentId), {}};
    case intake::AcceptOutcome::kRepeat:
      return {200, documentUrl(outcome.documentId), {}};
    case intake::AcceptOutcome::kConflict:
      return refusedWith(409, "conflict",
                         "this Encounter was received before with other content, as document " +
                             outcome.documentId + "; nothing was changed",
                         encounter + ".identifier");
    case intake::AcceptOutcome::kForbidden:
      return refusedWith(403, "forbidden", "this API token may not send discharges for that ward",
                         encounter + ".location");
    case intake::AcceptOutcome::kInvalid:
      return invalidAnswer(outcome.problems, encounter);
    case intake::AcceptOutcome::kStorageUnavailable:
      return refusedWith(503, "transient", "nothing was stored: the store cannot be written; send again later");
    case intake::AcceptOutcome::kStorageDamaged:
      return refusedWith(503, "exception", "nothing was stored: the store is damaged and must be restored");
    case intake::AcceptOutcome::kFailed:
      return refusedWith(500, "exception", "the leaflet could not be made; the service's log says why");
  }
  return refusedWith(500, "exception", "unexpected outcome");
}

// A discharge as the intake takes it: the sender's own id (the mapping's external id
// without its door) and its source, whose message is the shared event form.
struct IntakeForm {
  std::string id;
  intake::Source source;
};

IntakeForm intakeForm(RequestContext& context, const fhir::Discharge& discharge) {
  const auto id = discharge.externalId.substr(std::string(kExternalIdPrefix).size());
  // The event form needs an event_id of its alphabet: the key, which fits any id.
  auto json = fhir::eventJson(discharge, util::intakeKey("fhir", id), context.api.intake.rules().defaultLanguage,
                              fhir::timeZoneOf(*context.api.config.fhir));
  return {id, {"fhir", id, context.principal.name, std::move(json), context.principal.limitedWards()}};
}

// One Encounter that may print, through the intake.
EntryAnswer acceptForPrint(RequestContext& context, const fhir::Discharge& discharge, const std::string& encounter) {
  auto& intake = context.api.intake;
  const auto form = intakeForm(context, discharge);
  auto parsed = events::parseDischargeEvent(form.source.original, intake.rules());
  if (!parsed.event) return invalidAnswer(intake.refuse(parsed.problems).problems, encounter);
  parsed.event->eventId = form.id;
  return answerFor(intake.accept(*parsed.event, form.source), encounter);
}

// Whether a 2xx answer: a transaction stops at the first entry that is not.
bool succeeded(const EntryAnswer& answer) { return answer.status >= 200 && answer.status < 300; }

// The mapping's warnings ("Patient.identifier[1]: not a valid NHS number; left out") as
// warning issues of an accepted Encounter's answer.
EntryAnswer withWarnings(EntryAnswer answer, const std::vector<std::string>& warnings) {
  if (!succeeded(answer)) return answer;
  for (const auto& warning : warnings) {
    const auto colon = warning.find(": ");
    if (colon == std::string::npos) {
      answer.outcome.push_back({Issue::Severity::kWarning, "value", warning, ""});
    } else {
      answer.outcome.push_back({Issue::Severity::kWarning, "value", warning.substr(colon + 2), warning.substr(0, colon)});
    }
  }
  return answer;
}

// One Encounter that is not to print (not finished, the patient died, too old, no leaflet):
// the decision and its reason are stored for the nurse page.
EntryAnswer recordNotPrinted(RequestContext& context, const fhir::Discharge& discharge,
                             fhir::NotPrintedReason reason, const std::string& encounter) {
  auto& intake = context.api.intake;
  const auto form = intakeForm(context, discharge);
  const auto event = fhir::decisionEvent(discharge, form.id, intake.rules().defaultLanguage,
                                         fhir::timeZoneOf(*context.api.config.fhir));
  if (!event) {
    return refusedWith(422, "required", "an Encounter that has not ended needs period.start to be recorded",
                       encounter + ".period");
  }
  const intake::NotPrinted decision{std::string(fhir::reasonCode(reason)), std::string(fhir::reasonText(reason))};
  auto answer = answerFor(intake.recordNotPrinted(*event, form.source, decision), encounter);
  if (succeeded(answer)) answer.outcome.push_back({Issue::Severity::kInformation, "informational", decision.text, ""});
  return answer;
}

// "fhir: Encounter from pas-feed at 10.0.0.5: 201, document …" with the issues' codes and
// elements, never their diagnostics (which may quote what was sent).
void logAnswer(const RequestContext& context, const std::string& encounter, const EntryAnswer& answer) {
  std::string line = "fhir: " + encounter + " from " + context.principal.name + " at " + context.remote + ": " +
                     std::to_string(answer.status);
  if (answer.location) line += ", document " + answer.location->substr(documentUrl("").size());
  for (const auto& issue : answer.outcome) {
    if (issue.severity == Issue::Severity::kError) line += ", " + issue.code + (issue.expression.empty() ? "" : " at " + issue.expression);
  }
  if (succeeded(answer)) return context.api.log.info(line);
  context.api.log.warning(line);
}

EntryAnswer decideEncounter(RequestContext& context, const fhir::Mapped& mapped, const std::string& encounter) {
  switch (mapped.kind) {
    case fhir::Mapped::Kind::kRefuse:
      return {mapped.refusal->status, std::nullopt, mapped.refusal->issues};
    case fhir::Mapped::Kind::kPrint:
      return withWarnings(acceptForPrint(context, *mapped.discharge, encounter), mapped.warnings);
    case fhir::Mapped::Kind::kNotPrinted:
      break;
  }
  return withWarnings(recordNotPrinted(context, *mapped.discharge, *mapped.reason, encounter), mapped.warnings);
}

EntryAnswer answerEncounter(RequestContext& context, const fhir::Mapped& mapped, const std::string& encounter) {
  auto answer = decideEncounter(context, mapped, encounter);
  logAnswer(context, encounter, answer);
  return answer;
}

void sendEntryAnswer(HTTPServerResponse& response, const EntryAnswer& answer) {
  if (answer.location) response.set("Location", *answer.location);
  if (!succeeded(answer)) response.setKeepAlive(false);
  auto outcome = answer.outcome;
  if (outcome.empty()) {
    outcome.push_back({Issue::Severity::kInformation, "informational",
                       answer.status == 201 ? "stored; its leaflet is queued for printing"
                                            : "received before: the same document, not printed again",
                       ""});
  }
  sendFhir(response, answer.status, fhir::operationOutcomeJson(outcome));
}

void postFhir(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response,
              fhir::Endpoint endpoint) {
  if (!isFhirJson(request)) {
    return sendOperationOutcome(response, 415, "not-supported", "send Content-Type: application/fhir+json");
  }
  if (!context.api.config.fhir) {
    return sendOperationOutcome(response, 404, "not-supported", "this service is not configured to take FHIR");
  }
  const auto& config = *context.api.config.fhir;
  std::string body;
  try {
    body = readBody(request, config.maxBodyBytes);
  } catch (const BodyTooLarge&) {
    return sendOperationOutcome(response, 413, "too-long", "the body is larger than this service takes");
  }
  auto& intake = context.api.intake;
  const auto now = date::sys_seconds{std::chrono::seconds{intake.now() / 1000}};
  const auto reading = fhir::readBody(body, endpoint, now, config, proceduresWithLeaflets(intake.rules()));
  if (reading.refusal) {
    intake.refuse({{"", "the FHIR request was refused"}});
    context.api.log.warning("fhir: a request from " + context.principal.name + " at " + context.remote +
                            " was refused: " + std::to_string(reading.refusal->status));
    response.setKeepAlive(false);
    return sendFhir(response, reading.refusal->status, fhir::operationOutcomeJson(reading.refusal->issues));
  }
  std::vector<EntryAnswer> answers;
  for (std::size_t i = 0; i < reading.entries.size(); ++i) {
    const auto& entry = reading.entries[i];
    if (!entry.encounter) {
      answers.push_back({200, std::nullopt, {}});  // context for the Encounters: nothing to store
      continue;
    }
    answers.push_back(answerEncounter(context, *entry.encounter, encounterPath(reading.shape, i)));
    // A transaction is all or nothing: its Encounters were all accepted by the mapping,
    // so only the intake can stop it here; the ones before were stored, and come back as
    // repeats when the corrected transaction is sent again.
    if (reading.shape == fhir::Shape::kTransaction && !succeeded(answers.back())) {
      return sendEntryAnswer(response, answers.back());
    }
  }
  if (reading.shape == fhir::Shape::kEncounter) return sendEntryAnswer(response, answers.front());
  sendFhir(response, 200, fhir::responseBundleJson(reading.shape, answers));
}

}  // namespace

namespace routes {

void postFhirBundle(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  postFhir(context, request, response, fhir::Endpoint::kBundle);
}

void postFhirEncounter(RequestContext& context, HTTPServerRequest& request, HTTPServerResponse& response) {
  postFhir(context, request, response, fhir::Endpoint::kEncounter);
}

void getFhirMetadata(RequestContext&, HTTPServerRequest&, HTTPServerResponse& response) {
  sendFhir(response, 200, fhir::capabilityStatementJson(WARDPRINT_VERSION, kCapabilityDate));
}

}  // namespace routes
}  // namespace wardprint::http
