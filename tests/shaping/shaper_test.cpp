#include "shaping/shaper.h"

#include <doctest/doctest.h>

#include <set>

using wardprint::shaping::Line;
using wardprint::shaping::notoFaces;
using wardprint::shaping::PathStep;
using wardprint::shaping::Shaper;

namespace {

Line shape(const char* text, const char* language = "en-GB") {
  static const Shaper shaper(notoFaces());
  return shaper.shape(text, 12, language);
}

std::size_t glyphCount(const Line& line) {
  std::size_t n = 0;
  for (const auto& run : line.runs) n += run.glyphs.size();
  return n;
}

}  // namespace

TEST_CASE("names in each script shape with no unprintable character and an outline") {
  const char* names[] = {"محمد", "مهرنوش‌زاده", "כֹּהֵן-לוי", "श्रीमती", "สมชาย", "Nguyễn Thị Ánh",
                         "张无忌", "山﨑", "김민준", "Zoë"};
  for (const char* name : names) {
    CAPTURE(name);
    const auto line = shape(name);
    CHECK(line.unprintable.empty());
    CHECK(line.width > 0);
    CHECK_FALSE(line.outline.empty());
    for (const auto& run : line.runs) CHECK(run.width > 0);
  }
}

TEST_CASE("Arabic letters join so the same letter takes different glyphs") {
  // Meem starts and ends محمد: initial and final forms are different glyphs.
  const auto line = shape("محمد");
  REQUIRE(line.runs.size() == 1);
  CHECK(line.runs[0].rightToLeft);
  REQUIRE(line.runs[0].glyphs.size() == 4);
  // Visual order: the last letter (dal) is leftmost, the first meem is rightmost.
  const auto& glyphs = line.runs[0].glyphs;
  CHECK(glyphs[1] != glyphs[3]);
}

TEST_CASE("a Latin name beside a Hebrew one keeps each run in visual order") {
  const auto line = shape("Anna כהן");
  REQUIRE(line.runs.size() == 2);
  CHECK(line.runs[0].text == "Anna ");
  CHECK_FALSE(line.runs[0].rightToLeft);
  CHECK(line.runs[1].text == "כהן");
  CHECK(line.runs[1].rightToLeft);
  CHECK(line.runs[1].x == doctest::Approx(line.runs[0].width));

  // The line is left to right, so spaces after a right-to-left name stay on its right.
  const auto rtlFirst = shape("כהן Anna");
  REQUIRE(rtlFirst.runs.size() == 2);
  CHECK(rtlFirst.runs[0].text == "כהן");
  CHECK(rtlFirst.runs[0].rightToLeft);
  CHECK(rtlFirst.runs[1].text == " Anna");
  const auto twoWords = shape("محمد عبد  ");
  REQUIRE(twoWords.runs.size() == 2);
  CHECK(twoWords.runs[0].text == "محمد عبد");
  CHECK(twoWords.runs[1].text == "  ");
}

TEST_CASE("Devanagari forms a conjunct so glyphs are fewer than characters") {
  const auto line = shape("श्री");  // sha virama ra ii: 4 characters
  CHECK(glyphCount(line) < 4);
}

TEST_CASE("Han characters take the face of the patient's language") {
  const auto japanese = shape("山﨑", "ja");
  const auto chinese = shape("张无忌", "zh-CN");
  const auto korean = shape("김민준", "ko");
  REQUIRE(japanese.runs.size() == 1);
  REQUIRE(chinese.runs.size() == 1);
  REQUIRE(korean.runs.size() == 1);
  CHECK(japanese.runs[0].faceIndex == 0);
  CHECK(chinese.runs[0].faceIndex == 2);
  CHECK(korean.runs[0].faceIndex == 1);
  CHECK(shape("山", "zh-TW").runs[0].faceIndex == 3);
}

TEST_CASE("characters no face can print are named") {
  const auto ethiopic = shape("ሰላም Tesfaye");
  CHECK(ethiopic.unprintable == std::vector<char32_t>{U'ሰ', U'ላ', U'ም'});
}

TEST_CASE("a mark with no base is named rather than drawn on a dotted circle") {
  CHECK(shape("\u093F\u0915").unprintable == std::vector<char32_t>{U'\u093F'});  // i-matra first
}

TEST_CASE("an outline is closed paths starting with a move") {
  const auto line = shape("ก");
  REQUIRE_FALSE(line.outline.empty());
  CHECK(line.outline.front().kind == PathStep::Kind::Move);
  CHECK(line.outline.back().kind == PathStep::Kind::Close);
  for (const auto& step : line.outline) {
    CHECK(step.x >= -1);
    CHECK(step.x <= line.width + 1);
  }
}

TEST_CASE("only text outside one-glyph-per-character scripts needs shaping") {
  using wardprint::shaping::needsShaping;
  const char* fastPath[] = {"Zoë Łukasiewicz-Ørsted", "Παπαδόπουλος", "Иванова", "Nguyễn", "O'Brien 12 (Jr.)"};
  for (const char* text : fastPath) {
    CAPTURE(text);
    CHECK_FALSE(needsShaping(text));
  }
  const char* shaped[] = {"محمد", "כהן", "श्रीमती", "สมชาย", "张无忌", "Zoe\u0308", "Anna כהן"};
  for (const char* text : shaped) {
    CAPTURE(text);
    CHECK(needsShaping(text));
  }
}

TEST_CASE("bold faces shape too") {
  static const Shaper bold(notoFaces(true));
  const auto line = bold.shape("محمد 张", 12, "zh");
  CHECK(line.unprintable.empty());
  REQUIRE(line.runs.size() == 2);
  CHECK(line.runs[0].faceFile.find("Bold") != std::string::npos);
}
