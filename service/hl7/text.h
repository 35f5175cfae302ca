#pragma once

#include <string>
#include <string_view>

namespace wardprint::hl7 {

// Small text helpers for codes in HL7 fields (ASCII case only).

// The text with ASCII letters upper-cased.
std::string upperAscii(std::string_view text);

// The text without leading and trailing spaces and tabs.
std::string trimmed(std::string_view text);

}  // namespace wardprint::hl7
