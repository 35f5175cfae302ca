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

// Thrown when content cannot be placed: a box taller than a page.
class LayoutOverflow : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Lays the leaflet out on pages: wraps text, keeps headings with what follows them, never
// splits a box, and puts the header and footer (with "Page N of M") on every page.
std::vector<PageContent> layoutPages(const leaflet::Leaflet& leaflet, const leaflet::Layout& layout,
                                     const TextMeasurer& measurer);

}  // namespace wardprint::pdf
