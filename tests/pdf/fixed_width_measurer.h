#pragma once

#include "pdf/text_flow.h"
#include "util/utf8.h"

// Every character is half the font size wide (bold: 0.6), so widths are easy to reason about.
class FixedWidthMeasurer : public wardprint::pdf::TextMeasurer {
 public:
  double width(std::string_view text, wardprint::leaflet::FontRole font, double size) const override {
    const double perCharacter = font == wardprint::leaflet::FontRole::kBold ? 0.6 : 0.5;
    return static_cast<double>(wardprint::util::codePointCount(text)) * perCharacter * size;
  }
};
