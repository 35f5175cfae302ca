#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wardprint::leaflet {

// A run of text drawn in one weight.
struct Span {
  std::string text;
  bool bold = false;

  bool operator==(const Span& other) const { return text == other.text && bold == other.bold; }
};
using RichText = std::vector<Span>;

// Splits layout text on ** markers into regular and bold spans. Returns nullopt when the
// markers are unbalanced.
std::optional<RichText> parseEmphasis(std::string_view text);

// Names of the {placeholders} in a layout text, in order of appearance. "{{" is a literal "{".
std::vector<std::string> placeholderNames(std::string_view text);

// Replaces each {name} with lookup(name). Values are inserted as they are: a value
// containing ** or braces is never read as markup.
using PlaceholderLookup = std::function<std::string(const std::string& name)>;
std::string substitutePlaceholders(std::string_view text, const PlaceholderLookup& lookup);
RichText substitutePlaceholders(const RichText& text, const PlaceholderLookup& lookup);

// Concatenated text of all spans.
std::string plainText(const RichText& text);

// Items as a sentence lists them, with a language's `listEnd` pattern ("{others} and
// {last}"): "T11, T12 and L1".
std::string joinedAsList(const std::vector<std::string>& items, const std::string& listEnd);

// The text with every space made a no-break space (U+00A0), so a line never ends inside it.
std::string withNoBreakSpaces(std::string_view text);

}  // namespace wardprint::leaflet
