#include "fhir/encounter_mapping.h"

#include <doctest/doctest.h>

#include <functional>

#include "fhir_test_support.h"

namespace wardprint::fhir {
namespace {

using namespace testing;
using date::sys_days;
using date::year;
using date::year_month_day;
using Kind = Mapped::Kind;
using samples::Sample;

}  // namespace

TEST_CASE(
    "a finished Encounter with its Patient and Procedure contained maps to a printable discharge") {
  const Mapped result = plain(Sample{});
  REQUIRE(result.kind == Kind::kPrint);
  CHECK(result.warnings.empty());
  const Discharge& d = *result.discharge;
  CHECK(d.externalId == "fhir:https://trust.example.nhs.uk/Id/encounter|ENC-1");
  CHECK(d.encounterIdentifier == "https://trust.example.nhs.uk/Id/encounter|ENC-1");
  CHECK(d.givenName == "Ann Marie");
  CHECK(d.familyName == "Smith");
  CHECK(d.hospitalNumber == "RRV123456");
  CHECK(d.nhsNumber == "9434765919");
  CHECK(d.dateOfBirth == year_month_day{year{1948} / 3 / 12});
  CHECK(d.dischargedAt == TimeOrDay{sys_days{year{2026} / 12 / 2} + 8h + 30min});
  CHECK(d.ward == "ward-7");
  CHECK(d.procedureCode == "392010000");
  CHECK(d.procedure == "vertebroplasty");
  CHECK(d.procedureAt == TimeOrDay{sys_days{year{2026} / 12 / 1} + 10h});
  CHECK(d.levels == std::vector<std::string>{"T12", "L1"});
  CHECK(d.clinician == "Dr Sam Jones");
}

TEST_CASE("the name used is official, else usual, else the first, and text when it has no parts") {
  const struct {
    const char* names;
    std::optional<std::string> given;
    std::optional<std::string> family;
  } cases[] = {
      {R"([{"use":"usual","given":["Annie"]},{"use":"official","family":"Smith","given":["Ann"]}])",
       "Ann", "Smith"},
      {R"([{"use":"nickname","given":["Nan"]},{"use":"usual","family":"Smith","given":["Annie"]}])",
       "Annie", "Smith"},
      {R"([{"use":"maiden","family":"Jones"},{"use":"old","family":"Brown"}])", std::nullopt,
       "Jones"},
      {R"([{"text":"张无忌"}])", std::nullopt, "张无忌"},
      {R"([{"use":"official","text":"Ann Smith","family":"Smith"}])", std::nullopt, "Smith"},
      {R"([{"given":["Madonna"]}])", "Madonna", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.names);
    Sample sample;
    sample.name = c.names;
    const Mapped result = plain(sample);
    REQUIRE(result.kind == Kind::kPrint);
    CHECK(result.discharge->givenName == c.given);
    CHECK(result.discharge->familyName == c.family);
  }
}

TEST_CASE("a date-only period.end is kept as a day and counts until the end of that day") {
  const struct {
    const char* end;
    Kind kind;
  } cases[] = {
      {"2026-12-02", Kind::kPrint},
      {"2026-12-01", Kind::kPrint},       // ended at the latest 23:59:59 on 1 December: 9 h ago
      {"2026-11-30", Kind::kNotPrinted},  // more than 24 h ago
  };
  for (const auto& c : cases) {
    CAPTURE(c.end);
    Sample sample;
    sample.end = c.end;
    sample.identifier = "";
    const Mapped result = plain(sample);
    REQUIRE(result.kind == c.kind);
    const auto* day = std::get_if<year_month_day>(&*result.discharge->dischargedAt);
    REQUIRE(day);
    CHECK(date::format("%Y-%m-%d", *day) == c.end);
    CHECK(result.discharge->externalId ==
          "fhir:patient:" + samples::kHospitalNumberSystem + "|RRV123456@" + c.end);
    if (c.kind == Kind::kNotPrinted) CHECK(result.reason == NotPrintedReason::kTooOld);
  }
}

TEST_CASE(
    "an NHS number is taken when its check digit is right and left out with a warning when not") {
  const struct {
    const char* sent;
    std::optional<std::string> kept;
  } cases[] = {
      {"9434765919", "9434765919"},
      {"943 476 5919", "9434765919"},
      {"9434765918", std::nullopt},
      {"94347659", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.sent);
    Sample sample;
    sample.nhsNumber = c.sent;
    const Mapped result = plain(sample);
    REQUIRE(result.kind == Kind::kPrint);
    CHECK(result.discharge->nhsNumber == c.kept);
    CHECK(result.warnings.size() == (c.kept ? 0u : 1u));
    for (const std::string& warning : result.warnings) {
      CHECK(warning.find("Encounter.contained[0].identifier[1]") == 0);
      CHECK(warning.find("94347") == std::string::npos);
    }
  }
}

TEST_CASE("an Encounter that is not finished is recorded as not printed, not a discharge") {
  for (const std::string status :
       {"planned", "arrived", "in-progress", "onleave", "cancelled", "entered-in-error"}) {
    CAPTURE(status);
    Sample sample;
    sample.status = status;
    sample.end = "";
    const Mapped result = plain(sample);
    REQUIRE(result.kind == Kind::kNotPrinted);
    CHECK(result.reason == NotPrintedReason::kNotDischarged);
    CHECK_FALSE(result.discharge->dischargedAt);
    CHECK(result.discharge->externalId == "fhir:https://trust.example.nhs.uk/Id/encounter|ENC-1");
  }
  CHECK(reasonCode(NotPrintedReason::kNotDischarged) == "not_discharged");
}

TEST_CASE("a death in the disposition, the discharge method or the Patient means not printed") {
  const char* const kDestination = "https://fhir.hl7.org.uk/CodeSystem/UKCore-DischargeDestination";
  const char* const kMethodUrl =
      "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DischargeMethod";
  const char* const kMethodSystem =
      "https://fhir.hl7.org.uk/CodeSystem/UKCore-DischargeMethodEngland";
  const auto disposition = [](const std::string& system, const std::string& code) {
    return R"({"dischargeDisposition":{"coding":[{"system":")" + system + R"(","code":")" + code +
           "\"}]}}";
  };
  const auto method = [&](const std::string& code) {
    return R"({"extension":[{"url":")" + std::string(kMethodUrl) +
           R"(","valueCodeableConcept":{"coding":[{"system":")" + kMethodSystem + R"(","code":")" +
           code + "\"}]}}]}";
  };
  const struct {
    std::string hospitalization;
    std::string patientExtra;
    bool died;
  } cases[] = {
      {disposition(kDestination, "79"), "", true},
      {disposition("http://terminology.hl7.org/CodeSystem/discharge-disposition", "exp"), "", true},
      {R"({"dischargeDisposition":{"coding":[{"code":"79"}]}})", "", true},
      {method("4"), "", true},
      {"", R"("deceasedBoolean":true,)", true},
      {"", R"("deceasedDateTime":"2026-12-02T07:00:00Z",)", true},
      {disposition(kDestination, "19"), "", false},
      {disposition("http://example.org/other-codes", "79"), "", false},
      {method("1"), "", false},
      {"", R"("deceasedBoolean":false,)", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.hospitalization);
    CAPTURE(c.patientExtra);
    Sample sample;
    sample.hospitalization = c.hospitalization;
    sample.patientExtra = c.patientExtra;
    const Mapped result = plain(sample);
    CHECK(result.kind == (c.died ? Kind::kNotPrinted : Kind::kPrint));
    if (c.died) CHECK(result.reason == NotPrintedReason::kDied);
  }
}

TEST_CASE(
    "the procedure comes from Procedure.code, else Encounter.reasonCode, and without one nothing "
    "prints") {
  const std::string opcs =
      R"([{"coding":[{"system":"http://example.nhs.uk/opcs-4","code":"V44.4"}]}])";
  const struct {
    std::string procedureCode;
    std::string reasonCode;
    std::optional<std::string> procedure;
    std::optional<std::string> codeAsSent;
  } cases[] = {
      {R"({"coding":[{"system":"http://snomed.info/sct","code":"429616001"}]})", "", "kyphoplasty",
       "429616001"},
      {R"({"coding":[{"system":"http://snomed.info/sct","code":"1111"},)"
       R"({"system":"http://snomed.info/sct","code":"392010000"}]})",
       "", "vertebroplasty", "392010000"},
      {"", opcs, "vertebroplasty", "V44.4"},
      {R"({"coding":[{"system":"http://snomed.info/sct","code":"1111"}]})", opcs, "vertebroplasty",
       "V44.4"},
      {R"({"coding":[{"system":"http://example.org/local","code":"392010000"}]})", "", std::nullopt,
       "392010000"},
      {R"({"text":"vertebroplasty"})", "", std::nullopt, std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.procedureCode);
    Sample sample;
    sample.procedureCode = c.procedureCode;
    sample.reasonCode = c.reasonCode;
    const Mapped result = plain(sample);
    CHECK(result.discharge->procedure == c.procedure);
    CHECK(result.discharge->procedureCode == c.codeAsSent);
    CHECK(result.kind == (c.procedure ? Kind::kPrint : Kind::kNotPrinted));
    if (!c.procedure) CHECK(result.reason == NotPrintedReason::kNoLeaflet);
  }
}

TEST_CASE("the ward comes from a location display, a Location identifier or the service provider") {
  const struct {
    std::string location;
    std::string extra;
    std::optional<std::string> ward;
  } cases[] = {
      {R"([{"location":{"display":"Ward 11 East"}}])", "", "ward-7"},
      {R"([{"location":{"identifier":{"value":"T12W"},"display":"somewhere"}}])", "", "ward-8"},
      {R"([{"location":{"display":"T12W"}},{"location":{"display":"Ward 11 East"}}])", "",
       "ward-7"},
      {R"([{"location":{"reference":"#loc"}}])",
       R"("contained":[{"resourceType":"Location","id":"loc","identifier":[{"value":"T12W"}]}],)",
       "ward-8"},
      {"", R"("serviceProvider":{"display":"Spinal Unit"},)", "ward-9"},
      {R"([{"location":{"display":"Ward 99"}}])", "", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.location);
    Sample sample;
    sample.location = c.location;
    sample.extra = c.extra;
    // The Patient goes in a Bundle here, so that the Encounter's own contained list is free.
    const Reading reading =
        read(samples::bundle("collection", {{"urn:uuid:1", sample.patient("p"), ""},
                                            {"", sample.encounter("urn:uuid:1"), ""}}),
             Endpoint::kBundle);
    const Mapped result = onlyEncounter(reading);
    if (c.ward) {
      REQUIRE(result.discharge);
      CHECK(result.discharge->ward == *c.ward);
    } else {
      CHECK(refusalOf(result) == "422 business-rule Bundle.entry[1].resource.location");
    }
  }
}

TEST_CASE("an Encounter that can never print is refused with the FHIRPath of the problem") {
  const struct {
    const char* what;
    std::function<void(Sample&)> change;
    std::string subject;
    const char* refusal;
  } cases[] = {
      {"Patient not in the request", [](Sample&) {}, "Patient/elsewhere",
       "422 not-found Encounter.subject"},
      {"Patient missing from contained", [](Sample&) {}, "#other",
       "422 not-found Encounter.subject"},
      {"no status", [](Sample& s) { s.status = ""; }, "#pat", "400 required Encounter.status"},
      {"unknown status", [](Sample& s) { s.status = "done"; }, "#pat",
       "400 value Encounter.status"},
      {"no name", [](Sample& s) { s.name = ""; }, "#pat",
       "422 required Encounter.contained[0].name"},
      {"empty name", [](Sample& s) { s.name = R"([{"use":"official"}])"; }, "#pat",
       "422 required Encounter.contained[0].name"},
      {"name of the wrong type", [](Sample& s) { s.name = R"("Ann Smith")"; }, "#pat",
       "400 structure Encounter.contained[0].name"},
      {"given of the wrong type", [](Sample& s) { s.name = R"([{"given":"Ann"}])"; }, "#pat",
       "400 structure Encounter.contained[0].name[0].given"},
      {"finished without an end", [](Sample& s) { s.end = ""; }, "#pat",
       "422 required Encounter.period.end"},
      {"an end that is not a date", [](Sample& s) { s.end = "2026-12"; }, "#pat",
       "400 value Encounter.period.end"},
      {"a modifier extension", [](Sample& s) { s.extra = R"("modifierExtension":[{"url":"x"}],)"; },
       "#pat", "422 not-supported Encounter.modifierExtension"},
      {"a modifier extension on the Patient",
       [](Sample& s) { s.patientExtra = R"("modifierExtension":[{"url":"x"}],)"; }, "#pat",
       "422 not-supported Encounter.contained[0].modifierExtension"},
      {"implicit rules", [](Sample& s) { s.extra = R"("implicitRules":"http://x",)"; }, "#pat",
       "422 extension Encounter.implicitRules"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    Sample sample;
    c.change(sample);
    std::string contained = sample.patient("pat");
    const Reading reading = read(sample.encounter(c.subject, contained), Endpoint::kEncounter);
    CHECK(refusalOf(onlyEncounter(reading)) == c.refusal);
  }
}

TEST_CASE("an Encounter without a hospital number is refused") {
  MappingConfig settings = config();
  settings.hospitalNumberSystem = "https://other.example/Id/mrn";
  CHECK(refusalOf(plain(Sample{}, settings)) == "422 required Encounter.contained[0].identifier");
}

TEST_CASE("extensions wardprint does not know are ignored") {
  Sample sample;
  sample.extra = R"("extension":[{"url":"https://example.org/unknown","valueString":"x"}],)";
  sample.patientExtra = R"("_birthDate":{"extension":[{"url":"x","valueTime":"10:00:00"}]},)";
  const Mapped result = plain(sample);
  CHECK(result.kind == Kind::kPrint);
  CHECK(result.warnings.empty());
}

TEST_CASE("a partial birthDate is left out with a warning") {
  Sample sample;
  sample.birthDate = "1948";
  const Mapped result = plain(sample);
  REQUIRE(result.kind == Kind::kPrint);
  CHECK_FALSE(result.discharge->dateOfBirth);
  REQUIRE(result.warnings.size() == 1);
  CHECK(result.warnings[0].find("Encounter.contained[0].birthDate") == 0);
}

}  // namespace wardprint::fhir
