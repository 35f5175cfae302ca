#pragma once

#include <date/date.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/discharge.h"
#include "fhir/mapping_config.h"
#include "fhir/outcome.h"

// How the /fhir front door uses this module, per request (Content-Type application/fhir+json):
//   reading = readBody(body, kBundle for POST /fhir or kEncounter for POST /fhir/Encounter,
//                      now, config, proceduresWithLeaflets)
//   reading.refusal -> answer refusal.status with operationOutcomeJson(refusal.issues) and
//                      store nothing (for a transaction this covers any refused Encounter)
//   each entry whose encounter is kPrint or kNotPrinted -> the intake stores the discharge
//                      (and the reason) under discharge.externalId: new 201 + Location, the
//                      same again 200, changed content 409 with an OperationOutcome;
//                      kRefuse -> that entry's answer is its refusal
//   a plain Encounter -> answer its one status; a Bundle -> responseBundleJson(reading.shape,
//                      answers), one answer per entry in order (other resources: 200)
//   GET /fhir/metadata -> capabilityStatementJson(...)   (see answers.h)
// Every step is pure and never throws for bad input (readBody throws only for bad config).
// Nothing referenced is ever fetched: a Patient that is neither contained nor in the Bundle
// refuses the Encounter (422).

namespace wardprint::fhir {

// Which URL the body came to.
enum class Endpoint {
  kBundle,     // POST /fhir: a Bundle
  kEncounter,  // POST /fhir/Encounter: one Encounter
};

// What the body is.
enum class Shape {
  kEncounter,     // a plain Encounter
  kTransaction,   // Bundle.type transaction: all or nothing
  kBatch,         // each entry on its own
  kCollection,    // no processing obligation: read like a batch
  kMessage,       // first entry a MessageHeader: read like a batch
  kNotification,  // a history Bundle whose first entry is a SubscriptionStatus (R4B) or a
                  // Parameters (the R4 subscriptions backport): a subscription notification
};

// Why a discharge is recorded but not printed.
enum class NotPrintedReason {
  kNotDischarged,  // Encounter.status is not finished (planned, in-progress, cancelled...)
  kDied,           // dischargeDisposition 79 or exp, discharge method 4, or Patient.deceased
  kTooOld,         // discharged longer ago than config.maxAge
  kNoLeaflet,      // no procedure known, or no leaflet for it
};

// "not_discharged", "died", "too_old", "no_leaflet": as hl7::reasonCode for the shared ones.
std::string_view reasonCode(NotPrintedReason reason);
// One plain sentence for the nurse page.
std::string_view reasonText(NotPrintedReason reason);

// What one Encounter asks of wardprint.
struct Mapped {
  enum class Kind {
    kPrint,       // discharge set: store it and print its leaflet
    kNotPrinted,  // discharge and reason set: store the decision, print nothing
    kRefuse,      // refusal set: store nothing, answer with it
  };
  Kind kind = Kind::kRefuse;
  std::optional<Discharge> discharge;
  std::optional<NotPrintedReason> reason;
  std::optional<Refusal> refusal;
  std::vector<std::string> warnings;  // elements left out, e.g. an invalid NHS number
};

// One resource of the request, in order: a Bundle entry, or the posted Encounter.
struct EntryReading {
  std::string resourceType;
  std::optional<Mapped> encounter;  // set for an Encounter; other resources are only context
  // Set when the entry is refused, whatever its resource (for a mapped Encounter, a copy of
  // encounter->refusal): store nothing for it and answer with it.
  std::optional<Refusal> refusal;
};

struct Reading {
  Shape shape = Shape::kEncounter;
  std::vector<EntryReading> entries;
  std::optional<Refusal> refusal;  // the request as a whole is refused: store nothing
};

// Reads and maps a request body; pure. The body is refused as a whole for: more than
// config.maxBodyBytes (413), nesting deeper than config.maxDepth, not JSON, not the resource
// the endpoint takes, a Bundle type wardprint does not take or a malformed Bundle (400/422),
// and in a transaction, any refused entry. Bundle, Bundle.entry (request, response),
// Encounter, Patient and Procedure are read as a strict FHIR R4 server does: an element R4
// does not define is refused (400 structure), and so is a modifierExtension (422
// not-supported); a batch refuses only the entry (and the Encounters whose Patient or
// Procedure it is). Each Encounter is then mapped: an element of the wrong type (400);
// implicitRules, which wardprint cannot honour (422 extension); no status or an unknown one
// (400); no Patient in the request, no hospital number, no name, no location in
// config.locations (422); a finished Encounter without period.end (422) or one that is not a
// date (400); without an identifier, nothing to key it by (422). Extensions are otherwise
// ignored. An accepted Encounter is then kNotPrinted if it is not finished, if the patient
// died, if it ended longer than config.maxAge before `now` (a day-only end counts from the
// end of that day), or if its procedure has no leaflet in `proceduresWithLeaflets`; else
// kPrint.
// The external id is "fhir:<system>|<value>" of the Encounter's first identifier; without
// one, "fhir:patient:<hospital number system>|<number>@<period.end>" (period.start when there
// is no end), time as 2026-12-02T08:30:00Z or a bare date. A urn:uuid fullUrl, new on every
// send, never enters it.
// Throws util::ConfigError if config.timezone is not a known time zone.
Reading readBody(std::string_view body, Endpoint endpoint, date::sys_seconds now,
                 const MappingConfig& config, const std::set<std::string>& proceduresWithLeaflets);

}  // namespace wardprint::fhir
