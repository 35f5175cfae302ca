#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hl7/ack.h"
#include "hl7/discharge.h"
#include "hl7/mapping_config.h"
#include "hl7/message.h"

namespace wardprint::hl7 {

// PID-3.1 of the repetition `rule` chooses (see IdentifierRule), or nullopt.
std::optional<std::string> hospitalNumber(const Message& message, const IdentifierRule& rule);

// Fills the patient's part of `out` from PID: hospital number, NHS number, names, date of
// birth. Returns the error that makes the message unacceptable (AE): no hospital number
// (101 at PID-3) or no name at all (101 at PID-5). An NHS number failing its check digit,
// or an unreadable date of birth, is left out with a warning added to `warnings`; warnings
// name fields, never their values.
std::optional<AckError> readPatient(const Message& message, const IdentifierRule& rule,
                                    Discharge& out, std::vector<std::string>& warnings);

// True when the message says the patient died: PID-30 is Y, PID-29 has a time, or PV1-36
// or PV1-37.1 is one of `diedDispositions` (compared without regard to case).
bool patientDied(const Message& message, const std::set<std::string>& diedDispositions);

}  // namespace wardprint::hl7
