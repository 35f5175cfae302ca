#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "leaflet/layout.h"
#include "leaflet/leaflet_builder.h"
#include "pdf/text_flow.h"

namespace wardprint::pdf {

// Text to draw: its baseline starts at (x, y), in points from the page's top-left corner.
struct TextOp {
  double x = 0;
  double y = 0;
  std::string text;
  bool bold = false;
  double size = 12;
  double gray = 0;  // 0 black, 1 white (on a dark band)
};

// A rectangle, its top-left corner at (x, y). Filled with `fillGray` (0 black, 1 white)
// when below 1, outlined with `lineWidth` when above 0.
struct RectOp {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
  double lineWidth = 0;
  double fillGray = 1;
};

struct PageContent {
  std::vector<RectOp> rects;  // drawn first, under the text
  std::vector<TextOp> texts;
};

// Thrown when content cannot be placed: a box without groups, or one group of a box,
// taller than a page. The message names the box or group.
class LayoutOverflow : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Lays the leaflet out on pages and puts the header and footer (with "Page N of M") on
// every page. What it keeps together:
// - headings stay with what follows them;
// - a paragraph, bullet item or table that fits on a page is never split: it moves to the
//   next page whole. A longer paragraph splits between lines (never one line alone); a longer
//   table splits between whole rows, and the heading just before it is repeated;
// - a box that fits on a page is never split. A taller one breaks only between its groups
//   (kGroup children); its title is repeated at the top of the next page (texts[1] when the
//   box has one, such as "When to get help (continued)", else texts[0]). The first group
//   stays with the title. An emphasised group's title sits in a black band, in white;
// - the last page does not carry only a short trailing block when the page before can
//   give it some of its blocks and stay at least half full.
// The footer is kept to one line by shrinking its type, down to 8 points.

std::vector<PageContent> layoutPages(const leaflet::Leaflet& leaflet, const leaflet::Layout& layout,
                                     const TextMeasurer& measurer);

}  // namespace wardprint::pdf
