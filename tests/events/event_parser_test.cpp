#include "events/event_parser.h"
#include "events/timestamp.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <doctest/doctest.h>

#include <functional>
#include <sstream>

using namespace wardprint::events;
using Poco::JSON::Object;
using wardprint::util::Problem;

namespace {

const char* kValidEvent = R"({
  "event_id": "ADT-000123",
  "discharged_at": "2026-11-22T14:30:00Z",
  "ward": "ward-7",
  "patient": {"given_name": "Zoë", "family_name": "Łukasiewicz-Ørsted",
              "hospital_number": "RHQ1234567", "nhs_number": "9434765919",
              "date_of_birth": "1948-03-02"},
  "procedure": {"type": "vertebroplasty", "levels": ["L1", "T12"],
                "performed_at": "2026-11-22T09:10:00Z", "clinician": "Dr A Shah"},
  "language": "en-GB", "large_print": false, "copies": 1, "printer": null,
  "notes": "Take paracetamol as needed.",
  "some_future_field": {"ignored": true}
})";

EventRules rules() {
  EventRules rules;
  rules.wards = {"ward-7", "ward-8"};
  rules.printers = {"ward-7-laser", "ward-8-laser"};
  rules.layouts = {{"vertebroplasty", "en-GB", false}, {"vertebroplasty", "en-GB", true},
                   {"kyphoplasty", "en-GB", false}};
  rules.draftLayouts = {{{"kyphoplasty", "cy-GB", false}, "kyphoplasty.cy-GB"}};
  return rules;
}

// The valid event with one change applied.
std::string eventWith(const std::function<void(Object&)>& change) {
  Poco::JSON::Parser parser;
  auto root = parser.parse(kValidEvent).extract<Object::Ptr>();
  change(*root);
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(root, out);
  return out.str();
}

Object& patient(Object& root) { return *root.getObject("patient"); }

// The valid event with one change, and the one problem that change must cause.
struct BadFieldCase {
  const char* what;
  std::function<void(Object&)> change;
  Problem expected;
};

void checkRefused(const BadFieldCase& c) {
  CAPTURE(c.what);
  const auto parsed = parseDischargeEvent(eventWith(c.change), rules());
  CHECK_FALSE(parsed.event);
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].field == c.expected.field);
  CHECK(parsed.problems[0].reason == c.expected.reason);
}
Object& procedure(Object& root) { return *root.getObject("procedure"); }

}  // namespace

TEST_CASE("a valid event is read in full") {
  const auto parsed = parseDischargeEvent(kValidEvent, rules());
  REQUIRE(parsed.problems.empty());
  REQUIRE(parsed.event);
  const auto& event = *parsed.event;
  CHECK(event.eventId == "ADT-000123");
  CHECK(event.ward == "ward-7");
  CHECK(event.patient.givenName == "Zoë");
  CHECK(event.patient.familyName == "Łukasiewicz-Ørsted");
  CHECK(event.patient.nhsNumber == "9434765919");
  CHECK(event.patient.dateOfBirth == date::year{1948} / 3 / 2);
  CHECK(event.procedure.levels == std::vector<std::string>{"T12", "L1"});  // head to tail
  CHECK(event.procedure.clinician == "Dr A Shah");
  CHECK(event.language == "en-GB");
  CHECK_FALSE(event.largePrint);
  CHECK(event.copies == 1);
  CHECK_FALSE(event.printer);
  CHECK(event.notes == "Take paracetamol as needed.");
  CHECK_FALSE(event.patient.language);
}

TEST_CASE("the patient's own language is read as a language tag") {
  for (const char* tag : {"ja", "zh-CN", "zh-Hant-TW", "ko"}) {
    CAPTURE(tag);
    const auto parsed = parseDischargeEvent(eventWith([&](Object& r) { patient(r).set("language", tag); }), rules());
    REQUIRE(parsed.event);
    CHECK(parsed.event->patient.language == tag);
  }
}

TEST_CASE("optional fields take their defaults") {
  const auto parsed = parseDischargeEvent(eventWith([](Object& root) {
                                            root.remove("language");
                                            root.remove("large_print");
                                            root.remove("copies");
                                            root.remove("notes");
                                            patient(root).remove("given_name");
                                            patient(root).remove("nhs_number");
                                          }),
                                          rules());
  REQUIRE(parsed.event);
  CHECK(parsed.event->language == "en-GB");
  CHECK(parsed.event->copies == 1);
  CHECK_FALSE(parsed.event->patient.givenName);
  CHECK_FALSE(parsed.event->patient.nhsNumber);
  CHECK_FALSE(parsed.event->notes);
}

