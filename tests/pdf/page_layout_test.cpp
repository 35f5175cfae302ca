#include "pdf/page_layout.h"

#include <doctest/doctest.h>

#include "fixed_width_measurer.h"

using namespace wardprint::pdf;
using namespace wardprint::leaflet;

namespace {

const FixedWidthMeasurer kMeasurer;

Layout smallPageLayout() {
  Layout layout;
  layout.page = {300, 400, 20};  // a small page: 260 points wide, a few lines tall
  layout.styles.title = {FontRole::kBold, 14, 1.2, 0, 4};
  layout.styles.heading = {FontRole::kBold, 12, 1.2, 8, 2};
  layout.styles.body = {FontRole::kRegular, 10, 1.4, 0, 4};
  layout.styles.margin = {FontRole::kRegular, 8, 1.2, 0, 0};
  return layout;
}

LeafletBlock block(BlockKind kind, std::string text) {
  return LeafletBlock{kind, {RichText{{std::move(text), false}}}, {}, {}};
}

Leaflet leafletWith(std::vector<LeafletBlock> blocks) {
  Leaflet leaflet;
  leaflet.header = {{"Patient Name", true}};
  leaflet.footer = {{"Page {page.number} of {page.count}", false}};
  leaflet.blocks = std::move(blocks);
  return leaflet;
}

std::vector<std::string> textsOn(const PageContent& page) {
  std::vector<std::string> out;
  for (const auto& text : page.texts) out.push_back(text.text);
  return out;
}

bool contains(const PageContent& page, const std::string& text) {
  for (const auto& op : page.texts) {
    if (op.text.find(text) != std::string::npos) return true;
  }
  return false;
}

std::vector<LeafletBlock> paragraphs(int count) {
  std::vector<LeafletBlock> blocks;
  for (int i = 0; i < count; ++i) blocks.push_back(block(BlockKind::kParagraph, "Paragraph " + std::to_string(i)));
  return blocks;
}

}  // namespace

TEST_CASE("every page has the header and its own page number of the total") {
  const auto pages = layoutPages(leafletWith(paragraphs(40)), smallPageLayout(), kMeasurer);
  REQUIRE(pages.size() > 2);
  for (std::size_t n = 0; n < pages.size(); ++n) {
    CAPTURE(n);
    CHECK(contains(pages[n], "Patient Name"));
    CHECK(contains(pages[n], "Page " + std::to_string(n + 1) + " of " + std::to_string(pages.size())));
  }
}

TEST_CASE("content stays between the header and the footer") {
  const auto layout = smallPageLayout();
  const auto pages = layoutPages(leafletWith(paragraphs(40)), layout, kMeasurer);
  for (const auto& page : pages) {
    for (const auto& text : page.texts) {
      if (text.text.rfind("Paragraph", 0) != 0) continue;
      CHECK(text.y > layout.page.margin + 10);
      CHECK(text.y < layout.page.height - layout.page.margin - 10);
    }
  }
}

TEST_CASE("a heading is never the last thing on a page") {
  // Fill the page so that only the heading would fit at its foot, whatever the page holds.
  for (int filler = 10; filler < 22; ++filler) {
    CAPTURE(filler);
    auto blocks = paragraphs(filler);
    blocks.push_back(block(BlockKind::kHeading, "Heading"));
    blocks.push_back(block(BlockKind::kParagraph, "After the heading"));
    const auto pages = layoutPages(leafletWith(blocks), smallPageLayout(), kMeasurer);
    for (const auto& page : pages) {
      CHECK(contains(page, "Heading") == contains(page, "After the heading"));
    }
  }
}

TEST_CASE("a paragraph leaves no single line at the foot or the head of a page") {
  // A long paragraph after fillers that put its start, then its end, at every position.
  for (int filler = 10; filler < 22; ++filler) {
    CAPTURE(filler);
    auto blocks = paragraphs(filler);
    blocks.push_back(block(BlockKind::kParagraph, std::string(260, 'x') + " end"));
    const auto pages = layoutPages(leafletWith(blocks), smallPageLayout(), kMeasurer);
    for (const auto& page : pages) {
      int lines = 0;
      for (const auto& text : page.texts) lines += text.text.find("xxxx") != std::string::npos || text.text == "end";
      CHECK(lines != 1);
    }
  }
}

TEST_CASE("a box is never split across pages") {
  for (int filler = 8; filler < 20; ++filler) {
    CAPTURE(filler);
    auto box = block(BlockKind::kBox, "Get help");
    box.children = paragraphs(4);
    auto blocks = paragraphs(filler);
    blocks.push_back(box);
    const auto pages = layoutPages(leafletWith(blocks), smallPageLayout(), kMeasurer);
    int pagesWithBoxText = 0;
    for (const auto& page : pages) {
      const bool hasTitle = contains(page, "Get help");
      if (hasTitle) ++pagesWithBoxText;
      if (hasTitle) CHECK(page.rects.size() == 3);  // two rules and the box
    }
    CHECK(pagesWithBoxText == 1);
  }
}

TEST_CASE("a box taller than a page is an error, not a clipped box") {
  auto box = block(BlockKind::kBox, "Too much");
  box.children = paragraphs(60);
  CHECK_THROWS_AS(layoutPages(leafletWith({box}), smallPageLayout(), kMeasurer), LayoutOverflow);
}

TEST_CASE("bullets are drawn with a bullet and indented text") {
  LeafletBlock bullets{BlockKind::kBullets, {RichText{{"first", false}}, RichText{{"second", false}}}, {}, {}};
  const auto pages = layoutPages(leafletWith({bullets}), smallPageLayout(), kMeasurer);
  REQUIRE(pages.size() == 1);
  const auto texts = textsOn(pages[0]);
  CHECK(std::count(texts.begin(), texts.end(), "\u2022") == 2);
  for (const auto& text : pages[0].texts) {
    if (text.text == "first") CHECK(text.x > smallPageLayout().page.margin + 5);
  }
}

TEST_CASE("details rows put values in a column after the widest label") {
  LeafletBlock details{BlockKind::kDetails, {}, {{{{"Name", false}}, {{"Zoë", false}}},
                                                 {{{"Hospital number", false}}, {{"RHQ1", false}}}}, {}};
  const auto pages = layoutPages(leafletWith({details}), smallPageLayout(), kMeasurer);
  double zoeX = 0, rhqX = 0;
  for (const auto& text : pages[0].texts) {
    if (text.text == "Zoë") zoeX = text.x;
    if (text.text == "RHQ1") rhqX = text.x;
  }
  CHECK(zoeX == doctest::Approx(rhqX));
  CHECK(zoeX >= 20 + 15 * 5);  // margin + "Hospital number" at 5 points a character
}
