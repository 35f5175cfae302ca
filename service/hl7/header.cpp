#include "hl7/header.h"

#include <cctype>
#include <vector>

#include "hl7/escapes.h"

namespace wardprint::hl7 {
namespace {

// The text of one raw MSH field, re-written with the standard delimiters.
std::string standardise(std::string_view raw, const Delimiters& from) {
  const Delimiters to;
  std::string out;
  for (const char c : raw) {
    if (c == from.component) {
      out += to.component;
    } else if (c == from.repetition) {
      out += to.repetition;
    } else if (c == from.subcomponent) {
      out += to.subcomponent;
    } else if (c == from.escape) {
      out += to.escape;
    } else if (to.isDelimiter(c)) {
      out += escape(std::string_view(&c, 1), to);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += byte >= 0x20 && byte < 0x7F ? c : '?';
    }
  }
  return out;
}

std::string firstComponent(const std::string& text, std::size_t component = 1) {
  std::size_t start = 0;
  for (std::size_t i = 1; i < component; ++i) {
    start = text.find('^', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  const std::size_t end = text.find_first_of("^~", start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

Header readHeader(std::string_view bytes) {
  Header header;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  while (!bytes.empty() && (bytes.front() == '\r' || bytes.front() == '\n')) bytes.remove_prefix(1);
  const std::string_view line = bytes.substr(0, bytes.find_first_of("\r\n"));
  if (line.size() < 8 || line.substr(0, 3) != "MSH") return header;
  Delimiters d;
  d.field = line[3];
  const std::size_t encodingEnd = std::min(line.find(d.field, 4), line.size());
  if (encodingEnd - 4 < 4) return header;
  d.component = line[4];
  d.repetition = line[5];
  d.escape = line[6];
  d.subcomponent = line[7];
  header.readable = true;

  std::vector<std::string> fields{"", ""};  // MSH-1 and MSH-2 are not copied
  std::size_t start = encodingEnd + 1;
  while (start <= line.size()) {
    std::size_t end = line.find(d.field, start);
    if (end == std::string_view::npos) end = line.size();
    fields.push_back(standardise(line.substr(start, end - start), d));
    start = end + 1;
  }
  const auto field = [&fields](std::size_t n) {
    return n <= fields.size() ? fields[n - 1] : std::string();
  };
  header.sendingApplication = field(3);
  header.sendingFacility = field(4);
  header.receivingApplication = field(5);
  header.receivingFacility = field(6);
  header.messageType = firstComponent(field(9));
  header.triggerEvent = firstComponent(field(9), 2);
  header.controlId = field(10);
  header.processingId = field(11);
  header.version = field(12);
  header.acceptAckType = firstComponent(field(15));
  header.applicationAckType = firstComponent(field(16));
  return header;
}

std::string withCharsetDeclared(std::string_view bytes, Charset charset) {
  constexpr std::size_t kCharsetField = 18;
  std::string out(bytes);
  const std::size_t start = out.find("MSH");
  if (start == std::string::npos || start + 3 >= out.size()) return out;
  const char separator = out[start + 3];
  const std::size_t end = std::min(out.find_first_of("\r\n", start), out.size());
  // `at` is the separator before field `field`; MSH-1 is the separator itself, so MSH-2
  // follows the first.
  std::size_t at = start + 3;
  std::size_t field = 2;
  while (field < kCharsetField) {
    const std::size_t next = out.find(separator, at + 1);
    if (next >= end) break;
    at = next;
    ++field;
  }
  if (field < kCharsetField) {
    out.insert(end, std::string(kCharsetField - field, separator) + std::string(charsetName(charset)));
    return out;
  }
  const std::size_t valueEnd = std::min(out.find(separator, at + 1), end);
  if (valueEnd == at + 1) out.insert(at + 1, charsetName(charset));
  return out;
}

bool versionAtLeast(std::string_view version, int major, int minor) {
  const auto digit = [&version](std::size_t i) {
    return i < version.size() && std::isdigit(static_cast<unsigned char>(version[i]));
  };
  if (!digit(0) || version.size() < 3 || version[1] != '.' || !digit(2)) return true;
  const int theirMajor = version[0] - '0';
  int theirMinor = 0;
  for (std::size_t i = 2; digit(i) && i < 5; ++i) theirMinor = theirMinor * 10 + (version[i] - '0');
  return theirMajor > major || (theirMajor == major && theirMinor >= minor);
}

}  // namespace wardprint::hl7
