#include "leaflet/placeholders.h"

namespace wardprint::leaflet {
namespace {

// Walks text, handing literal runs and placeholder names to the callbacks.
template <typename OnLiteral, typename OnName>
void scan(std::string_view text, OnLiteral onLiteral, OnName onName) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto open = text.find('{', pos);
    if (open == std::string_view::npos) {
      onLiteral(text.substr(pos));
      return;
    }
    onLiteral(text.substr(pos, open - pos));
    if (open + 1 < text.size() && text[open + 1] == '{') {
      onLiteral("{");
      pos = open + 2;
      continue;
    }
    const auto close = text.find('}', open);
    if (close == std::string_view::npos) {
      onLiteral(text.substr(open));
      return;
    }
    onName(std::string(text.substr(open + 1, close - open - 1)));
    pos = close + 1;
  }
}

}  // namespace

std::optional<RichText> parseEmphasis(std::string_view text) {
  RichText spans;
  bool bold = false;
  std::size_t pos = 0;
  while (true) {
    const auto marker = text.find("**", pos);
    const auto run = text.substr(pos, marker == std::string_view::npos ? text.npos : marker - pos);
    if (!run.empty()) spans.push_back({std::string(run), bold});
    if (marker == std::string_view::npos) break;
    bold = !bold;
    pos = marker + 2;
  }
  if (bold) return std::nullopt;
  return spans;
}

std::vector<std::string> placeholderNames(std::string_view text) {
  std::vector<std::string> names;
  scan(text, [](std::string_view) {}, [&](std::string name) { names.push_back(std::move(name)); });
  return names;
}

std::string substitutePlaceholders(std::string_view text, const PlaceholderLookup& lookup) {
  std::string out;
  scan(text, [&](std::string_view literal) { out += literal; },
       [&](const std::string& name) { out += lookup(name); });
  return out;
}

RichText substitutePlaceholders(const RichText& text, const PlaceholderLookup& lookup) {
  RichText out;
  for (const auto& span : text) {
    auto substituted = substitutePlaceholders(span.text, lookup);
    if (!substituted.empty()) out.push_back({std::move(substituted), span.bold});
  }
  return out;
}

std::string plainText(const RichText& text) {
  std::string out;
  for (const auto& span : text) out += span.text;
  return out;
}

std::string joinedAsList(const std::vector<std::string>& items, const std::string& listEnd) {
  if (items.size() < 2) return items.empty() ? "" : items[0];
  std::string others;
  for (std::size_t i = 0; i + 1 < items.size(); ++i) others += (i > 0 ? ", " : "") + items[i];
  return substitutePlaceholders(listEnd, [&](const std::string& name) { return name == "last" ? items.back() : others; });
}

std::string withNoBreakSpaces(std::string_view text) {
  std::string out;
  for (const char c : text) out += c == ' ' ? std::string("\u00A0") : std::string(1, c);
  return out;
}

}  // namespace wardprint::leaflet
