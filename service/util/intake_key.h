#pragma once

#include <string>

namespace wardprint::util {

// The one key a discharge is known by, whatever front door it came in by: the SHA-256
// (hex) of "<front door>:<the sender's own id>" ("json:ADT-000123", later "hl7:...",
// "fhir:..."). Ids of any length or alphabet fit, and two doors' ids never collide.
// The intake keys every discharge with it; the store uses it to re-key stores written
// before it existed (their event ids all came in by the JSON door).
std::string intakeKey(const std::string& frontDoor, const std::string& externalId);

}  // namespace wardprint::util
