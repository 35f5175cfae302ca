// The error contract: every request in tests/data/bad-requests/ (and a few made here)
// gets its 4xx with a problem+json naming the field, stores nothing, and leaves the
// daemon answering.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "service_harness.h"

using namespace wardprint::testsupport;

namespace {

struct BadRequest {
  std::string name;
  std::string body;
  std::string contentType = "application/json";
  int status = 0;
  std::string field;  // "-": a problem about the whole body, or none
};

std::vector<BadRequest> corpus() {
  const auto dir = sourceFile("tests/data/bad-requests");
  std::vector<BadRequest> requests;
  std::ifstream manifest(dir + "/expected.tsv");
  for (std::string line; std::getline(manifest, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    BadRequest request;
    std::getline(fields, request.name, '\t');
    fields >> request.status >> request.field;
    request.body = readFile(dir + "/" + request.name);
    requests.push_back(request);
  }
  requests.push_back({"10 MB body", std::string(10 * 1024 * 1024, ' '), "application/json", 413, "-"});
  // Too deep for the parser, yet within the size limit; and deeper still, over it.
  requests.push_back({"30,000-deep nesting", std::string(30000, '[') + std::string(30000, ']'), "application/json",
                      400, "-"});
  requests.push_back({"100,000-deep nesting", std::string(100000, '[') + std::string(100000, ']'), "application/json",
                      413, "-"});
  requests.push_back({"form body", "event_id=1", "application/x-www-form-urlencoded", 415, "-"});
  requests.push_back({"no content type", sampleEvent("BAD-C"), "", 415, "-"});
  return requests;
}

}  // namespace

TEST_CASE("each bad request gets its status and a problem naming the field, and nothing is stored") {
  const auto requests = corpus();
  REQUIRE(requests.size() >= 30);
  TwoWards setup;
  setup.daemon.start();
  for (const auto& request : requests) {
    CAPTURE(request.name);
    HttpReply reply;
    try {
      reply = setup.daemon.post("/v1/discharges", request.body, request.contentType);
    } catch (const std::exception& e) {
      FAIL_CHECK("no answer: " << std::string(e.what()));
      continue;
    }
    CHECK(reply.status == request.status);
    CHECK(reply.contentType == "application/problem+json");
    const auto problem = Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
    CHECK(problem->getValue<int>("status") == request.status);
    if (request.field != "-") {
      REQUIRE(problem->has("problems"));
      const auto problems = problem->getArray("problems");
      bool named = false;
      for (std::size_t i = 0; i < problems->size(); ++i) {
        named = named || problems->getObject(static_cast<unsigned>(i))->getValue<std::string>("field") == request.field;
      }
      CHECK_MESSAGE(named, reply.body);
    }
    CHECK(setup.daemon.get("/healthz").status == 200);
  }
  const auto stored = setup.daemon.get("/v1/discharges");
  CHECK(stored.body == R"({"discharges":[]})");
  CHECK(setup.ward7.allJobs().empty());
}

TEST_CASE("ambiguous framing gets 400 and the connection is closed, so nothing is smuggled in") {
  TwoWards setup;
  setup.daemon.start();
  const int port = setup.daemon.port();
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const auto& request : ambiguouslyFramed(sampleEvent("FRAMING-1"), smuggled)) {
    CAPTURE(request.substr(0, request.find("\r\n\r\n")));
    const auto answer = rawExchange(port, request);
    CAPTURE(answer);
    CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(countOccurrences(answer, "HTTP/1.1 ") == 1);  // the smuggled request got no answer
  }
  // Nothing was accepted, and the daemon still answers.
  CHECK(setup.daemon.get("/v1/discharges?limit=10").body.find("FRAMING-1") == std::string::npos);
  CHECK(setup.daemon.get("/healthz").status == 200);
}
