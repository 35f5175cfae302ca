#include "hl7/patient.h"

#include "events/nhs_number.h"
#include "hl7/datetime.h"
#include "hl7/text.h"

namespace wardprint::hl7 {
namespace {

constexpr std::size_t kPid3 = 3, kPid5 = 5, kPid7 = 7, kPid29 = 29, kPid30 = 30;
constexpr std::size_t kPv1Disposition = 36, kPv1DischargedTo = 37;
constexpr std::size_t kCxValue = 1, kCxAuthority = 4, kCxType = 5;

std::optional<std::string> nonEmpty(std::string text) {
  text = trimmed(text);
  if (text.empty()) return std::nullopt;
  return text;
}

bool isNhsIdentifier(const Field& pid3, std::size_t rep) {
  const std::string type = upperAscii(pid3.component(kCxType, 1, rep));
  return upperAscii(pid3.component(kCxAuthority, 1, rep)) == "NHS" || type == "NH" || type == "HN";
}

bool matches(const std::string& wanted, const std::string& actual) {
  return wanted.empty() || upperAscii(wanted) == upperAscii(actual);
}

// The family name from XPN.1's subcomponents (surname & own surname prefix & own surname &
// partner's prefix & partner's surname): the surname, with its prefix ("van") in front
// when the surname does not already start with it; or else the other parts joined.
std::optional<std::string> familyName(const Field& pid5, std::size_t rep) {
  const std::string surname = trimmed(pid5.component(1, 1, rep));
  const std::string prefix = trimmed(pid5.component(1, 2, rep));
  if (!surname.empty()) {
    if (prefix.empty() || surname.compare(0, prefix.size(), prefix) == 0) return surname;
    return prefix + ' ' + surname;
  }
  std::string joined;
  for (std::size_t sub = 2; sub <= 5; ++sub) {
    const std::string part = trimmed(pid5.component(1, sub, rep));
    if (part.empty()) continue;
    if (!joined.empty()) joined += ' ';
    joined += part;
  }
  return nonEmpty(joined);
}

std::optional<std::string> nhsNumber(const Field& pid3, std::vector<std::string>& warnings) {
  for (std::size_t rep = 1; rep <= pid3.repetitionCount(); ++rep) {
    const std::string& value = pid3.component(kCxValue, 1, rep);
    if (value.empty() || !isNhsIdentifier(pid3, rep)) continue;
    const auto checked = events::checkNhsNumber(value);
    if (checked.digits) return checked.digits;
    warnings.push_back("PID-3: the NHS number is not valid (" +
                       std::string(checked.error == events::NhsNumberError::kBadCheckDigit
                                       ? "its check digit is wrong"
                                       : "it is not ten digits") +
                       "), so it is left off the leaflet");
    return std::nullopt;
  }
  return std::nullopt;
}

AckError missing(std::size_t field, std::string text) {
  return AckError{101, std::move(text), "PID", 1, field, 0};
}

}  // namespace

std::optional<std::string> hospitalNumber(const Message& message, const IdentifierRule& rule) {
  const Field& pid3 = message.field("PID", kPid3);
  const bool byPosition = rule.type.empty() && rule.assigningAuthority.empty();
  for (std::size_t rep = 1; rep <= pid3.repetitionCount(); ++rep) {
    auto value = nonEmpty(pid3.component(kCxValue, 1, rep));
    if (!value) continue;
    if (byPosition ? !isNhsIdentifier(pid3, rep)
                   : matches(rule.type, pid3.component(kCxType, 1, rep)) &&
                         matches(rule.assigningAuthority, pid3.component(kCxAuthority, 1, rep))) {
      return value;
    }
  }
  return std::nullopt;
}

std::optional<AckError> readPatient(const Message& message, const IdentifierRule& rule,
                                    Discharge& out, std::vector<std::string>& warnings) {
  if (!message.segment("PID")) return AckError{100, "the message has no PID segment", "", 1, 0, 0};
  const auto number = hospitalNumber(message, rule);
  if (!number) return missing(kPid3, "PID-3 has no hospital number of the configured kind");
  out.hospitalNumber = *number;
  out.nhsNumber = nhsNumber(message.field("PID", kPid3), warnings);

  const Field& pid5 = message.field("PID", kPid5);
  std::size_t rep = 1;
  for (std::size_t r = 1; r <= pid5.repetitionCount(); ++r) {
    if (upperAscii(pid5.component(7, 1, r)) == "L") {
      rep = r;
      break;
    }
  }
  out.familyName = familyName(pid5, rep);
  out.givenName = nonEmpty(pid5.component(2, 1, rep));
  if (!out.familyName && !out.givenName) return missing(kPid5, "PID-5 has no patient name");

  const std::string& dob = message.component("PID", kPid7, 1);
  if (!dob.empty()) {
    out.dateOfBirth = parseDate(dob);
    if (!out.dateOfBirth)
      warnings.push_back("PID-7: the date of birth is not a date, so it is left off the leaflet");
  }
  return std::nullopt;
}

bool patientDied(const Message& message, const std::set<std::string>& diedDispositions) {
  if (upperAscii(trimmed(message.component("PID", kPid30, 1))) == "Y") return true;
  if (!message.field("PID", kPid29).empty()) return true;
  for (const std::string& value : {message.component("PV1", kPv1Disposition, 1),
                                   message.component("PV1", kPv1DischargedTo, 1)}) {
    const std::string wanted = upperAscii(trimmed(value));
    if (wanted.empty()) continue;
    for (const std::string& died : diedDispositions) {
      if (upperAscii(died) == wanted) return true;
    }
  }
  return false;
}

}  // namespace wardprint::hl7
