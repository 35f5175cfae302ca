#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wardprint::hl7 {

// The character sets wardprint reads HL7 text in (MSH-18).
enum class Charset { kAscii, kLatin1, kUtf8 };

// Maps an MSH-18 value to a charset: "UNICODE UTF-8" and "UTF-8", "8859/1", "ASCII"
// (case and surrounding spaces ignored). Returns nullopt for an empty or unsupported value.
std::optional<Charset> charsetFromName(std::string_view name);

// The MSH-18 spelling of a charset ("UNICODE UTF-8", "8859/1", "ASCII").
std::string_view charsetName(Charset charset);

// Bytes in `charset` converted to UTF-8. Returns nullopt when a byte is not valid in that
// charset: bad UTF-8, a byte over 0x7F in ASCII, or a C1 control byte (0x80-0x9F) in 8859/1,
// which is what Windows-1252 text mislabelled as Latin-1 looks like.
std::optional<std::string> toUtf8(std::string_view bytes, Charset charset);

}  // namespace wardprint::hl7
