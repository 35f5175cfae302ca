#include "hl7/message.h"

#include <cctype>
#include <map>

namespace wardprint::hl7 {
namespace {

const std::string kEmptyText;
const Field kEmptyField;

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

// Segments end in CR, LF or CRLF; empty lines (as CRLF leaves) are skipped.
std::vector<std::string_view> splitSegments(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool usableDelimiter(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte > 0x20 && byte < 0x7F && !std::isalnum(byte);
}

bool validSegmentName(std::string_view name) {
  if (name.size() != 3 || !std::isupper(static_cast<unsigned char>(name[0]))) return false;
  for (const char c : name) {
    if (!std::isupper(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

ParseResult failure(ParseError::Kind kind, std::string reason, std::string segment = {},
                    std::size_t sequence = 0, std::size_t field = 0) {
  return {std::nullopt, ParseError{kind, std::move(reason), std::move(segment), sequence, field}};
}

// Reads MSH-1 and MSH-2 from the start of the message; sets *encodingLength.
std::optional<std::string> readDelimiters(std::string_view msh, Delimiters& d,
                                          std::size_t& encodingLength) {
  if (msh.size() < 8 || msh.substr(0, 3) != "MSH")
    return "the message does not start with an MSH segment";
  d.field = msh[3];
  if (!usableDelimiter(d.field)) return "MSH-1 is not a usable field separator";
  std::size_t end = msh.find(d.field, 4);
  if (end == std::string_view::npos) end = msh.size();
  const std::string_view encoding = msh.substr(4, end - 4);
  // Four characters; v2.7 adds a fifth, the truncation character, which is only a marker.
  if (encoding.size() < 4 || encoding.size() > 5)
    return "MSH-2 must hold 4 or 5 encoding characters";
  for (std::size_t i = 0; i < encoding.size(); ++i) {
    if (!usableDelimiter(encoding[i]) || encoding[i] == d.field ||
        encoding.find(encoding[i], i + 1) != std::string_view::npos) {
      return "MSH-2 encoding characters must be distinct punctuation";
    }
  }
  d.component = encoding[0];
  d.repetition = encoding[1];
  d.escape = encoding[2];
  d.subcomponent = encoding[3];
  encodingLength = encoding.size();
  return std::nullopt;
}

struct Location {
  std::string segment;
  std::size_t sequence;
  std::size_t field;

  // "PID-5 <what>", located here.
  ParseError error(ParseError::Kind kind, const std::string& what) const {
    return {kind, segment + '-' + std::to_string(field) + ' ' + what, segment, sequence, field};
  }
};

class Reader {
 public:
  Reader(const Delimiters& d, Charset charset) : d_(d), charset_(charset) {}

  std::optional<ParseError> readField(std::string_view raw, const Location& at, Field& out) const {
    if (raw.empty()) return std::nullopt;
    for (const std::string_view repRaw : split(raw, d_.repetition)) {
      Repetition rep;
      for (const std::string_view compRaw : split(repRaw, d_.component)) {
        Component comp;
        for (const std::string_view subRaw : split(compRaw, d_.subcomponent)) {
          const Unescaped bytes = unescape(subRaw, d_);
          if (bytes.error) return at.error(ParseError::Kind::kEscape, "has " + *bytes.error);
          std::optional<std::string> text = toUtf8(*bytes.bytes, charset_);
          if (!text) {
            return at.error(ParseError::Kind::kCharset,
                            "has bytes that are not valid " + std::string(charsetName(charset_)));
          }
          comp.push_back(std::move(*text));
        }
        rep.push_back(std::move(comp));
      }
      out.repetitions.push_back(std::move(rep));
    }
    return std::nullopt;
  }

 private:
  const Delimiters& d_;
  Charset charset_;
};

Field literalField(std::string text) { return Field{{Repetition{Component{std::move(text)}}}}; }

// MSH-18's first repetition's first component, unescaped; "" when absent.
std::optional<std::string> rawCharsetName(const std::vector<std::string_view>& mshRest,
                                          const Delimiters& d) {
  constexpr std::size_t kMsh18 = 18 - 3;  // mshRest[0] is MSH-3
  if (mshRest.size() <= kMsh18) return std::string();
  const std::string_view rep = split(mshRest[kMsh18], d.repetition).front();
  return unescape(split(rep, d.component).front(), d).bytes;
}

}  // namespace

const std::string& Field::component(std::size_t component, std::size_t subcomponent,
                                    std::size_t repetition) const {
  if (repetition == 0 || component == 0 || subcomponent == 0) return kEmptyText;
  if (repetition > repetitions.size()) return kEmptyText;
  const Repetition& rep = repetitions[repetition - 1];
  if (component > rep.size()) return kEmptyText;
  const Component& comp = rep[component - 1];
  if (subcomponent > comp.size()) return kEmptyText;
  return comp[subcomponent - 1];
}

bool Field::empty() const {
  for (const Repetition& rep : repetitions) {
    for (const Component& comp : rep) {
      for (const std::string& sub : comp) {
        if (!sub.empty()) return false;
      }
    }
  }
  return true;
}

const Field& Segment::field(std::size_t number) const {
  if (number == 0 || number > fields.size()) return kEmptyField;
  return fields[number - 1];
}

Message::Message(std::vector<Segment> segments, Delimiters delimiters, Charset charset)
    : segments_(std::move(segments)), delimiters_(delimiters), charset_(charset) {}

const Segment* Message::segment(std::string_view name, std::size_t occurrence) const {
  for (const Segment& segment : segments_) {
    if (segment.name == name && --occurrence == 0) return &segment;
  }
  return nullptr;
}

std::vector<const Segment*> Message::segmentsNamed(std::string_view name) const {
  std::vector<const Segment*> found;
  for (const Segment& segment : segments_) {
    if (segment.name == name) found.push_back(&segment);
  }
  return found;
}

const Field& Message::field(std::string_view segmentName, std::size_t number) const {
  const Segment* found = segment(segmentName);
  return found ? found->field(number) : kEmptyField;
}

const std::string& Message::component(std::string_view segmentName, std::size_t number,
                                      std::size_t component, std::size_t subcomponent) const {
  return field(segmentName, number).component(component, subcomponent);
}

ParseResult parseMessage(std::string_view bytes, Charset defaultCharset) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);  // a UTF-8 byte order mark
  const std::vector<std::string_view> lines = splitSegments(bytes);
  if (lines.empty()) return failure(ParseError::Kind::kStructure, "the message is empty");

  Delimiters d;
  std::size_t encodingLength = 0;
  if (auto problem = readDelimiters(lines.front(), d, encodingLength)) {
    return failure(ParseError::Kind::kStructure, *problem, "MSH", 1);
  }
  const std::size_t restStart = 4 + encodingLength + 1;
  const std::string_view mshTail =
      lines.front().size() > restStart ? lines.front().substr(restStart) : std::string_view();
  const std::vector<std::string_view> mshRest = split(mshTail, d.field);

  Charset charset = defaultCharset;
  const std::optional<std::string> charsetText = rawCharsetName(mshRest, d);
  if (!charsetText)
    return failure(ParseError::Kind::kEscape, "MSH-18 has a bad escape sequence", "MSH", 1, 18);
  if (!charsetText->empty()) {
    const auto named = charsetFromName(*charsetText);
    if (!named)
      return failure(ParseError::Kind::kCharset, "MSH-18 names an unsupported character set", "MSH",
                     1, 18);
    charset = *named;
  }

  const Reader reader(d, charset);
  std::vector<Segment> segments;
  std::map<std::string, std::size_t, std::less<>> counts;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const bool isMsh = i == 0;
    const std::size_t nameEnd = std::min(line.find(d.field), line.size());
    Segment segment{std::string(line.substr(0, nameEnd)), {}};
    const std::string where = "segment " + std::to_string(i + 1);
    if (!validSegmentName(segment.name)) {
      return failure(ParseError::Kind::kStructure, where + " does not start with a segment name");
    }
    if (!isMsh && segment.name == "MSH") {
      return failure(ParseError::Kind::kStructure,
                     where + " is a second MSH: one message per frame");
    }
    const std::size_t sequence = ++counts[segment.name];
    std::vector<std::string_view> raws;
    if (isMsh) {
      segment.fields.push_back(literalField(std::string(1, d.field)));
      segment.fields.push_back(literalField(std::string(lines.front().substr(4, encodingLength))));
      raws = mshRest;
    } else if (nameEnd < line.size()) {
      raws = split(line.substr(nameEnd + 1), d.field);
    }
    for (const std::string_view raw : raws) {
      Field field;
      const Location at{segment.name, sequence, segment.fields.size() + 1};
      if (auto problem = reader.readField(raw, at, field))
        return {std::nullopt, std::move(problem)};
      segment.fields.push_back(std::move(field));
    }
    segments.push_back(std::move(segment));
  }
  return {Message(std::move(segments), d, charset), std::nullopt};
}

}  // namespace wardprint::hl7
