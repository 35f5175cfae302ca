#pragma once

#include <date/date.h>

#include <cstddef>
#include <optional>
#include <string>

#include "hl7/header.h"

namespace wardprint::hl7 {

// The three answers, spelt AA/AE/AR in original mode and CA/CE/CR in enhanced mode.
enum class AckCode {
  kAccept,  // stored (or deliberately not acted on): the sender may forget the message
  kError,   // content that can never be accepted: engines suspend it for a person
  kReject,  // unparseable, unsupported processing id or version, or storage down: engines retry
};

// One error, as HL7 table 0357 codes it, and where it is. `text` is plain words that never
// quote patient data. segment "" means no location.
struct AckError {
  int code = 207;  // 0357: 100 segment sequence, 101 required field missing, 102 data type,
                   // 103 table value not found, 200-203 unsupported type/event/processing
                   // id/version, 207 application internal error
  std::string text;
  std::string segment;
  std::size_t sequence = 1;
  std::size_t field = 0;
  std::size_t component = 0;  // 0: the whole field
};

struct AckOutcome {
  AckCode code = AckCode::kAccept;
  std::optional<AckError> error;
};

// What wardprint puts in the ACK's own MSH: a fresh MSH-10 and the MSH-7 time. The caller
// generates both (a clock and an id generator), so tests can fix them.
struct AckStamp {
  std::string controlId;
  date::sys_seconds now;
};

// Enhanced mode: MSH-15 or MSH-16 is set. Original mode: both empty.
bool enhancedMode(const Header& header);

// The code as MSA-1 spells it: AA, AE or AR in original mode, CA, CE or CR in enhanced mode.
std::string ackCodeText(AckCode code, bool enhanced);

// Whether to send the ACK over MLLP at all. Original mode: always. Enhanced mode as MSH-15
// asks: AL (or empty, or unknown) always, NE never, ER only for kError/kReject, SU only for
// kAccept. When this is false the MLLP listener sends nothing for that message and reads the
// next frame: the sender said it will not wait, and an unasked-for ACK could be taken as
// the answer to its next message. POST /v1/hl7 answers every request with buildAck anyway.
bool wantsAck(const Header& header, AckCode code);

// The ACK message (segments ending CR, no MLLP framing): MSH with MSH-3/4 and MSH-5/6 of
// the original swapped, MSH-9 ACK^<trigger>^ACK, MSH-10 from `stamp`, MSH-11 and MSH-12
// echoed; MSA-1 the code, MSA-2 the original MSH-10. An error is written as ERR-2 location,
// ERR-3 code^text^HL70357, ERR-4 E for v2.5 and later; before 2.5 as MSA-3 text and
// ERR-1 segment^sequence^field^code&text&HL70357. Works for an unreadable header too (the
// minimal ACK: empty sender, receiver and MSA-2, version 2.5).
std::string buildAck(const Header& header, const AckOutcome& outcome, const AckStamp& stamp);

}  // namespace wardprint::hl7