TEST_CASE("names and the clinician are normalised to NFC") {
  const auto parsed = parseDischargeEvent(eventWith([](Object& root) {
                                            patient(root).set("given_name", "Zoe\u0308");
                                            patient(root).set("family_name", "Nguye\u0302\u0303n");
                                            procedure(root).set("clinician", "Dr Mu\u0308ller");
                                          }),
                                          rules());
  REQUIRE(parsed.event);
  CHECK(parsed.event->patient.givenName == "Zo\u00EB");
  CHECK(parsed.event->patient.familyName == "Nguy\u1EC5n");
  CHECK(parsed.event->procedure.clinician == "Dr M\u00FCller");
}

TEST_CASE("a printer override and copies within range are kept") {
  const auto parsed = parseDischargeEvent(eventWith([](Object& root) {
                                            root.set("printer", "ward-8-laser");
                                            root.set("copies", 5);
                                            root.set("large_print", true);
                                          }),
                                          rules());
  REQUIRE(parsed.event);
  CHECK(parsed.event->printer == "ward-8-laser");
  CHECK(parsed.event->copies == 5);
  CHECK(parsed.event->largePrint);
}

TEST_CASE("each bad field is reported with its exact field and reason") {
  const std::string tooLong(1001, 'a');
  const BadFieldCase cases[] = {
      {"missing event_id", [](Object& r) { r.remove("event_id"); }, {"event_id", "is required"}},
      {"event_id with a slash", [](Object& r) { r.set("event_id", "a/b"); },
       {"event_id", "must be 1 to 64 letters, digits, or . _ : -"}},
      {"event_id a number", [](Object& r) { r.set("event_id", 42); }, {"event_id", "must be a string"}},
      {"no offset", [](Object& r) { r.set("discharged_at", "2026-11-22T14:30:00"); },
       {"discharged_at", "must be an RFC 3339 date-time with an offset, like 2026-11-22T14:30:00Z"}},
      {"unknown ward", [](Object& r) { r.set("ward", "ward-9"); }, {"ward", "unknown ward; known: ward-7, ward-8"}},
      {"patient missing", [](Object& r) { r.remove("patient"); }, {"patient", "is required"}},
      {"patient not an object", [](Object& r) { r.set("patient", "Zoë"); }, {"patient", "must be an object"}},
      {"family name missing", [](Object& r) { patient(r).remove("family_name"); },
       {"patient.family_name", "is required"}},
      {"family name blank", [](Object& r) { patient(r).set("family_name", "  "); },
       {"patient.family_name", "must not be empty"}},
      {"control character in a name", [](Object& r) { patient(r).set("given_name", "Zo\x07"); },
       {"patient.given_name", "must not contain control characters"}},
      {"bidi override in a name", [](Object& r) { patient(r).set("family_name", "Smith\u202E"); },
       {"patient.family_name", "must not contain U+202E (bidi control)"}},
      {"isolate in a name", [](Object& r) { patient(r).set("given_name", "\u2067Ali\u2069"); },
       {"patient.given_name", "must not contain U+2067 (bidi control), U+2069 (bidi control)"}},
      {"zero width space in a name", [](Object& r) { patient(r).set("family_name", "Sm\u200Bith"); },
       {"patient.family_name", "must not contain U+200B (format control)"}},
      {"private use in a name", [](Object& r) { patient(r).set("family_name", "Smith\uE000"); },
       {"patient.family_name", "must not contain U+E000 (private use)"}},
      {"noncharacter in a name", [](Object& r) { patient(r).set("family_name", "Smith\uFDD0"); },
       {"patient.family_name", "must not contain U+FDD0 (noncharacter)"}},
      {"unassigned in a name", [](Object& r) { patient(r).set("family_name", "Smith\u0378"); },
       {"patient.family_name", "must not contain U+0378 (unassigned)"}},
      {"emoji in the clinician", [](Object& r) { procedure(r).set("clinician", "Dr Rees \U0001F600"); },
       {"procedure.clinician", "must not contain U+1F600 (emoji)"}},
      {"name too long", [](Object& r) { patient(r).set("family_name", std::string(101, 'x')); },
       {"patient.family_name", "must be at most 100 characters"}},
      {"hospital number with a space", [](Object& r) { patient(r).set("hospital_number", "RHQ 1"); },
       {"patient.hospital_number", "must be 1 to 20 letters or digits"}},
      {"NHS number check digit", [](Object& r) { patient(r).set("nhs_number", "9434765918"); },
       {"patient.nhs_number", "check digit does not match (not a valid NHS number)"}},
      {"NHS number length", [](Object& r) { patient(r).set("nhs_number", "943476591"); },
       {"patient.nhs_number", "must be 10 digits"}},
      {"date of birth format", [](Object& r) { patient(r).set("date_of_birth", "02/03/1948"); },
       {"patient.date_of_birth", "must be a date like 1948-03-02"}},
      {"born after discharge", [](Object& r) { patient(r).set("date_of_birth", "2026-11-23"); },
       {"patient.date_of_birth", "must not be after the discharge"}},
      {"implausibly old", [](Object& r) { patient(r).set("date_of_birth", "1890-01-01"); },
       {"patient.date_of_birth", "is more than 130 years before the discharge"}},
      {"unknown procedure", [](Object& r) { procedure(r).set("type", "laminectomy"); },
       {"procedure.type", "unknown procedure 'laminectomy'; known: kyphoplasty, vertebroplasty"}},
      {"procedure type wrong type", [](Object& r) { procedure(r).set("type", true); },
       {"procedure.type", "must be a string"}},
      {"no levels", [](Object& r) { procedure(r).set("levels", Poco::JSON::Array()); },
       {"procedure.levels", "must name at least one vertebra"}},
      {"bad level", [](Object& r) {
         Poco::JSON::Array levels;
         levels.add("T12");
         levels.add("T13");
         procedure(r).set("levels", levels);
       }, {"procedure.levels[1]", "must be a vertebra: C1-C7, T1-T12, L1-L5 or S1-S5"}},
      {"repeated level", [](Object& r) {
         Poco::JSON::Array levels;
         levels.add("L1");
         levels.add("L1");
         procedure(r).set("levels", levels);
       }, {"procedure.levels[1]", "names L1 twice"}},
      {"levels not a list", [](Object& r) { procedure(r).set("levels", "T12"); },
       {"procedure.levels", "must be an array"}},
      {"procedure after discharge", [](Object& r) { procedure(r).set("performed_at", "2026-11-22T15:00:00Z"); },
       {"procedure.performed_at", "must not be after discharged_at"}},
      {"clinician missing", [](Object& r) { procedure(r).remove("clinician"); },
       {"procedure.clinician", "is required"}},
      {"no layout in that language", [](Object& r) { r.set("language", "cy-GB"); },
       {"language", "no leaflet in 'cy-GB' for vertebroplasty; available: en-GB"}},
      {"patient language not a language tag", [](Object& r) { patient(r).set("language", "Japanese please"); },
       {"patient.language", "must be a language tag such as ja or zh-CN"}},
      {"a draft layout this site does not use", [](Object& r) {
         procedure(r).set("type", "kyphoplasty");
         r.set("language", "cy-GB");
       }, {"language", "the cy-GB leaflet for kyphoplasty (kyphoplasty.cy-GB) is a draft, not yet reviewed; "
                       "this site prints only reviewed leaflets"}},
      {"no large print for kyphoplasty", [](Object& r) {
         procedure(r).set("type", "kyphoplasty");
         r.set("large_print", true);
       }, {"large_print", "no large-print leaflet in en-GB for kyphoplasty"}},
      {"large_print a string", [](Object& r) { r.set("large_print", "yes"); },
       {"large_print", "must be true or false"}},
      {"copies zero", [](Object& r) { r.set("copies", 0); }, {"copies", "must be from 1 to 5"}},
      {"copies huge", [](Object& r) { r.set("copies", 100000); }, {"copies", "must be from 1 to 5"}},
      {"copies fractional", [](Object& r) { r.set("copies", 1.5); }, {"copies", "must be a whole number"}},
      {"unknown printer", [](Object& r) { r.set("printer", "../../etc/passwd"); },
       {"printer", "unknown printer; known: ward-7-laser, ward-8-laser"}},
      {"notes too long", [&](Object& r) { r.set("notes", tooLong); }, {"notes", "must be at most 1000 characters"}},
      {"notes with a NUL", [](Object& r) { r.set("notes", std::string("a\0b", 3)); },
       {"notes", "must not contain control characters other than line breaks"}},
  };
  for (const auto& c : cases) checkRefused(c);
}

