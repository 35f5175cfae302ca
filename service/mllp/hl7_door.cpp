#include "mllp/hl7_door.h"

#include <chrono>

#include "hl7/header.h"
#include "hl7/message.h"

namespace wardprint::mllp {
namespace {

constexpr std::string_view kDoor = "hl7";

hl7::AckOutcome accepted() { return {hl7::AckCode::kAccept, std::nullopt}; }

hl7::AckOutcome contentError(int code, const std::string& text, const std::string& segment, std::size_t field) {
  return {hl7::AckCode::kError, hl7::AckError{code, text, segment, 1, field, 0}};
}

// The intake's id for a discharge: the mapping's external id without its "hl7:" (the
// intake adds the door's name itself).
std::string withoutDoor(const std::string& id) {
  const std::string prefix = std::string(kDoor) + ":";
  return id.rfind(prefix, 0) == 0 ? id.substr(prefix.size()) : id;
}

events::DischargeEvent eventOf(const hl7::Discharge& discharge, const events::EventRules& rules) {
  events::DischargeEvent event;
  event.eventId = discharge.externalId;
  event.dischargedAt = discharge.dischargedAt;
  event.ward = discharge.ward;
  // One name only is kept as the family name, as the JSON API does.
  event.patient.givenName = discharge.familyName ? discharge.givenName : std::nullopt;
  event.patient.familyName = discharge.familyName.value_or(discharge.givenName.value_or(""));
  event.patient.hospitalNumber = discharge.hospitalNumber;
  event.patient.nhsNumber = discharge.nhsNumber;
  event.patient.dateOfBirth = discharge.dateOfBirth;
  event.procedure.type = discharge.procedure.value_or("");
  event.procedure.levels = discharge.levels;
  event.procedure.performedAt = discharge.procedureAt;
  event.procedure.clinician = discharge.clinician;
  event.language = rules.defaultLanguage;
  return event;
}

date::sys_seconds nowOf(const intake::Intake& intake) {
  return date::floor<std::chrono::seconds>(
      date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(intake.now())));
}

// A discharge the intake could not take as it is (a name no font can draw) is recorded
// for a nurse instead.
const intake::NotPrinted kUndrawable{
    "no_font", "Not printed: the leaflet fonts cannot print a letter of the name. Print one by hand if it is needed."};

}  // namespace

Hl7Door::Hl7Door(intake::Intake& intake, hl7::MappingConfig mapping, util::Log log)
    : intake_(intake), mapping_(std::move(mapping)), log_(std::move(log)) {
  for (const auto& layout : intake_.rules().layouts) {
    if (!layout.largePrint && layout.language == intake_.rules().defaultLanguage) {
      proceduresWithLeaflets_.insert(layout.procedure);
    }
  }
  // Stored messages declare their charset (see discharge()), so any default reads them.
  intake_.readOriginalsWith([&intake, mapping = mapping_, procedures = proceduresWithLeaflets_](
                                const std::string& original) -> std::optional<events::DischargeEvent> {
    const auto parsed = hl7::parseMessage(original, mapping.defaultCharset);
    if (!parsed.message) return std::nullopt;
    const auto mapped = hl7::mapMessage(*parsed.message, nowOf(intake), mapping, procedures);
    if (!mapped.discharge) return std::nullopt;
    return eventOf(*mapped.discharge, intake.rules());
  });
}

std::string Hl7Door::nextControlId() {
  return "WP" + std::to_string(intake_.now()) + "-" + std::to_string(++acks_);
}

Hl7Answer Hl7Door::answer(std::string_view message, const Hl7Sender& sender, hl7::Charset defaultCharset) {
  const auto header = hl7::readHeader(message);
  const auto outcome = decide(message, sender, defaultCharset);
  log_.info("hl7: " + header.messageType + "^" + header.triggerEvent + " " + header.controlId + " from " +
            sender.name + (sender.address.empty() ? "" : " at " + sender.address) + ": ACK " +
            hl7::ackCodeText(outcome.code, hl7::enhancedMode(header)));
  const hl7::AckStamp stamp{nextControlId(), nowOf(intake_)};
  return {hl7::buildAck(header, outcome, stamp), hl7::wantsAck(header, outcome.code)};
}

