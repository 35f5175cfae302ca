#pragma once

#include <date/date.h>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/ack.h"
#include "hl7/discharge.h"
#include "hl7/mapping_config.h"
#include "hl7/message.h"

// How a front door (the MLLP listener, POST /v1/hl7) uses this module, per message:
//   MllpDecoder::feed -> kFrame payload (or the HTTP body)
//   parseMessage(payload, config.defaultCharset)
//     error   -> outcome = ackOutcome(parseError)
//     message -> mapped = mapMessage(message, now, config, proceduresWithLeaflets)
//                the intake stores mapped (kPrint, kNotPrinted, kCancel) in one transaction;
//                outcome = committed ? ackOutcome(mapped) : storageFailure()
//   header = readHeader(payload)
//   if wantsAck(header, outcome.code) (always for HTTP): send buildAck(header, outcome, stamp)
// Every step is pure and never throws for bad input (mapMessage throws only for bad config).

namespace wardprint::hl7 {

// Why a discharge is recorded but not printed.
enum class NotPrintedReason {
  kDied,       // PID-30 Y, PID-29 set, or a died disposition in PV1-36/37
  kTooOld,     // discharged longer ago than config.maxAge
  kNoLeaflet,  // needs a nurse: no procedure known, or no leaflet for it
};

// "died", "too_old", "no_leaflet": the code stored with the decision and counted in metrics.
std::string_view reasonCode(NotPrintedReason reason);
// One plain sentence for the nurse page ("Not printed: the patient died.").
std::string_view reasonText(NotPrintedReason reason);

// What one message asks of wardprint.
struct Mapped {
  enum class Kind {
    kPrint,       // discharge set: store it and print its leaflet
    kNotPrinted,  // discharge and reason set: store the decision, print nothing
    kCancel,      // cancellation set (ADT^A13)
    kIgnore,      // another trigger event (A01, A08...): store nothing, answer AA
    kRefuse,      // refusal set: store nothing, answer with it (AE or AR)
  };
  Kind kind = Kind::kRefuse;
  std::optional<Discharge> discharge;
  std::optional<NotPrintedReason> reason;
  std::optional<Cancellation> cancellation;
  std::optional<AckOutcome> refusal;
  std::string triggerEvent;           // MSH-9.2 (or EVN-1 when MSH-9.2 is empty)
  std::vector<std::string> warnings;  // fields left out, e.g. an invalid NHS number
};

// Turns a parsed message into a decision; pure. Order: MSH-11 processing id not in
// config (AR 202), MSH-12 version outside 2.3-2.8 (AR 203), a message type other than
// ADT (AE 200); then by trigger event: A03 a discharge, A13 a cancellation, any other
// kIgnore. A03 content that can never be printed answers AE: no PID-3 hospital number,
// no name, PV1-3.1 missing (101) or not in config.locations (103), no discharge time (101)
// or one that is not a time (102). An accepted A03 is then kNotPrinted if the patient died,
// if it is older than config.maxAge at `now`, or if it has no procedure or its procedure is
// not in `proceduresWithLeaflets`; else kPrint.
// Throws util::ConfigError if config.timezone is not a known time zone (validateMappingConfig
// at startup catches that first).
Mapped mapMessage(const Message& message, date::sys_seconds now, const MappingConfig& config,
                  const std::set<std::string>& proceduresWithLeaflets);

// The external id of a discharge: "hl7:<source>/visit/<visit number>/<time>", or with no
// visit number "hl7:<source>/patient/<hospital number>/<time>", time as
// 2026-12-02T08:30:00Z; '/' and '%' inside the parts are percent-encoded. A resend, or the
// same discharge sent again with a new MSH-10, gives the same id.
std::string visitKey(std::string_view source, const std::optional<std::string>& visitNumber,
                     std::string_view hospitalNumber);
std::string externalId(std::string_view visitKey, date::sys_seconds dischargedAt);

// The ACK outcome of a message before storage: AA for kPrint, kNotPrinted, kCancel and
// kIgnore, the refusal otherwise. (The intake answers storageFailure() instead when it
// cannot commit.)
AckOutcome ackOutcome(const Mapped& mapped);
// A message that did not parse: AR 100 when it is not HL7 at all; AE 102 with the location
// when its bytes or escapes are bad (resending the same bytes can never succeed).
AckOutcome ackOutcome(const ParseError& error);
// The store could not commit: AR/CR 207, so that the engine sends the message again.
AckOutcome storageFailure();

}  // namespace wardprint::hl7
