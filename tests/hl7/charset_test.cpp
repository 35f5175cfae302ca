#include "hl7/charset.h"

#include <doctest/doctest.h>

namespace wardprint::hl7 {

TEST_CASE("MSH-18 names map to charsets - unknown and empty ones do not") {
  CHECK(charsetFromName("UNICODE UTF-8") == Charset::kUtf8);
  CHECK(charsetFromName("utf-8") == Charset::kUtf8);
  CHECK(charsetFromName(" 8859/1 ") == Charset::kLatin1);
  CHECK(charsetFromName("ASCII") == Charset::kAscii);
  CHECK_FALSE(charsetFromName(""));
  CHECK_FALSE(charsetFromName("8859/2"));
  CHECK_FALSE(charsetFromName("UNICODE"));
  CHECK(charsetName(Charset::kLatin1) == "8859/1");
}

TEST_CASE("text converts to UTF-8 from each charset - and invalid bytes are refused") {
  const struct {
    std::string bytes;
    Charset charset;
    std::optional<std::string> utf8;
  } cases[] = {
      {"Zo\xEB", Charset::kLatin1, "Zo\xC3\xAB"},
      {"Zo\xC3\xAB \xC5\x81ukasiewicz", Charset::kUtf8, "Zo\xC3\xAB \xC5\x81ukasiewicz"},
      {"Zo\xEB", Charset::kUtf8, std::nullopt},    // a Latin-1 byte under UTF-8
      {"\xC3\x28", Charset::kUtf8, std::nullopt},  // a broken sequence
      {"Zo\xEB", Charset::kAscii, std::nullopt},
      {"Smith", Charset::kAscii, "Smith"},
      {"\x93quoted\x94", Charset::kLatin1, std::nullopt},  // Windows-1252 passed off as Latin-1
      {"\xFF", Charset::kLatin1, "\xC3\xBF"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.bytes);
    CHECK(toUtf8(c.bytes, c.charset) == c.utf8);
  }
}

}  // namespace wardprint::hl7
