#include "hl7/adt_mapping.h"

#include <date/tz.h>

#include "hl7/datetime.h"
#include "hl7/patient.h"
#include "hl7/procedure.h"

namespace wardprint::hl7 {
namespace {

constexpr std::size_t kMsh3 = 3, kMsh7 = 7, kMsh9 = 9, kMsh11 = 11, kMsh12 = 12;
constexpr std::size_t kPv1Location = 3, kPv1Visit = 19, kPv1Discharge = 45;
constexpr std::size_t kEvnRecorded = 2, kEvnOccurred = 6;

Mapped refuse(AckCode code, AckError error) {
  Mapped mapped;
  mapped.kind = Mapped::Kind::kRefuse;
  mapped.refusal = AckOutcome{code, std::move(error)};
  return mapped;
}

AckError at(int code, std::string text, std::string segment, std::size_t field) {
  return AckError{code, std::move(text), std::move(segment), 1, field, 0};
}

bool supportedVersion(const std::string& version) {
  return version.size() >= 3 && version.compare(0, 2, "2.") == 0 && version[2] >= '3' &&
         version[2] <= '8' && (version.size() == 3 || version[3] == '.');
}

std::string percentEncoded(std::string_view part) {
  std::string out;
  for (const char c : part) {
    if (c == '/') {
      out += "%2F";
    } else if (c == '%') {
      out += "%25";
    } else {
      out += c;
    }
  }
  return out;
}

std::string sourceOf(const Message& message) {
  const Field& msh3 = message.field("MSH", kMsh3);
  return msh3.text().empty() ? msh3.component(2) : msh3.text();
}

std::optional<std::string> visitNumberOf(const Message& message) {
  const std::string& visit = message.component("PV1", kPv1Visit, 1);
  if (visit.empty()) return std::nullopt;
  return visit;
}

// PV1-45, else EVN-6, else EVN-2, else MSH-7: the first present one must be a time.
std::optional<AckError> dischargeTime(const Message& message, const date::time_zone& zone,
                                      date::sys_seconds& out) {
  const struct {
    const char* segment;
    std::size_t field;
  } sources[] = {
      {"PV1", kPv1Discharge}, {"EVN", kEvnOccurred}, {"EVN", kEvnRecorded}, {"MSH", kMsh7}};
  for (const auto& source : sources) {
    const std::string& text = message.component(source.segment, source.field, 1);
    if (text.empty()) continue;
    const auto time = parseDateTime(text, zone);
    if (!time) {
      return at(102,
                std::string(source.segment) + '-' + std::to_string(source.field) +
                    " is not a date and time",
                source.segment, source.field);
    }
    out = *time;
    return std::nullopt;
  }
  return at(101, "no discharge time in PV1-45, EVN-6, EVN-2 or MSH-7", "PV1", kPv1Discharge);
}

Mapped mapCancel(const Message& message, const MappingConfig& config, const date::time_zone& zone,
                 Mapped mapped) {
  Cancellation cancel;
  cancel.source = sourceOf(message);
  const auto number = hospitalNumber(message, config.hospitalNumber);
  if (!number)
    return refuse(AckCode::kError,
                  at(101, "PID-3 has no hospital number of the configured kind", "PID", 3));
  cancel.hospitalNumber = *number;
  cancel.visitNumber = visitNumberOf(message);
  cancel.visitKey = visitKey(cancel.source, cancel.visitNumber, cancel.hospitalNumber);
  if (const std::string& text = message.component("PV1", kPv1Discharge, 1); !text.empty()) {
    const auto time = parseDateTime(text, zone);
    if (!time)
      return refuse(AckCode::kError,
                    at(102, "PV1-45 is not a date and time", "PV1", kPv1Discharge));
    cancel.externalId = externalId(cancel.visitKey, *time);
  }
  mapped.kind = Mapped::Kind::kCancel;
  mapped.cancellation = std::move(cancel);
  return mapped;
}

Mapped mapDischarge(const Message& message, date::sys_seconds now, const MappingConfig& config,
                    const date::time_zone& zone,
                    const std::set<std::string>& proceduresWithLeaflets, Mapped mapped) {
  Discharge discharge;
  discharge.source = sourceOf(message);
  if (auto error = readPatient(message, config.hospitalNumber, discharge, mapped.warnings)) {
    return refuse(AckCode::kError, std::move(*error));
  }
  const std::string& pointOfCare = message.component("PV1", kPv1Location, 1);
  if (pointOfCare.empty())
    return refuse(AckCode::kError, at(101, "PV1-3 has no point of care", "PV1", kPv1Location));
  const auto ward = config.locations.find(pointOfCare);
  if (ward == config.locations.end()) {
    AckError error = at(103, "PV1-3.1 is not a location wardprint serves", "PV1", kPv1Location);
    error.component = 1;
    return refuse(AckCode::kError, std::move(error));
  }
  discharge.ward = ward->second;
  if (auto error = dischargeTime(message, zone, discharge.dischargedAt))
    return refuse(AckCode::kError, std::move(*error));
  discharge.visitNumber = visitNumberOf(message);
  discharge.externalId =
      externalId(visitKey(discharge.source, discharge.visitNumber, discharge.hospitalNumber),
                 discharge.dischargedAt);
  readProcedure(message, config, zone, discharge, mapped.warnings);

  if (patientDied(message, config.diedDispositions)) {
    mapped.reason = NotPrintedReason::kDied;
  } else if (now - discharge.dischargedAt > config.maxAge) {
    mapped.reason = NotPrintedReason::kTooOld;
  } else if (!discharge.procedure || !proceduresWithLeaflets.count(*discharge.procedure)) {
    mapped.reason = NotPrintedReason::kNoLeaflet;
  }
  mapped.kind = mapped.reason ? Mapped::Kind::kNotPrinted : Mapped::Kind::kPrint;
  mapped.discharge = std::move(discharge);
  return mapped;
}

}  // namespace

std::string_view reasonCode(NotPrintedReason reason) {
  switch (reason) {
    case NotPrintedReason::kDied:
      return "died";
    case NotPrintedReason::kTooOld:
      return "too_old";
    case NotPrintedReason::kNoLeaflet:
      break;
  }
  return "no_leaflet";
}

std::string_view reasonText(NotPrintedReason reason) {
  switch (reason) {
    case NotPrintedReason::kDied:
      return "Not printed: the hospital system says the patient died.";
    case NotPrintedReason::kTooOld:
      return "Not printed: the discharge message came too long after the discharge.";
    case NotPrintedReason::kNoLeaflet:
      break;
  }
  return "Not printed: there is no leaflet for this procedure. Print one by hand if it is needed.";
}

std::string visitKey(std::string_view source, const std::optional<std::string>& visitNumber,
                     std::string_view hospitalNumber) {
  const std::string prefix = "hl7:" + percentEncoded(source);
  if (visitNumber) return prefix + "/visit/" + percentEncoded(*visitNumber) + '/';
  return prefix + "/patient/" + percentEncoded(hospitalNumber) + '/';
}

std::string externalId(std::string_view visitKey, date::sys_seconds dischargedAt) {
  return std::string(visitKey) + date::format("%Y-%m-%dT%H:%M:%SZ", dischargedAt);
}

Mapped mapMessage(const Message& message, date::sys_seconds now, const MappingConfig& config,
                  const std::set<std::string>& proceduresWithLeaflets) {
  const date::time_zone& zone = timeZoneOf(config);
  if (!config.processingIds.count(message.component("MSH", kMsh11, 1))) {
    return refuse(AckCode::kReject, at(202, "unsupported processing id", "MSH", kMsh11));
  }
  if (!supportedVersion(message.component("MSH", kMsh12, 1))) {
    return refuse(AckCode::kReject,
                  at(203, "unsupported version: wardprint reads 2.3 to 2.8", "MSH", kMsh12));
  }
  if (message.component("MSH", kMsh9, 1) != "ADT") {
    return refuse(AckCode::kError,
                  at(200, "unsupported message type: wardprint reads ADT", "MSH", kMsh9));
  }
  Mapped mapped;
  mapped.triggerEvent = message.component("MSH", kMsh9, 2);
  if (mapped.triggerEvent.empty()) mapped.triggerEvent = message.component("EVN", 1, 1);
  if (mapped.triggerEvent == "A03") {
    return mapDischarge(message, now, config, zone, proceduresWithLeaflets, std::move(mapped));
  }
  if (mapped.triggerEvent == "A13") return mapCancel(message, config, zone, std::move(mapped));
  mapped.kind = Mapped::Kind::kIgnore;
  return mapped;
}

AckOutcome ackOutcome(const Mapped& mapped) {
  if (mapped.kind == Mapped::Kind::kRefuse && mapped.refusal) return *mapped.refusal;
  return AckOutcome{AckCode::kAccept, std::nullopt};
}

AckOutcome ackOutcome(const ParseError& error) {
  if (error.kind == ParseError::Kind::kStructure) {
    return AckOutcome{AckCode::kReject,
                      AckError{100, error.reason, error.segment, error.sequence, error.field, 0}};
  }
  return AckOutcome{AckCode::kError,
                    AckError{102, error.reason, error.segment, error.sequence, error.field, 0}};
}

AckOutcome storageFailure() {
  return AckOutcome{
      AckCode::kReject,
      AckError{207, "wardprint could not store the message; send it again", "", 1, 0, 0}};
}

}  // namespace wardprint::hl7
