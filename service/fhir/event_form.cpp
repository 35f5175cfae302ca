#include "fhir/event_form.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <map>
#include <sstream>

namespace wardprint::fhir {
namespace {

using Poco::JSON::Object;

std::string instantText(date::sys_seconds instant) { return date::format("%FT%TZ", instant); }

std::string dayText(date::year_month_day day) { return date::format("%F", day); }

// The instant itself, or the start of the day in `zone`.
date::sys_seconds instantOf(const TimeOrDay& when, const date::time_zone& zone) {
  if (const auto* instant = std::get_if<date::sys_seconds>(&when)) return *instant;
  return zone.to_sys(date::local_days{std::get<date::year_month_day>(when)}, date::choose::earliest);
}

template <typename T>
void setIf(Object& object, const std::string& key, const std::optional<T>& value) {
  if (value) object.set(key, *value);
}

}  // namespace

std::string eventJson(const Discharge& discharge, const std::string& eventId, const std::string& language,
                      const date::time_zone& zone) {
  Object event(Poco::JSON_PRESERVE_KEY_ORDER);
  event.set("event_id", eventId);
  if (discharge.dischargedAt) {
    if (const auto* instant = std::get_if<date::sys_seconds>(&*discharge.dischargedAt)) {
      event.set("discharged_at", instantText(*instant));
    } else {
      event.set("discharged_on", dayText(std::get<date::year_month_day>(*discharge.dischargedAt)));
    }
  }
  event.set("ward", discharge.ward);
  Object::Ptr patient = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  // A person with one name (or a name sent only as text) has it as the family name.
  if (discharge.familyName) {
    setIf(*patient, "given_name", discharge.givenName);
    patient->set("family_name", *discharge.familyName);
  } else {
    setIf(*patient, "family_name", discharge.givenName);
  }
  patient->set("hospital_number", discharge.hospitalNumber);
  setIf(*patient, "nhs_number", discharge.nhsNumber);
  if (discharge.dateOfBirth) patient->set("date_of_birth", dayText(*discharge.dateOfBirth));
  event.set("patient", patient);
  Object::Ptr procedure = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  setIf(*procedure, "type", discharge.procedure);
  Poco::JSON::Array levels;
  for (const auto& level : discharge.levels) levels.add(level);
  procedure->set("levels", levels);
  if (discharge.procedureAt) procedure->set("performed_at", instantText(instantOf(*discharge.procedureAt, zone)));
  setIf(*procedure, "clinician", discharge.clinician);
  event.set("procedure", procedure);
  event.set("language", language);
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(event, out);
  return out.str();
}

std::optional<events::DischargeEvent> decisionEvent(const Discharge& discharge, const std::string& eventId,
                                                    const std::string& language, const date::time_zone& zone) {
  const auto& when = discharge.dischargedAt ? discharge.dischargedAt : discharge.startedAt;
  if (!when) return std::nullopt;
  events::DischargeEvent event;
  event.eventId = eventId;
  event.dischargedAt = instantOf(*when, zone);
  event.dischargeDayOnly = std::holds_alternative<date::year_month_day>(*when);
  event.ward = discharge.ward;
  event.patient.givenName = discharge.familyName ? discharge.givenName : std::nullopt;
  event.patient.familyName = discharge.familyName.value_or(discharge.givenName.value_or(""));
  event.patient.hospitalNumber = discharge.hospitalNumber;
  event.patient.nhsNumber = discharge.nhsNumber;
  if (discharge.dateOfBirth) event.patient.dateOfBirth = *discharge.dateOfBirth;
  event.procedure.type = discharge.procedure.value_or(discharge.procedureCode.value_or(""));
  event.procedure.levels = discharge.levels;
  event.procedure.performedAt = discharge.procedureAt ? instantOf(*discharge.procedureAt, zone) : event.dischargedAt;
  event.procedure.clinician = discharge.clinician.value_or("");
  event.language = language;
  return event;
}

std::string elementOf(const std::string& eventField) {
  static const std::map<std::string, std::string> elements{
      {"discharged_at", "Encounter.period.end"},
      {"discharged_on", "Encounter.period.end"},
      {"ward", "Encounter.location"},
      {"patient.given_name", "Patient.name"},
      {"patient.family_name", "Patient.name"},
      {"patient.hospital_number", "Patient.identifier"},
      {"patient.nhs_number", "Patient.identifier"},
      {"patient.date_of_birth", "Patient.birthDate"},
      {"procedure.type", "Procedure.code"},
      {"procedure.levels", "Procedure.bodySite"},
      {"procedure.performed_at", "Procedure.performed"},
      {"procedure.clinician", "Procedure.performer"},
      {"language", "Procedure.code"},
  };
  const auto found = elements.find(eventField);
  if (found != elements.end()) return found->second;
  // "procedure.levels[1]" names its list.
  const auto bracket = eventField.find('[');
  return bracket == std::string::npos ? "" : elementOf(eventField.substr(0, bracket));
}

}  // namespace wardprint::fhir
