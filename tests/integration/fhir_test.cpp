// The FHIR front door against real parts: wardprintd, emulated printers, SQLite, HTTP.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <date/date.h>
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "../fhir/fhir_samples.h"
#include "../pdf/pdf_tools.h"
#include "service_harness.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;
namespace samples = wardprint::fhir::samples;

namespace {

const std::string kFhirConfig = "fhir:\n  hospital_number_system: \"" + samples::kHospitalNumberSystem +
                                "\"\n"
                                "  locations: { \"Ward 11 East\": ward-7 }\n"
                                "  procedure_codes: { \"392010000\": vertebroplasty }\n";

constexpr const char* kFhirJson = "application/fhir+json";

// An instant `hours` before now, as FHIR writes it.
std::string hoursAgo(int hours) {
  const auto when = date::floor<std::chrono::seconds>(std::chrono::system_clock::now()) - std::chrono::hours{hours};
  return date::format("%FT%TZ", when);
}

// The sample (a vertebroplasty, the Patient contained) discharged an hour ago, known by
// its own Encounter identifier.
samples::Sample sampleWithId(const std::string& id) {
  samples::Sample sample;
  sample.identifier = R"([{"system":"https://trust.example.nhs.uk/Id/encounter","value":")" + id + "\"}]";
  sample.end = hoursAgo(1);
  return sample;
}

// wardprintd with a fhir: section, two wards and their emulated printers, started.
struct FhirService {
  TwoWards setup{kFhirConfig};
  FhirService() { setup.daemon.start(); }

