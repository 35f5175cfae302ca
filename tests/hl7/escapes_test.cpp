#include "hl7/escapes.h"

#include <doctest/doctest.h>

#include <vector>

namespace wardprint::hl7 {

TEST_CASE("escape sequences become the text they stand for") {
  const Delimiters d;
  const struct {
    std::string raw;
    std::string text;
  } cases[] = {
      {"O\\F\\Brien", "O|Brien"},
      {"A\\S\\B\\T\\C\\R\\D\\E\\E", "A^B&C~D\\E"},
      {"line one\\.br\\line two", "line one\nline two"},
      {"\\H\\bold\\N\\ text", "bold text"},
      {"Zo\\XC3AB\\", "Zo\xC3\xAB"},
      {"Zo\\Xeb\\", "Zo\xEB"},
      {"no escapes", "no escapes"},
      {"lone \\ backslash", "lone \\ backslash"},
      {"", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.raw);
    const Unescaped result = unescape(c.raw, d);
    REQUIRE_FALSE(result.error);
    CHECK(*result.bytes == c.text);
  }
}

TEST_CASE("unknown escapes and bad hex are errors that do not quote the text") {
  const Delimiters d;
  for (const std::string& raw :
       std::vector<std::string>{"\\Zsecret\\", "\\C2842\\", "\\X4\\", "\\XZZ\\", "a\\\\b",
                                std::string("\\\0\x7F\\", 4)}) {
    CAPTURE(raw);
    const Unescaped result = unescape(raw, d);
    CHECK_FALSE(result.bytes);
    REQUIRE(result.error);
    CHECK(result.error->find("secret") == std::string::npos);
    for (const char c : *result.error) CHECK((c >= 0x20 && c < 0x7F));
  }
}

TEST_CASE("escaping works with the message's own delimiters and round-trips") {
  Delimiters odd;
  odd.field = '#';
  odd.component = '!';
  odd.escape = '$';
  CHECK(escape("a#b!c", odd) == "a$F$b$S$c");
  CHECK(escape("two\nlines\r", Delimiters{}) == "two\\.br\\lines");
  const std::string text = "O|Brien ^&~\\ x";
  CHECK(*unescape(escape(text, odd), odd).bytes == text);
  CHECK(*unescape(escape(text, Delimiters{}), Delimiters{}).bytes == text);
}

}  // namespace wardprint::hl7