TEST_CASE("every problem is reported at once") {
  const auto parsed = parseDischargeEvent(eventWith([](Object& r) {
                                            r.set("copies", 9);
                                            r.set("ward", "nowhere");
                                            patient(r).set("nhs_number", "9434765918");
                                          }),
                                          rules());
  CHECK_FALSE(parsed.event);
  CHECK(parsed.problems.size() == 3);
}

TEST_CASE("a body that is not a JSON object is refused as a whole") {
  for (const char* body : {"", "not json", "[1, 2]", "\"text\"", "{\"event_id\": "}) {
    CAPTURE(body);
    const auto parsed = parseDischargeEvent(body, rules());
    CHECK_FALSE(parsed.event);
    REQUIRE(parsed.problems.size() == 1);
    CHECK(parsed.problems[0].field == "");
  }
}

TEST_CASE("a key given twice is refused, naming it, however deep") {
  struct Case {
    const char* body;
    const char* field;
  };
  const Case cases[] = {
      {R"({"event_id": "A", "event_id": "B"})", "event_id"},
      {R"({"patient": {"family_name": "X", "family_name": "Y"}})", "patient.family_name"},
      {R"({"procedure": {"levels": ["L1"], "type": "a", "type": "b"}})", "procedure.type"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    const auto parsed = parseDischargeEvent(c.body, rules());
    REQUIRE(parsed.problems.size() == 1);
    CHECK(parsed.problems[0] == Problem{c.field, "appears more than once"});
  }
}

TEST_CASE("markup characters in a name are refused") {
  const auto parsed =
      parseDischargeEvent(eventWith([](Object& r) { patient(r).set("family_name", "<script>alert(1)</script>"); }), rules());
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0] == Problem{"patient.family_name", "must not contain < > { or }"});
  // Braces would be read as placeholders where the name is printed in the page header.
  const auto braces = parseDischargeEvent(eventWith([](Object& r) { patient(r).set("family_name", "Smith {page.count}"); }), rules());
  REQUIRE(braces.problems.size() == 1);
  CHECK(braces.problems[0].field == "patient.family_name");
}

