#pragma once

#include <hpdf.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace wardprint::pdf {

// A single-byte encoding libharu knows, with the reverse map from code points to bytes.
struct ByteEncoding {
  std::string name;
  std::map<char32_t, unsigned char> bytes;
};

// The encodings tried, in order, before falling back to UTF-8. Single-byte fonts are
// several times cheaper to build and embed than libharu's UTF-8 fonts.
std::vector<ByteEncoding> loadByteEncodings(HPDF_Doc doc);

// An ordered list of TrueType faces for one weight. Each character is drawn with the first
// face that has a glyph for it, through the first encoding that can name it; text is cut
// into runs that each use one font. Lives as long as the HPDF_Doc it was loaded into;
// not thread-safe.
class FontChain {
 public:
  struct Run {
    HPDF_Font font;
    std::string bytes;  // the run's text in that font's encoding
  };

  // `fontNames` are libharu names of TrueType fonts already loaded into `doc`.
  FontChain(HPDF_Doc doc, std::vector<std::string> fontNames, const std::vector<ByteEncoding>& encodings);

  // Cuts UTF-8 text into runs. Characters no face can draw must have been refused before
  // (see undrawable); they are skipped here.
  std::vector<Run> runs(std::string_view text) const;

  // Width in points of UTF-8 text at `size` points.
  double width(std::string_view text, double size) const;

  // Whether some character of `text` could only be set through libharu's UTF-8 encoding.
  // libharu 2.3.0 drops parts of some composite glyphs there (Ḓ without its mark), so such
  // text is shaped and drawn as outlines instead.
  bool needsUtf8(std::string_view text) const;

  // The distinct characters of `text` that no face in the chain can draw.
  std::vector<char32_t> undrawable(std::string_view text) const;

 private:
  static constexpr int kUtf8 = -1;
  struct Choice {
    std::size_t face = 0;
    int encoding = kUtf8;  // index into encodings_, or kUtf8
    bool operator==(const Choice& other) const { return face == other.face && encoding == other.encoding; }
  };

  bool covers(const Choice& choice, char32_t codePoint) const;
  bool choose(char32_t codePoint, Choice& choice) const;
  HPDF_Font font(const Choice& choice) const;
  void encode(const Choice& choice, char32_t codePoint, std::string& out) const;

  HPDF_Doc doc_;
  std::vector<std::string> fontNames_;
  std::vector<HPDF_FontDef> fontDefs_;
  const std::vector<ByteEncoding>& encodings_;
};

}  // namespace wardprint::pdf
