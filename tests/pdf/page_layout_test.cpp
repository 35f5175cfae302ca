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
  for (int i = 0; i < count; ++i)
    blocks.push_back(block(BlockKind::kParagraph, "Paragraph " + std::to_string(i)));
  return blocks;
}

}  // namespace

TEST_CASE("every page has the header and its own page number of the total") {
  const auto pages = layoutPages(leafletWith(paragraphs(40)), smallPageLayout(), kMeasurer);
  REQUIRE(pages.size() > 2);
  for (std::size_t n = 0; n < pages.size(); ++n) {
    CAPTURE(n);
    CHECK(contains(pages[n], "Patient Name"));
    CHECK(contains(pages[n],
                   "Page " + std::to_string(n + 1) + " of " + std::to_string(pages.size())));
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
      for (const auto& text : page.texts)
        lines += text.text.find("xxxx") != std::string::npos || text.text == "end";
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
  LeafletBlock bullets{
      BlockKind::kBullets, {RichText{{"first", false}}, RichText{{"second", false}}}, {}, {}};
  const auto pages = layoutPages(leafletWith({bullets}), smallPageLayout(), kMeasurer);
  REQUIRE(pages.size() == 1);
  const auto texts = textsOn(pages[0]);
  CHECK(std::count(texts.begin(), texts.end(), "\u2022") == 2);
  for (const auto& text : pages[0].texts) {
    if (text.text == "first") CHECK(text.x > smallPageLayout().page.margin + 5);
  }
}

TEST_CASE("details rows put values in a column after the widest label") {
  LeafletBlock details{
      BlockKind::kDetails,
      {},
      {{{{"Name", false}}, {{"Zoë", false}}}, {{{"Hospital number", false}}, {{"RHQ1", false}}}},
      {}};
  const auto pages = layoutPages(leafletWith({details}), smallPageLayout(), kMeasurer);
  double zoeX = 0, rhqX = 0;
  for (const auto& text : pages[0].texts) {
    if (text.text == "Zoë") zoeX = text.x;
    if (text.text == "RHQ1") rhqX = text.x;
  }
  CHECK(zoeX == doctest::Approx(rhqX));
  CHECK(zoeX >= 20 + 15 * 5);  // margin + "Hospital number" at 5 points a character
}

namespace {

LeafletBlock group(const std::string& title, int lines, bool emphasis = false) {
  auto out = block(BlockKind::kGroup, title);
  for (int i = 0; i < lines; ++i)
    out.children.push_back(block(BlockKind::kParagraph, title + " sign " + std::to_string(i)));
  out.emphasis = emphasis;
  return out;
}

LeafletBlock warningBox(int groups, int linesEach) {
  auto box = block(BlockKind::kBox, "Get help");
  box.texts.push_back({{"Get help, continued", false}});
  box.children.push_back(group("Call 999", linesEach, true));
  for (int i = 1; i < groups; ++i)
    box.children.push_back(group("Group " + std::to_string(i), linesEach));
  return box;
}

// The pages holding a text that starts with `prefix` (or, when `exact`, is `prefix`).
std::vector<std::size_t> pagesWith(const std::vector<PageContent>& pages, const std::string& prefix,
                                   bool exact = false) {
  std::vector<std::size_t> out;
  for (std::size_t n = 0; n < pages.size(); ++n) {
    const auto& texts = pages[n].texts;
    if (std::any_of(texts.begin(), texts.end(), [&](const TextOp& op) {
          return exact ? op.text == prefix : op.text.rfind(prefix, 0) == 0;
        })) {
      out.push_back(n);
    }
  }
  return out;
}

std::vector<std::size_t> pagesWithText(const std::vector<PageContent>& pages,
                                       const std::string& text) {
  return pagesWith(pages, text, true);
}

// Lays out `filler` short paragraphs, then `after`, on the small page.
std::vector<PageContent> afterFiller(int filler, const std::vector<LeafletBlock>& after) {
  auto blocks = paragraphs(filler);
  blocks.insert(blocks.end(), after.begin(), after.end());
  return layoutPages(leafletWith(blocks), smallPageLayout(), kMeasurer);
}

const TextOp* find(const PageContent& page, const std::string& text) {
  for (const auto& op : page.texts) {
    if (op.text == text) return &op;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a box of groups that does not fit the rest of a page moves to the next page whole") {
  for (int filler = 4; filler < 20; ++filler) {
    CAPTURE(filler);
    const auto pages = afterFiller(filler, {warningBox(3, 2)});
    const auto withTitle = pagesWith(pages, "Get help");
    REQUIRE(withTitle.size() == 1);
    CHECK(pagesWith(pages, "Call 999") == withTitle);
    CHECK(pagesWith(pages, "Group 1") == withTitle);
    CHECK(pagesWith(pages, "Group 2") == withTitle);
    // The page's two rules, the box, the 999 band and a thin rule over each other group.
    CHECK(pages[withTitle[0]].rects.size() == 6);
  }
}

TEST_CASE("a box taller than a page breaks only between groups, its title repeated") {
  for (int filler = 0; filler < 12; ++filler) {
    CAPTURE(filler);
    // Each group is about a third of the page.
    const auto pages =
        afterFiller(filler, {warningBox(6, 4), block(BlockKind::kParagraph, "After the box")});
    const auto first = pagesWith(pages, "Get help");
    REQUIRE(first.size() > 1);
    // The 999 group stays with the box's own title.
    CHECK(pagesWith(pages, "Call 999") == std::vector<std::size_t>{first[0]});
    CHECK(find(pages[first[0]], "Get help") != nullptr);
    for (std::size_t k = 1; k < first.size(); ++k) {
      CHECK(find(pages[first[k]], "Get help, continued") != nullptr);
      CHECK(find(pages[first[k]], "Get help") == nullptr);
    }
    for (int g = 1; g < 6; ++g) {
      CAPTURE(g);
      const auto name = "Group " + std::to_string(g);
      const auto withGroup = pagesWith(pages, name);
      CHECK(withGroup.size() == 1);  // title and every sign on one page
      // each of its lines is on that page
      for (int line = 0; line < 4; ++line) {
        CHECK(pagesWithText(pages, name + " sign " + std::to_string(line)) == withGroup);
      }
    }
    for (const auto n : first) CHECK(pages[n].rects.size() >= 3);
  }
}

TEST_CASE("the box title is repeated as it is when the box gives no continued title") {
  auto box = warningBox(6, 4);
  box.texts.pop_back();
  const auto pages = layoutPages(leafletWith({box}), smallPageLayout(), kMeasurer);
  REQUIRE(pages.size() > 1);
  for (const auto& page : pages) CHECK(find(page, "Get help") != nullptr);
}

TEST_CASE("a group taller than a page is an error that names it") {
  auto box = block(BlockKind::kBox, "Get help");
  box.children = {group("Small", 2, true), group("Enormous", 40)};
  try {
    layoutPages(leafletWith({box}), smallPageLayout(), kMeasurer);
    FAIL("no LayoutOverflow");
  } catch (const LayoutOverflow& overflow) {
    CHECK(std::string(overflow.what()).find("Enormous") != std::string::npos);
    CHECK(std::string(overflow.what()).find("Get help") != std::string::npos);
  }
}

TEST_CASE("an emphasised group's title is white on a black band and other group titles are black") {
  auto box = warningBox(2, 1);
  const auto pages = layoutPages(leafletWith({box}), smallPageLayout(), kMeasurer);
  REQUIRE(pages.size() == 1);
  const auto* title = find(pages[0], "Call 999");
  REQUIRE(title != nullptr);
  CHECK(title->gray == doctest::Approx(1));
  CHECK(title->bold);
  const RectOp* band = nullptr;
  for (const auto& rect : pages[0].rects) {
    if (rect.fillGray <= 0.1 && rect.height > title->size) band = &rect;
  }
  REQUIRE(band != nullptr);
  CHECK(band->y < title->y);
  CHECK(band->y + band->height > title->y);
  CHECK(band->x < title->x);
  CHECK(band->x + band->width > title->x + 8 * 0.6 * title->size);
  const auto* other = find(pages[0], "Group 1");
  REQUIRE(other != nullptr);
  CHECK(other->gray == doctest::Approx(0));
  CHECK(other->bold);
  CHECK(find(pages[0], "Call 999 sign 0")->gray == doctest::Approx(0));
}

namespace {

LeafletBlock table(int rows) {
  LeafletBlock details{BlockKind::kContacts, {}, {}, {}};
  for (int i = 0; i < rows; ++i) {
    details.rows.push_back(
        {{{"Label " + std::to_string(i), false}}, {{"Value " + std::to_string(i), false}}});
  }
  return details;
}

}  // namespace

TEST_CASE("a table that fits on a page moves to the next page whole") {
  for (int filler = 8; filler < 22; ++filler) {
    CAPTURE(filler);
    const auto pages = afterFiller(filler, {block(BlockKind::kHeading, "Phone numbers"), table(6)});
    const auto withTable = pagesWith(pages, "Label");
    CHECK(withTable.size() == 1);
    CHECK(pagesWith(pages, "Phone numbers") == withTable);
  }
}

TEST_CASE("a table taller than a page splits between rows and repeats its heading") {
  for (int filler = 0; filler < 10; ++filler) {
    CAPTURE(filler);
    const auto pages =
        afterFiller(filler, {block(BlockKind::kHeading, "Phone numbers"), table(40)});
    const auto withRows = pagesWith(pages, "Label");
    REQUIRE(withRows.size() > 1);
    CHECK(pagesWith(pages, "Phone numbers") == withRows);
    for (int i = 0; i < 40; ++i) {
      CAPTURE(i);
      const auto label = pagesWithText(pages, "Label " + std::to_string(i));
      CHECK(label.size() == 1);
      CHECK(pagesWithText(pages, "Value " + std::to_string(i)) == label);
    }
    for (const auto n : withRows) {
      // the repeated heading is above the rows
      const auto* heading = find(pages[n], "Phone numbers");
      REQUIRE(heading != nullptr);
      for (const auto& text : pages[n].texts) {
        if (text.text.rfind("Label", 0) == 0) CHECK(text.y > heading->y);
      }
    }
  }
}

TEST_CASE("a paragraph shorter than a page is never split but a longer one is, between lines") {
  const std::string words = [] {
    std::string out;
    for (int i = 0; i < 60; ++i) out += "word" + std::to_string(i) + " ";
    return out;
  }();
  for (int filler = 4; filler < 22; ++filler) {
    CAPTURE(filler);
    const auto pages =
        afterFiller(filler, {block(BlockKind::kParagraph, words)});  // about 10 lines
    CHECK(pagesWith(pages, "word").size() == 1);
  }
  std::string longer;
  for (int i = 0; i < 8; ++i) longer += words;  // about 80 lines: more than three pages
  const auto pages = layoutPages(leafletWith({block(BlockKind::kParagraph, longer)}),
                                 smallPageLayout(), kMeasurer);
  CHECK(pages.size() >= 3);
  for (const auto& page : pages)
    CHECK(std::count_if(page.texts.begin(), page.texts.end(),
                        [](const TextOp& text) { return text.text.rfind("word", 0) == 0; }) > 1);
}

TEST_CASE("the last page never holds only a short note") {
  for (int filler = 10; filler < 50; ++filler) {
    CAPTURE(filler);
    const auto pages =
        afterFiller(filler, {block(BlockKind::kHeading, "A note from your care team"),
                             block(BlockKind::kParagraph, "Note text")});
    const auto& last = pages.back();
    CHECK(contains(last, "Paragraph"));
    CHECK(pagesWith(pages, "A note") == pagesWith(pages, "Note text"));
  }
}

TEST_CASE("the footer stays on one line, in smaller type when it must") {
  auto layout = smallPageLayout();
  layout.styles.margin.size = 12;  // 6 points a character: 43 characters fill the 260-point width
  struct Case {
    std::string footer;
    double largest;   // the footer's size is at most this
    double smallest;  // and at least this
  };
  const Case cases[] = {
      {"Page {page.number} of {page.count}", 12, 12},
      // 51 characters with wide page numbers: 10 points fit, 10.5 do not
      {"Page {page.number} of {page.count} · WP-ABCDEFGHIJ · vertebroplasty v2", 10, 10},
      // too long even at the 8-point floor: it wraps rather than shrinking further
      {"Page {page.number} of {page.count} · " + std::string(80, 'x'), 8, 8},
  };
  for (const auto& c : cases) {
    CAPTURE(c.footer);
    auto leaflet = leafletWith(paragraphs(30));
    leaflet.footer = {{c.footer, false}};
    const auto pages = layoutPages(leaflet, layout, kMeasurer);
    REQUIRE(pages.size() > 1);
    for (std::size_t n = 0; n < pages.size(); ++n) {
      const auto expected = "Page " + std::to_string(n + 1) + " of " + std::to_string(pages.size());
      const TextOp* footer = nullptr;
      for (const auto& text : pages[n].texts) {
        if (text.text.rfind(expected, 0) == 0) footer = &text;
      }
      REQUIRE(footer != nullptr);
      CHECK(footer->size <= c.largest);
      CHECK(footer->size >= c.smallest);
      if (c.smallest > 8) {
        CHECK(footer->text.size() ==
              c.footer.size() - std::string("{page.number}{page.count}").size() + 2);
        CHECK(footer->x + kMeasurer.width(footer->text, FontRole::kRegular, footer->size) <=
              layout.page.width - layout.page.margin + 0.01);
      }
    }
  }
}

TEST_CASE("a list leaves no single item at the foot or the head of a page") {
  LeafletBlock list{BlockKind::kBullets, {}, {}, {}};
  for (int i = 0; i < 6; ++i) list.texts.push_back({{"item " + std::to_string(i), false}});
  auto listThenMore = paragraphs(20);  // so that the list is not the leaflet's last block
  listThenMore.insert(listThenMore.begin(), list);
  for (int filler = 10; filler < 24; ++filler) {
    CAPTURE(filler);
    const auto pages = afterFiller(filler, listThenMore);
    for (const auto& page : pages) {
      const auto items =
          std::count_if(page.texts.begin(), page.texts.end(),
                        [](const TextOp& text) { return text.text.rfind("item", 0) == 0; });
      CHECK(items != 1);
    }
  }
}

TEST_CASE("a paragraph ending in a colon stays with the list it introduces") {
  const LeafletBlock list{
      BlockKind::kBullets, {{{"do not drive", false}}, {{"do not drink alcohol", false}}}, {}, {}};
  for (int filler = 10; filler < 24; ++filler) {
    CAPTURE(filler);
    const auto pages = afterFiller(filler, {block(BlockKind::kParagraph, "For a day:  "), list});
    CHECK(pagesWith(pages, "For a day:") == pagesWith(pages, "do not drive"));
  }
}
