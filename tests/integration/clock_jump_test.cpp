// The daemon's wall clock moved with an LD_PRELOAD shim (tests/integration/clock_shift.cpp),
// as an operator or a bad time source would move it: nothing young is purged, a retried
// event is still a repeat, and a pending retry runs on time.

#include <doctest/doctest.h>

#include "service_harness.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

namespace {

// TwoWards whose daemon reads its wall clock through the shim, shifted by `shift` seconds.
struct ShiftedWards : TwoWards {
  std::string shiftFile = dir.path("clock-shift");
  explicit ShiftedWards(const std::string& extraYaml = "") : TwoWards(extraYaml) {
    shiftBy(0);
    daemon.setEnvironment({{"LD_PRELOAD", WARDPRINT_CLOCK_SHIFT}, {"WARDPRINT_CLOCK_SHIFT_FILE", shiftFile}});
  }
  void shiftBy(long long seconds) const { writeFile(shiftFile, std::to_string(seconds) + "\n"); }
};

constexpr long long kDay = 24 * 3600;

}  // namespace

TEST_CASE("a clock 100 days fast purges nothing young, and a retried event gets 200 and no second print") {
  ShiftedWards setup;
  setup.daemon.start();
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    const auto reply = setup.daemon.post("/v1/discharges", sampleEvent("JUMP-" + std::to_string(i)));
    REQUIRE(reply.status == 202);
    ids.push_back(idOf(reply));
  }
  for (const auto& id : ids) REQUIRE(setup.daemon.waitForState(id, "printed", 30s));
  REQUIRE(setup.daemon.terminate() == 0);

  setup.shiftBy(100 * kDay);
  setup.daemon.start();  // retention runs at start
  // The socket listens before start-up is over: wait for retention's line.
  CHECK(waitUntil([&] { return setup.daemon.log().find("nothing removed") != std::string::npos; }, 10s));
  for (const auto& id : ids) CHECK(setup.daemon.get("/v1/discharges/" + id).status == 200);
  const auto retry = setup.daemon.post("/v1/discharges", sampleEvent("JUMP-0"));
  CHECK(retry.status == 200);
  CHECK(idOf(retry) == ids[0]);
  CHECK_FALSE(setup.daemon.waitForState(ids[0], "queued", 1s));
  CHECK(setup.ward7.jobsFor(ids[0]).size() == 1);
}

TEST_CASE("a pending retry runs on time when the clock is set back a day, and after a restart") {
  ShiftedWards setup("printing: { max_attempts: 50, first_retry_seconds: 2, max_retry_seconds: 2 }\n");
  setup.ward7.setMode("fail");
  setup.daemon.start();
  const auto id = idOf(setup.daemon.post("/v1/discharges", sampleEvent("SLOW-CLOCK-1")));
  REQUIRE(waitUntil([&] { return json(setup.daemon.get("/v1/discharges/" + id).body)->getValue<int>("attempts") >= 1; },
                    20s));
  setup.shiftBy(-kDay);
  setup.ward7.setMode("ok");
  CHECK(setup.daemon.waitForState(id, "printed", 15s));  // not a day later

  // The same with a restart in between: the stored retry time is a day ahead of the clock.
  setup.shiftBy(0);
  setup.ward7.setMode("fail");
  const auto second = idOf(setup.daemon.post("/v1/discharges", sampleEvent("SLOW-CLOCK-2")));
  REQUIRE(waitUntil(
      [&] { return json(setup.daemon.get("/v1/discharges/" + second).body)->getValue<int>("attempts") >= 1; }, 20s));
  REQUIRE(setup.daemon.terminate() == 0);
  setup.shiftBy(-kDay);
  setup.ward7.setMode("ok");
  setup.daemon.start();
  CHECK(setup.daemon.waitForState(second, "printed", 15s));
}
