// The FHIR R4 front door: POST /fhir (a Bundle), POST /fhir/Encounter, GET /fhir/metadata.
// fhir::readBody reads and maps the body; each Encounter that may print becomes the JSON
// discharge event every door shares, checked by the same rules, and goes to the intake.

#include <date/date.h>

#include <variant>

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

// Whether a 2xx answer: a transaction is refused by the first entry that is not.
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

// One mapped Encounter as the intake takes it: to print, or (not finished, the patient
// died, too old, no leaflet) to record with its reason for the nurse page. The answer
// instead when it cannot go to the intake.
std::variant<intake::Submission, EntryAnswer> submissionFor(RequestContext& context, const fhir::Mapped& mapped,
                                                           const std::string& encounter) {
  if (mapped.kind == fhir::Mapped::Kind::kRefuse) return EntryAnswer{mapped.refusal->status, std::nullopt, mapped.refusal->issues};
  auto& intake = context.api.intake;
  const auto& discharge = *mapped.discharge;
  auto form = intakeForm(context, discharge);
  if (mapped.kind == fhir::Mapped::Kind::kPrint) {
    auto parsed = events::parseDischargeEvent(form.source.original, intake.rules());
    if (!parsed.event) return invalidAnswer(intake.refuse(parsed.problems).problems, encounter);
    parsed.event->eventId = form.id;
    return intake::Submission{std::move(*parsed.event), std::move(form.source), std::nullopt};
  }
  auto event = fhir::decisionEvent(discharge, form.id, intake.rules().defaultLanguage,
                                   fhir::timeZoneOf(*context.api.config.fhir));
  if (!event) {
    return refusedWith(422, "required", "an Encounter that has not ended needs period.start to be recorded",
                       encounter + ".period");
  }
  const intake::NotPrinted decision{std::string(fhir::reasonCode(*mapped.reason)),
                                    std::string(fhir::reasonText(*mapped.reason))};
  return intake::Submission{std::move(*event), std::move(form.source), decision};
}

// The intake's outcome for a submission as the Encounter's answer.
EntryAnswer answerSubmission(const intake::AcceptOutcome& outcome, const intake::Submission& submission,
                             const fhir::Mapped& mapped, const std::string& encounter) {
  auto answer = answerFor(outcome, encounter);
  if (submission.notPrinted && succeeded(answer)) {
    answer.outcome.push_back({Issue::Severity::kInformation, "informational", submission.notPrinted->text, ""});
  }
  return withWarnings(std::move(answer), mapped.warnings);
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

// One Encounter of a request that is not a transaction: stored (or refused) on its own.
EntryAnswer decideEncounter(RequestContext& context, const fhir::Mapped& mapped, const std::string& encounter) {
  auto submission = submissionFor(context, mapped, encounter);
  if (auto* refused = std::get_if<EntryAnswer>(&submission)) return *refused;
  const auto& ready = std::get<intake::Submission>(submission);
  return answerSubmission(context.api.intake.acceptAll({ready}).back(), ready, mapped, encounter);
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

// A transaction is all or nothing: every Encounter is made ready for the intake first, and
// the first that cannot be is the answer; then the intake stores them all in one store
// transaction, or none. (Its mapping refused none: readBody refuses such a transaction whole.)
void answerTransaction(RequestContext& context, const fhir::Reading& reading, HTTPServerResponse& response) {
  std::vector<intake::Submission> submissions;
  std::vector<std::size_t> entryOf;  // the entry of each submission
  for (std::size_t i = 0; i < reading.entries.size(); ++i) {
    const auto& encounter = reading.entries[i].encounter;
    if (!encounter) continue;
    auto submission = submissionFor(context, *encounter, encounterPath(reading.shape, i));
    if (auto* refused = std::get_if<EntryAnswer>(&submission)) {
      logAnswer(context, encounterPath(reading.shape, i), *refused);
      return sendEntryAnswer(response, *refused);
    }
    submissions.push_back(std::move(std::get<intake::Submission>(submission)));
    entryOf.push_back(i);
  }
  const auto outcomes = context.api.intake.acceptAll(submissions);
  std::vector<EntryAnswer> answers(reading.entries.size(), EntryAnswer{200, std::nullopt, {}});
  for (std::size_t k = 0; k < outcomes.size(); ++k) {
    const auto entry = entryOf[k];
    answers[entry] = answerSubmission(outcomes[k], submissions[k], *reading.entries[entry].encounter,
                                      encounterPath(reading.shape, entry));
    if (!succeeded(answers[entry])) {
      logAnswer(context, encounterPath(reading.shape, entry), answers[entry]);
      return sendEntryAnswer(response, answers[entry]);
    }
  }
  for (const auto entry : entryOf) logAnswer(context, encounterPath(reading.shape, entry), answers[entry]);
  sendFhir(response, 200, fhir::responseBundleJson(reading.shape, answers));
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
  if (reading.shape == fhir::Shape::kTransaction) return answerTransaction(context, reading, response);
  std::vector<EntryAnswer> answers;
  for (std::size_t i = 0; i < reading.entries.size(); ++i) {
    const auto& encounter = reading.entries[i].encounter;
    // Other resources are context for the Encounters: nothing to store.
    answers.push_back(encounter ? answerEncounter(context, *encounter, encounterPath(reading.shape, i))
                                : EntryAnswer{200, std::nullopt, {}});
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
