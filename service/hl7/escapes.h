#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wardprint::hl7 {

// A message's separators, from MSH-1 and MSH-2. The defaults are the usual "|^~\&".
struct Delimiters {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';

  bool isDelimiter(char c) const {
    return c == field || c == component || c == repetition || c == escape || c == subcomponent;
  }
};

// The result of unescaping one value: its bytes (still in the message's charset), or why
// it could not be read. Exactly one of the two is set.
struct Unescaped {
  std::optional<std::string> bytes;
  std::optional<std::string> error;
};

// Replaces the escape sequences in one value: \F\ \S\ \T\ \R\ \E\ become the delimiters they
// stand for, \Xhh..\ the bytes it spells, \.br\ a line feed; \H\ and \N\ (highlighting) are
// dropped. An escape character with no closing one is kept as text. Any other sequence, or
// bad hex, is an error; the reason names the sequence's kind, never the value's text.
Unescaped unescape(std::string_view raw, const Delimiters& delimiters);

// The reverse, for values wardprint writes: delimiters become escape sequences, line feeds
// \.br\ and carriage returns are dropped.
std::string escape(std::string_view text, const Delimiters& delimiters);

}  // namespace wardprint::hl7
