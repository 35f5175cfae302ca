#include "hl7/charset.h"

#include "hl7/text.h"
#include "util/utf8.h"

namespace wardprint::hl7 {

std::optional<Charset> charsetFromName(std::string_view name) {
  const std::string upper = upperAscii(trimmed(name));
  if (upper == "UNICODE UTF-8" || upper == "UTF-8") return Charset::kUtf8;
  if (upper == "8859/1") return Charset::kLatin1;
  if (upper == "ASCII") return Charset::kAscii;
  return std::nullopt;
}

std::string_view charsetName(Charset charset) {
  switch (charset) {
    case Charset::kUtf8:
      return "UNICODE UTF-8";
    case Charset::kLatin1:
      return "8859/1";
    case Charset::kAscii:
      break;
  }
  return "ASCII";
}

std::optional<std::string> toUtf8(std::string_view bytes, Charset charset) {
  if (charset == Charset::kUtf8) {
    if (!util::decodeUtf8(bytes)) return std::nullopt;
    return std::string(bytes);
  }
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out += c;
    } else if (charset == Charset::kAscii || byte < 0xA0) {
      return std::nullopt;
    } else {
      out += util::encodeUtf8(byte);
    }
  }
  return out;
}

}  // namespace wardprint::hl7
