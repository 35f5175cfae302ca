#pragma once

#include <date/date.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace wardprint::fhir {

// An instant, or only a day: FHIR allows Encounter.period.end and Procedure.performed[x] as
// a bare date. A day stays a day so that the leaflet counts its deadlines in whole days
// ("rest until the end of Tuesday 24 November") instead of from a made-up midnight.
using TimeOrDay = std::variant<date::sys_seconds, date::year_month_day>;

// A discharge read from a FHIR Encounter and its Patient (and Procedures): the same facts
// hl7::Discharge carries, for the same intake. Optional fields are ones the resources may
// lack; the leaflet leaves their lines out. Holds patient data: never log it.
struct Discharge {
  std::string externalId;  // the intake's idempotency key; see externalId() in encounter_mapping.h
  std::optional<std::string> encounterIdentifier;  // Encounter.identifier as system|value
  std::optional<std::string> givenName;            // HumanName.given, joined by spaces
  // HumanName.family; a name sent only as text (as many non-Latin names are) is kept whole
  // here, the event's one-name form.
  std::optional<std::string> familyName;
  std::string hospitalNumber;                       // identifier of config.hospitalNumberSystem
  std::optional<std::string> nhsNumber;             // ten digits, check digit verified
  std::optional<date::year_month_day> dateOfBirth;  // Patient.birthDate (a full date)
  // Encounter.period.end. Set for every discharge that may print; may be missing when the
  // Encounter is not finished.
  std::optional<TimeOrDay> dischargedAt;
  std::optional<TimeOrDay> startedAt;  // Encounter.period.start: dates a stay that has not ended
  std::string ward;                          // configured ward id
  std::optional<std::string> procedureCode;  // the code as sent
  std::optional<std::string> procedure;      // wardprint's name: "vertebroplasty"
  std::optional<TimeOrDay> procedureAt;      // Procedure.performed[x]
  std::vector<std::string> levels;           // "T12", "L1", head to tail; may be empty
  std::optional<std::string> clinician;      // Procedure.performer.actor.display
};

}  // namespace wardprint::fhir
