#include "util/utf8.h"

#include <doctest/doctest.h>

using namespace wardprint::util;

TEST_CASE("decodeUtf8 reads one- to four-byte sequences") {
  const auto decoded = decodeUtf8("Zo\xC3\xAB \xC5\x81 \xE4\xB8\xAD \xF0\x9F\x98\x80");
  REQUIRE(decoded);
  CHECK(*decoded == U"Zoë Ł 中 😀");
}

TEST_CASE("decodeUtf8 refuses malformed input") {
  const char* bad[] = {
      "\xC3",              // truncated
      "\xC0\xAF",          // overlong '/'
      "\xED\xA0\x80",      // surrogate U+D800
      "\xF4\x90\x80\x80",  // past U+10FFFF
      "\x80",              // lone continuation byte
      "\xFF",
  };
  for (const char* text : bad) {
    CAPTURE(text);
    CHECK_FALSE(decodeUtf8(text));
  }
}

TEST_CASE("encodeUtf8 round-trips through decodeUtf8") {
  for (const char32_t cp : {U'A', U'ë', U'Ł', U'中', U'😀'}) {
    CHECK(decodeUtf8(encodeUtf8(cp)) == std::u32string(1, cp));
  }
}

TEST_CASE("codePointCount counts characters, not bytes") {
  CHECK(codePointCount("Zoë") == 3);
  CHECK(codePointCount("") == 0);
}

TEST_CASE("isControl covers C0, DEL and C1 only") {
  CHECK(isControl(U'\n'));
  CHECK(isControl(0x7F));
  CHECK(isControl(0x85));
  CHECK_FALSE(isControl(U' '));
  CHECK_FALSE(isControl(U'é'));
}

TEST_CASE("describeCodePoint names the character for error messages") {
  CHECK(describeCodePoint(U'中') == "U+4E2D (中)");
  CHECK(describeCodePoint(U'\n') == "U+000A");
}
