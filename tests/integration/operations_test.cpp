// What an operator relies on: the log of a whole run (useful, and free of patient data),
// /metrics for a local Prometheus, and X-Forwarded-For believed only from trusted proxies.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/StreamSocket.h>
#include <date/date.h>
#include <doctest/doctest.h>

#include <algorithm>

#include "../fhir/fhir_samples.h"
#include "../hl7/hl7_samples.h"
#include "mllp_client.h"
#include "service_harness.h"
#include "staff.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

struct Patient {
  std::string eventId, given, family, hospitalNumber, nhsNumber, dateOfBirth, ward;
};

// The sample event with another patient in it.
std::string eventFor(const Patient& patient) {
  auto event = sampleEvent(patient.eventId, patient.ward);
  event = replaceOnce(event, "Zoë", patient.given);
  event = replaceOnce(event, "Łukasiewicz-Ørsted", patient.family);
  event = replaceOnce(event, "RHQ1234567", patient.hospitalNumber);
  event = replaceOnce(event, "9434765919", patient.nhsNumber);
  return replaceOnce(event, "1948-03-02", patient.dateOfBirth);
}

std::string jobState(const DaemonUnderTest& daemon, const std::string& id) {
  const auto reply = daemon.request("GET", "/v1/discharges/" + id, "", "", bearer(kFeedToken));
  if (reply.status != 200) return "";
  return json(reply.body)->getArray("print_jobs")->getObject(0)->getValue<std::string>("state");
}

// One request on its own connection from `source` (a 127.0.0.x address); the status code.
int statusFrom(const std::string& source, int port, const std::string& method, const std::string& path,
               const Headers& headers = {}, const std::string& body = "") {
  Poco::Net::StreamSocket socket;
  socket.impl()->bind(Poco::Net::SocketAddress(source, 0), true);
  socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty()) {
    if (!headers.count("Content-Type")) request += "Content-Type: application/json\r\n";
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  char head[12] = {};
  socket.receiveBytes(head, sizeof head);  // "HTTP/1.1 200"
  return std::stoi(std::string(head + 9, 3));
}

int signInFrom(const std::string& source, int port, const std::string& password, const Headers& headers = {}) {
  return statusFrom(source, port, "POST", "/v1/session", headers,
                    R"({"name": "nurse.jones", "password": ")" + password + "\"}");
}

// The HL7 and FHIR doors' sections: MLLP on `mllpPort`, HL7 ward T11E and FHIR's
// "Ward 11 East" both ward 7.
std::string doorsSection(int mllpPort) {
  return "hl7:\n  mllp: { port: " + std::to_string(mllpPort) +
         " }\n  hospital_number: { type: MR }\n  locations: { T11E: ward-7 }\n"
         "  procedure_codes: { \"V44.4\": vertebroplasty }\n"
         "fhir:\n  hospital_number_system: \"" + wardprint::fhir::samples::kHospitalNumberSystem + "\"\n"
         "  locations: { \"Ward 11 East\": ward-7 }\n  procedure_codes: { \"392010000\": vertebroplasty }\n";
}

std::string withoutDashes(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '-'), text.end());
  return text;
}

// An HL7 timestamp `ago` before now.
std::string hl7Time(std::chrono::minutes ago) {
  return date::format("%Y%m%d%H%M+0000", date::floor<std::chrono::minutes>(std::chrono::system_clock::now() - ago));
}

// An A03 for `patient` (on HL7 ward T11E), discharged an hour ago.
std::string hl7Discharge(const Patient& patient, const std::string& controlId) {
  wardprint::hl7::samples::Adt adt;
  adt.controlId = controlId;
  adt.visit = "V-" + controlId;
  adt.pid3 = patient.hospitalNumber + "^^^RRV^MR~" + patient.nhsNumber + "^^^NHS^NH";
  adt.pid5 = patient.family + "^" + patient.given;
  adt.dob = withoutDashes(patient.dateOfBirth);
  adt.dischargedAt = hl7Time(60min);
  adt.sentAt = hl7Time(59min);
  adt.evn = "EVN|A03|" + hl7Time(59min);
  adt.pr1 = "PR1|1||V44.4^Percutaneous vertebroplasty^OPCS4||" + hl7Time(180min) + "||||||1234^Jones^Sam^^^Dr";
  return adt.text();
}

