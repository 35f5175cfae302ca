#pragma once

#include <atomic>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "hl7/charset.h"
#include "hl7/adt_mapping.h"
#include "intake/intake.h"
#include "util/log.h"

namespace wardprint::mllp {

// Who sent a message: named in the print job's history, limited to some wards or not.
struct Hl7Sender {
  std::string name = "hl7 interface";
  std::optional<std::set<std::string>> wards;  // nullopt: every ward
  std::string address;  // the client's address, for the log
};

// The ACK for one message, unframed, and whether the sender asked for it (enhanced mode may
// ask for none: the MLLP listener then sends nothing, HTTP answers it anyway).
struct Hl7Answer {
  std::string ack;
  bool wanted = true;
};

// HL7 v2's front door, shared by the MLLP listener and POST /v1/hl7: parses a message,
// maps it (hl7/adt_mapping.h), hands the decision to the intake (print, record as not
// printed, cancel, ignore or refuse) and builds the ACK. AA/CA only once the intake has
// committed; AR/CR 207 when the store cannot write, so the engine sends it again. Stores
// each discharge's message (its charset declared in MSH-18) and reads it back for the
// intake's reprints in large print or another language.
// Thread-safe; never throws for bad input. Logs each message's ACK code (info), the
// decision with its document id, and warnings and refusals: never patient data.
class Hl7Door {
 public:
  Hl7Door(intake::Intake& intake, hl7::MappingConfig mapping, util::Log log);

  // `defaultCharset` is for a message with an empty MSH-18 (hl7.default_charset over MLLP;
  // UTF-8 over HTTP, where the body's charset is UTF-8).
  Hl7Answer answer(std::string_view message, const Hl7Sender& sender, hl7::Charset defaultCharset);

 private:
  hl7::AckOutcome decide(std::string_view message, const Hl7Sender& sender, hl7::Charset defaultCharset);
  hl7::AckOutcome discharge(const hl7::Mapped& mapped, std::string_view message, const Hl7Sender& sender);
  hl7::AckOutcome cancel(const hl7::Cancellation& cancellation, const Hl7Sender& sender);
  std::string nextControlId();

  intake::Intake& intake_;
  hl7::MappingConfig mapping_;
  util::Log log_;
  std::set<std::string> proceduresWithLeaflets_;
  std::atomic<std::uint64_t> acks_{0};
};

}  // namespace wardprint::mllp