hl7::AckOutcome Hl7Door::decide(std::string_view message, const Hl7Sender& sender, hl7::Charset defaultCharset) {
  const auto parsed = hl7::parseMessage(message, defaultCharset);
  if (parsed.error) {
    log_.warning("hl7: refused a message that could not be read: " + parsed.error->reason);
    intake_.refuse({{"hl7", parsed.error->reason}});
    return hl7::ackOutcome(*parsed.error);
  }
  const auto mapped = hl7::mapMessage(*parsed.message, nowOf(intake_), mapping_, proceduresWithLeaflets_);
  for (const auto& warning : mapped.warnings) log_.warning("hl7: " + mapped.triggerEvent + ": " + warning);
  switch (mapped.kind) {
    case hl7::Mapped::Kind::kPrint:
    case hl7::Mapped::Kind::kNotPrinted:
      return discharge(mapped, hl7::withCharsetDeclared(message, parsed.message->charset()), sender);
    case hl7::Mapped::Kind::kCancel:
      return cancel(*mapped.cancellation, sender);
    case hl7::Mapped::Kind::kIgnore:
      return accepted();
    case hl7::Mapped::Kind::kRefuse:
      break;
  }
  const auto outcome = hl7::ackOutcome(mapped);
  if (outcome.error) {
    log_.warning("hl7: refused a message: " + std::to_string(outcome.error->code) + " " + outcome.error->text);
    intake_.refuse({{"hl7", outcome.error->text}});
  }
  return outcome;
}

hl7::AckOutcome Hl7Door::discharge(const hl7::Mapped& mapped, std::string_view message, const Hl7Sender& sender) {
  const auto event = eventOf(*mapped.discharge, intake_.rules());
  const intake::Source source{std::string(kDoor), withoutDoor(mapped.discharge->externalId), sender.name,
                              std::string(message), sender.wards};
  auto outcome = mapped.reason
                     ? intake_.recordNotPrinted(event, source,
                                                {std::string(hl7::reasonCode(*mapped.reason)),
                                                 std::string(hl7::reasonText(*mapped.reason))})
                     : intake_.accept(event, source);
  if (outcome.kind == intake::AcceptOutcome::kInvalid) outcome = intake_.recordNotPrinted(event, source, kUndrawable);
  switch (outcome.kind) {
    case intake::AcceptOutcome::kAccepted:
      return accepted();
    case intake::AcceptOutcome::kRepeat:
      log_.info("hl7: document " + outcome.documentId + " sent again; kept as it was");
      return accepted();
    case intake::AcceptOutcome::kConflict:
      log_.warning("hl7: document " + outcome.documentId + " sent again with other content; refused");
      return contentError(205, "this discharge was sent before with other content; it was not changed", "MSH", 10);
    case intake::AcceptOutcome::kForbidden:
      log_.warning("hl7: " + sender.name + " may not send for ward " + event.ward + "; refused");
      return contentError(103, "this sender may not send for that ward", "PV1", 3);
    case intake::AcceptOutcome::kInvalid:
      break;
    case intake::AcceptOutcome::kStorageUnavailable:
    case intake::AcceptOutcome::kStorageDamaged:
    case intake::AcceptOutcome::kFailed:
      log_.error("hl7: a discharge could not be stored; the sender was asked to send it again");
      return hl7::storageFailure();
  }
  return contentError(207, "wardprint could not take this discharge", "", 0);
}

hl7::AckOutcome Hl7Door::cancel(const hl7::Cancellation& cancellation, const Hl7Sender& sender) {
  // The exact discharge when the A13 gives its time, else (or when that finds none, its
  // time having come from another field) the visit's latest.
  auto outcome = intake::CancelOutcome{intake::CancelOutcome::kNotFound, ""};
  if (cancellation.externalId) {
    outcome = intake_.cancel({std::string(kDoor), withoutDoor(*cancellation.externalId), true, sender.name});
  }
  if (outcome.kind == intake::CancelOutcome::kNotFound) {
    outcome = intake_.cancel({std::string(kDoor), withoutDoor(cancellation.visitKey), false, sender.name});
  }
  switch (outcome.kind) {
    case intake::CancelOutcome::kCancelled:
      return accepted();
    case intake::CancelOutcome::kNotFound:
      log_.info("hl7: a cancellation found no discharge to cancel");
      return accepted();
    case intake::CancelOutcome::kTooLate:
      log_.warning("hl7: a cancelled discharge's leaflet had already been sent to the printer: document " +
                   outcome.documentId);
      return accepted();
    case intake::CancelOutcome::kStorageUnavailable:
    case intake::CancelOutcome::kStorageDamaged:
      break;
  }
  log_.error("hl7: a cancellation could not be stored; the sender was asked to send it again");
  return hl7::storageFailure();
}

}  // namespace wardprint::mllp
