#include "pdf/text_flow.h"

#include <doctest/doctest.h>

#include "fixed_width_measurer.h"

using namespace wardprint::pdf;
using wardprint::leaflet::RichText;

namespace {

std::vector<std::string> lineTexts(const std::vector<Line>& lines) {
  std::vector<std::string> out;
  for (const auto& line : lines) {
    std::string text;
    for (const auto& fragment : line.fragments) text += fragment.text;
    out.push_back(text);
  }
  return out;
}

const FixedWidthMeasurer kMeasurer;

}  // namespace

TEST_CASE("words wrap at spaces to fit the width") {
  // At size 10 each character is 5 points: 50 points hold 10 characters.
  const auto lines = wrapText({{"one two three four", false}}, 50, 10, false, kMeasurer);
  CHECK(lineTexts(lines) == std::vector<std::string>{"one two", "three four"});
  CHECK(lines[0].width == doctest::Approx(35));
}

TEST_CASE("runs of spaces count as one and edges are trimmed") {
  const auto lines = wrapText({{"  a    b  ", false}}, 100, 10, false, kMeasurer);
  CHECK(lineTexts(lines) == std::vector<std::string>{"a b"});
}

TEST_CASE("a word wider than a line is broken between characters") {
  const auto lines =
      wrapText({{"ab abcdefghijklmnopqrstuvwxy z", false}}, 50, 10, false, kMeasurer);
  CHECK(lineTexts(lines) == std::vector<std::string>{"ab", "abcdefghij", "klmnopqrst", "uvwxy z"});
}

TEST_CASE("bold spans become fragments placed after the text before them") {
  const RichText text{{"Call ", false}, {"999", true}, {" now", false}};
  const auto lines = wrapText(text, 200, 10, false, kMeasurer);
  REQUIRE(lines.size() == 1);
  const auto& fragments = lines[0].fragments;
  REQUIRE(fragments.size() == 3);
  CHECK(fragments[0].text == "Call ");
  CHECK(fragments[1].text == "999 ");
  CHECK(fragments[1].bold);
  CHECK(fragments[1].x == doctest::Approx(25));  // "Call " is 5 characters of 5 points
  CHECK(fragments[2].x == doctest::Approx(48));  // plus 3 bold characters of 6 and a space of 5
  CHECK(lines[0].width == doctest::Approx(63));
}

TEST_CASE("a word made of several spans stays together") {
  const RichText text{{"aaaa ", false}, {"999", true}, {",", false}};
  const auto lines = wrapText(text, 30, 10, false, kMeasurer);
  CHECK(lineTexts(lines) == std::vector<std::string>{"aaaa", "999,"});
}

TEST_CASE("a bold style draws every span bold") {
  const auto lines = wrapText({{"Heading", false}}, 200, 10, true, kMeasurer);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].fragments[0].bold);
  CHECK(lines[0].width == doctest::Approx(42));
}

TEST_CASE("empty text has no lines") {
  CHECK(wrapText({}, 100, 10, false, kMeasurer).empty());
  CHECK(wrapText({{"   ", false}}, 100, 10, false, kMeasurer).empty());
}

TEST_CASE("a line never ends at a non-breaking space") {
  // At size 10 each character, the no-break space included, is 5 points wide.
  struct Case {
    std::string text;
    std::string keptWhole;
  };
  const Case cases[] = {
      {"for about 2\u00A0weeks after", "2\u00A0weeks"},
      {"call 0114\u00A0271\u00A05432 now", "0114\u00A0271\u00A05432"},
      {"from 2\u00A0to\u00A03\u00A0weeks", "2\u00A0to\u00A03\u00A0weeks"},
  };
  for (const auto& c : cases) {
    // Every width from a dozen characters to the whole text, so the break falls everywhere.
    for (double width = 5 * 14; width <= 5 * 40; width += 5) {
      CAPTURE(c.text);
      CAPTURE(width);
      const auto lines = lineTexts(wrapText({{c.text, false}}, width, 10, false, kMeasurer));
      bool whole = false;
      for (const auto& line : lines) whole = whole || line.find(c.keptWhole) != std::string::npos;
      CHECK(whole);
    }
  }
}
