#include <doctest/doctest.h>

#include <string>

#include "fhir/encounter_mapping.h"
#include "fhir_test_support.h"

namespace wardprint::fhir {
namespace {

using namespace testing;
using Kind = Mapped::Kind;
using samples::BundleEntry;
using samples::Sample;

const std::string kStatus =
    R"({"resourceType":"SubscriptionStatus","status":"active","type":"event-notification",)"
    R"("subscription":{"reference":"Subscription/discharges"}})";
const std::string kR4Status =
    R"({"resourceType":"Parameters","parameter":[{"name":"status","valueCode":"active"},)"
    R"({"name":"type","valueCode":"event-notification"}]})";
const std::string kHeader =
    R"({"resourceType":"MessageHeader","eventCoding":{"code":"discharge"},"source":{"endpoint":"x"}})";

std::vector<std::string> typesOf(const Reading& reading) {
  std::vector<std::string> types;
  for (const EntryReading& entry : reading.entries) types.push_back(entry.resourceType);
  return types;
}

}  // namespace

TEST_CASE("each Bundle type wardprint takes maps its Encounter with urn:uuid references") {
  const Sample sample;
  const std::string plainBundle = samples::uuidBundle(sample, "collection");
  const std::string body = plainBundle.substr(plainBundle.find("\"entry\":[") + 9);
  const struct {
    const char* what;
    std::string json;
    Shape shape;
    std::size_t encounterAt;
  } cases[] = {
      {"transaction", samples::uuidBundle(sample, "transaction", "POST"), Shape::kTransaction, 1},
      {"batch", samples::uuidBundle(sample, "batch", "PUT"), Shape::kBatch, 1},
      {"collection", plainBundle, Shape::kCollection, 1},
      {"message",
       R"({"resourceType":"Bundle","type":"message","entry":[{"resource":)" + kHeader + "}," + body,
       Shape::kMessage, 2},
      {"notification",
       R"({"resourceType":"Bundle","type":"history","entry":[{"resource":)" + kStatus + "}," + body,
       Shape::kNotification, 2},
      {"R4 backport notification",
       R"({"resourceType":"Bundle","type":"history","entry":[{"resource":)" + kR4Status + "}," +
           body,
       Shape::kNotification, 2},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const Reading reading = read(c.json, Endpoint::kBundle);
    REQUIRE_FALSE(reading.refusal);
    CHECK(reading.shape == c.shape);
    REQUIRE(reading.entries.size() == c.encounterAt + 2);
    CHECK(reading.entries[c.encounterAt].resourceType == "Encounter");
    const Mapped result = onlyEncounter(reading);
    REQUIRE(result.kind == Kind::kPrint);
    CHECK(result.discharge->hospitalNumber == "RRV123456");
    CHECK(result.discharge->procedure == "vertebroplasty");
    CHECK(result.discharge->levels == std::vector<std::string>{"T12", "L1"});
  }
}

TEST_CASE("references resolve by fullUrl and by type and id, within the request only") {
  const Sample sample;
  const struct {
    const char* fullUrl;
    const char* id;
    const char* reference;
    bool found;
  } cases[] = {
      {"urn:uuid:0b6c1f5e-1d2a-4c3b-9e8f-7a6b5c4d3e21", "p1",
       "urn:uuid:0b6c1f5e-1d2a-4c3b-9e8f-7a6b5c4d3e21", true},
      {"https://pas.example.nhs.uk/fhir/Patient/p1", "p1",
       "https://pas.example.nhs.uk/fhir/Patient/p1", true},
      {"https://pas.example.nhs.uk/fhir/Patient/p1", "p1", "Patient/p1", true},
      {"", "p1", "Patient/p1", true},
      {"", "p1", "Patient/p1/_history/3", true},
      {"", "p1", "https://pas.example.nhs.uk/fhir/Patient/p1", true},
      {"", "p1", "Patient/p2", false},
      {"", "p1", "Practitioner/p1", false},
      {"urn:uuid:0b6c1f5e-1d2a-4c3b-9e8f-7a6b5c4d3e21", "p1", "urn:uuid:0b6c1f5e-0000", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.reference);
    CAPTURE(c.fullUrl);
    const Reading reading =
        read(samples::bundle("batch", {{c.fullUrl, sample.patient(c.id), "PUT"},
                                       {"", sample.encounter(c.reference), "POST"}}),
             Endpoint::kBundle);
    const Mapped result = onlyEncounter(reading);
    if (c.found) {
      CHECK(result.kind != Kind::kRefuse);
    } else {
      CHECK(refusalOf(result) == "422 not-found Bundle.entry[1].resource.subject");
    }
  }
}

TEST_CASE("an Encounter without an identifier is keyed by its content, never by a urn:uuid") {
  Sample sample;
  sample.identifier = "";
  std::string first = samples::uuidBundle(sample, "transaction", "POST");
  std::string second = first;
  for (std::string* json : {&second}) {
    for (std::size_t at = json->find("urn:uuid:"); at != std::string::npos;
         at = json->find("urn:uuid:", at + 1)) {
      (*json)[at + 9] = 'f';  // the sender makes new uuids on every send
    }
  }
  const Mapped a = onlyEncounter(read(first, Endpoint::kBundle));
  const Mapped b = onlyEncounter(read(second, Endpoint::kBundle));
  REQUIRE(a.kind == Kind::kPrint);
  REQUIRE(b.kind == Kind::kPrint);
  CHECK(a.discharge->externalId ==
        "fhir:patient:" + samples::kHospitalNumberSystem + "|RRV123456@2026-12-02T08:30:00Z");
  CHECK(a.discharge->externalId == b.discharge->externalId);
  CHECK(a.discharge->externalId.find("urn:uuid") == std::string::npos);
  CHECK_FALSE(a.discharge->encounterIdentifier);
}

TEST_CASE("a transaction is refused as a whole when one Encounter is, a batch only in that entry") {
  Sample good;
  Sample bad;
  bad.identifier = R"([{"system":"https://trust.example.nhs.uk/Id/encounter","value":"ENC-2"}])";
  bad.location = R"([{"location":{"display":"Ward 99"}}])";
  for (const char* type : {"transaction", "batch"}) {
    CAPTURE(type);
    const Reading reading = read(samples::bundle(type, {{"urn:uuid:1", good.patient("p1"), "POST"},
                                                        {"", good.encounter("urn:uuid:1"), "POST"},
                                                        {"", bad.encounter("urn:uuid:1"), "POST"}}),
                                 Endpoint::kBundle);
    REQUIRE(reading.entries.size() == 3);
    CHECK_FALSE(reading.entries[0].encounter);
    CHECK(reading.entries[1].encounter->kind == Kind::kNotPrinted);  // no Procedure sent
    CHECK(refusalOf(*reading.entries[2].encounter) ==
          "422 business-rule Bundle.entry[2].resource.location");
    if (std::string(type) == "transaction") {
      REQUIRE(reading.refusal);
      CHECK(describe(*reading.refusal) == "422 business-rule Bundle.entry[2].resource.location");
    } else {
      CHECK_FALSE(reading.refusal);
    }
  }
}

TEST_CASE(
    "a notification with no focus resources, or a Bundle with no Encounter, asks for nothing") {
  const Reading heartbeat =
      read(samples::bundle("history", {{"", kStatus, ""}}), Endpoint::kBundle);
  CHECK_FALSE(heartbeat.refusal);
  CHECK(heartbeat.shape == Shape::kNotification);
  CHECK(typesOf(heartbeat) == std::vector<std::string>{"SubscriptionStatus"});
  CHECK_FALSE(heartbeat.entries[0].encounter);
  const Reading patientOnly =
      read(samples::bundle("batch", {{"", Sample{}.patient("p1"), "PUT"}}), Endpoint::kBundle);
  CHECK_FALSE(patientOnly.refusal);
  CHECK(typesOf(patientOnly) == std::vector<std::string>{"Patient"});
}

TEST_CASE("bodies that cannot be read are refused as a whole with an OperationOutcome issue") {
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  const std::string deepInString = R"({"resourceType":"Encounter","language":")" +
                                   std::string(10000, '[') + R"(","status":"finished"})";
  std::string huge = samples::uuidBundle(Sample{}, "collection");
  huge.insert(huge.size() - 2, R"(,{"resource":{"resourceType":"Basic","text":")" +
                                   std::string(5 * 1024 * 1024, 'x') + "\"}}");
  const Sample sample;
  const struct {
    const char* what;
    std::string body;
    Endpoint endpoint;
    const char* refusal;
  } cases[] = {
      {"invalid JSON", R"({"resourceType":"Encounter",)", Endpoint::kEncounter, "400 structure "},
      {"empty body", "", Endpoint::kEncounter, "400 structure "},
      {"not an object", "[1,2]", Endpoint::kBundle, "400 structure "},
      {"no resourceType", R"({"type":"batch"})", Endpoint::kBundle, "400 structure resourceType"},
      {"a Patient to /fhir/Encounter", sample.patient("p1"), Endpoint::kEncounter,
       "400 not-supported resourceType"},
      {"an Encounter to /fhir", sample.plainEncounter(), Endpoint::kBundle,
       "400 not-supported resourceType"},
      {"a Bundle to /fhir/Encounter", samples::uuidBundle(sample, "collection"),
       Endpoint::kEncounter, "400 not-supported resourceType"},
      {"a document Bundle", samples::uuidBundle(sample, "document"), Endpoint::kBundle,
       "422 not-supported Bundle.type"},
      {"a Bundle without a type", R"({"resourceType":"Bundle","entry":[]})", Endpoint::kBundle,
       "400 required Bundle.type"},
      {"a Bundle type of the wrong type", R"({"resourceType":"Bundle","type":7})",
       Endpoint::kBundle, "400 structure Bundle.type"},
      {"a message without a MessageHeader", samples::uuidBundle(sample, "message"),
       Endpoint::kBundle, "400 invalid Bundle.entry[0]"},
      {"a history Bundle that is not a notification", samples::uuidBundle(sample, "history"),
       Endpoint::kBundle, "422 invalid Bundle.entry[0]"},
      {"a transaction entry without a request", samples::uuidBundle(sample, "transaction"),
       Endpoint::kBundle, "422 not-supported Bundle.entry[0].request.method"},
      {"a transaction entry that deletes", samples::uuidBundle(sample, "transaction", "DELETE"),
       Endpoint::kBundle, "422 not-supported Bundle.entry[0].request.method"},
      {"an entry without a resource", R"({"resourceType":"Bundle","type":"batch","entry":[{}]})",
       Endpoint::kBundle, "400 required Bundle.entry[0]"},
      {"entries that are not a list", R"({"resourceType":"Bundle","type":"batch","entry":{}})",
       Endpoint::kBundle, "400 structure Bundle.entry"},
      {"a 5 MB Bundle", huge, Endpoint::kBundle, "413 too-long "},
      {"10,000-deep nesting", deep, Endpoint::kBundle, "400 too-long "},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const Reading reading = read(c.body, c.endpoint);
    REQUIRE(reading.refusal);
    CHECK(describe(*reading.refusal) == c.refusal);
    CHECK(reading.entries.empty());
  }
  // Brackets inside a string are text, not nesting.
  CHECK(refusalOf(onlyEncounter(read(deepInString, Endpoint::kEncounter))) ==
        "422 not-found Encounter.subject");
}

