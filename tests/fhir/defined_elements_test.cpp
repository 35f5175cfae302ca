#include "fhir/defined_elements.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fhir_test_support.h"

namespace wardprint::fhir {
namespace {

using namespace testing;
using samples::Sample;

// "" when the resource is accepted, else "<status> <code> <expression>" of the refusal.
std::string checked(const std::string& json, const std::string& definition) {
  const auto parsed = parseBody(json, 1 << 20, 64);
  REQUIRE(std::holds_alternative<Node>(parsed));
  const Node root{std::get<Node>(parsed).object, definition};
  const auto refusal = undefinedElements(root, definition);
  return refusal ? describe(*refusal) : "";
}

// A resource checked against a definition, and the refusal it gets ("" for none).
struct Case {
  const char* what;
  std::string json;
  const char* definition;
  const char* refusal;
};

void checkAll(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    CAPTURE(c.what);
    CHECK(checked(c.json, c.definition) == c.refusal);
  }
}

// A UK Core style Encounter as ward systems send it, with most of R4's elements.
const std::string kRealisticEncounter = R"({
  "resourceType":"Encounter","id":"enc1","language":"en-GB",
  "meta":{"versionId":"3","lastUpdated":"2026-12-02T08:31:00Z",
          "profile":["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter"]},
  "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Stay</div>"},
  "extension":[{"url":"https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DischargeMethod",
                "valueCodeableConcept":{"coding":[{"code":"1"}]}}],
  "identifier":[{"system":"https://trust.example.nhs.uk/Id/encounter","value":"ENC-1"}],
  "status":"finished","_status":{"extension":[{"url":"https://example.org/x","valueString":"y"}]},
  "statusHistory":[{"status":"in-progress","period":{"start":"2026-12-01T08:00:00Z"}}],
  "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},
  "type":[{"text":"Day case"}],"serviceType":{"text":"Spinal surgery"},"priority":{"text":"routine"},
  "subject":{"reference":"Patient/p1"},"episodeOfCare":[{"reference":"EpisodeOfCare/e1"}],
  "participant":[{"individual":{"display":"Dr Sam Jones"}}],
  "period":{"start":"2026-12-01T08:00:00Z","end":"2026-12-02T08:30:00Z"},
  "length":{"value":1,"unit":"d"},"reasonCode":[{"text":"Fracture"}],
  "diagnosis":[{"condition":{"reference":"Condition/c1"},"rank":1}],
  "hospitalization":{"dischargeDisposition":{"coding":[{"code":"19"}]}},
  "location":[{"location":{"display":"Ward 11 East"},"status":"completed"}],
  "serviceProvider":{"display":"Example Trust"},"partOf":{"reference":"Encounter/e0"}})";

}  // namespace

TEST_CASE("elements FHIR R4 defines are accepted, undefined ones refused with their path") {
  checkAll({
      {"a realistic Encounter", kRealisticEncounter, "Encounter", ""},
      {"a misspelt Encounter element",
       R"({"resourceType":"Encounter","status":"finished","dischargeDispositon":{}})", "Encounter",
       "400 structure Encounter.dischargeDispositon"},
      {"choice types and a primitive's extensions on a Patient",
       R"({"resourceType":"Patient","deceasedDateTime":"2026-12-01","multipleBirthInteger":2,)"
       R"("birthDate":"1948-03-12","_birthDate":{"extension":[]}})",
       "Patient", ""},
      {"a choice type without its type", R"({"resourceType":"Patient","deceased":false})",
       "Patient", "400 structure Patient.deceased"},
      {"the extension sibling of an undefined element",
       R"({"resourceType":"Patient","_birthdate":{"id":"x"}})", "Patient",
       "400 structure Patient._birthdate"},
      {"each performed[x] of a Procedure",
       R"({"resourceType":"Procedure","performedDateTime":"2026","performedPeriod":{},)"
       R"("performedString":"x","performedAge":{},"performedRange":{},"bodySite":[]})",
       "Procedure", ""},
      {"a performed[x] R4 does not have", R"({"resourceType":"Procedure","performedInstant":"x"})",
       "Procedure", "400 structure Procedure.performedInstant"},
      {"a contained Patient is checked",
       R"({"resourceType":"Encounter","contained":[{"resourceType":"Patient","nmae":[]}]})",
       "Encounter", "400 structure Encounter.contained[0].nmae"},
      {"a contained Location is not",
       R"({"resourceType":"Encounter","contained":[{"resourceType":"Location","anything":1}]})",
       "Encounter", ""},
      {"a Bundle is not a DomainResource: no extension",
       R"({"resourceType":"Bundle","type":"batch","extension":[]})", "Bundle",
       "400 structure Bundle.extension"},
      {"a Bundle's entries are left to their own check",
       R"({"resourceType":"Bundle","type":"batch","entry":[{"whatever":1}]})", "Bundle", ""},
      {"a Bundle entry's request and response",
       R"({"fullUrl":"urn:uuid:1","resource":{"resourceType":"Location","x":1},)"
       R"("request":{"method":"POST","url":"Encounter","ifNoneExist":"identifier=x"},)"
       R"("response":{"status":"201 Created"},"search":{"mode":"match"}})",
       "Bundle.entry", ""},
      {"a misspelt entry element", R"({"fullUrl":"urn:uuid:1","requets":{}})",
       "Bundle.entry", "400 structure Bundle.entry.requets"},
      {"a misspelt request element", R"({"request":{"method":"POST","ulr":"Encounter"}})",
       "Bundle.entry", "400 structure Bundle.entry.request.ulr"},
      {"resources wardprint does not read", R"({"resourceType":"Location","anything":1})",
       "Location", ""},
  });
}

