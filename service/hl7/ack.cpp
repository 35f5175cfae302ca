#include "hl7/ack.h"

#include "hl7/escapes.h"

namespace wardprint::hl7 {
namespace {

constexpr char kSegmentEnd = '\r';
constexpr const char* kDefaultVersion = "2.5";

std::string versionOf(const Header& header) {
  const std::string version = header.version.substr(0, header.version.find('^'));
  return version.empty() ? kDefaultVersion : header.version;
}

// segment^sequence^field[^1^component]; "" without a segment.
std::string location(const AckError& error) {
  if (error.segment.empty()) return {};
  std::string text = error.segment + '^' + std::to_string(error.sequence) + '^';
  if (error.field > 0) text += std::to_string(error.field);
  if (error.component > 0) text += "^1^" + std::to_string(error.component);
  return text;
}

// The error's words, escaped, with anything but printable ASCII as '?'.
std::string errorText(const std::string& text) {
  std::string printable = text;
  for (char& c : printable) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) c = '?';
  }
  return escape(printable, Delimiters{});
}

std::string errSegment(const AckError& error, bool modern) {
  const std::string text = errorText(error.text);
  if (modern) {
    return "ERR||" + location(error) + '|' + std::to_string(error.code) + '^' + text + "^HL70357|E";
  }
  // ERR-1 (ELD): segment^sequence^field^code&text&HL70357.
  std::string where = error.segment.empty()
                          ? "^^"
                          : error.segment + '^' + std::to_string(error.sequence) + '^' +
                                (error.field > 0 ? std::to_string(error.field) : "");
  return "ERR|" + where + '^' + std::to_string(error.code) + '&' + text + "&HL70357";
}

}  // namespace

std::string ackCodeText(AckCode code, bool enhanced) {
  const char first = enhanced ? 'C' : 'A';
  switch (code) {
    case AckCode::kAccept:
      return {first, 'A'};
    case AckCode::kError:
      return {first, 'E'};
    case AckCode::kReject:
      break;
  }
  return {first, 'R'};
}

bool enhancedMode(const Header& header) {
  return !header.acceptAckType.empty() || !header.applicationAckType.empty();
}

bool wantsAck(const Header& header, AckCode code) {
  if (!enhancedMode(header)) return true;
  const std::string& asked = header.acceptAckType;
  if (asked == "NE") return false;
  if (asked == "ER") return code != AckCode::kAccept;
  if (asked == "SU") return code == AckCode::kAccept;
  return true;
}

std::string buildAck(const Header& header, const AckOutcome& outcome, const AckStamp& stamp) {
  const Delimiters d;
  const std::string version = versionOf(header);
  const bool modern = versionAtLeast(version, 2, 5);
  const std::string trigger = header.triggerEvent.empty() ? "" : '^' + header.triggerEvent + "^ACK";

  std::string ack = "MSH|^~\\&|" + header.receivingApplication + '|' + header.receivingFacility +
                    '|' + header.sendingApplication + '|' + header.sendingFacility + '|' +
                    date::format("%Y%m%d%H%M%S", stamp.now) + "+0000||ACK" + trigger + '|' +
                    escape(stamp.controlId, d) + '|' +
                    (header.processingId.empty() ? "P" : header.processingId) + '|' + version;
  ack += kSegmentEnd;
  ack += "MSA|" + ackCodeText(outcome.code, enhancedMode(header)) + '|' + header.controlId;
  if (outcome.error && !modern) ack += '|' + errorText(outcome.error->text);
  ack += kSegmentEnd;
  if (outcome.error) {
    ack += errSegment(*outcome.error, modern);
    ack += kSegmentEnd;
  }
  return ack;
}

}  // namespace wardprint::hl7
