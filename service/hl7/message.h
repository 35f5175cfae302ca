#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/charset.h"
#include "hl7/escapes.h"

namespace wardprint::hl7 {

// One component: its subcomponents, unescaped and converted to UTF-8.
using Component = std::vector<std::string>;
// One repetition of a field: its components.
using Repetition = std::vector<Component>;

// One field with its repetitions. All positions are 1-based, as HL7 numbers them; a
// position past the end reads as empty, never as an error.
struct Field {
  std::vector<Repetition> repetitions;

  std::size_t repetitionCount() const { return repetitions.size(); }
  // One subcomponent's text; "" when absent.
  const std::string& component(std::size_t component, std::size_t subcomponent = 1,
                               std::size_t repetition = 1) const;
  // The first component's first subcomponent of the first repetition.
  const std::string& text() const { return component(1); }
  // True when no subcomponent anywhere in the field has text.
  bool empty() const;
};

// One segment. For MSH, field(1) is the field separator and field(2) the encoding
// characters, as HL7 numbers them; every other segment's field(1) follows its name.
struct Segment {
  std::string name;
  std::vector<Field> fields;  // fields[0] is field 1

  const Field& field(std::size_t number) const;  // an empty Field when absent
};

// A parsed message. Immutable; safe to read from several threads.
class Message {
 public:
  Message(std::vector<Segment> segments, Delimiters delimiters, Charset charset);

  const std::vector<Segment>& segments() const { return segments_; }
  const Delimiters& delimiters() const { return delimiters_; }
  Charset charset() const { return charset_; }

  // The occurrence-th segment (1-based) with this name, or nullptr.
  const Segment* segment(std::string_view name, std::size_t occurrence = 1) const;
  // Every segment with this name, in message order.
  std::vector<const Segment*> segmentsNamed(std::string_view name) const;
  // A field of the first segment with this name; an empty Field when either is absent.
  const Field& field(std::string_view segment, std::size_t field) const;
  // One subcomponent of the first segment with this name; "" when absent.
  const std::string& component(std::string_view segment, std::size_t field, std::size_t component,
                               std::size_t subcomponent = 1) const;

 private:
  std::vector<Segment> segments_;
  Delimiters delimiters_;
  Charset charset_;
};

// Why a message could not be read, and where: `segment` and `field` are empty/0 when the
// problem is not in one field. The reason never quotes the message's text.
struct ParseError {
  enum class Kind {
    kStructure,  // not HL7 at all: no MSH, bad delimiters, bad segment names
    kCharset,    // MSH-18 unsupported, or bytes invalid in the message's charset
    kEscape,     // a bad escape sequence
  };
  Kind kind = Kind::kStructure;
  std::string reason;
  std::string segment;
  std::size_t sequence = 0;  // which occurrence of that segment, 1-based
  std::size_t field = 0;
};

// Exactly one of message and error is set.
struct ParseResult {
  std::optional<Message> message;
  std::optional<ParseError> error;
};

// Parses one message (an MLLP frame's payload or an HTTP body) by its own delimiters
// (MSH-1, MSH-2). Segments may end in CR, LF or CRLF; blank lines are skipped. Text is
// converted to UTF-8 from MSH-18's charset, or from `defaultCharset` when MSH-18 is empty.
// Never throws for bad input; any byte sequence gives a message or an error.
ParseResult parseMessage(std::string_view bytes, Charset defaultCharset);

}  // namespace wardprint::hl7
