#include "events/nhs_number.h"

#include <doctest/doctest.h>

using namespace wardprint::events;

TEST_CASE("checkNhsNumber accepts valid numbers, plain or grouped 3-3-4") {
  CHECK(checkNhsNumber("9434765919").digits == "9434765919");
  CHECK_FALSE(checkNhsNumber("9434765919").error);
  CHECK(checkNhsNumber("943 476 5919").digits == "9434765919");
  CHECK(checkNhsNumber("4010232137").digits == "4010232137");
}

TEST_CASE("checkNhsNumber treats a check value of 11 as check digit 0") {
  // 1 x 10 + 6 x 2 = 22, 22 % 11 = 0, so the check value is 11, written as 0.
  CHECK(checkNhsNumber("1000000060").digits == "1000000060");
}

TEST_CASE("checkNhsNumber refuses a wrong check digit, and a check value of 10") {
  CHECK((checkNhsNumber("9434765918").error == NhsNumberError::kBadCheckDigit));
  CHECK_FALSE(checkNhsNumber("9434765918").digits);
  // 1,0,0,0,0,0,0,0,1: 10 + 2 = 12, 12 % 11 = 1, 11 - 1 = 10: no valid check digit exists.
  CHECK((checkNhsNumber("1000000010").error == NhsNumberError::kBadCheckDigit));
}

TEST_CASE("checkNhsNumber refuses anything but ten digits") {
  for (const char* text : {"943476591", "94347659190", "943-476-5919", "94347659l9", "", "943 4765919"}) {
    CAPTURE(text);
    const auto result = checkNhsNumber(text);
    CHECK_FALSE(result.digits);
    CHECK((result.error == NhsNumberError::kNotTenDigits));
  }
}

TEST_CASE("formatNhsNumber groups 3-3-4") {
  CHECK(formatNhsNumber("9434765919") == "943 476 5919");
}
