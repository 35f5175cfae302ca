// POST /v1/discharges/by-hand: the nurse page's form for a discharge the feed did not send.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <doctest/doctest.h>

#include "service_harness.h"
#include "staff.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

HttpReply postByHand(const DaemonUnderTest& daemon, const std::string& body, const Headers& headers) {
  return daemon.request("POST", "/v1/discharges/by-hand", body, "application/json", headers);
}

}  // namespace

TEST_CASE("a nurse prints a leaflet by hand: checked as the feed's events are, printed, and audited as by hand") {
  TwoWards setup(staffAuthSection());
  setup.daemon.start();
  const auto nurse = signInAs(setup.daemon, "nurse.jones");

  // The same rules as the feed: every problem named at once.
  auto bad = replaceOnce(sampleEvent("HAND-1"), "9434765919", "9434765918");
  bad = replaceOnce(bad, "\"T12\"", "\"Q9\"");
  const auto refused = postByHand(setup.daemon, bad, nurse);
  CHECK(refused.status == 422);
  CHECK(refused.body.find("patient.nhs_number") != std::string::npos);
  CHECK(refused.body.find("procedure.levels") != std::string::npos);

  const auto accepted = postByHand(setup.daemon, sampleEvent("HAND-1"), nurse);
  REQUIRE(accepted.status == 202);
  const auto id = idOf(accepted);
  CHECK(postByHand(setup.daemon, sampleEvent("HAND-1"), nurse).status == 200);  // sent twice: one leaflet
  REQUIRE(waitUntil([&] { return setup.ward7.jobsFor(id).size() == 1; }, 30s));
  // Not the feed's event of the same id: the door keeps them apart.
  const auto fromFeed = setup.daemon.request("POST", "/v1/discharges", sampleEvent("HAND-1"), "application/json",
                                             bearer(kFeedToken));
  REQUIRE(fromFeed.status == 202);
  CHECK(idOf(fromFeed) != id);

  const auto admin = signInAs(setup.daemon, "admin.lee");
  const auto audit = json(setup.daemon.request("GET", "/v1/audit?document=" + id, "", "", admin).body)->getArray("entries");
  std::vector<std::string> actions;
  for (std::size_t i = 0; i < audit->size(); ++i) actions.push_back(audit->getObject(i)->getValue<std::string>("action"));
  CHECK(actions == std::vector<std::string>{"by-hand", "by-hand"});
  CHECK(audit->getObject(0)->getValue<std::string>("user") == "nurse.jones");
  const auto document = json(setup.daemon.request("GET", "/v1/discharges/" + id, "", "", admin).body);
  CHECK(document->getArray("print_jobs")->getObject(0)->getValue<std::string>("requested_by") == "nurse.jones");
}

TEST_CASE("by hand: only staff signed in, with the CSRF token, and only for their own wards") {
  TwoWards setup(staffAuthSection());
  setup.daemon.start();
  const auto nurse = signInAs(setup.daemon, "nurse.jones");
  CHECK(postByHand(setup.daemon, sampleEvent("HAND-2"), {}).status == 401);
  CHECK(postByHand(setup.daemon, sampleEvent("HAND-2"), bearer(kFeedToken)).status == 403);  // the feed has its own door
  CHECK(postByHand(setup.daemon, sampleEvent("HAND-2"), {{"Cookie", nurse.at("Cookie")}}).status == 403);  // no CSRF token
  CHECK(postByHand(setup.daemon, sampleEvent("HAND-2", "ward-8"), nurse).status == 403);  // not her ward
}
