#pragma once

#include <date/tz.h>

#include <optional>
#include <string>

#include "events/discharge_event.h"
#include "fhir/discharge.h"

// A FHIR discharge in the form every front door's discharges share: the JSON discharge event
// of POST /v1/discharges (docs in README.md). The /fhir door checks it with
// events::parseDischargeEvent, so that one set of rules holds whichever door a discharge
// came in by, and hands the text to the intake as the message to render again from.
namespace wardprint::fhir {

// The discharge as a JSON discharge event with this event_id and language. A day-only
// period.end becomes discharged_on; a day-only Procedure.performed[x] the start of that day
// in `zone`. A fact the discharge lacks (a birth date, a clinician) is left out, so that the
// event's checks name it. Pure; never throws.
std::string eventJson(const Discharge& discharge, const std::string& eventId, const std::string& language,
                      const date::time_zone& zone);

// The discharge as the event of a decision not to print it, which need not pass the event's
// rules (its procedure may be unknown, its birth date missing): what the Encounter lacks
// stays empty. A stay that has not ended is dated by its period.start. nullopt when the
// Encounter has neither period.end nor period.start. Pure; never throws.
std::optional<events::DischargeEvent> decisionEvent(const Discharge& discharge, const std::string& eventId,
                                                    const std::string& language, const date::time_zone& zone);

// The FHIRPath an event field comes from, relative to the Encounter's request entry
// ("patient.date_of_birth" -> "Patient.birthDate"), for an OperationOutcome's expression.
// "" for a field that has no one FHIR element.
std::string elementOf(const std::string& eventField);

}  // namespace wardprint::fhir
