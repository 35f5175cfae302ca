#include "pdf/font_chain.h"

#include <algorithm>

#include "util/utf8.h"

namespace wardprint::pdf {
namespace {

// Western European first: it serves most names in a UK hospital in one run.
constexpr const char* kEncodingOrder[] = {"WinAnsiEncoding", "CP1250",     "CP1251",    "CP1253",
                                          "CP1254",          "CP1257",     "ISO8859-14", "ISO8859-16",
                                          "ISO8859-10",      "ISO8859-3"};
constexpr char32_t kFirstPrintable = 0x20;

}  // namespace

std::vector<ByteEncoding> loadByteEncodings(HPDF_Doc doc) {
  std::vector<ByteEncoding> encodings;
  for (const char* name : kEncodingOrder) {
    const auto encoder = HPDF_GetEncoder(doc, name);
    if (!encoder) continue;
    ByteEncoding encoding{name, {}};
    for (unsigned code = kFirstPrintable; code < 256; ++code) {
      const auto unicode = HPDF_Encoder_GetUnicode(encoder, static_cast<HPDF_UINT16>(code));
      if (unicode >= kFirstPrintable && !encoding.bytes.count(unicode)) {
        encoding.bytes[unicode] = static_cast<unsigned char>(code);
      }
    }
    encodings.push_back(std::move(encoding));
  }
  return encodings;
}

FontChain::FontChain(HPDF_Doc doc, std::vector<std::string> fontNames,
                     const std::vector<ByteEncoding>& encodings)
    : doc_(doc), fontNames_(std::move(fontNames)), encodings_(encodings) {
  for (const auto& name : fontNames_) fontDefs_.push_back(HPDF_GetFontDef(doc_, name.c_str()));
}

bool FontChain::covers(const Choice& choice, char32_t codePoint) const {
  if (codePoint > 0xFFFF || util::isControl(codePoint)) return false;
  if (HPDF_TTFontDef_GetGlyphid(fontDefs_[choice.face], static_cast<HPDF_UINT16>(codePoint)) == 0) {
    return false;
  }
  return choice.encoding == kUtf8 ||
         encodings_[static_cast<std::size_t>(choice.encoding)].bytes.count(codePoint) > 0;
}

bool FontChain::choose(char32_t codePoint, Choice& choice) const {
  for (std::size_t face = 0; face < fontDefs_.size(); ++face) {
    for (int encoding = 0; encoding < static_cast<int>(encodings_.size()); ++encoding) {
      if (covers({face, encoding}, codePoint)) {
        choice = {face, encoding};
        return true;
      }
    }
    if (covers({face, kUtf8}, codePoint)) {
      choice = {face, kUtf8};
      return true;
    }
  }
  return false;
}

HPDF_Font FontChain::font(const Choice& choice) const {
  const char* encoding =
      choice.encoding == kUtf8 ? "UTF-8" : encodings_[static_cast<std::size_t>(choice.encoding)].name.c_str();
  return HPDF_GetFont(doc_, fontNames_[choice.face].c_str(), encoding);
}

void FontChain::encode(const Choice& choice, char32_t codePoint, std::string& out) const {
  if (choice.encoding == kUtf8) {
    out += util::encodeUtf8(codePoint);
  } else {
    out += static_cast<char>(encodings_[static_cast<std::size_t>(choice.encoding)].bytes.at(codePoint));
  }
}

std::vector<FontChain::Run> FontChain::runs(std::string_view text) const {
  std::vector<Run> out;
  Choice current;
  bool open = false;
  for (const char32_t codePoint : util::decodeUtf8(text).value_or(std::u32string{})) {
    if (!open || !covers(current, codePoint)) {
      Choice next;
      if (!choose(codePoint, next)) continue;
      if (!open || !(next == current)) out.push_back({font(next), {}});
      current = next;
      open = true;
    }
    encode(current, codePoint, out.back().bytes);
  }
  return out;
}

double FontChain::width(std::string_view text, double size) const {
  double units = 0;
  for (const auto& run : runs(text)) {
    units += HPDF_Font_TextWidth(run.font, reinterpret_cast<const HPDF_BYTE*>(run.bytes.data()),
                                 static_cast<HPDF_UINT>(run.bytes.size()))
                 .width;
  }
  return units * size / 1000.0;
}

bool FontChain::needsUtf8(std::string_view text) const {
  for (const char32_t codePoint : util::decodeUtf8(text).value_or(std::u32string{})) {
    Choice choice;
    if (choose(codePoint, choice) && choice.encoding == kUtf8) return true;
  }
  return false;
}

std::vector<char32_t> FontChain::undrawable(std::string_view text) const {
  std::vector<char32_t> missing;
  for (const char32_t codePoint : util::decodeUtf8(text).value_or(std::u32string{})) {
    Choice unused;
    if (util::isControl(codePoint)) continue;  // line breaks are layout, not drawn
    if (!choose(codePoint, unused) && std::find(missing.begin(), missing.end(), codePoint) == missing.end()) {
      missing.push_back(codePoint);
    }
  }
  return missing;
}

}  // namespace wardprint::pdf
