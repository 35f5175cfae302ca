#include "hl7/ack.h"

#include <doctest/doctest.h>

#include "hl7/message.h"
#include "hl7_samples.h"

namespace wardprint::hl7 {
namespace {

using namespace std::chrono_literals;

const AckStamp kStamp{"WP0001", date::sys_days{date::year{2026} / 12 / 2} + 9h + 5s};
const AckError kNoPid3{101, "PID-3 has no hospital number", "PID", 1, 3, 0};

Header headerOf(const samples::Adt& adt) { return readHeader(adt.text()); }

}  // namespace

TEST_CASE("the header is read loosely - re-written with standard delimiters") {
  const Header header =
      readHeader("MSH#!*$@#PAS!X#RRV#WP#H1#2026##ADT!A03!ADT_A03#C1^x#P#2.4###AL#NE\rPID#garbage");
  CHECK(header.readable);
  CHECK(header.sendingApplication == "PAS^X");
  CHECK(header.receivingFacility == "H1");
  CHECK(header.messageType == "ADT");
  CHECK(header.triggerEvent == "A03");
  CHECK(header.controlId == "C1\\S\\x");  // a literal ^ becomes an escape
  CHECK(header.version == "2.4");
  CHECK(header.acceptAckType == "AL");
  CHECK(header.applicationAckType == "NE");
  CHECK_FALSE(readHeader("not hl7").readable);
  CHECK_FALSE(readHeader("").readable);
  CHECK(readHeader("MSH|^~\\&|P\xC3\xA5S").sendingApplication == "P??S");
}

TEST_CASE("a message's empty MSH-18 is filled with the charset it was read in, so it reads the same again") {
  const std::string msh = "MSH|^~\\&|PAS|RRV|WP|H1|2026||ADT^A03|C1|P|2.5";
  const struct {
    std::string message;
    Charset charset;
    std::string declared;
  } cases[] = {
      {msh + "\rPID|1", Charset::kLatin1, msh + "||||||8859/1\rPID|1"},
      {msh + "\n", Charset::kUtf8, msh + "||||||UNICODE UTF-8\n"},
      {msh + "|||AL|NE|||EN\r", Charset::kUtf8, msh + "|||AL|NE||UNICODE UTF-8|EN\r"},
      {msh + "||||||ASCII\r", Charset::kLatin1, msh + "||||||ASCII\r"},  // declared already
      {msh + "|||AL|NE||8859/1", Charset::kUtf8, msh + "|||AL|NE||8859/1"},
      {"not hl7", Charset::kUtf8, "not hl7"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.message);
    CHECK(withCharsetDeclared(c.message, c.charset) == c.declared);
  }
  const auto latin1 = withCharsetDeclared(msh + "\rPID|1||H1||M\xFCller^J\xFCrgen\r", Charset::kLatin1);
  const auto read = parseMessage(latin1, Charset::kUtf8);  // another interface's default
  REQUIRE(read.message);
  CHECK(read.message->component("PID", 5, 1) == "M\xC3\xBCller");
}

TEST_CASE("versions compare by number") {
  CHECK(versionAtLeast("2.5", 2, 5));
  CHECK(versionAtLeast("2.5.1", 2, 5));
  CHECK(versionAtLeast("2.10", 2, 5));
  CHECK_FALSE(versionAtLeast("2.4", 2, 5));
  CHECK_FALSE(versionAtLeast("2.3.1", 2, 5));
  CHECK(versionAtLeast("", 2, 5));
}

TEST_CASE("exact ACK bytes: original and enhanced mode - ERR before and from v2.5") {
  const std::string msh =
      "MSH|^~\\&|WARDPRINT|RRV|PAS|RRV|20261202090005+0000||ACK^A03^ACK|WP0001|P|";
  const AckError storage{207, "could not store", "", 1, 0, 0};
  const struct {
    const char* what;
    std::string version, acceptAck, appAck;
    AckCode code;
    const AckError* error;  // a pointer: GCC 12 misreads std::optional in a table
    std::string ack;
  } cases[] = {
      {"original AA", "2.5", "", "", AckCode::kAccept, nullptr, msh + "2.5\rMSA|AA|MSG00017\r"},
      {"v2.8 AE: ERR-2, ERR-3, ERR-4", "2.8", "", "", AckCode::kError, &kNoPid3,
       msh + "2.8\rMSA|AE|MSG00017\rERR||PID^1^3|101^PID-3 has no hospital number^HL70357|E\r"},
      {"v2.3 AE: MSA-3 and ERR-1", "2.3", "", "", AckCode::kError, &kNoPid3,
       msh + "2.3\rMSA|AE|MSG00017|PID-3 has no hospital number\r"
             "ERR|PID^1^3^101&PID-3 has no hospital number&HL70357\r"},
      {"enhanced CA", "2.5", "AL", "NE", AckCode::kAccept, nullptr, msh + "2.5\rMSA|CA|MSG00017\r"},
      {"enhanced CR without a location", "2.5", "AL", "NE", AckCode::kReject, &storage,
       msh + "2.5\rMSA|CR|MSG00017\rERR|||207^could not store^HL70357|E\r"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    samples::Adt adt;
    adt.version = c.version;
    adt.acceptAck = c.acceptAck;
    adt.appAck = c.appAck;
    const AckOutcome outcome{c.code, c.error ? std::optional<AckError>(*c.error) : std::nullopt};
    CHECK(buildAck(headerOf(adt), outcome, kStamp) == c.ack);
  }
}

TEST_CASE("MSH-15 decides whether an enhanced-mode ACK is sent") {
  const struct {
    std::string acceptAck, appAck;
    bool onAccept, onError;
  } cases[] = {
      {"", "", true, true},  // original mode: always
      {"AL", "", true, true},  {"NE", "AL", false, false}, {"ER", "", false, true},
      {"SU", "", true, false}, {"", "AL", true, true},     {"XX", "", true, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.acceptAck);
    Header header;
    header.acceptAckType = c.acceptAck;
    header.applicationAckType = c.appAck;
    CHECK(wantsAck(header, AckCode::kAccept) == c.onAccept);
    CHECK(wantsAck(header, AckCode::kError) == c.onError);
    CHECK(wantsAck(header, AckCode::kReject) == c.onError);
  }
}

TEST_CASE("an unreadable message still gets a minimal AR") {
  const AckError unreadable{100, "the message does not start with an MSH segment", "", 1, 0, 0};
  CHECK(buildAck(readHeader("\x01\x02 binary"), {AckCode::kReject, unreadable}, kStamp) ==
        "MSH|^~\\&|||||20261202090005+0000||ACK|WP0001|P|2.5\r"
        "MSA|AR|\r"
        "ERR|||100^the message does not start with an MSH segment^HL70357|E\r");
}

TEST_CASE("text and ids with delimiters are escaped in the ACK") {
  samples::Adt adt;
  adt.version = "2.4";
  const AckError error{102, "a|b^c\x01\n", "PV1", 1, 45, 0};
  const std::string ack = buildAck(headerOf(adt), {AckCode::kError, error}, {"id|1", kStamp.now});
  CHECK(ack.find("|id\\F\\1|") != std::string::npos);
  CHECK(ack.find("MSA|AE|MSG00017|a\\F\\b\\S\\c??\r") != std::string::npos);
  CHECK(ack.find("ERR|PV1^1^45^102&a\\F\\b\\S\\c??&HL70357\r") != std::string::npos);
}

}  // namespace wardprint::hl7