TEST_CASE("the size and depth limits come from the configuration") {
  const std::string body = Sample{}.plainEncounter();
  MappingConfig settings = config();
  CHECK_FALSE(read(body, Endpoint::kEncounter, settings).refusal);
  settings.maxBodyBytes = body.size() - 1;
  CHECK(describe(*read(body, Endpoint::kEncounter, settings).refusal) == "413 too-long ");
  settings = config();
  settings.maxDepth = 4;
  CHECK(describe(*read(body, Endpoint::kEncounter, settings).refusal) == "400 too-long ");
}

}  // namespace wardprint::fhir

namespace wardprint::fhir {

TEST_CASE(
    "a Bundle's Procedure counts for the Encounter it names, or without one for the same Patient") {
  const Sample sample;
  const std::string kyphoplasty =
      R"({"resourceType":"Procedure","status":"completed","code":{"coding":[{"system":)"
      R"("http://snomed.info/sct","code":"429616001"}]},)";
  const struct {
    const char* what;
    std::string procedure;
    std::optional<std::string> expected;
  } cases[] = {
      {"names the Encounter", kyphoplasty + R"("encounter":{"reference":"urn:uuid:e"}})",
       "kyphoplasty"},
      {"names the Encounter by type and id",
       kyphoplasty + R"("encounter":{"reference":"Encounter/enc1"}})", "kyphoplasty"},
      {"no encounter, same subject", kyphoplasty + R"("subject":{"reference":"urn:uuid:p"}})",
       "kyphoplasty"},
      {"another Encounter", kyphoplasty + R"("encounter":{"reference":"Encounter/other"}})",
       std::nullopt},
      {"no encounter, another subject", kyphoplasty + R"("subject":{"reference":"Patient/other"}})",
       std::nullopt},
      {"not done",
       R"({"resourceType":"Procedure","status":"not-done","code":{"coding":[{"system":)"
       R"("http://snomed.info/sct","code":"429616001"}]},"subject":{"reference":"urn:uuid:p"}})",
       std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const Mapped result = onlyEncounter(
        read(samples::bundle("collection", {{"urn:uuid:p", sample.patient("p1"), ""},
                                            {"urn:uuid:e", sample.encounter("urn:uuid:p"), ""},
                                            {"", c.procedure, ""}}),
             Endpoint::kBundle));
    REQUIRE(result.discharge);
    CHECK(result.discharge->procedure == c.expected);
  }
}

}  // namespace wardprint::fhir
