#pragma once

#include <string>
#include <string_view>

#include "hl7/charset.h"

namespace wardprint::hl7 {

// The MSH fields an acknowledgement needs, read loosely from the raw bytes so that even a
// message that fails to parse can be answered. Each value is ER7 text re-written with the
// standard delimiters "|^~\&" (components kept), ready to copy into an ACK; bytes that are
// not printable ASCII become '?'. A field the message lacks is "".
struct Header {
  bool readable = false;             // an MSH segment with usable delimiters was found
  std::string sendingApplication;    // MSH-3
  std::string sendingFacility;       // MSH-4
  std::string receivingApplication;  // MSH-5
  std::string receivingFacility;     // MSH-6
  std::string messageType;           // MSH-9.1
  std::string triggerEvent;          // MSH-9.2
  std::string controlId;             // MSH-10
  std::string processingId;          // MSH-11
  std::string version;               // MSH-12
  std::string acceptAckType;         // MSH-15.1
  std::string applicationAckType;    // MSH-16.1
};

// Never fails: any input gives a Header, `readable` false when no MSH could be found.
Header readHeader(std::string_view bytes);

// `bytes` (a message parseMessage has read) with MSH-18 naming `charset` when it was empty,
// so that the stored text says how it was read wherever it is read again (a message read by
// its interface's default charset is otherwise ambiguous). Unchanged when MSH-18 has a value
// or no MSH segment is found.
std::string withCharsetDeclared(std::string_view bytes, Charset charset);

// True for MSH-12 versions at or after major.minor ("2.5.1" is at least 2.5). An
// unreadable version counts as recent.
bool versionAtLeast(std::string_view version, int major, int minor);

}  // namespace wardprint::hl7
