#include "hl7/adt_mapping.h"

#include <doctest/doctest.h>

#include "hl7/procedure.h"
#include "hl7_samples.h"
#include "util/problems.h"

namespace wardprint::hl7 {
namespace {

using namespace std::chrono_literals;
using date::sys_days;
using date::year;
using Kind = Mapped::Kind;

const date::sys_seconds kNow = sys_days{year{2026} / 12 / 2} + 9h;
const std::set<std::string> kLeaflets{"vertebroplasty", "kyphoplasty"};

MappingConfig config() {
  MappingConfig config;
  config.locations = {{"T11E", "ward-7"}, {"T12W", "ward-8"}};
  config.procedureCodes = {{"V44.4", "vertebroplasty"}, {"V44.5", "kyphoplasty"}};
  config.defaultProcedures = {{"ward-8", "kyphoplasty"}};
  return config;
}

Mapped mapped(const std::string& text, const MappingConfig& settings = config()) {
  ParseResult parsed = parseMessage(text, settings.defaultCharset);
  if (parsed.error) FAIL("parse failed: " << parsed.error->reason);
  return mapMessage(*parsed.message, kNow, settings, kLeaflets);
}

Mapped mapped(const samples::Adt& adt, const MappingConfig& settings = config()) {
  return mapped(adt.text(), settings);
}

// The refusal's code, 0357 code and location as "SEG^seq^field".
std::string refusalOf(const Mapped& result) {
  REQUIRE(result.kind == Kind::kRefuse);
  REQUIRE(result.refusal);
  REQUIRE(result.refusal->error);
  const AckError& error = *result.refusal->error;
  const char* code = result.refusal->code == AckCode::kReject ? "AR " : "AE ";
  return code + std::to_string(error.code) + ' ' + error.segment + '^' +
         std::to_string(error.sequence) + '^' + std::to_string(error.field);
}

}  // namespace

TEST_CASE("an A03 in each version and line ending maps to a printable discharge") {
  for (const std::string version : {"2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.8"}) {
    for (const std::string end : {"\r", "\n", "\r\n"}) {
      CAPTURE(version);
      CAPTURE(end.size());
      samples::Adt adt;
      adt.version = version;
      adt.end = end;
      const Mapped result = mapped(adt);
      REQUIRE(result.kind == Kind::kPrint);
      CHECK(result.triggerEvent == "A03");
      CHECK(result.warnings.empty());
      CHECK(ackOutcome(result).code == AckCode::kAccept);
      const Discharge& d = *result.discharge;
      CHECK(d.source == "PAS");
      CHECK(d.givenName == "Ann");
      CHECK(d.familyName == "Smith");
      CHECK(d.hospitalNumber == "RRV123456");
      CHECK(d.nhsNumber == "9434765919");
      CHECK(d.dateOfBirth == date::year_month_day{year{1948} / 3 / 12});
      CHECK(d.visitNumber == "V0001");
      CHECK(d.dischargedAt == sys_days{year{2026} / 12 / 2} + 8h + 30min);
      CHECK(d.ward == "ward-7");
      CHECK(d.procedureCode == "V44.4");
      CHECK(d.procedure == "vertebroplasty");
      CHECK(d.procedureAt == sys_days{year{2026} / 12 / 1} + 10h);
      CHECK(d.levels == std::vector<std::string>{"T12", "L1"});
      CHECK(d.clinician == "Dr Sam Jones");
      CHECK(d.externalId == "hl7:PAS/visit/V0001/2026-12-02T08:30:00Z");
    }
  }
}

TEST_CASE("names come through in UTF-8 from UTF-8 and Latin-1 messages") {
  samples::Adt utf8;
  utf8.charset = "UNICODE UTF-8";
  utf8.pid5 = "\xC5\x81ukasiewicz^Zo\xC3\xAB^^^^^L";
  const Mapped fromUtf8 = mapped(utf8);
  CHECK(fromUtf8.discharge->givenName == "Zo\xC3\xAB");
  CHECK(fromUtf8.discharge->familyName == "\xC5\x81ukasiewicz");

  samples::Adt latin1;
  latin1.pid5 = "Br\xFCggen^Zo\xEB^^^^^L";  // MSH-18 empty: the configured 8859/1
  const Mapped fromLatin1 = mapped(latin1);
  CHECK(fromLatin1.discharge->givenName == "Zo\xC3\xAB");
  CHECK(fromLatin1.discharge->familyName == "Br\xC3\xBCggen");
}

TEST_CASE("names: the legal repetition wins - family name parts are joined") {
  const struct {
    std::string pid5;
    std::optional<std::string> given, family;
  } cases[] = {
      {"Smithy^Annie^^^^^D~Smith^Ann^^^^^L", "Ann", "Smith"},
      {"Smith^Ann", "Ann", "Smith"},
      {"Dijk&van^Anna^^^^^L", "Anna", "van Dijk"},
      {"van Dijk&van&Dijk^Anna^^^^^L", "Anna", "van Dijk"},
      {"&van&Dijk^Anna", "Anna", "van Dijk"},
      {"Madonna", std::nullopt, "Madonna"},
      {"^Madonna", "Madonna", std::nullopt},
      {"O\\F\\Brien^Pat", "Pat", "O|Brien"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.pid5);
    samples::Adt adt;
    adt.pid5 = c.pid5;
    const Mapped result = mapped(adt);
    REQUIRE(result.discharge);
    CHECK(result.discharge->givenName == c.given);
    CHECK(result.discharge->familyName == c.family);
  }
  samples::Adt nameless;
  nameless.pid5 = "";
  CHECK(refusalOf(mapped(nameless)) == "AE 101 PID^1^5");
}

TEST_CASE("PID-3: the hospital number is chosen by config - the NHS number by authority or type") {
  const struct {
    std::string pid3;
    IdentifierRule rule;
    std::string hospitalNumber;
    std::optional<std::string> nhsNumber;
  } cases[] = {
      {"9434765919^^^NHS^NH~RRV123456^^^RRV^MR", {}, "RRV123456", "9434765919"},
      {"9434765919^^^X^HN~RRV123456^^^RRV^MR", {}, "RRV123456", "9434765919"},
      {"9434765919^^^NHS~A1^^^RRV^PI~RRV123456^^^RRV^MR", {"MR", ""}, "RRV123456", "9434765919"},
      {"A1^^^OTHER^MR~RRV123456^^^RRV^MR", {"mr", "RRV"}, "RRV123456", std::nullopt},
      {"RRV123456", {}, "RRV123456", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.pid3);
    samples::Adt adt;
    adt.pid3 = c.pid3;
    MappingConfig settings = config();
    settings.hospitalNumber = c.rule;
    const Mapped result = mapped(adt, settings);
    REQUIRE(result.discharge);
    CHECK(result.discharge->hospitalNumber == c.hospitalNumber);
    CHECK(result.discharge->nhsNumber == c.nhsNumber);
  }

  SUBCASE("no usable identifier is AE 101 at PID-3") {
    for (const std::string pid3 : {"", "9434765919^^^NHS^NH", "^^^RRV^MR"}) {
      samples::Adt adt;
      adt.pid3 = pid3;
      CHECK(refusalOf(mapped(adt)) == "AE 101 PID^1^3");
    }
    samples::Adt adt;
    MappingConfig settings = config();
    settings.hospitalNumber = {"MEDREC", "MRENTR"};
    CHECK(refusalOf(mapped(adt, settings)) == "AE 101 PID^1^3");
  }
}

TEST_CASE("an NHS number failing its check is dropped with a warning - the leaflet still prints") {
  for (const std::string bad : {"9434765918", "94347659"}) {
    samples::Adt adt;
    adt.pid3 = "RRV123456^^^RRV^MR~" + bad + "^^^NHS^NH";
    const Mapped result = mapped(adt);
    CHECK(result.kind == Kind::kPrint);
    CHECK_FALSE(result.discharge->nhsNumber);
    REQUIRE(result.warnings.size() == 1);
    CHECK(result.warnings[0].find("NHS number") != std::string::npos);
    CHECK(result.warnings[0].find(bad) == std::string::npos);
  }
}

TEST_CASE("a bad date of birth or procedure time is left out with a warning") {
  samples::Adt adt;
  adt.dob = "19481312";
  adt.pr1 = "PR1|1||V44.4^Vertebroplasty||yesterday";
  const Mapped result = mapped(adt);
  CHECK(result.kind == Kind::kPrint);
  CHECK_FALSE(result.discharge->dateOfBirth);
  CHECK_FALSE(result.discharge->procedureAt);
  CHECK(result.warnings.size() == 2);
}

TEST_CASE("a patient who died is recorded and never printed") {
  const struct {
    const char* what;
    std::string died, flag, disposition, dischargedTo;
  } cases[] = {
      {"PID-30 Y", "", "Y", "", ""},
      {"PID-29 set", "202612020700", "N", "", ""},
      {"PV1-36 Dead with PID-30 N", "", "N", "Dead", ""},
      {"PV1-36 in lower case", "", "", "dead", ""},
      {"PV1-36 NHS discharge method 4", "", "", "4", ""},
      {"PV1-37 NHS discharge destination 79", "", "", "", "79"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    samples::Adt adt;
    adt.died = c.died;
    adt.deathFlag = c.flag;
    adt.disposition = c.disposition;
    adt.dischargedTo = c.dischargedTo;
    const Mapped result = mapped(adt);
    CHECK(result.kind == Kind::kNotPrinted);
    CHECK(result.reason == NotPrintedReason::kDied);
    CHECK(result.discharge);
    CHECK(ackOutcome(result).code == AckCode::kAccept);
  }
  samples::Adt home;
  home.deathFlag = "N";
  home.disposition = "01";
  home.dischargedTo = "19";
  CHECK(mapped(home).kind == Kind::kPrint);
  CHECK(reasonCode(NotPrintedReason::kDied) == "died");
}

TEST_CASE("a discharge older than max age is recorded - not printed") {
  samples::Adt adt;
  adt.dischargedAt = "202612010900";  // exactly 24 hours before now: still fresh
  CHECK(mapped(adt).kind == Kind::kPrint);
  adt.dischargedAt = "202612010859";
  const Mapped old = mapped(adt);
  CHECK(old.kind == Kind::kNotPrinted);
  CHECK(old.reason == NotPrintedReason::kTooOld);
  MappingConfig patient = config();
  patient.maxAge = 48h;
  CHECK(mapped(adt, patient).kind == Kind::kPrint);
}

TEST_CASE("without a known procedure or its leaflet - a discharge needs a nurse") {
  samples::Adt unknownCode;
  unknownCode.pr1 = "PR1|1||W90.1^Something else";
  const Mapped unknown = mapped(unknownCode);
  CHECK(unknown.kind == Kind::kNotPrinted);
  CHECK(unknown.reason == NotPrintedReason::kNoLeaflet);
  CHECK(unknown.discharge->procedureCode == "W90.1");
  CHECK_FALSE(unknown.discharge->procedure);

  samples::Adt noPr1;
  noPr1.pr1 = "";
  CHECK(mapped(noPr1).reason == NotPrintedReason::kNoLeaflet);

  SUBCASE("a ward's default procedure fills in") {
    noPr1.location = "T12W";
    const Mapped result = mapped(noPr1);
    CHECK(result.kind == Kind::kPrint);
    CHECK(result.discharge->procedure == "kyphoplasty");
    CHECK(result.discharge->levels.empty());
    CHECK_FALSE(result.discharge->procedureAt);
  }
  SUBCASE("a mapped procedure with no layout") {
    MappingConfig settings = config();
    settings.procedureCodes["W90.1"] = "sacroplasty";
    CHECK(mapped(unknownCode, settings).reason == NotPrintedReason::kNoLeaflet);
  }
  SUBCASE("the first PR1 with a mapped code is used") {
    samples::Adt two;
    two.pr1 = "PR1|1||W90.1^Other||202611301000\rPR1|2||V44.5^Kyphoplasty L2||202612011100";
    const Mapped result = mapped(two);
    CHECK(result.discharge->procedure == "kyphoplasty");
    CHECK(result.discharge->procedureAt == sys_days{year{2026} / 12 / 1} + 11h);
    CHECK(result.discharge->levels == std::vector<std::string>{"L2"});
  }
}

TEST_CASE("the discharge time falls back from PV1-45 to EVN-6 - EVN-2 and MSH-7") {
  const auto at = [](int hour, int minute) {
    return sys_days{year{2026} / 12 / 2} + std::chrono::hours{hour} + std::chrono::minutes{minute};
  };
  samples::Adt adt;
  adt.dischargedAt = "";
  adt.evn = "EVN|A03|202612020834||||202612020815";
  CHECK(mapped(adt).discharge->dischargedAt == at(8, 15));
  adt.evn = "EVN|A03|202612020834";
  CHECK(mapped(adt).discharge->dischargedAt == at(8, 34));
  adt.evn = "";
  CHECK(mapped(adt).discharge->dischargedAt == at(8, 35));
  adt.dischargedAt = "20261202083000+0100";
  CHECK(mapped(adt).discharge->dischargedAt == at(7, 30));

  SUBCASE("a bad time is AE 102 where it is; none at all is AE 101") {
    adt.dischargedAt = "2026120";
    CHECK(refusalOf(mapped(adt)) == "AE 102 PV1^1^45");
    adt.dischargedAt = "";
    adt.evn = "EVN|A03|soon";
    CHECK(refusalOf(mapped(adt)) == "AE 102 EVN^1^2");
    adt.evn = "";
    adt.sentAt = "";
    CHECK(refusalOf(mapped(adt)) == "AE 101 PV1^1^45");
  }
}

TEST_CASE(
    "the external id is the same for a resend with a new control id - and differs per visit") {
  samples::Adt first;
  samples::Adt resent;
  resent.controlId = "MSG00099";
  resent.sentAt = "202612020850";
  CHECK(mapped(first).discharge->externalId == mapped(resent).discharge->externalId);

  samples::Adt noVisit;
  noVisit.visit = "";
  CHECK(mapped(noVisit).discharge->externalId == "hl7:PAS/patient/RRV123456/2026-12-02T08:30:00Z");
  CHECK(visitKey("A/B", std::string("1%/2"), "x") == "hl7:A%2FB/visit/1%25%2F2/");
}

TEST_CASE("A13 cancels the discharge of the same visit") {
  samples::Adt discharge;
  samples::Adt cancel;
  cancel.trigger = "A13";
  cancel.evn = "EVN|A13|202612020840";
  const Mapped result = mapped(cancel);
  REQUIRE(result.kind == Kind::kCancel);
  REQUIRE(result.cancellation);
  CHECK(result.cancellation->visitKey == "hl7:PAS/visit/V0001/");
  CHECK(result.cancellation->externalId == mapped(discharge).discharge->externalId);
  CHECK(result.cancellation->hospitalNumber == "RRV123456");
  CHECK(ackOutcome(result).code == AckCode::kAccept);

  cancel.dischargedAt = "";
  CHECK_FALSE(mapped(cancel).cancellation->externalId);
  cancel.location = "ELSEWHERE";  // cancelling needs no ward
  CHECK(mapped(cancel).kind == Kind::kCancel);
}

TEST_CASE("other trigger events are acknowledged and ignored") {
  for (const std::string trigger : {"A01", "A08", "A16", "A04"}) {
    samples::Adt adt;
    adt.trigger = trigger;
    const Mapped result = mapped(adt);
    CHECK(result.kind == Kind::kIgnore);
    CHECK(result.triggerEvent == trigger);
    CHECK(ackOutcome(result).code == AckCode::kAccept);
  }
  SUBCASE("EVN-1 names the event only when MSH-9.2 is empty") {
    samples::Adt adt;
    adt.trigger = "";
    adt.evn = "EVN|A03|202612020834";
    CHECK(mapped(adt).kind == Kind::kPrint);
    adt.trigger = "A08";  // real feeds carry a wrong EVN-1
    CHECK(mapped(adt).kind == Kind::kIgnore);
  }
}

TEST_CASE("content that can never print is AE - unsupported processing id or version is AR") {
  const auto with = [](auto change) {
    samples::Adt adt;
    change(adt);
    return refusalOf(mapped(adt));
  };
  CHECK(with([](samples::Adt& a) { a.location = "ELSEWHERE^1"; }) == "AE 103 PV1^1^3");
  CHECK(with([](samples::Adt& a) { a.location = ""; }) == "AE 101 PV1^1^3");
  CHECK(with([](samples::Adt& a) { a.processingId = "T"; }) == "AR 202 MSH^1^11");
  CHECK(with([](samples::Adt& a) { a.processingId = "D"; }) == "AR 202 MSH^1^11");
  CHECK(with([](samples::Adt& a) { a.version = "2.2"; }) == "AR 203 MSH^1^12");
  CHECK(with([](samples::Adt& a) { a.version = "2.9"; }) == "AR 203 MSH^1^12");
  CHECK(with([](samples::Adt& a) { a.version = ""; }) == "AR 203 MSH^1^12");
  CHECK(with([](samples::Adt& a) { a.messageType = "ORU"; }) == "AE 200 MSH^1^9");

  MappingConfig training = config();
  training.processingIds = {"P", "T"};
  samples::Adt test;
  test.processingId = "T";
  CHECK(mapped(test, training).kind == Kind::kPrint);
}

TEST_CASE("from bytes to ACK: an unmapped ward gets AE with its ERR") {
  samples::Adt adt;
  adt.location = "ELSEWHERE^1";
  const std::string bytes = adt.text();
  const AckStamp stamp{"WP0002", kNow};
  CHECK(buildAck(readHeader(bytes), ackOutcome(mapped(bytes)), stamp) ==
        "MSH|^~\\&|WARDPRINT|RRV|PAS|RRV|20261202090000+0000||ACK^A03^ACK|WP0002|P|2.5\r"
        "MSA|AE|MSG00017\r"
        "ERR||PV1^1^3^1^1|103^PV1-3.1 is not a location wardprint serves^HL70357|E\r");
  adt.processingId = "T";
  CHECK(buildAck(readHeader(adt.text()), ackOutcome(mapped(adt)), stamp) ==
        "MSH|^~\\&|WARDPRINT|RRV|PAS|RRV|20261202090000+0000||ACK^A03^ACK|WP0002|T|2.5\r"
        "MSA|AR|MSG00017\r"
        "ERR||MSH^1^11|202^unsupported processing id^HL70357|E\r");
}

TEST_CASE("from bytes to ACK: bad bytes in a v2.3 message get AE in the pre-2.5 style") {
  samples::Adt adt;
  adt.version = "2.3";
  adt.charset = "UNICODE UTF-8";
  adt.pid5 = "Zo\xEB";
  const std::string bytes = adt.text();
  const ParseResult parsed = parseMessage(bytes, Charset::kLatin1);
  REQUIRE(parsed.error);
  CHECK(buildAck(readHeader(bytes), ackOutcome(*parsed.error), {"WP0003", kNow}) ==
        "MSH|^~\\&|WARDPRINT|RRV|PAS|RRV|20261202090000+0000||ACK^A03^ACK|WP0003|P|2.3\r"
        "MSA|AE|MSG00017|PID-5 has bytes that are not valid UNICODE UTF-8\r"
        "ERR|PID^1^5^102&PID-5 has bytes that are not valid UNICODE UTF-8&HL70357\r");
}

TEST_CASE("parse errors map to AR when not HL7 - AE when the bytes are bad") {
  const ParseResult notHl7 = parseMessage("hello", Charset::kLatin1);
  const AckOutcome reject = ackOutcome(*notHl7.error);
  CHECK(reject.code == AckCode::kReject);
  CHECK(reject.error->code == 100);

  samples::Adt adt;
  adt.charset = "UNICODE UTF-8";
  adt.pid5 = "Zo\xEB";
  const ParseResult badBytes = parseMessage(adt.text(), Charset::kLatin1);
  const AckOutcome error = ackOutcome(*badBytes.error);
  CHECK(error.code == AckCode::kError);
  CHECK(error.error->code == 102);
  CHECK(error.error->segment == "PID");
  CHECK(error.error->field == 5);
  CHECK(storageFailure().code == AckCode::kReject);
  CHECK(storageFailure().error->code == 207);
}

TEST_CASE("an unknown time zone in config is a config error naming the key") {
  MappingConfig settings = config();
  settings.timezone = "Mars/Olympus";
  CHECK_THROWS_WITH_AS(mapped(samples::Adt{}, settings), doctest::Contains("hl7.timezone"),
                       util::ConfigError);
}

TEST_CASE("config is checked against the deployment's wards - naming the key") {
  const std::set<std::string> wards{"ward-7", "ward-8"};
  CHECK_NOTHROW(validateMappingConfig(config(), wards));
  const struct {
    void (*change)(MappingConfig&);
    const char* key;
  } cases[] = {
      {[](MappingConfig& c) { c.timezone = "Europe/Lundun"; }, "hl7.timezone"},
      {[](MappingConfig& c) { c.processingIds.clear(); }, "hl7.processing_ids"},
      {[](MappingConfig& c) { c.maxAge = std::chrono::hours{0}; }, "hl7.max_age_hours"},
      {[](MappingConfig& c) { c.locations["X1"] = "ward-9"; }, "hl7.locations.X1"},
      {[](MappingConfig& c) { c.defaultProcedures["ward-9"] = "kyphoplasty"; },
       "wards.ward-9.default_procedure"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.key);
    MappingConfig settings = config();
    c.change(settings);
    CHECK_THROWS_WITH_AS(validateMappingConfig(settings, wards), doctest::Contains(c.key),
                         util::ConfigError);
  }
}

TEST_CASE("spinal levels are read from procedure text in head-to-tail order") {
  CHECK(spinalLevels("Vertebroplasty L1 and T12") == std::vector<std::string>{"T12", "L1"});
  CHECK(spinalLevels("t11, T11, l2/L3") == std::vector<std::string>{"T11", "L2", "L3"});
  CHECK(spinalLevels("T13 C8 L0 XT12 T1a S1") == std::vector<std::string>{"S1"});
  CHECK(spinalLevels("").empty());
}

}  // namespace wardprint::hl7
