#include "util/unicode.h"

#include <doctest/doctest.h>

#include "util/utf8.h"

using wardprint::util::describeRefusal;
using wardprint::util::refusalReason;
using wardprint::util::refusedCharacters;
using wardprint::util::toNfc;

TEST_CASE("NFC composes a decomposed name and leaves composed text alone") {
  CHECK(toNfc("Zoe\xCC\x88") == "Zo\xC3\xAB");                       // Zoe + U+0308 -> Zoë
  CHECK(toNfc("Nguye\xCC\x82\xCC\x83n") == "Nguy\xE1\xBB\x85n");      // ê + tilde -> ễ
  CHECK(toNfc("Zo\xC3\xAB") == "Zo\xC3\xAB");
  CHECK(toNfc("\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF") == "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF");  // محمد
  CHECK_FALSE(toNfc("bad \xC3"));
}

TEST_CASE("each class of refused character is named with its reason") {
  struct Case {
    char32_t codePoint;
    const char* reason;
  };
  const Case cases[] = {
      {0x202A, "bidi control"},   {0x202E, "bidi control"},    {0x2066, "bidi control"},
      {0x2069, "bidi control"},   {0x200B, "format control"},  {0xFEFF, "format control"},
      {0x00AD, "format control"}, {0x2060, "format control"},  {0xE000, "private use"},
      {0xF8FF, "private use"},    {0x100000, "private use"},   {0xFDD0, "noncharacter"},
      {0xFFFE, "noncharacter"},   {0x1FFFF, "noncharacter"},   {0x0378, "unassigned"},
      {0xE0080, "unassigned"},    {0x1F600, "emoji"},          {0x2764, "emoji"},
      {0x1F1EC, "emoji"},         {0x1F3FD, "emoji"},          {0xFE0F, "emoji"},
  };
  for (const auto& c : cases) {
    CAPTURE(static_cast<unsigned>(c.codePoint));
    CHECK(refusalReason(c.codePoint) == std::optional<std::string>(c.reason));
  }
}

TEST_CASE("letters marks and the joiners that names need are allowed") {
  const char32_t allowed[] = {U'a', U'\u00EB', U'\u0308', U'\u05BC', U'\u0645', U'\u200C', U'\u200D',
                              U'\u0936', U'\u0E2A', U'\u5F20', U'\u3042', U'\uD55C', U'\U00020BB7',
                              U'\u02BB', U'-', U'\'', U' ', U'\u2019'};
  for (const char32_t cp : allowed) {
    CAPTURE(static_cast<unsigned>(cp));
    CHECK_FALSE(refusalReason(cp));
  }
}

TEST_CASE("refused characters are listed once each by code point") {
  const auto refused = refusedCharacters(U"\u202EAli\u202E\U0001F600");
  REQUIRE(refused.size() == 2);
  CHECK(describeRefusal(refused) == "must not contain U+202E (bidi control), U+1F600 (emoji)");
  CHECK(refusedCharacters(U"Zo\u00EB").empty());
}
