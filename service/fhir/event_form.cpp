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

date::sys_seconds startOfDay(date::year_month_day day, const date::time_zone& zone) {
  return zone.to_sys(date::local_days{day}, date::choose::earliest);
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
  if (discharge.procedureAt) {
    const auto* instant = std::get_if<date::sys_seconds>(&*discharge.procedureAt);
    procedure->set("performed_at", instantText(instant ? *instant
                                                       : startOfDay(std::get<date::year_month_day>(
                                                                        *discharge.procedureAt),
                                                                    zone)));
  }
  setIf(*procedure, "clinician", discharge.clinician);
  event.set("procedure", procedure);
  event.set("language", language);
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(event, out);
  return out.str();
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
