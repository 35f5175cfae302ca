// HL7 v2 end to end: ADT messages over MLLP on loopback and POST /v1/hl7, each answered
// with its ACK, printed (or not) on an emulated ward printer by a real wardprintd.
#include <doctest/doctest.h>

#include "hl7_harness.h"

using namespace wardprint::testsupport;
using namespace std::chrono_literals;

TEST_CASE("A03s of every version and segment ending, UTF-8 and 8859/1 names, print once each over MLLP") {
  Hl7Setup setup;
  auto engine = setup.startAndConnect();
  struct Case {
    const char* version;
    const char* end;
    const char* charset;
    std::string name;
  };
  const Case cases[] = {
      {"2.3", "\r", "", "Smith^Ann^^^^^L"},
      {"2.4", "\n", "", "O\\S\\Brien^Sean^^^^^L"},  // an escaped component separator in the name
      {"2.5", "\r\n", "UNICODE UTF-8", "\xC5\x81ukasiewicz^Zo\xC3\xAB^^^^^L"},
      {"2.8", "\r", "8859/1", "M\xFCller^J\xFCrgen^^^^^L"},
  };
  std::size_t count = 0;
  for (const auto& c : cases) {
    CAPTURE(c.version);
    auto adt = freshA03(std::string("V-") + c.version, std::string("MSG-") + c.version);
    adt.version = c.version;
    adt.end = c.end;
    adt.charset = c.charset;
    adt.pid5 = c.name;
    const auto ack = engine.exchange(adt.text());
    REQUIRE(ack);
    CHECK(msa(ack) == "AA|" + adt.controlId);
    CHECK(ack->rfind("MSH|^~\\&|WARDPRINT|RRV|PAS|RRV|", 0) == 0);
    CHECK(ack->find("|ACK^A03^ACK|") != std::string::npos);
    CHECK(ack->find("|P|" + std::string(c.version)) != std::string::npos);
    CHECK(setup.printedWithin(++count, 30s));
  }
  const auto list = setup.wards.daemon.get("/v1/discharges?ward=ward-7");
  CHECK(list.body.find("\xC5\x81ukasiewicz") != std::string::npos);
  CHECK(list.body.find("M\xC3\xBCller") != std::string::npos);  // 8859/1 read as Latin-1
  CHECK(list.body.find("O^Brien") != std::string::npos);
}

TEST_CASE("the same A03 twice, or again with a new control id, prints once and is acknowledged AA each time") {
  Hl7Setup setup;
  auto engine = setup.startAndConnect();
  auto adt = freshA03("V-TWICE", "MSG-1");
  CHECK(msa(engine.exchange(adt.text())) == "AA|MSG-1");
  CHECK(msa(engine.exchange(adt.text())) == "AA|MSG-1");
  adt.controlId = "MSG-2";
  CHECK(msa(engine.exchange(adt.text())) == "AA|MSG-2");
  // Every job the store holds has ended: a second print, if one were wrongly queued, is spooled.
  REQUIRE(setup.wards.daemon.waitForJobsToEnd(30s));
  CHECK(setup.printed() == 1);
}

TEST_CASE("an A13 before the leaflet is sent cancels it, and a later A03 for the visit prints again") {
  Hl7Setup setup;
  setup.start();
  setup.wards.ward7.freeze();  // the first leaflet holds the ward's worker; the second waits queued
  setup.wards.ward8.freeze();  // and its fallback cannot take it either
  MllpClient engine(setup.mllpPort);
  CHECK(msa(engine.exchange(freshA03("V-FIRST", "MSG-1").text())) == "AA|MSG-1");
  auto second = freshA03("V-SECOND", "MSG-2");
  CHECK(msa(engine.exchange(second.text())) == "AA|MSG-2");
  auto cancel = second;
  cancel.trigger = "A13";
  cancel.controlId = "MSG-3";
  cancel.evn = "EVN|A13|" + hl7Time(30min);
  CHECK(msa(engine.exchange(cancel.text())) == "AA|MSG-3");
  setup.wards.ward7.thaw();
  setup.wards.ward8.thaw();
  REQUIRE(setup.wards.daemon.waitForJobsToEnd(60s));
  CHECK(setup.printed() == 1);
  CHECK(setup.wards.daemon.get("/v1/discharges").body.find("\"state\":\"cancelled\"") != std::string::npos);

  second.controlId = "MSG-4";
  CHECK(msa(engine.exchange(second.text())) == "AA|MSG-4");
  CHECK(setup.printedWithin(2, 30s));
}

TEST_CASE("a death, a stale discharge and an unknown procedure are acknowledged AA, listed as not printed") {
  Hl7Setup setup;
  auto engine = setup.startAndConnect();
  auto died = freshA03("V-DIED", "MSG-1");
  died.deathFlag = "Y";
  auto stale = freshA03("V-OLD", "MSG-2");
  stale.dischargedAt = hl7Time(std::chrono::hours(30));
  auto unknown = freshA03("V-UNKNOWN", "MSG-3");
  unknown.pr1 = "PR1|1||Z99.9^Something else^OPCS4";
  for (const auto* adt : {&died, &stale, &unknown}) {
    CHECK(msa(engine.exchange(adt->text())) == "AA|" + adt->controlId);
  }
  auto admit = freshA03("V-ADMIT", "MSG-4");
  admit.trigger = "A01";
  CHECK(msa(engine.exchange(admit.text())) == "AA|MSG-4");

  const auto list = setup.wards.daemon.get("/v1/discharges");
  CHECK(list.body.find("\"not_printed_code\":\"died\"") != std::string::npos);
  CHECK(list.body.find("\"not_printed_code\":\"too_old\"") != std::string::npos);
  CHECK(list.body.find("\"not_printed_code\":\"no_leaflet\"") != std::string::npos);
  CHECK(list.body.find("\"state\":\"not-printed\"") != std::string::npos);
  const auto metrics = setup.wards.daemon.get("/metrics").body;
  CHECK(metrics.find("wardprint_discharges_not_printed_total{reason=\"died\"} 1") != std::string::npos);
  REQUIRE(setup.wards.daemon.waitForJobsToEnd(30s));
  CHECK(setup.printed() == 0);
  CHECK(setup.wards.ward8.allJobs().empty());
}