// A finished Encounter for `patient` (its Patient contained, on "Ward 11 East"), ended an hour ago.
std::string fhirDischarge(const Patient& patient, const std::string& encounterId) {
  wardprint::fhir::samples::Sample sample;
  sample.identifier = R"([{"system":"https://trust.example.nhs.uk/Id/encounter","value":")" + encounterId + "\"}]";
  sample.end = date::format("%FT%TZ", date::floor<std::chrono::seconds>(std::chrono::system_clock::now() - 1h));
  sample.name = R"([{"use":"official","family":")" + patient.family + R"(","given":[")" + patient.given + "\"]}]";
  sample.nhsNumber = patient.nhsNumber;
  sample.birthDate = patient.dateOfBirth;
  return replaceOnce(sample.plainEncounter(), "RRV123456", patient.hospitalNumber);
}

}  // namespace

TEST_CASE("a whole run's log tells what happened and holds no name, hospital number, NHS number or birth date") {
  const int mllpPort = freePort();
  TwoWards setup("printing: { max_attempts: 3, first_retry_seconds: 0, max_retry_seconds: 1, "
                 "connect_timeout_ms: 500, io_timeout_seconds: 2 }\nlog: { level: debug }\n" + staffAuthSection(3) +
                 doorsSection(mllpPort));
  setup.ward7.setMode("fail");  // aborts every job: ward 7's leaflets go to ward 8
  setup.daemon.start();
  const Patient patients[] = {
      {"OPS-1", "Zoë", "Łukasiewicz-Ørsted", "RHQ1234567", "9434765919", "1948-03-02", "ward-7"},
      {"OPS-2", "Marigold", "Featherstonehaugh", "RHQ7654321", "4010232137", "1939-11-05", "ward-8"},
  };
  std::vector<std::string> ids;
  for (const auto& patient : patients) {
    const auto reply = setup.daemon.request("POST", "/v1/discharges", eventFor(patient), "application/json",
                                            bearer(kFeedToken));
    REQUIRE(reply.status == 202);
    ids.push_back(idOf(reply));
  }
  // Refused: a bad NHS check digit. Its patient must not reach the log either.
  const Patient refused{"OPS-3", "Percival", "Quennell", "RHQ5550001", "4010232138", "1951-07-19", "ward-7"};
  CHECK(setup.daemon.request("POST", "/v1/discharges", eventFor(refused), "application/json",
                                     bearer(kFeedToken)).status == 422);
  CHECK(setup.daemon.request("GET", "/v1/discharges?hospital_number=RHQ7654321", "", "", bearer(kFeedToken)).status ==
        200);
  // One discharge through each other door: HL7 v2 over MLLP, and a FHIR Encounter.
  const Patient byHl7{"OPS-4", "Agatha", "Thistlewood", "RRV777001", "4857773007", "1944-02-29", "ward-7"};
  const Patient byFhir{"OPS-5", "Oluwaseun", "Pemberton-Vasquez", "RRV777002", "7213056409", "1936-08-14", "ward-7"};
  std::optional<std::string> ack;
  REQUIRE(waitUntil([&] {
    try {
      ack = MllpClient(mllpPort).exchange(hl7Discharge(byHl7, "OPSMSG1"));
      return ack.has_value();
    } catch (const std::exception&) {
      return false;
    }
  }, 10s));
  CHECK(ack->find("\rMSA|AA|OPSMSG1") != std::string::npos);
  const auto fhirReply = setup.daemon.request("POST", "/fhir/Encounter", fhirDischarge(byFhir, "OPS-ENC-5"),
                                              "application/fhir+json", bearer(kFeedToken));
  REQUIRE(fhirReply.status == 201);
  const auto& fhirLocation = fhirReply.location;
  ids.push_back(fhirLocation.substr(fhirLocation.rfind('/') + 1));
  for (const auto& id : ids) {
    REQUIRE(waitUntil([&] { return jobState(setup.daemon, id) == "printed"; }, 60s));
  }
  // A patient's name typed as a user name, then wrong passwords until the address is locked out.
  const int port = setup.daemon.port();
  CHECK(statusFrom("127.0.0.1", port, "POST", "/v1/session", {},
                   R"({"name": "Marigold Featherstonehaugh", "password": "RHQ7654321"})") == 401);
  CHECK(signInFrom("127.0.0.1", port, "guess") == 401);
  CHECK(signInFrom("127.0.0.1", port, "1939-11-05") == 401);
  CHECK(signInFrom("127.0.0.1", port, kStaffPassword) == 429);
  CHECK(setup.daemon.terminate() == 0);

  const auto log = setup.daemon.log();
  CAPTURE(log);
  for (const std::string& expected : std::vector<std::string>{"info: starting with", "info: listening on port", "info: stopping", "info: stopped",
        "accepted from json for ward-7, queued on printer ward-7-laser", "attempt failed on ward-7-laser, will retry",
        "failed on ward-7-laser", "moved from ward-7-laser to fallback printer ward-8-laser", "printed on ward-8-laser",
        "warning: sign-in: locked out address 127.0.0.1", "refused for an unknown user name from 127.0.0.1",
        "mllp: connection from 127.0.0.1", "hl7: ADT^A03 OPSMSG1 from hl7 interface at 127.0.0.1: ACK AA",
        "accepted from hl7 for ward-7", "fhir: Encounter from pas-feed at 127.0.0.1: 201, document " + ids.back(),
        "accepted from fhir for ward-7"}) {
    CHECK_MESSAGE(log.find(expected) != std::string::npos, expected);
  }
  CHECK(log.find("(document " + ids[0] + ") moved from") != std::string::npos);
  for (const auto& patient : {patients[0], patients[1], refused, byHl7, byFhir}) {
    const auto& nhs = patient.nhsNumber;
    for (const auto& value : {patient.given, patient.family, patient.hospitalNumber, nhs, patient.dateOfBirth,
                              withoutDashes(patient.dateOfBirth),
                              nhs.substr(0, 3) + " " + nhs.substr(3, 3) + " " + nhs.substr(6)}) {
      CHECK_MESSAGE(log.find(value) == std::string::npos, "the log holds " << value);
    }
  }
}

