#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wardprint::shaping {

// Sets a line of text in any script: FriBidi cuts it into direction runs in visual order,
// HarfBuzz shapes each run with a face chosen per script, and each glyph comes back with
// its outline, ready to be drawn as a path. The only place FriBidi and HarfBuzz are used.

// One face of a font file (.ttf, .otf, or a .ttc collection by index).
struct Face {
  std::string file;
  unsigned index = 0;
  // ISO 15924 script tags the face is chosen for, e.g. "Arab", "Hani".
  std::vector<std::string> scripts;
  // Language prefixes ("ja", "zh-TW") that prefer this face when several faces serve the
  // same script (Han characters alone don't say which); empty for any language.
  std::vector<std::string> languages;
};

// The Noto faces Debian's fonts-noto-core and fonts-noto-cjk install, regular or bold, for
// scripts outside Latin, Greek and Cyrillic (and those too, for text that needs shaping).
std::vector<Face> notoFaces(bool bold = false);

// True when UTF-8 text cannot be set one character to one glyph: it holds a combining
// mark, a joiner, or a character of a script other than Latin, Greek and Cyrillic (right-
// to-left scripts, Indic, Thai, CJK...). Digits, spaces and punctuation don't count.
bool needsShaping(std::string_view text);

// One step of a glyph outline, in points, y up, relative to the line's origin (left end
// of the baseline).
struct PathStep {
  enum class Kind { Move, Line, Curve, Close };
  Kind kind;
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0, x = 0, y = 0;  // Curve uses all; Move/Line only x, y
};

// A run of text in one direction, script and face, in visual position.
struct Run {
  std::string text;  // the run's characters in logical order (UTF-8)
  bool rightToLeft = false;
  std::string faceFile;
  unsigned faceIndex = 0;
  double x = 0;      // left edge of the run from the line's origin, in points
  double width = 0;  // advance width in points
  std::vector<unsigned> glyphs;  // glyph ids in visual order
};

// A shaped line: runs left to right, the outline of every glyph, and any characters that
// cannot be printed (no face for them, a .notdef glyph, or a mark with no base that
// HarfBuzz would draw on a dotted circle). When `unprintable` is not empty the line must
// not be printed.
struct Line {
  std::vector<Run> runs;
  std::vector<PathStep> outline;
  double width = 0;
  std::vector<char32_t> unprintable;  // distinct, in order of first appearance
};

// Shapes UTF-8 text (valid, NFC) at `size` points, as part of a left-to-right line (the
// leaflet's direction): a right-to-left name is one right-to-left run within it. `language` is a BCP 47 tag such as
// "ja" or "zh-CN". Font files are read and parsed once per process and shared; this is
// safe to call from several threads. Throws std::runtime_error only if a face's file
// cannot be read.
class Shaper {
 public:
  explicit Shaper(std::vector<Face> faces);
  Line shape(std::string_view text, double size, std::string_view language) const;

 private:
  std::vector<Face> faces_;
};

}  // namespace wardprint::shaping