TEST_CASE("deep nesting is refused without crashing") {
  const auto parsed = parseDischargeEvent(std::string(100000, '[') + std::string(100000, ']'), rules());
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0].field == "");
}

TEST_CASE("notes keep their line breaks without carriage returns and blank notes count as none") {
  auto parsed = parseDischargeEvent(eventWith([](Object& r) { r.set("notes", "One.\r\nTwo."); }), rules());
  REQUIRE(parsed.event);
  CHECK(parsed.event->notes == "One.\nTwo.");
  parsed = parseDischargeEvent(eventWith([](Object& r) { r.set("notes", "   "); }), rules());
  REQUIRE(parsed.event);
  CHECK_FALSE(parsed.event->notes);
}

namespace {

Poco::JSON::Object::Ptr bloodThinner(const std::string& name, const std::string& restartOn) {
  Poco::JSON::Object::Ptr medicine = new Object;
  medicine->set("name", name);
  medicine->set("restart_on", restartOn);
  return medicine;
}

void setBloodThinners(Object& root, std::initializer_list<Poco::JSON::Object::Ptr> medicines) {
  Poco::JSON::Array list;
  for (const auto& medicine : medicines) list.add(medicine);
  root.set("blood_thinners", list);
}

void setFollowUp(Object& root, std::initializer_list<std::pair<const char*, const char*>> fields) {
  Poco::JSON::Object::Ptr followUp = new Object;
  for (const auto& [key, value] : fields) followUp->set(key, value);
  root.set("follow_up", followUp);
}

}  // namespace

TEST_CASE("anaesthesia, follow-up and blood thinners are read when given") {
  const auto parsed = parseDischargeEvent(eventWith([](Object& r) {
                                            procedure(r).set("anaesthesia", "sedation");
                                            setFollowUp(r, {{"at", "2026-12-08T10:30:00Z"},
                                                            {"place", "Spinal clinic, Outpatients B"},
                                                            {"with", "Dr A Shah"}});
                                            auto warfarin = bloodThinner("Warfarin", "2026-11-23");
                                            warfarin->set("instructions", "Take 3 mg at 6pm. Have a blood test on Friday.");
                                            setBloodThinners(r, {warfarin, bloodThinner("Apixaban", "2026-11-22")});
                                          }),
                                          rules());
  REQUIRE(parsed.problems.empty());
  const auto& event = *parsed.event;
  CHECK(event.procedure.anaesthesia == Anaesthesia::kSedation);
  REQUIRE(event.followUp);
  CHECK(event.followUp->at == *parseRfc3339("2026-12-08T10:30:00Z"));
  CHECK_FALSE(event.followUp->day);
  CHECK(event.followUp->place == "Spinal clinic, Outpatients B");
  CHECK(event.followUp->with == "Dr A Shah");
  REQUIRE(event.bloodThinners.size() == 2);
  CHECK(event.bloodThinners[0].name == "Warfarin");
  CHECK(event.bloodThinners[0].restartOn == date::year{2026} / 11 / 23);
  CHECK(event.bloodThinners[0].instructions == "Take 3 mg at 6pm. Have a blood test on Friday.");
  CHECK(event.bloodThinners[1].restartOn == date::year{2026} / 11 / 22);  // the discharge day itself
  CHECK_FALSE(event.bloodThinners[1].instructions);
}