namespace {

// The daemon started with a reverse proxy on 127.0.0.1 (server.trusted_proxies).
struct BehindProxy : TwoWards {
  explicit BehindProxy(const std::string& extraYaml = "") : TwoWards(staffAuthSection(3) + extraYaml) {
    writeFile(daemon.configPath(), replaceOnce(readFile(daemon.configPath()), "threads: 8",
                                               "threads: 8, trusted_proxies: [127.0.0.1]"));
    daemon.start();
  }
};

}  // namespace

TEST_CASE("/metrics answers a local client without a session, and anyone else only with a token") {
  BehindProxy setup;
  const int port = setup.daemon.port();
  CHECK(statusFrom("127.0.0.1", port, "GET", "/metrics") == 200);
  CHECK(statusFrom("127.0.0.2", port, "GET", "/metrics") == 200);
  // Through the trusted proxy for a client elsewhere: a token is needed.
  const Headers remote{{"X-Forwarded-For", "203.0.113.7"}};
  CHECK(statusFrom("127.0.0.1", port, "GET", "/metrics", remote) == 401);
  CHECK(statusFrom("127.0.0.1", port, "GET", "/metrics",
                   {{"X-Forwarded-For", "203.0.113.7"}, {"Authorization", "Bearer " + kFeedToken}}) == 200);
  // From an address that is no trusted proxy the header counts for nothing.
  CHECK(statusFrom("127.0.0.2", port, "GET", "/metrics", remote) == 200);
  // Nothing else opens up for a local client.
  CHECK(statusFrom("127.0.0.1", port, "GET", "/v1/discharges") == 401);
  const auto metrics = setup.daemon.get("/metrics");
  CHECK(metrics.body.find("wardprint_events_total") != std::string::npos);
}

