#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wardprint::util {

// Unicode rules for text that is printed on a leaflet (names, the clinician). The only
// place utf8proc is used.

// The text in Normalization Form C, so "Zoe" + U+0308 becomes "Zoë". Returns nullopt if
// the text is not valid UTF-8.
std::optional<std::string> toNfc(std::string_view text);

// Why a character may never be printed, or nullopt when it may be. Reasons, as they
// appear in error messages: "bidi control" (U+202A-202E, U+2066-2069), "format control"
// (other general category Cf, except ZWNJ U+200C and ZWJ U+200D, which Persian and
// Indic names need), "private use", "noncharacter", "unassigned", "emoji".
std::optional<std::string> refusalReason(char32_t codePoint);

// A character that text may not hold, with its reason.
struct RefusedCharacter {
  char32_t codePoint;
  std::string reason;
};

// Every distinct refused character in the text, in order of first appearance.
std::vector<RefusedCharacter> refusedCharacters(const std::u32string& codePoints);

// "must not contain U+202E (bidi control), U+E000 (private use)": the problem text for
// refused characters. Names code points only, never the characters themselves, so an
// error message cannot carry a bidi override or an invisible character.
std::string describeRefusal(const std::vector<RefusedCharacter>& refused);

}  // namespace wardprint::util