TEST_CASE("the new optional fields are absent unless given and a follow-up may be only a date") {
  const auto plain = parseDischargeEvent(kValidEvent, rules());
  REQUIRE(plain.event);
  CHECK_FALSE(plain.event->procedure.anaesthesia);
  CHECK_FALSE(plain.event->followUp);
  CHECK(plain.event->bloodThinners.empty());

  const auto dateOnly = parseDischargeEvent(eventWith([](Object& r) { setFollowUp(r, {{"at", "2026-12-08"}}); }), rules());
  REQUIRE(dateOnly.event);
  CHECK(dateOnly.event->followUp->day == date::year{2026} / 12 / 8);
  CHECK_FALSE(dateOnly.event->followUp->at);
  CHECK_FALSE(dateOnly.event->followUp->place);
}

TEST_CASE("each bad new field is reported with its field and reason") {
  const std::string longInstructions(301, 'a');
  const BadFieldCase cases[] = {
      {"unknown anaesthesia", [](Object& r) { procedure(r).set("anaesthesia", "spinal"); },
       {"procedure.anaesthesia", "must be local, sedation or general"}},
      {"anaesthesia not a string", [](Object& r) { procedure(r).set("anaesthesia", true); },
       {"procedure.anaesthesia", "must be a string"}},
      {"follow-up not an object", [](Object& r) { r.set("follow_up", "next week"); },
       {"follow_up", "must be an object"}},
      {"empty follow-up", [](Object& r) { setFollowUp(r, {}); },
       {"follow_up", "must give at least one of at, place or with"}},
      {"follow-up time without an offset", [](Object& r) { setFollowUp(r, {{"at", "2026-12-08T10:30:00"}}); },
       {"follow_up.at", "must be a date like 2026-12-08 or an RFC 3339 date-time like 2026-12-08T10:30:00Z"}},
      {"follow-up before the discharge", [](Object& r) { setFollowUp(r, {{"at", "2026-11-21"}}); },
       {"follow_up.at", "must not be before the discharge"}},
      {"follow-up place with markup", [](Object& r) { setFollowUp(r, {{"place", "<b>clinic</b>"}}); },
       {"follow_up.place", "must not contain < > { or }"}},
      {"blood thinners not a list", [](Object& r) { r.set("blood_thinners", "warfarin"); },
       {"blood_thinners", "must be an array"}},
      {"a blood thinner that is not an object", [](Object& r) {
         Poco::JSON::Array list;
         list.add("warfarin");
         r.set("blood_thinners", list);
       }, {"blood_thinners[0]", "must be an object {name, restart_on, instructions}"}},
      {"a blood thinner without a name", [](Object& r) {
         auto medicine = bloodThinner("Warfarin", "2026-11-23");
         medicine->remove("name");
         setBloodThinners(r, {medicine});
       }, {"blood_thinners[0].name", "is required"}},
      {"restart date not a date", [](Object& r) { setBloodThinners(r, {bloodThinner("Warfarin", "tomorrow")}); },
       {"blood_thinners[0].restart_on", "must be a date like 2026-11-24"}},
      {"restart before the discharge", [](Object& r) {
         setBloodThinners(r, {bloodThinner("Warfarin", "2026-11-23"), bloodThinner("Apixaban", "2026-11-21")});
       }, {"blood_thinners[1].restart_on", "must not be before the discharge date (2026-11-22)"}},
      {"instructions too long", [&](Object& r) {
         auto medicine = bloodThinner("Warfarin", "2026-11-23");
         medicine->set("instructions", longInstructions);
         setBloodThinners(r, {medicine});
       }, {"blood_thinners[0].instructions", "must be at most 300 characters"}},
      {"too many blood thinners", [](Object& r) {
         Poco::JSON::Array list;
         for (int i = 0; i < 11; ++i) list.add(bloodThinner("Warfarin", "2026-11-23"));
         r.set("blood_thinners", list);
       }, {"blood_thinners", "must list at most 10 medicines"}},
  };
  for (const auto& c : cases) checkRefused(c);
}