TEST_CASE("X-Forwarded-For is believed from a trusted proxy only: lockouts and the audit use the real client") {
  BehindProxy setup;
  const int port = setup.daemon.port();
  const Headers clientA{{"X-Forwarded-For", "203.0.113.7"}};
  const Headers clientB{{"X-Forwarded-For", "198.51.100.2"}};

  // Through the proxy: one client's failures lock out that client, not everyone behind the proxy.
  for (int i = 0; i < 3; ++i) CHECK(signInFrom("127.0.0.1", port, "guess", clientA) == 401);
  CHECK(signInFrom("127.0.0.1", port, kStaffPassword, clientA) == 429);
  CHECK(signInFrom("127.0.0.1", port, kStaffPassword, clientB) == 200);

  // Not through the proxy: a header the client wrote itself changes nothing.
  for (int i = 0; i < 3; ++i) CHECK(signInFrom("127.0.0.2", port, "guess", clientB) == 401);
  CHECK(signInFrom("127.0.0.2", port, kStaffPassword, {{"X-Forwarded-For", "192.0.2.99"}}) == 429);

  const auto audit = setup.daemon.request("GET", "/v1/audit?user=nurse.jones", "", "", signInAs(setup.daemon, "admin.lee"));
  REQUIRE(audit.status == 200);
  const auto entries = json(audit.body)->getArray("entries");
  std::map<std::string, int> failuresFrom;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const auto entry = entries->getObject(i);
    if (entry->getValue<std::string>("action") == "sign-in-failed") failuresFrom[entry->getValue<std::string>("from")]++;
    if (entry->getValue<std::string>("action") == "sign-in") CHECK(entry->getValue<std::string>("from") == "198.51.100.2");
  }
  CHECK(failuresFrom == std::map<std::string, int>{{"203.0.113.7", 3}, {"127.0.0.2", 3}});
}

TEST_CASE("behind a trusted proxy the HL7 and FHIR doors log the real client, and a header from elsewhere counts for nothing") {
  BehindProxy setup(doorsSection(freePort()));
  const int port = setup.daemon.port();
  const Patient patient{"", "Agatha", "Thistlewood", "RRV777001", "4857773007", "1944-02-29", "ward-7"};
  const auto viaProxy = [&](const std::string& source, const std::string& path, const std::string& type,
                            const std::string& body) {
    return statusFrom(source, port, "POST", path,
                      {{"X-Forwarded-For", "203.0.113.7"}, {"Authorization", "Bearer " + kFeedToken},
                       {"Content-Type", type}},
                      body);
  };
  const std::string hl7Type = "x-application/hl7-v2+er7";
  const std::string fhirType = "application/fhir+json";
  CHECK(viaProxy("127.0.0.1", "/v1/hl7", hl7Type, hl7Discharge(patient, "PROXIED1")) == 200);
  CHECK(viaProxy("127.0.0.1", "/fhir/Encounter", fhirType, fhirDischarge(patient, "PROXIED-ENC-1")) == 201);
  CHECK(viaProxy("127.0.0.2", "/v1/hl7", hl7Type, hl7Discharge(patient, "DIRECT2")) == 200);
  CHECK(viaProxy("127.0.0.2", "/fhir/Encounter", fhirType, fhirDischarge(patient, "DIRECT-ENC-2")) == 201);
  CHECK(setup.daemon.terminate() == 0);

  const auto log = setup.daemon.log();
  CAPTURE(log);
  for (const std::string expected :
       {"hl7: ADT^A03 PROXIED1 from pas-feed at 203.0.113.7: ACK AA",
        "fhir: Encounter from pas-feed at 203.0.113.7: 201", "hl7: ADT^A03 DIRECT2 from pas-feed at 127.0.0.2: ACK AA",
        "fhir: Encounter from pas-feed at 127.0.0.2: 201"}) {
    CHECK_MESSAGE(log.find(expected) != std::string::npos, expected);
  }
}
