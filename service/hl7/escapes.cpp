#include "hl7/escapes.h"

#include <cctype>

namespace wardprint::hl7 {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The bytes one sequence (the text between two escape characters) stands for.
Unescaped expand(std::string_view sequence, const Delimiters& d) {
  if (sequence == "F") return {std::string(1, d.field), {}};
  if (sequence == "S") return {std::string(1, d.component), {}};
  if (sequence == "T") return {std::string(1, d.subcomponent), {}};
  if (sequence == "R") return {std::string(1, d.repetition), {}};
  if (sequence == "E") return {std::string(1, d.escape), {}};
  if (sequence == "H" || sequence == "N") return {std::string(), {}};
  if (sequence == ".br") return {std::string("\n"), {}};
  if (!sequence.empty() && sequence.front() == 'X') {
    const std::string_view hex = sequence.substr(1);
    if (hex.empty() || hex.size() % 2 != 0)
      return {{}, "a hex escape \\X..\\ of odd or empty length"};
    std::string bytes;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      const int high = hexValue(hex[i]);
      const int low = hexValue(hex[i + 1]);
      if (high < 0 || low < 0) return {{}, "a hex escape \\X..\\ with a character that is not hex"};
      bytes += static_cast<char>(high * 16 + low);
    }
    return {bytes, {}};
  }
  if (sequence.empty()) return {{}, "an empty escape sequence"};
  const char kind = sequence.front();
  if (std::isalpha(static_cast<unsigned char>(kind)) == 0)
    return {{}, "an unsupported escape sequence"};
  return {{}, "an unsupported escape sequence starting \\" + std::string(1, kind)};
}

}  // namespace

Unescaped unescape(std::string_view raw, const Delimiters& delimiters) {
  std::string out;
  out.reserve(raw.size());
  std::size_t pos = 0;
  while (pos < raw.size()) {
    const std::size_t start = raw.find(delimiters.escape, pos);
    if (start == std::string_view::npos) break;
    const std::size_t end = raw.find(delimiters.escape, start + 1);
    if (end == std::string_view::npos) break;  // a lone escape character is kept as text
    out.append(raw.substr(pos, start - pos));
    Unescaped part = expand(raw.substr(start + 1, end - start - 1), delimiters);
    if (part.error) return part;
    out += *part.bytes;
    pos = end + 1;
  }
  out.append(raw.substr(pos));
  return {out, {}};
}

std::string escape(std::string_view text, const Delimiters& d) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == d.escape) {
      out += {d.escape, 'E', d.escape};
    } else if (c == d.field) {
      out += {d.escape, 'F', d.escape};
    } else if (c == d.component) {
      out += {d.escape, 'S', d.escape};
    } else if (c == d.subcomponent) {
      out += {d.escape, 'T', d.escape};
    } else if (c == d.repetition) {
      out += {d.escape, 'R', d.escape};
    } else if (c == '\n') {
      out += d.escape;
      out += ".br";
      out += d.escape;
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

}  // namespace wardprint::hl7
