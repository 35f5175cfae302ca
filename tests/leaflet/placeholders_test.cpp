#include "leaflet/placeholders.h"

#include <doctest/doctest.h>

using namespace wardprint::leaflet;

TEST_CASE("parseEmphasis splits bold runs") {
  const auto spans = parseEmphasis("Call **999** now");
  REQUIRE(spans);
  CHECK(*spans == RichText{{"Call ", false}, {"999", true}, {" now", false}});
  CHECK(parseEmphasis("**all bold**") == RichText{{"all bold", true}});
  CHECK_FALSE(parseEmphasis("one ** marker"));
}

TEST_CASE("placeholderNames lists names in order and skips {{") {
  CHECK(placeholderNames("{a} and {b.c}") == std::vector<std::string>{"a", "b.c"});
  CHECK(placeholderNames("{{literal} {x}").size() == 1);
}

TEST_CASE("substitutePlaceholders inserts values verbatim") {
  const auto lookup = [](const std::string& name) { return name == "name" ? "**{x}**" : "?"; };
  CHECK(substitutePlaceholders("Hello {name}.", lookup) == "Hello **{x}**.");
  CHECK(substitutePlaceholders("{{not a placeholder}", lookup) == "{not a placeholder}");
}

TEST_CASE("a value with ** stays plain text inside a span") {
  const auto text = substitutePlaceholders(*parseEmphasis("For **{name}**."), [](const std::string&) {
    return std::string("A**B");
  });
  CHECK(text == RichText{{"For ", false}, {"A**B", true}, {".", false}});
  CHECK(plainText(text) == "For A**B.");
}
