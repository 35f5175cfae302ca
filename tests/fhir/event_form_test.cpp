#include "fhir/event_form.h"

#include <doctest/doctest.h>

#include "events/event_parser.h"

using namespace wardprint::fhir;
using wardprint::events::EventRules;

namespace {

EventRules rules() {
  EventRules rules;
  rules.wards = {"ward-7"};
  rules.layouts = {{"vertebroplasty", "en-GB", false}};
  return rules;
}

Discharge sampleDischarge() {
  Discharge discharge;
  discharge.externalId = "fhir:sys|ENC-1";
  discharge.familyName = "Ζωή Παπαδοπούλου";  // a name sent only as text
  discharge.hospitalNumber = "RRV123456";
  discharge.nhsNumber = "9434765919";
  discharge.dateOfBirth = date::year{1948} / 3 / 12;
  discharge.dischargedAt = date::year_month_day{date::year{2026} / 6 / 10};
  discharge.ward = "ward-7";
  discharge.procedure = "vertebroplasty";
  discharge.procedureAt = date::year_month_day{date::year{2026} / 6 / 10};
  discharge.levels = {"T12", "L1"};
  discharge.clinician = "Dr Sam Jones";
  return discharge;
}

const date::time_zone& london() { return *date::locate_zone("Europe/London"); }

}  // namespace

TEST_CASE("a FHIR discharge becomes the shared event form, days kept as days") {
  const auto json = eventJson(sampleDischarge(), "key-1", "en-GB", london());
  const auto parsed = wardprint::events::parseDischargeEvent(json, rules());
  REQUIRE(parsed.problems.empty());
  const auto& event = *parsed.event;
  CHECK(event.eventId == "key-1");
  CHECK(event.dischargeDayOnly);
  CHECK_FALSE(event.patient.givenName);
  CHECK(event.patient.familyName == "Ζωή Παπαδοπούλου");
  CHECK(event.patient.nhsNumber == std::optional<std::string>("9434765919"));
  // A day-only procedure starts that day where the hospital is (BST in June).
  CHECK(event.procedure.performedAt == date::sys_days{date::year{2026} / 6 / 9} + std::chrono::hours{23});
  CHECK(event.procedure.levels == std::vector<std::string>{"T12", "L1"});

  auto timed = sampleDischarge();
  timed.dischargedAt = date::sys_days{date::year{2026} / 6 / 10} + std::chrono::hours{14};
  timed.givenName = "Ann";
  timed.familyName = "Smith";
  const auto timedEvent = wardprint::events::parseDischargeEvent(eventJson(timed, "key-2", "en-GB", london()), rules());
  REQUIRE(timedEvent.event);
  CHECK_FALSE(timedEvent.event->dischargeDayOnly);
  CHECK(timedEvent.event->patient.givenName == std::optional<std::string>("Ann"));
}

TEST_CASE("what the leaflet needs and the Encounter lacks is named on its FHIR element") {
  auto discharge = sampleDischarge();
  discharge.dateOfBirth.reset();
  discharge.clinician.reset();
  const auto parsed = wardprint::events::parseDischargeEvent(eventJson(discharge, "key-3", "en-GB", london()), rules());
  REQUIRE(parsed.problems.size() == 2);
  CHECK(elementOf(parsed.problems[0].field) == "Patient.birthDate");
  CHECK(elementOf(parsed.problems[1].field) == "Procedure.performer");
  CHECK(elementOf("procedure.levels[1]") == "Procedure.bodySite");
  CHECK(elementOf("copies") == "");
}

TEST_CASE("a decision not to print keeps what the Encounter gave, dated by its period") {
  auto discharge = sampleDischarge();
  discharge.dischargedAt.reset();  // not ended yet: dated by its start
  discharge.startedAt = date::sys_days{date::year{2026} / 6 / 9} + std::chrono::hours{8};
  discharge.dateOfBirth.reset();
  discharge.procedure.reset();
  discharge.procedureCode = "V99.9";
  const auto event = decisionEvent(discharge, "sys|ENC-1", "en-GB", london());
  REQUIRE(event);
  CHECK(event->dischargedAt == *std::get_if<date::sys_seconds>(&*discharge.startedAt));
  CHECK_FALSE(event->dischargeDayOnly);
  CHECK(event->procedure.type == "V99.9");
  CHECK(event->patient.familyName == "Ζωή Παπαδοπούλου");
  CHECK(event->patient.hospitalNumber == "RRV123456");

  discharge.startedAt.reset();
  CHECK_FALSE(decisionEvent(discharge, "sys|ENC-1", "en-GB", london()));
}
