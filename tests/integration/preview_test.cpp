// GET /v1/discharges/{id}/pages/{n}.png: the nurse page's preview, drawn by the server.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <doctest/doctest.h>

#include "service_harness.h"
#include "staff.h"

using namespace wardprint::testsupport;

namespace {

// A PNG's width and height from its IHDR chunk.
std::pair<int, int> pngSize(const std::string& png) {
  REQUIRE(png.size() > 24);
  REQUIRE(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  const auto number = [&](std::size_t at) {
    return (static_cast<unsigned char>(png[at]) << 24) | (static_cast<unsigned char>(png[at + 1]) << 16) |
           (static_cast<unsigned char>(png[at + 2]) << 8) | static_cast<unsigned char>(png[at + 3]);
  };
  return {number(16), number(20)};
}

}  // namespace

TEST_CASE("each page of a leaflet comes as a PNG, audited as a preview, and only to those who may see it") {
  TwoWards setup(staffAuthSection());
  setup.daemon.start();
  const auto admin = signInAs(setup.daemon, "admin.lee");
  const auto posted = setup.daemon.request("POST", "/v1/discharges", sampleEvent("PREVIEW-1"), "application/json",
                                            bearer(kFeedToken));
  REQUIRE(posted.status == 202);
  const auto id = idOf(posted);
  const auto pagePath = [&](const std::string& name) { return "/v1/discharges/" + id + "/pages/" + name; };

  const auto first = setup.daemon.request("GET", pagePath("1.png"), "", "", admin);
  REQUIRE(first.status == 200);
  CHECK(first.contentType == "image/png");
  const auto [width, height] = pngSize(first.body);
  CHECK(width > 800);          // A4 at 110 dpi: about 909 by 1286
  CHECK(height > width * 13 / 10);
  const auto second = setup.daemon.request("GET", pagePath("2.png"), "", "", admin);
  REQUIRE(second.status == 200);
  CHECK(second.body != first.body);

  for (const auto* name : {"0.png", "99.png", "1.jpg", "01.png", "x.png", "1"}) {
    CAPTURE(name);
    CHECK(setup.daemon.request("GET", pagePath(name), "", "", admin).status == 404);
  }
  CHECK(setup.daemon.get(pagePath("1.png")).status == 401);
  // A ward 7 leaflet to a ward 8 token: as if it did not exist.
  CHECK(setup.daemon.request("GET", pagePath("1.png"), "", "", bearer(kWard8Token)).status == 404);

  const auto audit = json(setup.daemon.request("GET", "/v1/audit?document=" + id, "", "", admin).body)->getArray("entries");
  std::vector<std::string> previews;
  for (std::size_t i = audit->size(); i-- > 0;) {
    const auto entry = audit->getObject(i);
    if (entry->getValue<std::string>("action") == "preview") previews.push_back(entry->getValue<std::string>("detail"));
  }
  CHECK(previews == std::vector<std::string>{"page 1", "page 2"});
}
