#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wardprint::util {

// Decodes UTF-8 into code points. Returns nullopt if the text is not valid UTF-8
// (overlong forms, surrogates and values past U+10FFFF are invalid).
std::optional<std::u32string> decodeUtf8(std::string_view text);

// Encodes one code point as UTF-8.
std::string encodeUtf8(char32_t codePoint);

// Number of code points in valid UTF-8 text.
std::size_t codePointCount(std::string_view text);

// True for C0 and C1 control characters and DEL.
bool isControl(char32_t codePoint);

// "U+00EB (ë)": how an error message names a character.
std::string describeCodePoint(char32_t codePoint);

}  // namespace wardprint::util
