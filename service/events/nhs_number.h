#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wardprint::events {

// Why an NHS number was refused.
enum class NhsNumberError { kNotTenDigits, kBadCheckDigit };

// Accepts ten digits, optionally grouped 3-3-4 with single spaces ("943 476 5919").
// Gives the ten digits, or else the reason it is not a valid NHS number (modulus 11 check).
struct NhsNumberResult {
  std::optional<std::string> digits;
  std::optional<NhsNumberError> error;  // set exactly when digits is not
};
NhsNumberResult checkNhsNumber(std::string_view text);

// "9434765919" -> "943 476 5919", the way NHS numbers are printed.
std::string formatNhsNumber(std::string_view digits);

}  // namespace wardprint::events
