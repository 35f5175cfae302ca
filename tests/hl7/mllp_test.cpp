#include "hl7/mllp.h"

#include <doctest/doctest.h>

namespace wardprint::hl7 {
namespace {

using Kind = MllpEvent::Kind;

const std::string kMessage = "MSH|^~\\&|PAS\rPID|1||123\r";

std::string frame(const std::string& payload) { return "\x0B" + payload + "\x1C\x0D"; }

// Everything the decoder reports for `input` fed in one go.
std::vector<MllpEvent> decodeAll(MllpDecoder& decoder, const std::string& input) {
  return decoder.feed(input);
}

}  // namespace

TEST_CASE("a frame split at every possible point decodes to one message") {
  const std::string bytes = frame(kMessage);
  for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
    CAPTURE(cut);
    MllpDecoder decoder(1024);
    std::vector<MllpEvent> events = decoder.feed(bytes.substr(0, cut));
    CHECK(decoder.insideFrame() == (cut > 0 && cut < bytes.size() - 1));
    for (MllpEvent& event : decoder.feed(bytes.substr(cut))) events.push_back(std::move(event));
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == Kind::kFrame);
    CHECK(events[0].payload == kMessage);
    CHECK_FALSE(decoder.insideFrame());
  }
}

TEST_CASE("a frame fed one byte at a time decodes") {
  MllpDecoder decoder(1024);
  std::vector<MllpEvent> events;
  for (const char c : frame(kMessage)) {
    for (MllpEvent& event : decoder.feed(std::string(1, c))) events.push_back(std::move(event));
  }
  REQUIRE(events.size() == 1);
  CHECK(events[0].payload == kMessage);
}

TEST_CASE(
    "two frames in one buffer, with NULs, white space and blank lines between, give two messages") {
  MllpDecoder decoder(1024);
  const auto events = decodeAll(decoder, std::string("\0\0", 2) + frame("one") +
                                             std::string("\0\r\n \t\r\n", 7) + frame("two") + "\n");
  REQUIRE(events.size() == 2);
  CHECK(events[0].payload == "one");
  CHECK(events[1].payload == "two");
}

TEST_CASE("an end byte without its CR still ends the frame") {
  MllpDecoder decoder(1024);
  const auto events = decodeAll(decoder, "\x0Bone\x1C\x0Btwo\x1C\x0D");
  REQUIRE(events.size() == 2);
  CHECK(events[0].payload == "one");
  CHECK(events[1].payload == "two");
}

TEST_CASE(
    "garbage before a start byte is reported with its size, and the frame after it still decodes") {
  MllpDecoder decoder(1024);
  const auto events = decodeAll(decoder, "GET / HTTP/1.1\r\n" + frame("one"));
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == Kind::kGarbage);
  CHECK(events[0].bytes == 12);  // white space is not counted
  CHECK(events[1].kind == Kind::kFrame);
  CHECK(events[1].payload == "one");

  MllpDecoder trailing(1024);
  const auto after = decodeAll(trailing, frame("one") + "junk");
  REQUIRE(after.size() == 2);
  CHECK(after[1].kind == Kind::kGarbage);
  CHECK(after[1].bytes == 4);
}

TEST_CASE("a frame past the size limit is reported once and skipped - the next frame decodes") {
  MllpDecoder decoder(10);
  CHECK(decodeAll(decoder, frame(std::string(10, 'x'))).at(0).payload == std::string(10, 'x'));

  std::vector<MllpEvent> events = decoder.feed("\x0B" + std::string(11, 'y'));
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == Kind::kOversize);
  CHECK(events[0].bytes == 11);
  CHECK(decoder.insideFrame());
  CHECK(decoder.feed(std::string(100000, 'y')).empty());  // nothing is kept or reported
  events = decoder.feed("\x1C\x0D" + frame("ok"));
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == Kind::kFrame);
  CHECK(events[0].payload == "ok");
}

TEST_CASE("a frame missing its end byte is reported when the next start byte comes") {
  MllpDecoder decoder(1024);
  std::vector<MllpEvent> events = decoder.feed("\x0Bhalf a message");
  CHECK(events.empty());
  CHECK(decoder.insideFrame());  // the listener sees this at close or idle timeout
  events = decoder.feed(frame("whole"));
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == Kind::kUnterminated);
  CHECK(events[0].bytes == 14);
  CHECK(events[1].payload == "whole");
}

TEST_CASE("the encoder frames an answer the decoder reads back") {
  CHECK(encodeMllpFrame("MSA|AA|1\r") == "\x0BMSA|AA|1\r\x1C\x0D");
  MllpDecoder decoder(1024);
  CHECK(decoder.feed(encodeMllpFrame(kMessage)).at(0).payload == kMessage);
}

}  // namespace wardprint::hl7
