// wardprintd against real parts: emulated IPP printers, a SQLite file, HTTP on loopback.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "service_harness.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

// Quick retries, so that tests of failure finish in seconds.
const std::string kFastRetries =
    "printing: { max_attempts: 3, first_retry_seconds: 0, max_retry_seconds: 1, connect_timeout_ms: 500, "
    "io_timeout_seconds: 2 }\n";

}  // namespace

TEST_CASE("an accepted event is printed on the ward's printer with exactly the stored bytes") {
  TwoWards setup;
  setup.daemon.start();
  const auto reply = setup.daemon.post("/v1/discharges", sampleEvent("ADT-1"));
  REQUIRE(reply.status == 202);
  const auto id = idOf(reply);
  CHECK(json(reply.body)->getValue<std::string>("status_url") == "/v1/discharges/" + id);
  REQUIRE(setup.daemon.waitForState(id, "printed", 20s));

  const auto jobs = setup.ward7.jobsFor(id);
  REQUIRE(jobs.size() == 1);
  const auto pdf = setup.daemon.get("/v1/discharges/" + id + "/pdf");
  CHECK(pdf.status == 200);
  CHECK(pdf.contentType == "application/pdf");
  CHECK(readFile(jobs[0]) == pdf.body);
  CHECK(setup.ward7.jobAttribute(jobs[0], "IPP_MEDIA") == "iso_a4_210x297mm");
  CHECK(setup.ward7.jobAttribute(jobs[0], "IPP_SIDES") == "two-sided-long-edge");
  CHECK(setup.ward8.allJobs().empty());

  const auto status = json(setup.daemon.get("/v1/discharges/" + id).body);
  CHECK(status->getValue<std::string>("printer") == "ward-7-laser");
  const auto job = status->getArray("print_jobs")->getObject(0);
  CHECK(job->getValue<std::string>("state") == "printed");
  CHECK(job->getValue<int>("ipp_job_id") >= 1);
  CHECK(job->has("completed_at"));
  // The job name on the printer's panel carries no patient data.
  CHECK(job->getValue<std::string>("job_name").find("ukasiewicz") == std::string::npos);
}

TEST_CASE("the same event again answers 200 with the same id, and a different body under its id 409") {
  TwoWards setup;
  setup.daemon.start();
  const auto first = setup.daemon.post("/v1/discharges", sampleEvent("ADT-2"));
  REQUIRE(first.status == 202);
  // Same content, other spacing and an unknown field: still the same event.
  auto respaced = replaceOnce(sampleEvent("ADT-2"), "{", "{ \"x_extra\": 1,\n");
  const auto again = setup.daemon.post("/v1/discharges", respaced);
  CHECK(again.status == 200);
  CHECK(idOf(again) == idOf(first));

  const auto different = setup.daemon.post("/v1/discharges", replaceOnce(sampleEvent("ADT-2"), "Dr A Shah", "Dr B"));
  CHECK(different.status == 409);
  CHECK(different.contentType == "application/problem+json");
  CHECK(json(different.body)->getArray("problems")->getObject(0)->getValue<std::string>("field") == "event_id");

  REQUIRE(setup.daemon.waitForState(idOf(first), "printed", 20s));
  CHECK(setup.ward7.jobsFor(idOf(first)).size() == 1);
}

