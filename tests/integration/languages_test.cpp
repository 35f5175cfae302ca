// Leaflet languages through the daemon: a draft layout (the Welsh ones until reviewed) is
// never used unless site.allow_draft_layouts says so, and a reprint can ask for another
// available language.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <doctest/doctest.h>

#include "service_harness.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

std::string welshEvent(const std::string& eventId) {
  return replaceOnce(sampleEvent(eventId), "\"language\": \"en-GB\"", "\"language\": \"cy-GB\"");
}

std::vector<std::string> languagesAvailable(const DaemonUnderTest& daemon, const std::string& id) {
  const auto languages = json(daemon.get("/v1/discharges/" + id).body)->getArray("languages_available");
  std::vector<std::string> out;
  for (std::size_t i = 0; languages && i < languages->size(); ++i) out.push_back(languages->getElement<std::string>(i));
  return out;
}

}  // namespace

TEST_CASE("a draft layout is refused with 422 naming it, and not offered, unless the site allows drafts") {
  TwoWards setup;  // the test configuration says nothing of drafts: they are not used
  setup.daemon.start();
  const auto refused = setup.daemon.post("/v1/discharges", welshEvent("ADT-CY-1"));
  CHECK(refused.status == 422);
  const auto problem = json(refused.body)->getArray("problems")->getObject(0);
  CHECK(problem->getValue<std::string>("field") == "language");
  CHECK(problem->getValue<std::string>("reason").find("(vertebroplasty.cy-GB) is a draft") != std::string::npos);

  const auto english = idOf(setup.daemon.post("/v1/discharges", sampleEvent("ADT-CY-2")));
  CHECK(languagesAvailable(setup.daemon, english) == std::vector<std::string>{"en-GB"});
  const auto reprint = setup.daemon.post("/v1/discharges/" + english + "/reprint",
                                         R"({"reason": "patient reads Welsh", "language": "cy-GB"})");
  CHECK(reprint.status == 422);
  CHECK(reprint.body.find("(vertebroplasty.cy-GB) is a draft") != std::string::npos);
}

TEST_CASE("with site.allow_draft_layouts a Welsh event prints, and a reprint can change the language") {
  TwoWards setup;
  writeFile(setup.daemon.configPath(), replaceOnce(readFile(setup.daemon.configPath()), "site: { name: Test Hospital,",
                                                   "site: { name: Test Hospital, allow_draft_layouts: true,"));
  setup.daemon.start();
  const auto welsh = setup.daemon.post("/v1/discharges", welshEvent("ADT-CY-3"));
  REQUIRE(welsh.status == 202);
  const auto id = idOf(welsh);
  REQUIRE(setup.daemon.waitForState(id, "printed", 20s));
  const auto detail = json(setup.daemon.get("/v1/discharges/" + id).body);
  CHECK(detail->getObject("layout")->getValue<std::string>("id") == "vertebroplasty.cy-GB");
  CHECK(detail->getValue<std::string>("language") == "cy-GB");
  CHECK(languagesAvailable(setup.daemon, id) == std::vector<std::string>{"cy-GB", "en-GB"});

  const auto english = setup.daemon.post("/v1/discharges/" + id + "/reprint",
                                         R"({"reason": "family reads English", "language": "en-GB"})");
  REQUIRE(english.status == 202);
  const auto englishId = idOf(english);
  CHECK(englishId != id);
  REQUIRE(setup.daemon.waitForState(englishId, "printed", 20s));
  CHECK(json(setup.daemon.get("/v1/discharges/" + englishId).body)->getValue<std::string>("language") == "en-GB");
  CHECK(setup.ward7.jobsFor(englishId).size() == 1);

  const auto unknown = setup.daemon.post("/v1/discharges/" + id + "/reprint", R"({"reason": "x", "language": "fr-FR"})");
  CHECK(unknown.status == 422);
  CHECK(unknown.body.find("no vertebroplasty leaflet in 'fr-FR'") != std::string::npos);
}
