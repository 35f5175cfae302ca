#include "pdf/astral_text.h"

// qpdf 11: use std::shared_ptr, not its old PointerHolder (and no warning about it).
#define POINTERHOLDER_TRANSITION 4
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

#include "util/utf8.h"

namespace wardprint::pdf {
namespace {

constexpr char32_t kFirstStandIn = 0xE000;
constexpr char32_t kLastStandIn = 0xF8FF;
constexpr std::size_t kMaxEntriesPerBlock = 100;  // the PDF limit for one bfchar/bfrange block

std::string hex4(unsigned value) {
  char out[8];
  std::snprintf(out, sizeof out, "%04X", value & 0xFFFF);
  return out;
}

// A character as UTF-16 hex for a CMap: one code unit, or a surrogate pair.
std::string utf16Hex(char32_t character) {
  if (character <= 0xFFFF) return hex4(static_cast<unsigned>(character));
  const auto offset = static_cast<unsigned>(character - 0x10000);
  return hex4(0xD800 + (offset >> 10)) + hex4(0xDC00 + (offset & 0x3FF));
}

void addBlocks(std::string& cmap, const std::vector<std::string>& entries, const std::string& kind) {
  for (std::size_t start = 0; start < entries.size(); start += kMaxEntriesPerBlock) {
    const auto count = std::min(kMaxEntriesPerBlock, entries.size() - start);
    cmap += std::to_string(count) + " begin" + kind + "\n";
    for (std::size_t i = start; i < start + count; ++i) cmap += entries[i] + "\n";
    cmap += "end" + kind + "\n";
  }
}

// An identity map for two-byte codes (libharu's UTF-8 fonts use the code point as the
// code), except that each stand-in reads as its character. Rows of 256 codes holding a
// stand-in are written code by code, so no entry overrides another.
std::string toUnicodeCMap(const std::map<char32_t, char32_t>& byStandIn) {
  std::vector<std::string> ranges, chars;
  for (unsigned row = 0; row < 0x100; ++row) {
    if (row >= 0xD8 && row <= 0xDF) continue;  // surrogates are no characters
    const auto first = static_cast<char32_t>(row << 8);
    const auto holdsStandIn = byStandIn.lower_bound(first);
    if (holdsStandIn == byStandIn.end() || holdsStandIn->first > first + 0xFF) {
      ranges.push_back("<" + hex4(row << 8) + "> <" + hex4((row << 8) | 0xFF) + "> <" + hex4(row << 8) + ">");
      continue;
    }
    for (char32_t code = first; code <= first + 0xFF; ++code) {
      const auto standIn = byStandIn.find(code);
      chars.push_back("<" + hex4(static_cast<unsigned>(code)) + "> <" +
                      utf16Hex(standIn == byStandIn.end() ? code : standIn->second) + ">");
    }
  }
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  addBlocks(cmap, ranges, "bfrange");
  addBlocks(cmap, chars, "bfchar");
  return cmap + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

}  // namespace

std::string AstralStandIns::substitute(std::string_view text) {
  const auto codePoints = util::decodeUtf8(text);
  if (!codePoints) return std::string(text);
  std::string out;
  for (const char32_t codePoint : *codePoints) {
    if (codePoint <= 0xFFFF) {
      out += util::encodeUtf8(codePoint);
      continue;
    }
    auto found = byCharacter_.find(codePoint);
    if (found == byCharacter_.end()) {
      const auto next = kFirstStandIn + static_cast<char32_t>(byCharacter_.size());
      if (next > kLastStandIn) throw std::runtime_error("too many characters above U+FFFF in one leaflet");
      found = byCharacter_.emplace(codePoint, next).first;
    }
    out += util::encodeUtf8(found->second);
  }
  return out;
}

std::string AstralStandIns::restoreIn(const std::string& pdf) const {
  std::map<char32_t, char32_t> byStandIn;
  for (const auto& [character, standIn] : byCharacter_) byStandIn[standIn] = character;
  const auto cmap = toUnicodeCMap(byStandIn);

  QPDF document;
  document.processMemoryFile("leaflet.pdf", pdf.data(), pdf.size());
  for (auto& object : document.getAllObjects()) {
    if (!object.isDictionary() || !object.getKey("/Subtype").isNameAndEquals("/Type0")) continue;
    auto toUnicode = object.getKey("/ToUnicode");
    if (!toUnicode.isStream()) continue;
    const auto data = toUnicode.getStreamData();
    const std::string text(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
    if (text.find("begincidrange") == std::string::npos) continue;  // not libharu's identity map
    toUnicode.replaceStreamData(cmap, QPDFObjectHandle::newNull(), QPDFObjectHandle::newNull());
  }
  QPDFWriter writer(document);
  writer.setOutputMemory();
  writer.setDeterministicID(true);
  writer.setCompressStreams(true);
  writer.write();
  const auto buffer = std::unique_ptr<Buffer>(writer.getBuffer());
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace wardprint::pdf