TEST_CASE("bad requests get their status and a problem+json naming the field, and store nothing") {
  TwoWards setup;
  setup.daemon.start();
  struct Case {
    const char* what;
    std::string method, path, body, contentType;
    int status;
    std::string field;  // "-" when the problem names no field
  };
  const Case cases[] = {
      {"not JSON", "POST", "/v1/discharges", "{\"event_id\": ", "application/json", 400, ""},
      {"not an object", "POST", "/v1/discharges", "[1]", "application/json", 400, ""},
      {"bad field", "POST", "/v1/discharges", replaceOnce(sampleEvent("ADT-3"), "\"copies\": 1", "\"copies\": 7"),
       "application/json", 422, "copies"},
      {"bad NHS number", "POST", "/v1/discharges", replaceOnce(sampleEvent("ADT-3"), "9434765919", "9434765918"),
       "application/json", 422, "patient.nhs_number"},
      {"unknown ward", "POST", "/v1/discharges", sampleEvent("ADT-3", "ward-9"), "application/json", 422, "ward"},
      {"undrawable name", "POST", "/v1/discharges", replaceOnce(sampleEvent("ADT-3"), "Łukasiewicz-Ørsted", "ሰላም"),
       "application/json", 422, "patient.family_name"},
      {"not JSON content type", "POST", "/v1/discharges", sampleEvent("ADT-3"), "text/plain", 415, "-"},
      {"too large", "POST", "/v1/discharges", std::string(70000, ' ') + sampleEvent("ADT-3"), "application/json", 413,
       "-"},
      {"unknown document", "GET", "/v1/discharges/WP-NOSUCHDOC", "", "", 404, "-"},
      {"unknown path", "GET", "/v2/nothing", "", "", 404, "-"},
      {"wrong method", "DELETE", "/v1/discharges", "", "", 405, "-"},
      {"bad since", "GET", "/v1/discharges?since=yesterday", "", "", 400, "since"},
      {"reprint without a reason", "POST", "/v1/discharges/WP-NOSUCHDOC/reprint", "{}", "application/json", 404, "-"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto reply = setup.daemon.request(c.method, c.path, c.body, c.contentType);
    CHECK(reply.status == c.status);
    CHECK(reply.contentType == "application/problem+json");
    const auto problem = json(reply.body);
    CHECK(problem->getValue<int>("status") == c.status);
    CHECK(!problem->getValue<std::string>("title").empty());
    if (c.field != "-") {
      REQUIRE(problem->has("problems"));
      CHECK(problem->getArray("problems")->getObject(0)->getValue<std::string>("field") == c.field);
    }
  }
  CHECK(json(setup.daemon.get("/v1/discharges").body)->getArray("discharges")->size() == 0);
  CHECK(setup.daemon.get("/healthz").status == 200);
}

TEST_CASE("one 422 names every problem, the characters no font can print included") {
  TwoWards setup;
  setup.daemon.start();
  auto event = replaceOnce(sampleEvent("ADT-34"), "Łukasiewicz-Ørsted", "ሰላም");   // Ethiopic: no font has it
  event = replaceOnce(event, "9434765919", "9434765918");                          // a bad check digit
  event = replaceOnce(event, "\"copies\": 1", "\"copies\": 7");
  const auto reply = setup.daemon.post("/v1/discharges", event);
  CHECK(reply.status == 422);
  std::map<std::string, std::string> reasons;
  const auto problems = json(reply.body)->getArray("problems");
  for (std::size_t i = 0; i < problems->size(); ++i) {
    reasons[problems->getObject(i)->getValue<std::string>("field")] = problems->getObject(i)->getValue<std::string>("reason");
  }
  CHECK(reasons.size() == 3);
  CHECK(reasons.count("patient.nhs_number"));
  CHECK(reasons.count("copies"));
  CHECK(reasons["patient.family_name"].find("U+1230") != std::string::npos);

  // Without a layout to check against (an unknown procedure), the fonts cannot be judged: the
  // procedure is named, and nothing is said about the name.
  const auto unknown = replaceOnce(event, "\"vertebroplasty\"", "\"sacroplasty\"");
  const auto unknownProblems = json(setup.daemon.post("/v1/discharges", unknown).body)->getArray("problems");
  std::set<std::string> fields;
  for (std::size_t i = 0; i < unknownProblems->size(); ++i) {
    fields.insert(unknownProblems->getObject(i)->getValue<std::string>("field"));
  }
  CHECK(fields == std::set<std::string>{"copies", "patient.nhs_number", "procedure.type"});
}

TEST_CASE("wards print on their own printers, and an override and copies are honoured") {
  TwoWards setup;
  setup.daemon.start();
  const auto seven = idOf(setup.daemon.post("/v1/discharges", sampleEvent("ADT-7", "ward-7")));
  const auto eight = idOf(setup.daemon.post("/v1/discharges", sampleEvent("ADT-8", "ward-8")));
  auto overridden = replaceOnce(sampleEvent("ADT-9", "ward-7"), "\"printer\": null", "\"printer\": \"ward-8-laser\"");
  overridden = replaceOnce(overridden, "\"copies\": 1", "\"copies\": 3");
  const auto moved = idOf(setup.daemon.post("/v1/discharges", overridden));
  for (const auto& id : {seven, eight, moved}) REQUIRE(setup.daemon.waitForState(id, "printed", 20s));

  CHECK(setup.ward7.jobsFor(seven).size() == 1);
  CHECK(setup.ward8.jobsFor(seven).empty());
  CHECK(setup.ward8.jobsFor(eight).size() == 1);
  CHECK(setup.ward7.jobsFor(eight).empty());
  const auto movedJobs = setup.ward8.jobsFor(moved);
  REQUIRE(movedJobs.size() == 1);
  CHECK(setup.ward8.jobAttribute(movedJobs[0], "IPP_COPIES") == "3");
  CHECK(setup.ward7.jobsFor(moved).empty());

  const auto listed = json(setup.daemon.get("/v1/discharges?ward=ward-8").body)->getArray("discharges");
  CHECK(listed->size() == 1);
  const auto byNumber = json(setup.daemon.get("/v1/discharges?hospital_number=RHQ1234567").body);
  CHECK(byNumber->getArray("discharges")->size() == 3);
}

TEST_CASE("a printer that is down when the event arrives prints it once it comes back") {
  TwoWards setup("printing: { max_attempts: 50, first_retry_seconds: 1, max_retry_seconds: 1 }\n");
  setup.ward7.stop();
  setup.daemon.start();
  const auto id = idOf(setup.daemon.post("/v1/discharges", sampleEvent("ADT-10")));
  REQUIRE(waitUntil(
      [&] { return json(setup.daemon.get("/v1/discharges/" + id).body)->getValue<int>("attempts") >= 1; }, 20s));
  setup.ward7.start();
  REQUIRE(setup.daemon.waitForState(id, "printed", 30s));
  CHECK(setup.ward7.jobsFor(id).size() == 1);
  CHECK(setup.ward8.jobsFor(id).empty());
}

TEST_CASE("a printer that never comes back: the job fails over to the ward's fallback printer") {
  TwoWards setup(kFastRetries);
  setup.ward7.setMode("fail");  // aborts every job
  setup.daemon.start();
  const auto id = idOf(setup.daemon.post("/v1/discharges", sampleEvent("ADT-11")));
  REQUIRE(setup.daemon.waitForState(id, "printed", 60s));
  CHECK(setup.ward8.jobsFor(id).size() == 1);
  const auto status = json(setup.daemon.get("/v1/discharges/" + id).body);
  CHECK(status->getValue<std::string>("printer") == "ward-8-laser");
}

TEST_CASE("where a leaflet printed: the first printer's attempts and error stay, in the document and the list") {
  TwoWards setup(kFastRetries);
  setup.ward7.setMode("fail");
  setup.daemon.start();
  const auto moved = idOf(setup.daemon.post("/v1/discharges", sampleEvent("ADT-31")));
  REQUIRE(setup.daemon.waitForState(moved, "printed", 60s));
  const auto document = json(setup.daemon.get("/v1/discharges/" + moved).body);
  CHECK(document->getValue<std::string>("printed_on") == "ward-8-laser");
  CHECK(document->getObject("patient")->getValue<std::string>("date_of_birth") == "1948-03-02");
  const auto failedOn = document->getArray("failed_on");
  REQUIRE(failedOn->size() == 1);
  CHECK(failedOn->getObject(0)->getValue<std::string>("printer") == "ward-7-laser");
  CHECK(failedOn->getObject(0)->getValue<int>("attempts") == 3);
  CHECK(failedOn->getObject(0)->getValue<std::string>("error").find("aborted") != std::string::npos);
  const auto job = document->getArray("print_jobs")->getObject(0);
  REQUIRE(job->getArray("earlier_printers"));
  CHECK(job->getArray("earlier_printers")->getObject(0)->getValue<int>("attempts") == 3);
  const auto listed = json(setup.daemon.get("/v1/discharges?ward=ward-7").body)->getArray("discharges")->getObject(0);
  CHECK(listed->getValue<std::string>("printed_on") == "ward-8-laser");
  CHECK(listed->getArray("failed_on")->size() == 1);

  // Both printers failing: the document names both, each with its reason.
  setup.ward8.setMode("fail");
  const auto lost = idOf(setup.daemon.post("/v1/discharges", sampleEvent("ADT-32")));
  REQUIRE(setup.daemon.waitForState(lost, "failed", 60s));
  const auto both = json(setup.daemon.get("/v1/discharges/" + lost).body);
  CHECK_FALSE(both->has("printed_on"));
  const auto failedBoth = both->getArray("failed_on");
  REQUIRE(failedBoth->size() == 2);
  CHECK(failedBoth->getObject(0)->getValue<std::string>("printer") == "ward-7-laser");
  CHECK(failedBoth->getObject(1)->getValue<std::string>("printer") == "ward-8-laser");
  CHECK(failedBoth->getObject(1)->getValue<std::string>("error").find("aborted") != std::string::npos);

  // A third job lost on ward 7: its last 3 jobs failed, whatever state it reports.
  const auto third = idOf(setup.daemon.post("/v1/discharges", sampleEvent("ADT-33")));
  REQUIRE(setup.daemon.waitForState(third, "failed", 60s));
  const auto printers = json(setup.daemon.get("/v1/printers").body)->getArray("printers");
  const auto seven = printers->getObject(0);
  CHECK(seven->getValue<std::string>("display_name") == "ward-7-laser");  // no name configured
  CHECK(seven->getValue<int>("recent_failures") == 3);
  CHECK(printers->getObject(1)->getValue<int>("recent_failures") == 2);
}

TEST_CASE("a job with no fallback printer ends failed, with the reason") {
  TwoWards setup(kFastRetries);
  setup.ward8.setMode("fail");
  setup.daemon.start();
  const auto id = idOf(setup.daemon.post("/v1/discharges", sampleEvent("ADT-12", "ward-8")));
  REQUIRE(setup.daemon.waitForState(id, "failed", 60s));
  const auto job = json(setup.daemon.get("/v1/discharges/" + id).body)->getArray("print_jobs")->getObject(0);
  CHECK(job->getValue<std::string>("last_error").find("aborted") != std::string::npos);
  CHECK(job->getValue<int>("attempts") == 3);
}

TEST_CASE("a reprint sends the same bytes again, to the printer asked for") {
  TwoWards setup;
  setup.daemon.start();
  const auto id = idOf(setup.daemon.post("/v1/discharges", sampleEvent("ADT-13")));
  REQUIRE(setup.daemon.waitForState(id, "printed", 20s));
  const auto missingReason = setup.daemon.post("/v1/discharges/" + id + "/reprint", "{}");
  CHECK(missingReason.status == 422);
  const auto reprint = setup.daemon.post("/v1/discharges/" + id + "/reprint",
                                         R"({"printer": "ward-8-laser", "copies": 2, "reason": "lost"})");
  REQUIRE(reprint.status == 202);
  REQUIRE(waitUntil([&] { return setup.ward8.jobsFor(id).size() == 1; }, 20s));
  REQUIRE(setup.daemon.waitForState(id, "printed", 20s));
  CHECK(readFile(setup.ward8.jobsFor(id)[0]) == readFile(setup.ward7.jobsFor(id)[0]));
  CHECK(setup.ward8.jobAttribute(setup.ward8.jobsFor(id)[0], "IPP_COPIES") == "2");

  const auto large = setup.daemon.post("/v1/discharges/" + id + "/reprint",
                                       R"({"reason": "large print requested", "large_print": true})");
  REQUIRE(large.status == 202);
  const auto largeId = idOf(large);
  CHECK(largeId != id);
  REQUIRE(setup.daemon.waitForState(largeId, "printed", 20s));
  CHECK(setup.ward7.jobsFor(largeId).size() == 1);
}

TEST_CASE("kill -9 during a burst: after restart every accepted event is printed exactly once") {
  TwoWards setup;
  setup.daemon.start();
  constexpr int kEvents = 200;
  std::vector<std::string> accepted;
  std::mutex acceptedMutex;
  std::atomic<int> sent{0};
  std::thread burst([&] {
    for (int i = 0; i < kEvents; ++i) {
      try {
        const auto reply = setup.daemon.post("/v1/discharges", sampleEvent("BURST-" + std::to_string(i)));
        sent++;
        if (reply.status == 202) {
          std::lock_guard lock(acceptedMutex);
          accepted.push_back(idOf(reply));
        }
      } catch (const std::exception&) {
        sent++;  // the daemon died under this request: it was not acknowledged
      }
    }
  });
  REQUIRE(waitUntil([&] { return sent >= kEvents / 2; }, 60s));
  setup.daemon.kill9();
  burst.join();
  setup.daemon.start();

  std::lock_guard lock(acceptedMutex);
  INFO(accepted.size() << " events were acknowledged before the kill");
  CHECK(accepted.size() >= static_cast<std::size_t>(kEvents / 2));
  for (const auto& id : accepted) {
    CAPTURE(id);
    REQUIRE(setup.daemon.waitForState(id, "printed", 120s));
    CHECK(setup.ward7.jobsFor(id).size() == 1);
  }
  // Nothing at all was printed twice, acknowledged or not.
  std::map<std::string, int> printed;
  for (const auto& job : setup.ward7.allJobs()) {
    const auto name = job.filename().string();
    const auto start = name.find("wp-");
    printed[name.substr(start, name.find('-', start + 3) - start)]++;
  }
  for (const auto& [document, count] : printed) {
    CAPTURE(document);
    CHECK(count == 1);
  }
}

TEST_CASE("a restarted daemon still answers for old documents and stops cleanly on SIGTERM") {
  TwoWards setup;
  setup.daemon.start();
  const auto id = idOf(setup.daemon.post("/v1/discharges", sampleEvent("ADT-14")));
  REQUIRE(setup.daemon.waitForState(id, "printed", 20s));
  const auto before = setup.daemon.get("/v1/discharges/" + id + "/pdf").body;
  CHECK(setup.daemon.terminate() == 0);
  setup.daemon.start();
  CHECK(setup.daemon.get("/v1/discharges/" + id).status == 200);
  CHECK(setup.daemon.get("/v1/discharges/" + id + "/pdf").body == before);
  CHECK(setup.ward7.jobsFor(id).size() == 1);  // not printed again on restart
}

TEST_CASE("the printers endpoint reports each printer's live state") {
  TwoWards setup;
  setup.ward8.stop();
  setup.daemon.start();
  const auto printers = json(setup.daemon.get("/v1/printers").body)->getArray("printers");
  REQUIRE(printers->size() == 2);
  const auto seven = printers->getObject(0);
  CHECK(seven->getValue<std::string>("name") == "ward-7-laser");
  CHECK(seven->getValue<bool>("reachable"));
  CHECK(seven->getValue<std::string>("state") == "idle");
  CHECK(seven->getArray("problems")->size() == 0);
  const auto eight = printers->getObject(1);
  CHECK_FALSE(eight->getValue<bool>("reachable"));
  CHECK(eight->getValue<std::string>("state") == "unreachable");

  const auto metrics = setup.daemon.get("/metrics").body;
  CHECK(metrics.find("wardprint_printer_up{printer=\"ward-7-laser\"} 1") != std::string::npos);
  CHECK(metrics.find("wardprint_printer_up{printer=\"ward-8-laser\"} 0") != std::string::npos);
}