TEST_CASE("a restart date is checked, and named by its place in the list, beside other bad medicines") {
  const auto parsed = parseDischargeEvent(eventWith([](Object& r) {
                                            auto nameless = bloodThinner("Warfarin", "2026-11-23");
                                            nameless->remove("name");
                                            setBloodThinners(r, {nameless, bloodThinner("Apixaban", "2026-11-20")});
                                            setFollowUp(r, {{"at", "2026-11-21"}});
                                          }),
                                          rules());
  CHECK_FALSE(parsed.event);
  REQUIRE(parsed.problems.size() == 3);
  CHECK(parsed.problems[0] == Problem{"blood_thinners[0].name", "is required"});
  CHECK(parsed.problems[1] == Problem{"blood_thinners[1].restart_on", "must not be before the discharge date (2026-11-22)"});
  CHECK(parsed.problems[2] == Problem{"follow_up.at", "must not be before the discharge"});
}

TEST_CASE("the discharge date for restart dates is the hospital's local date") {
  // 00:30 BST on 11 June is 23:30 UTC on 10 June: a restart on 10 June is before the discharge.
  const auto parsed = parseDischargeEvent(eventWith([](Object& r) {
                                            r.set("discharged_at", "2026-06-10T23:30:00Z");
                                            procedure(r).set("performed_at", "2026-06-10T09:00:00Z");
                                            setBloodThinners(r, {bloodThinner("Warfarin", "2026-06-10")});
                                          }),
                                          rules());
  REQUIRE(parsed.problems.size() == 1);
  CHECK(parsed.problems[0] == Problem{"blood_thinners[0].restart_on", "must not be before the discharge date (2026-06-11)"});
}

TEST_CASE("a discharge known only by its day starts that day where the hospital is") {
  auto withDay = [](Object& r) {
    r.remove("discharged_at");
    r.set("discharged_on", "2026-06-10");
    procedure(r).set("performed_at", "2026-06-10T15:00:00Z");  // later that day is fine
  };
  const auto parsed = parseDischargeEvent(eventWith(withDay), rules());
  REQUIRE(parsed.event);
  CHECK(parsed.event->dischargeDayOnly);
  // Midnight in London in June (BST) is 23:00 UTC the day before.
  CHECK(parsed.event->dischargedAt == date::sys_days{date::year{2026} / 6 / 9} + std::chrono::hours{23});
  CHECK_FALSE(parseDischargeEvent(kValidEvent, rules()).event->dischargeDayOnly);

  checkRefused({"both forms", [](Object& r) { r.set("discharged_on", "2026-11-22"); },
                {"discharged_on", "must not be given with discharged_at"}});
  checkRefused({"not a date", [&](Object& r) { withDay(r); r.set("discharged_on", "2026-06-10T10:00:00Z"); },
                {"discharged_on", "must be a date like 2026-11-24"}});
  checkRefused({"procedure the next day", [&](Object& r) {
                  withDay(r);
                  procedure(r).set("performed_at", "2026-06-11T00:30:00+01:00");
                }, {"procedure.performed_at", "must not be after discharged_on"}});
}

TEST_CASE("a refused event still gives the printed texts read well and the layout asked for") {
  const auto parsed = parseDischargeEvent(eventWith([](Object& root) {
    root.set("copies", 9);
    root.getObject("patient")->set("given_name", 7);  // the wrong type: not a text to check
  }), rules());
  REQUIRE_FALSE(parsed.event);
  std::vector<std::string> fields;
  for (const auto& text : parsed.texts) fields.push_back(text.field);
  CHECK(fields == std::vector<std::string>{"patient.family_name", "procedure.clinician", "notes"});
  CHECK(parsed.texts.at(0).text == "Łukasiewicz-Ørsted");
  REQUIRE(parsed.layout);
  CHECK(parsed.layout->procedure == "vertebroplasty");
  CHECK(parsed.layout->language == "en-GB");

  const auto noLayout = parseDischargeEvent(eventWith([](Object& root) {
    root.set("copies", 9);
    root.set("language", "cy-GB");
  }), rules());
  CHECK_FALSE(noLayout.layout);
}
