#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "leaflet/layout.h"
#include "leaflet/placeholders.h"

namespace wardprint::pdf {

// Measures text as the renderer will draw it. Implemented over libharu's fonts; tests
// may use a simple stand-in.
class TextMeasurer {
 public:
  virtual ~TextMeasurer() = default;
  // Width in points of UTF-8 text in the given font at `size` points.
  virtual double width(std::string_view text, leaflet::FontRole font, double size) const = 0;
};

// A run of one weight within a line, `x` points from the line's start.
struct Fragment {
  std::string text;
  bool bold = false;
  double x = 0;
};

struct Line {
  std::vector<Fragment> fragments;
  double width = 0;
};

// Breaks text into lines no wider than `maxWidth`, at spaces; a word wider than a whole
// line is broken between characters. Runs of spaces count as one. `boldBase` draws every
// span bold (a heading style).
std::vector<Line> wrapText(const leaflet::RichText& text, double maxWidth, double size, bool boldBase,
                           const TextMeasurer& measurer);

}  // namespace wardprint::pdf
