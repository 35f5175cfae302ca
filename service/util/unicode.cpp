#include "util/unicode.h"

#include <utf8proc.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace wardprint::util {
namespace {

bool isBidiControl(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// U+FDD0-FDEF and the last two code points of every plane.
bool isNoncharacter(char32_t cp) {
  return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

// Extended_Pictographic (from utf8proc's grapheme break classes), regional indicators
// (flags), skin-tone modifiers, the emoji presentation selector and the keycap mark.
bool isEmoji(char32_t cp) {
  const auto* property = utf8proc_get_property(static_cast<utf8proc_int32_t>(cp));
  if (property->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
      property->boundclass == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR) {
    return true;
  }
  return (cp >= 0x1F3FB && cp <= 0x1F3FF) || cp == 0xFE0F || cp == 0x20E3;
}

}  // namespace

std::optional<std::string> toNfc(std::string_view text) {
  utf8proc_uint8_t* out = nullptr;
  const auto length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                   static_cast<utf8proc_ssize_t>(text.size()), &out,
                                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (length < 0) return std::nullopt;
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(length));
}

std::optional<std::string> refusalReason(char32_t cp) {
  if (isBidiControl(cp)) return "bidi control";
  if (isNoncharacter(cp)) return "noncharacter";
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_CF:
      if (cp == 0x200C || cp == 0x200D) break;
      return "format control";
    case UTF8PROC_CATEGORY_CO:
      return "private use";
    case UTF8PROC_CATEGORY_CN:
      return "unassigned";
    default:
      break;
  }
  if (isEmoji(cp)) return "emoji";
  return std::nullopt;
}

std::vector<RefusedCharacter> refusedCharacters(const std::u32string& codePoints) {
  std::vector<RefusedCharacter> refused;
  for (const char32_t cp : codePoints) {
    bool seen = false;
    for (const auto& r : refused) seen = seen || r.codePoint == cp;
    if (seen) continue;
    if (auto reason = refusalReason(cp)) refused.push_back({cp, std::move(*reason)});
  }
  return refused;
}

std::string describeRefusal(const std::vector<RefusedCharacter>& refused) {
  std::string out = "must not contain ";
  for (std::size_t i = 0; i < refused.size(); ++i) {
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(refused[i].codePoint));
    out += (i == 0 ? "" : ", ") + std::string(code) + " (" + refused[i].reason + ")";
  }
  return out;
}

}  // namespace wardprint::util