  HttpReply post(const std::string& path, const std::string& body) const {
    return setup.daemon.post(path, body, kFhirJson);
  }
  Poco::JSON::Array::Ptr discharges() const {
    return json(setup.daemon.get("/v1/discharges").body)->getArray("discharges");
  }
  // Waits for the document a Location names to print; the PDFs the printer got for it.
  std::size_t printedCopies(const std::string& location) const {
    const auto id = location.substr(location.rfind('/') + 1);
    if (!setup.daemon.waitForState(id, "printed", 20s)) return 0;
    return setup.ward7.jobsFor(id).size();
  }
  // What pdftotext reads in the stored leaflet, whitespace collapsed.
  std::string leafletText(const std::string& location) const {
    const auto pdf = setup.daemon.get(location + "/pdf");
    const auto path = setup.dir.path("leaflet.pdf");
    writeFile(path, pdf.body);
    return collapseWhitespace(runTool({"pdftotext", "-enc", "UTF-8", path, "-"}).out);
  }
};

Poco::JSON::Object::Ptr responseOf(const HttpReply& reply, unsigned entry) {
  return json(reply.body)->getArray("entry")->getObject(entry)->getObject("response");
}

// The statuses of a response Bundle's entries, in order.
std::vector<std::string> entryStatuses(const HttpReply& reply) {
  std::vector<std::string> out;
  const auto entries = json(reply.body)->getArray("entry");
  for (unsigned i = 0; entries && i < entries->size(); ++i) out.push_back(responseOf(reply, i)->getValue<std::string>("status"));
  return out;
}

// The first issue of an OperationOutcome answer: its code and expression ("" for none).
std::pair<std::string, std::string> firstIssue(const HttpReply& reply) {
  const auto body = json(reply.body);
  if (body->getValue<std::string>("resourceType") != "OperationOutcome") return {"(not an OperationOutcome)", ""};
  const auto issue = body->getArray("issue")->getObject(0);
  const auto expression = issue->getArray("expression");
  return {issue->getValue<std::string>("code"), expression ? expression->getElement<std::string>(0) : ""};
}

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_CASE("fhir: an Encounter with its Patient contained prints once, a repeat answers 200, changed content 409") {
  FhirService service;
  auto sample = sampleWithId("ENC-100");
  const auto first = service.post("/fhir/Encounter", sample.plainEncounter());
  REQUIRE(first.status == 201);
  CHECK(first.contentType == kFhirJson);
  REQUIRE(first.location.rfind("/v1/discharges/", 0) == 0);
  CHECK(service.printedCopies(first.location) == 1);

  const auto repeat = service.post("/fhir/Encounter", sample.plainEncounter());
  CHECK(repeat.status == 200);
  CHECK(repeat.location == first.location);

  sample.end = hoursAgo(2);
  const auto changed = service.post("/fhir/Encounter", sample.plainEncounter());
  CHECK(changed.status == 409);
  CHECK(changed.contentType == kFhirJson);
  CHECK(firstIssue(changed) == std::pair<std::string, std::string>{"conflict", "Encounter.identifier"});

  const auto stored = service.discharges();
  REQUIRE(stored->size() == 1);
  CHECK(stored->getObject(0)->getValue<std::string>("event_id") ==
        "fhir:https://trust.example.nhs.uk/Id/encounter|ENC-100");
  CHECK(stored->getObject(0)->getValue<std::string>("ward") == "ward-7");
  CHECK(service.printedCopies(first.location) == 1);  // still one: no second print
}

TEST_CASE("fhir: each Bundle shape gets its response Bundle, one entry per request entry, in order") {
  FhirService service;
  const std::string subscriptionStatus =
      R"({"resourceType":"SubscriptionStatus","status":"active","type":"event-notification"})";
  const std::string messageHeader =
      R"({"resourceType":"MessageHeader","eventCoding":{"code":"discharge"},"source":{"endpoint":"urn:pas"}})";
  struct Shape {
    const char* type;
    std::string method;     // each entry's request method, "" for none
    std::string first;      // a resource before the Patient, "" for none
    const char* responseType;
  };
  const Shape shapes[] = {
      {"transaction", "POST", "", "transaction-response"},
      {"batch", "PUT", "", "batch-response"},
      {"collection", "", "", "batch-response"},
      {"message", "", messageHeader, "batch-response"},
      {"history", "", subscriptionStatus, "batch-response"},
  };
  int n = 0;
  for (const auto& shape : shapes) {
    CAPTURE(shape.type);
    const auto sample = sampleWithId(std::string("ENC-B") + std::to_string(++n));
    auto body = samples::uuidBundle(sample, shape.type, shape.method);
    if (!shape.first.empty()) body = replaceOnce(body, "\"entry\":[", "\"entry\":[{\"resource\":" + shape.first + "},");
    const auto reply = service.post("/fhir", body);
    REQUIRE(reply.status == 200);
    CHECK(reply.contentType == kFhirJson);
    CHECK(json(reply.body)->getValue<std::string>("type") == shape.responseType);
    // Patient, Encounter, Procedure (after the header or status, when there is one).
    std::vector<std::string> expected{"200 OK", "201 Created", "200 OK"};
    if (!shape.first.empty()) expected.insert(expected.begin(), "200 OK");
    CHECK(entryStatuses(reply) == expected);
    const auto location = responseOf(reply, shape.first.empty() ? 1 : 2)->getValue<std::string>("location");
    CHECK(service.printedCopies(location) == 1);
  }
  CHECK(service.discharges()->size() == 5);
}

TEST_CASE("fhir: a name sent only as text, a date-only end and the NHS number reach the leaflet") {
  FhirService service;
  auto sample = sampleWithId("ENC-200");
  sample.name = R"([{"text":"Ζωή Παπαδοπούλου"}])";
  // Yesterday, as a day: the leaflet counts its deadlines in whole days.
  const auto yesterday = date::year_month_day{date::floor<date::days>(std::chrono::system_clock::now()) - date::days{1}};
  sample.end = date::format("%F", yesterday);
  const auto reply = service.post("/fhir/Encounter", sample.plainEncounter());
  REQUIRE(reply.status == 201);
  CHECK(service.printedCopies(reply.location) == 1);
  const auto text = service.leafletText(reply.location);
  CHECK(text.find("Ζωή Παπαδοπούλου") != std::string::npos);
  CHECK(text.find("943 476 5919") != std::string::npos);
  CHECK(text.find("RRV123456") != std::string::npos);
  // The rest period runs to the end of the day after, never from a made-up midnight.
  CHECK(text.find("until the end of") != std::string::npos);
  CHECK(text.find("midnight") == std::string::npos);

  auto badNhs = sampleWithId("ENC-201");
  badNhs.nhsNumber = "9434765918";  // the check digit fails: left out, with a warning
  const auto warned = service.post("/fhir/Encounter", badNhs.plainEncounter());
  REQUIRE(warned.status == 201);
  const auto issue = json(warned.body)->getArray("issue")->getObject(0);
  CHECK(issue->getValue<std::string>("severity") == "warning");
  CHECK(issue->getArray("expression")->getElement<std::string>(0).find(".identifier[") != std::string::npos);
  CHECK(service.leafletText(warned.location).find("943 476 5918") == std::string::npos);
}

TEST_CASE("fhir: bad bodies get an OperationOutcome 4xx and store nothing") {
  FhirService service;
  const auto valid = sampleWithId("ENC-300");
  samples::Sample modifier = valid;
  modifier.extra = R"("modifierExtension":[{"url":"https://example.org/x","valueBoolean":true}],)";
  samples::Sample noPatient = valid;
  struct Case {
    const char* what;
    std::string path;
    std::string body;
    int status;
    std::string code;
  };
  const Case cases[] = {
      {"not JSON", "/fhir/Encounter", "{\"resourceType\": ", 400, "structure"},
      {"a Patient posted as an Encounter", "/fhir/Encounter", valid.patient("p"), 400, "not-supported"},
      {"an Encounter posted as a Bundle", "/fhir", valid.plainEncounter(), 400, "not-supported"},
      {"5 MB", "/fhir", "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"x\":\"" + std::string(5 << 20, 'a') + "\"}",
       413, "too-long"},
      {"deep nesting", "/fhir", "{\"resourceType\":\"Bundle\",\"x\":" + nested(5000) + "}", 400, "too-long"},
      {"a modifierExtension", "/fhir/Encounter", modifier.plainEncounter(), 422, "extension"},
      {"a Patient neither contained nor in the Bundle", "/fhir/Encounter", noPatient.encounter("Patient/elsewhere"),
       422, "not-found"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto reply = service.post(c.path, c.body);
    CHECK(reply.status == c.status);
    CHECK(reply.contentType == kFhirJson);
    CHECK(firstIssue(reply).first == c.code);
  }
  const auto transaction = service.post(
      "/fhir", samples::bundle("transaction", {{"urn:uuid:1", valid.plainEncounter(), "POST"},
                                               {"urn:uuid:2", modifier.plainEncounter(), "POST"}}));
  CHECK(transaction.status == 422);  // all or nothing: the good Encounter is not stored either
  CHECK(firstIssue(transaction).first == "extension");
  const auto wrongType = service.setup.daemon.post("/fhir/Encounter", valid.plainEncounter(), "text/plain");
  CHECK(wrongType.status == 415);
  CHECK(firstIssue(wrongType).first == "not-supported");
  CHECK(service.discharges()->size() == 0);
  CHECK(service.setup.ward7.allJobs().empty());
}

TEST_CASE("fhir: a transaction is all or nothing: a later Encounter refused stores and prints none of it") {
  FhirService service;
  auto stored = sampleWithId("ENC-T0");
  const auto first = service.post("/fhir/Encounter", stored.plainEncounter());
  REQUIRE(first.status == 201);
  REQUIRE(service.printedCopies(first.location) == 1);
  auto changed = stored;
  changed.end = hoursAgo(2);
  auto undrawable = sampleWithId("ENC-T2");
  undrawable.name = "[{\"text\":\"\xF0\x93\x80\x80\"}]";  // an Egyptian hieroglyph: no font draws it
  const auto noPatient = sampleWithId("ENC-T3").encounter("Patient/elsewhere");
  struct Case {
    const char* what;
    std::string later;
    int status;
    std::pair<std::string, std::string> issue;  // code and expression
  };
  const Case cases[] = {
      {"a conflict with a stored Encounter", changed.plainEncounter(), 409,
       {"conflict", "Bundle.entry[1].resource.identifier"}},
      {"a name no font can draw", undrawable.plainEncounter(), 422, {"business-rule", ""}},
      {"a Patient not in the request", noPatient, 422, {"not-found", "Bundle.entry[1].resource.subject"}},
  };
  const auto good = sampleWithId("ENC-T1");
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto reply = service.post("/fhir", samples::bundle("transaction", {{"urn:uuid:1", good.plainEncounter(), "POST"},
                                                                              {"urn:uuid:2", c.later, "POST"}}));
    CHECK(reply.status == c.status);
    CHECK(reply.contentType == kFhirJson);
    const auto issue = firstIssue(reply);
    CHECK(issue.first == c.issue.first);
    if (!c.issue.second.empty()) CHECK(issue.second == c.issue.second);
    CHECK(service.discharges()->size() == 1);  // only the Encounter stored before
  }
  // The same good Encounter alone is new: nothing of it was kept by the refused transactions.
  const auto alone = service.post("/fhir/Encounter", good.plainEncounter());
  REQUIRE(alone.status == 201);
  // The printer takes its jobs in order: a leaflet wrongly queued before this one is printed by now.
  CHECK(service.printedCopies(alone.location) == 1);
  CHECK(service.setup.ward7.allJobs().size() == 2);
}

TEST_CASE("fhir: a good transaction of two Encounters prints both, and sent again prints nothing more") {
  FhirService service;
  const auto body = samples::bundle("transaction", {{"urn:uuid:1", sampleWithId("ENC-G1").plainEncounter(), "POST"},
                                                    {"urn:uuid:2", sampleWithId("ENC-G2").plainEncounter(), "POST"}});
  const auto reply = service.post("/fhir", body);
  REQUIRE(reply.status == 200);
  CHECK(json(reply.body)->getValue<std::string>("type") == "transaction-response");
  CHECK(entryStatuses(reply) == std::vector<std::string>{"201 Created", "201 Created"});
  const auto firstLocation = responseOf(reply, 0)->getValue<std::string>("location");
  const auto secondLocation = responseOf(reply, 1)->getValue<std::string>("location");
  CHECK(firstLocation != secondLocation);
  CHECK(service.printedCopies(firstLocation) == 1);
  CHECK(service.printedCopies(secondLocation) == 1);

  const auto again = service.post("/fhir", body);
  REQUIRE(again.status == 200);
  CHECK(entryStatuses(again) == std::vector<std::string>{"200 OK", "200 OK"});
  CHECK(service.discharges()->size() == 2);
  CHECK(service.setup.ward7.allJobs().size() == 2);
}

TEST_CASE("fhir: a batch keeps its per-entry results: the good Encounter prints beside a refused one") {
  FhirService service;
  auto stored = sampleWithId("ENC-P0");
  REQUIRE(service.post("/fhir/Encounter", stored.plainEncounter()).status == 201);
  stored.end = hoursAgo(2);  // changed content: a conflict
  const auto reply = service.post("/fhir", samples::bundle("batch", {{"urn:uuid:1", stored.plainEncounter(), "POST"},
                                                                     {"urn:uuid:2", sampleWithId("ENC-P1").plainEncounter(), "POST"}}));
  REQUIRE(reply.status == 200);
  CHECK(json(reply.body)->getValue<std::string>("type") == "batch-response");
  CHECK(entryStatuses(reply) == std::vector<std::string>{"409 Conflict", "201 Created"});
  CHECK(responseOf(reply, 0)->getObject("outcome")->getValue<std::string>("resourceType") == "OperationOutcome");
  CHECK(service.printedCopies(responseOf(reply, 1)->getValue<std::string>("location")) == 1);
  CHECK(service.discharges()->size() == 2);
}

TEST_CASE("fhir: the CapabilityStatement, and FHIR answers for paths and methods it does not take") {
  FhirService service;
  const auto metadata = service.setup.daemon.get("/fhir/metadata");
  REQUIRE(metadata.status == 200);
  CHECK(metadata.contentType == kFhirJson);
  const auto statement = json(metadata.body);
  CHECK(statement->getValue<std::string>("resourceType") == "CapabilityStatement");
  CHECK(statement->getValue<std::string>("fhirVersion") == "4.0.1");

  const auto unknown = service.setup.daemon.get("/fhir/Patient/1");
  CHECK(unknown.status == 404);
  CHECK(firstIssue(unknown).first == "not-supported");
  const auto method = service.setup.daemon.get("/fhir/Encounter");
  CHECK(method.status == 405);
  CHECK(method.contentType == kFhirJson);
}

TEST_CASE("fhir: Encounters not to print are stored with their reason, listed, and never printed") {
  FhirService service;
  struct Case {
    const char* what;
    std::function<void(samples::Sample&)> change;
    std::string code;
  };
  const Case cases[] = {
      {"in progress", [](samples::Sample& s) { s.status = "in-progress"; s.end = ""; }, "not_discharged"},
      {"cancelled", [](samples::Sample& s) { s.status = "cancelled"; }, "not_discharged"},
      {"died (discharge destination 79)", [](samples::Sample& s) {
         s.hospitalization = R"({"dischargeDisposition":{"coding":[{"system":)"
                             R"("https://fhir.hl7.org.uk/CodeSystem/UKCore-DischargeDestination","code":"79"}]}})";
       }, "died"},
      {"ended a month ago", [](samples::Sample& s) { s.end = hoursAgo(24 * 30); }, "too_old"},
      {"no leaflet for its procedure", [](samples::Sample& s) {
         s.procedureCode = R"({"coding":[{"system":"http://snomed.info/sct","code":"80146002"}]})";
       }, "no_leaflet"},
  };
  int n = 0;
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto sample = sampleWithId("ENC-N" + std::to_string(++n));
    c.change(sample);
    const auto reply = service.post("/fhir/Encounter", sample.plainEncounter());
    REQUIRE(reply.status == 201);
    const auto repeat = service.post("/fhir/Encounter", sample.plainEncounter());
    CHECK(repeat.status == 200);
    CHECK(repeat.location == reply.location);
    const auto document = json(service.setup.daemon.get(reply.location).body);
    CHECK(document->getValue<std::string>("state") == "not-printed");
    CHECK(document->getValue<std::string>("not_printed_code") == c.code);
    CHECK(document->getArray("print_jobs")->size() == 0);
  }
  CHECK(service.discharges()->size() == 5);
  // A wrongly queued job would be listed; once every listed job has ended, the spools hold it.
  REQUIRE(service.setup.daemon.waitForJobsToEnd(30s));
  CHECK(service.setup.ward7.allJobs().empty());
  CHECK(service.setup.ward8.allJobs().empty());
}