TEST_CASE("content that can never be printed gets AE, an unsupported processing id AR, garbage AR") {
  Hl7Setup setup;
  auto engine = setup.startAndConnect();
  auto elsewhere = freshA03("V-X", "MSG-1");
  elsewhere.location = "NOWHERE";
  const auto ae = engine.exchange(elsewhere.text());
  CHECK(msa(ae) == "AE|MSG-1");
  CHECK(ae->find("ERR||PV1^1^3^1^1|103^PV1-3.1 is not a location wardprint serves^HL70357|E\r") != std::string::npos);
  auto training = freshA03("V-T", "MSG-2");
  training.processingId = "T";
  CHECK(msa(engine.exchange(training.text())) == "AR|MSG-2");
  CHECK(msa(engine.exchange("this is not HL7")).rfind("AR|", 0) == 0);
  REQUIRE(setup.wards.daemon.waitForJobsToEnd(30s));
  CHECK(setup.printed() == 0);
}

TEST_CASE("POST /v1/hl7 answers the ACK with 200 whatever its code, and takes only HL7 bodies") {
  Hl7Setup setup;
  setup.start();
  auto adt = freshA03("V-HTTP", "MSG-H1");
  const auto reply = setup.wards.daemon.post("/v1/hl7", adt.text(), "x-application/hl7-v2+er7");
  CHECK(reply.status == 200);
  CHECK(msa(reply.body) == "AA|MSG-H1");
  CHECK(setup.printedWithin(1, 30s));
  auto elsewhere = freshA03("V-HTTP2", "MSG-H2");
  elsewhere.location = "NOWHERE";
  const auto refused = setup.wards.daemon.post("/v1/hl7", elsewhere.text(), "application/hl7-v2");
  CHECK(refused.status == 200);
  CHECK(msa(refused.body) == "AE|MSG-H2");
  CHECK(setup.wards.daemon.post("/v1/hl7", adt.text(), "text/plain").status == 415);
}

TEST_CASE("a daemon killed before it acknowledged prints the engine's resend once") {
  Hl7Setup setup;
  setup.start();
  const auto adt = freshA03("V-KILL", "MSG-K1");
  {
    MllpClient engine(setup.mllpPort);
    engine.send(adt.text());
    setup.wards.daemon.kill9();  // the engine never reads an ACK (whether or not one was sent)
  }
  auto engine = setup.startAndConnect();
  CHECK(msa(engine.exchange(adt.text())) == "AA|MSG-K1");
  REQUIRE(setup.wards.daemon.waitForJobsToEnd(30s));
  CHECK(setup.printed() == 1);
}

TEST_CASE("an HL7 discharge is reprinted in large print and in another language from its stored message") {
  Hl7Setup setup;
  const auto config = setup.wards.daemon.configPath();
  writeFile(config, replaceOnce(readFile(config), "site: { name: Test Hospital,",
                                "site: { name: Test Hospital, allow_draft_layouts: true,"));
  auto engine = setup.startAndConnect();
  auto adt = freshA03("V-REPRINT", "MSG-R1");
  adt.pid5 = "M\xFCller^J\xFCrgen^^^^^L";  // 8859/1, read by hl7.default_charset: MSH-18 is empty
  REQUIRE(msa(engine.exchange(adt.text())) == "AA|MSG-R1");
  const auto list = json(setup.wards.daemon.get("/v1/discharges").body)->getArray("discharges");
  REQUIRE(list->size() == 1);
  const auto id = list->getObject(0)->getValue<std::string>("id");
  REQUIRE(setup.wards.daemon.waitForState(id, "printed", 30s));

  const struct {
    const char* body;
    bool largePrint;
    const char* language;
  } reprints[] = {
      {R"({"reason": "patient asked for large print", "large_print": true})", true, "en-GB"},
      {R"({"reason": "patient reads Welsh", "language": "cy-GB"})", false, "cy-GB"},
  };
  for (const auto& reprint : reprints) {
    CAPTURE(reprint.body);
    const auto reply = setup.wards.daemon.post("/v1/discharges/" + id + "/reprint", reprint.body);
    REQUIRE(reply.status == 202);
    const auto newId = idOf(reply);
    CHECK(newId != id);
    REQUIRE(setup.wards.daemon.waitForState(newId, "printed", 30s));
    const auto detail = json(setup.wards.daemon.get("/v1/discharges/" + newId).body);
    CHECK(detail->getValue<bool>("large_print") == reprint.largePrint);
    CHECK(detail->getValue<std::string>("language") == reprint.language);
    CHECK(setup.wards.ward7.jobsFor(newId).size() == 1);
    // The name as first read, from the message whose charset the door recorded.
    const auto pdf = setup.wards.dir.path("reprint.pdf");
    writeFile(pdf, setup.wards.daemon.get("/v1/discharges/" + newId + "/pdf").body);
    CHECK(runProcess({"pdftotext", "-enc", "UTF-8", pdf, "-"}).out.find("M\xC3\xBCller") != std::string::npos);
  }
}
