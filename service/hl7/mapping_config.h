#pragma once

#include <date/tz.h>

#include <chrono>
#include <map>
#include <set>
#include <string>

#include "hl7/charset.h"

namespace wardprint::hl7 {

// Which PID-3 repetition is the hospital number: the first whose CX.5 type code and CX.4
// assigning authority match the ones given here ("" matches anything). With both empty,
// the first repetition with a value that is not the NHS number.
struct IdentifierRule {
  std::string type;                // e.g. "MR"
  std::string assigningAuthority;  // e.g. "RRV"
};

// PV1-36 (discharge disposition) and PV1-37.1 (discharged to) values that mean the patient
// died, compared without regard to case: words senders use, NHS discharge method codes 4
// (patient died) and 5 (stillbirth), and NHS discharge destination code 79 (not
// applicable: patient died or stillbirth).
std::set<std::string> defaultDiedDispositions();

// The hl7: section of the configuration, already typed (the YAML loader fills it).
struct MappingConfig {
  std::set<std::string> processingIds{"P"};   // MSH-11.1 values accepted; others get AR 202
  Charset defaultCharset = Charset::kLatin1;  // for messages with an empty MSH-18
  std::string timezone = "Europe/London";     // for timestamps without an offset
  IdentifierRule hospitalNumber;
  std::map<std::string, std::string> locations;          // PV1-3.1 point of care -> ward id
  std::map<std::string, std::string> procedureCodes;     // PR1-3.1 -> procedure
  std::map<std::string, std::string> defaultProcedures;  // ward id -> its only procedure
  std::set<std::string> diedDispositions = defaultDiedDispositions();
  std::chrono::hours maxAge{24};  // older discharges are recorded, not printed
};

// The config's time zone. Throws util::ConfigError naming hl7.timezone if it is unknown.
const date::time_zone& timeZoneOf(const MappingConfig& config);

// Checks a loaded config against the deployment: the time zone is known, at least one
// processing id is accepted, max age is positive, every location maps to one of `wards`
// and every default procedure belongs to one. Throws util::ConfigError naming the key
// ("hl7.locations.T11E: ...") at the first problem, so the daemon refuses to start.
void validateMappingConfig(const MappingConfig& config, const std::set<std::string>& wards);

}  // namespace wardprint::hl7
