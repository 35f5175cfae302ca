// Hostile clients against a real wardprintd's MLLP listener: each gets AR or a closed
// connection, nothing of theirs is stored or printed, and an engine connecting next is
// served as usual.
#include <doctest/doctest.h>

#include "hl7_harness.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

enum class Expect {
  kRefused,  // an AR on the same connection
  kClosed,   // the listener closes the connection
  kHangsUp,  // the client closes it itself
};

struct Hostile {
  const char* what;
  std::string bytes;  // sent as they are, framing (or its lack) included
  Expect expect;
};

}  // namespace

TEST_CASE("hostile MLLP clients get AR or a closed connection and the listener serves the next engine") {
  Hl7Setup setup("  idle_timeout_seconds: 1\n");
  setup.start();
  const std::string garbage("\x01\x02garbage\xff\x00\xfe", 13);
  const auto unterminated = "\x0b" + freshA03("V-CUT", "MSG-CUT").text();
  // Ten times the default hl7.max_message_bytes (1 MiB), as one A03 with a huge Z segment.
  const auto huge = "\x0b" + freshA03("V-HUGE", "MSG-HUGE").text() + "ZXX|" + std::string(10 << 20, 'A') + "\r\x1c\r";
  const Hostile cases[] = {
      {"a frame with no end byte, then the client closes", unterminated, Expect::kHangsUp},
      {"a 10 MB frame", huge, Expect::kClosed},
      {"binary garbage outside a frame", garbage, Expect::kClosed},
      {"binary garbage inside a frame", "\x0b" + garbage + "\x1c\r", Expect::kRefused},
      {"a connection opened and left idle", "", Expect::kClosed},
  };
  std::size_t served = 0;
  for (const auto& c : cases) {
    CAPTURE(c.what);
    std::optional<MllpClient> hostile(std::in_place, setup.mllpPort);
    hostile->sendRaw(c.bytes);  // may fail part way once the listener has cut the client off
    if (c.expect == Expect::kHangsUp) hostile.reset();
    // Served while the hostile connection may still be open: it holds no one up.
    MllpClient engine(setup.mllpPort);
    const auto control = "MSG-NEXT-" + std::to_string(++served);
    CHECK(msa(engine.exchange(freshA03("V-NEXT-" + std::to_string(served), control).text())) == "AA|" + control);
    if (c.expect == Expect::kRefused) CHECK(msa(hostile->receive()).rfind("AR|", 0) == 0);
    if (c.expect == Expect::kClosed) CHECK(hostile->closedWithin(15s));
  }
  REQUIRE(setup.wards.daemon.waitForJobsToEnd(60s));
  CHECK(setup.printed() == served);
  const auto list = setup.wards.daemon.get("/v1/discharges").body;
  CHECK(list.find("V-CUT") == std::string::npos);
  CHECK(list.find("V-HUGE") == std::string::npos);
}