TEST_CASE("a modifierExtension anywhere in a resource wardprint reads is not supported") {
  const std::string modifier = R"("modifierExtension":[{"url":"x","valueBoolean":true}])";
  checkAll({
      {"on the Encounter", R"({"resourceType":"Encounter",)" + modifier + "}", "Encounter",
       "422 not-supported Encounter.modifierExtension"},
      {"deep in the Encounter", R"({"resourceType":"Encounter","hospitalization":{)" + modifier + "}}",
       "Encounter", "422 not-supported Encounter.hospitalization.modifierExtension"},
      {"in a contained resource of any type",
       R"({"resourceType":"Patient","contained":[{"resourceType":"Location",)" + modifier + "}]}",
       "Patient", "422 not-supported Patient.contained[0].modifierExtension"},
      {"on a Bundle entry's request", R"({"request":{"method":"PUT",)" + modifier + "}}",
       "Bundle.entry", "422 not-supported Bundle.entry.request.modifierExtension"},
      {"an undefined element is the first fix",
       R"({"resourceType":"Procedure","performed":"x",)" + modifier + "}", "Procedure",
       "400 structure Procedure.performed"},
      {"in a resource wardprint does not read", R"({"resourceType":"Location",)" + modifier + "}",
       "Location", ""},
      {"in an entry's resource, which is checked on its own",
       R"({"resource":{"resourceType":"Location",)" + modifier + "}}", "Bundle.entry", ""},
  });
}

TEST_CASE("a transaction with an undefined element is refused whole, a batch only in that entry") {
  Sample misspelt;
  misspelt.extra = R"("dischargeDispositon":{"text":"home"},)";
  const Reading transaction =
      read(samples::uuidBundle(misspelt, "transaction", "POST"), Endpoint::kBundle);
  REQUIRE(transaction.refusal);
  CHECK(describe(*transaction.refusal) ==
        "400 structure Bundle.entry[1].resource.dischargeDispositon");

  const Reading batch = read(samples::uuidBundle(misspelt, "batch", "POST"), Endpoint::kBundle);
  REQUIRE_FALSE(batch.refusal);
  REQUIRE(batch.entries.size() == 3);
  CHECK_FALSE(batch.entries[0].refusal);
  CHECK(refusalOf(*batch.entries[1].encounter) ==
        "400 structure Bundle.entry[1].resource.dischargeDispositon");
  REQUIRE(batch.entries[1].refusal);
  CHECK_FALSE(batch.entries[2].refusal);
}

TEST_CASE("a batch refuses a Patient entry with an undefined element and its Encounter") {
  Sample sample;
  sample.patientExtra = R"("birthdate":"1948-03-12",)";
  const Reading batch = read(samples::uuidBundle(sample, "batch", "PUT"), Endpoint::kBundle);
  REQUIRE_FALSE(batch.refusal);
  REQUIRE(batch.entries.size() == 3);
  REQUIRE(batch.entries[0].refusal);
  CHECK(describe(*batch.entries[0].refusal) == "400 structure Bundle.entry[0].resource.birthdate");
  CHECK(refusalOf(*batch.entries[1].encounter) ==
        "400 structure Bundle.entry[0].resource.birthdate");
}

TEST_CASE("a batch entry with a misspelt element of its own is refused alone, whatever its request") {
  Sample other;
  other.identifier = R"([{"system":"https://trust.example.nhs.uk/Id/encounter","value":"ENC-2"}])";
  std::string body = samples::bundle("batch", {{"urn:uuid:1", Sample{}.plainEncounter(), "POST"},
                                               {"urn:uuid:2", other.plainEncounter(), "POST"}});
  body.replace(body.rfind("\"request\""), 9, "\"requets\"");
  const Reading reading = read(body, Endpoint::kBundle);
  REQUIRE_FALSE(reading.refusal);
  REQUIRE(reading.entries.size() == 2);
  CHECK(reading.entries[0].encounter->kind == Mapped::Kind::kPrint);
  CHECK_FALSE(reading.entries[1].encounter);
  REQUIRE(reading.entries[1].refusal);
  CHECK(describe(*reading.entries[1].refusal) == "400 structure Bundle.entry[1].requets");
}

TEST_CASE("an undefined element of the Bundle itself refuses even a batch whole") {
  const std::string body = samples::uuidBundle(Sample{}, "batch", "PUT");
  const Reading reading =
      read(R"({"resourceType":"Bundle","timeStamp":"2026-12-02T08:31:00Z",)" + body.substr(25),
           Endpoint::kBundle);
  REQUIRE(reading.refusal);
  CHECK(describe(*reading.refusal) == "400 structure Bundle.timeStamp");
}

TEST_CASE("an Encounter as ward systems send it, with most of R4's elements, still prints") {
  Sample sample;
  sample.extra =
      R"("meta":{"profile":["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter"]},)"
      R"("text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"},)"
      R"("extension":[{"url":"https://example.org/x","valueString":"y"}],"language":"en-GB",)"
      R"("serviceType":{"text":"Spinal surgery"},"length":{"value":1,"unit":"d"},)";
  sample.hospitalization = R"({"dischargeDisposition":{"coding":[{"code":"19"}]}})";
  sample.patientExtra = R"("gender":"female","_birthDate":{"extension":[]},"active":true,)";
  CHECK(plain(sample).kind == Mapped::Kind::kPrint);
}

}  // namespace wardprint::fhir
