#include "events/nhs_number.h"

#include <cctype>

namespace wardprint::events {

NhsNumberResult checkNhsNumber(std::string_view text) {
  std::string digits;
  const bool grouped = text.size() == 12 && text[3] == ' ' && text[7] == ' ';
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (grouped && (i == 3 || i == 7)) continue;
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return {std::nullopt, NhsNumberError::kNotTenDigits};
    digits += text[i];
  }
  if (digits.size() != 10) return {std::nullopt, NhsNumberError::kNotTenDigits};

  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (digits[i] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10 || check != digits[9] - '0') return {std::nullopt, NhsNumberError::kBadCheckDigit};
  return {digits, std::nullopt};
}

std::string formatNhsNumber(std::string_view digits) {
  if (digits.size() != 10) return std::string(digits);
  return std::string(digits.substr(0, 3)) + " " + std::string(digits.substr(3, 3)) + " " +
         std::string(digits.substr(6));
}

}  // namespace wardprint::events
