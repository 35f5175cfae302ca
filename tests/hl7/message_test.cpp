#include "hl7/message.h"

#include <doctest/doctest.h>

#include "hl7_samples.h"

namespace wardprint::hl7 {
namespace {

Message parsed(const std::string& text, Charset fallback = Charset::kLatin1) {
  ParseResult result = parseMessage(text, fallback);
  if (result.error) FAIL("parse failed: " << result.error->reason);
  REQUIRE(result.message);
  return std::move(*result.message);
}

ParseError failed(const std::string& text, Charset fallback = Charset::kLatin1) {
  ParseResult result = parseMessage(text, fallback);
  REQUIRE_FALSE(result.message);
  REQUIRE(result.error);
  return *result.error;
}

}  // namespace

TEST_CASE("fields - repetitions - components and subcomponents use HL7's 1-based numbers") {
  samples::Adt adt;
  adt.pid5 = "van Dijk&van&Dijk^Anna^Maria^^^^L~Dijk^Ann^^^^^D";
  const Message message = parsed(adt.text());
  CHECK(message.segments().size() == 5);
  CHECK(message.field("MSH", 1).text() == "|");
  CHECK(message.field("MSH", 2).text() == "^~\\&");
  CHECK(message.field("MSH", 3).text() == "PAS");
  CHECK(message.component("MSH", 9, 2) == "A03");
  CHECK(message.field("MSH", 10).text() == "MSG00017");

  const Field& pid3 = message.field("PID", 3);
  CHECK(pid3.repetitionCount() == 2);
  CHECK(pid3.component(1, 1, 2) == "9434765919");
  CHECK(pid3.component(5, 1, 2) == "NH");
  CHECK(pid3.component(1, 1, 3).empty());
  CHECK(message.component("PID", 5, 1, 2) == "van");
  CHECK(message.component("PID", 5, 1, 3) == "Dijk");
  CHECK(message.field("PID", 5).component(2, 1, 2) == "Ann");
  CHECK(message.component("PV1", 3, 2) == "Bay 2");
  CHECK(message.component("PV1", 99, 1).empty());
  CHECK(message.component("ZZZ", 1, 1).empty());
  CHECK(message.field("PID", 30).empty());
  CHECK(message.segment("PR1") != nullptr);
  CHECK(message.segment("PR1", 2) == nullptr);
}

TEST_CASE("segments may end in CR - LF or CRLF - with blank lines between") {
  for (const std::string end : {"\r", "\n", "\r\n", "\r\n\r\n"}) {
    CAPTURE(end.size());
    samples::Adt adt;
    adt.end = end;
    const Message message = parsed(adt.text());
    CHECK(message.segments().size() == 5);
    CHECK(message.component("PV1", 45, 1) == "202612020830");
  }
}

TEST_CASE("a message's own delimiters are used - not the usual ones") {
  const Message message =
      parsed("MSH#!*$@#PAS#RRV#####ADT!A03#1#P#2.4\rPID#1##12^34@x*56##O$F$Brien!Pat\r");
  CHECK(message.delimiters().field == '#');
  CHECK(message.field("MSH", 2).text() == "!*$@");
  CHECK(message.component("MSH", 9, 2) == "A03");
  CHECK(message.field("PID", 3).component(1) == "12^34");
  CHECK(message.field("PID", 3).component(1, 2) == "x");
  CHECK(message.field("PID", 3).component(1, 1, 2) == "56");
  CHECK(message.component("PID", 5, 1) == "O#Brien");
  CHECK(message.component("PID", 5, 2) == "Pat");
}

TEST_CASE("escapes inside fields are replaced after splitting") {
  samples::Adt adt;
  adt.pid5 = "O\\F\\Brien\\T\\Sons\\S\\x^Ann\\E\\Marie^^^^^L";
  const Message message = parsed(adt.text());
  CHECK(message.component("PID", 5, 1) == "O|Brien&Sons^x");
  CHECK(message.component("PID", 5, 2) == "Ann\\Marie");
}

TEST_CASE("names convert to UTF-8 from the message's charset") {
  SUBCASE("UNICODE UTF-8") {
    samples::Adt adt;
    adt.charset = "UNICODE UTF-8";
    adt.pid5 = "\xC5\x81ukasiewicz^Zo\xC3\xAB^^^^^L";
    const Message message = parsed(adt.text());
    CHECK(message.charset() == Charset::kUtf8);
    CHECK(message.component("PID", 5, 1) == "\xC5\x81ukasiewicz");
    CHECK(message.component("PID", 5, 2) == "Zo\xC3\xAB");
  }
  SUBCASE("8859/1 named in MSH-18, and as the default when MSH-18 is empty") {
    for (const std::string charset : {"8859/1", ""}) {
      samples::Adt adt;
      adt.charset = charset;
      adt.pid5 = "Smith^Zo\xEB^^^^^L";
      CHECK(parsed(adt.text(), Charset::kLatin1).component("PID", 5, 2) == "Zo\xC3\xAB");
    }
  }
  SUBCASE("a hex escape's bytes are in the message's charset") {
    samples::Adt adt;
    adt.charset = "8859/1";
    adt.pid5 = "Smith^Zo\\XEB\\^^^^^L";
    CHECK(parsed(adt.text()).component("PID", 5, 2) == "Zo\xC3\xAB");
    adt.charset = "UNICODE UTF-8";
    CHECK(failed(adt.text()).kind == ParseError::Kind::kCharset);
    adt.pid5 = "Smith^Zo\\XC3AB\\^^^^^L";
    CHECK(parsed(adt.text()).component("PID", 5, 2) == "Zo\xC3\xAB");
  }
}

TEST_CASE("bytes invalid in the declared charset are an error naming the field - not mojibake") {
  samples::Adt adt;
  adt.charset = "UNICODE UTF-8";
  adt.pid5 = "Smith^Zo\xEB^^^^^L";
  const ParseError error = failed(adt.text());
  CHECK(error.kind == ParseError::Kind::kCharset);
  CHECK(error.segment == "PID");
  CHECK(error.sequence == 1);
  CHECK(error.field == 5);
  CHECK(error.reason.find("Zo") == std::string::npos);

  SUBCASE("the default charset applies when MSH-18 is empty") {
    adt.charset = "";
    CHECK(failed(adt.text(), Charset::kUtf8).field == 5);
  }
}

TEST_CASE("an unsupported MSH-18 is an error at MSH-18") {
  samples::Adt adt;
  adt.charset = "ISO IR87";
  const ParseError error = failed(adt.text());
  CHECK(error.kind == ParseError::Kind::kCharset);
  CHECK(error.segment == "MSH");
  CHECK(error.field == 18);
}

TEST_CASE("malformed input gives a reason - never a crash") {
  const struct {
    std::string text;
    ParseError::Kind kind;
  } cases[] = {
      {"", ParseError::Kind::kStructure},
      {"\r\n\r\n", ParseError::Kind::kStructure},
      {"hello world", ParseError::Kind::kStructure},
      {"PID|1||123\rMSH|^~\\&|A", ParseError::Kind::kStructure},
      {"MSH|^~\\", ParseError::Kind::kStructure},
      {"MSH|^~\\&&|A", ParseError::Kind::kStructure},  // repeated encoding character
      {"MSH|^~\\&abc|A", ParseError::Kind::kStructure},
      {"MSHA^~\\&|A", ParseError::Kind::kStructure},
      {"MSH|^~\\&|A\rpid|1", ParseError::Kind::kStructure},
      {"MSH|^~\\&|A\rPI|1", ParseError::Kind::kStructure},
      {"MSH|^~\\&|A\rMSH|^~\\&|B", ParseError::Kind::kStructure},
      {"MSH|^~\\&|A\rPID|1||\\Zx\\", ParseError::Kind::kEscape},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    ParseResult result = parseMessage(c.text, Charset::kLatin1);
    REQUIRE(result.error);
    CHECK_FALSE(result.message);
    CHECK(result.error->kind == c.kind);
    CHECK_FALSE(result.error->reason.empty());
  }
}

TEST_CASE("a minimal MSH parses - with a UTF-8 byte order mark and leading blank lines") {
  CHECK(parsed("MSH|^~\\&").segments().size() == 1);
  CHECK(parsed("\xEF\xBB\xBFMSH|^~\\&|A").field("MSH", 3).text() == "A");
  CHECK(parsed("\r\nMSH|^~\\&|A\r\n").field("MSH", 3).text() == "A");
  CHECK(parsed("MSH|^~\\&#|A").delimiters().subcomponent == '&');  // v2.7 truncation character
}

}  // namespace wardprint::hl7
