#include "hl7/datetime.h"

#include <doctest/doctest.h>

namespace wardprint::hl7 {
namespace {

using namespace std::chrono_literals;
using date::sys_days;
using date::year;

const date::time_zone& london() { return *date::locate_zone("Europe/London"); }

}  // namespace

TEST_CASE("HL7 date-times read with and without offsets - seconds and fractions") {
  const auto dec2 = sys_days{year{2026} / 12 / 2};
  const auto jul1 = sys_days{year{2026} / 7 / 1};
  const struct {
    std::string text;
    std::optional<date::sys_seconds> time;
  } cases[] = {
      {"202612020830", dec2 + 8h + 30min},  // GMT in winter
      {"20261202083015", dec2 + 8h + 30min + 15s},
      {"202607011430", jul1 + 13h + 30min},  // BST in summer
      {"20260701143000+0000", jul1 + 14h + 30min},
      {"20260701143000-0500", jul1 + 19h + 30min},
      {"202607011430+0215", jul1 + 12h + 15min},
      {"20210817151943.4+0200", sys_days{year{2021} / 8 / 17} + 13h + 19min + 43s},
      {"20261202083015.1234", dec2 + 8h + 30min + 15s},
      {"202610250130", sys_days{year{2026} / 10 / 25} + 0h + 30min},  // ambiguous: the first 01:30
      {"20261202", std::nullopt},                                     // no time of day
      {"2026120208", std::nullopt},                                   // hour only
      {"202612020860", std::nullopt},
      {"202602300830", std::nullopt},  // 30 February
      {"202612020830+02", std::nullopt},
      {"202612020830Z", std::nullopt},
      {"20261202083015.", std::nullopt},
      {"2026-12-02T08:30", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(parseDateTime(c.text, london()) == c.time);
  }
}

TEST_CASE("a date of birth reads its date and ignores a time after it") {
  const date::year_month_day born{year{1980} / 6 / 1};
  CHECK(parseDate("19800601") == born);
  CHECK(parseDate("19800601141210") == born);
  CHECK(parseDate("19800601141210.5+0100") == born);
  CHECK_FALSE(parseDate("198006"));
  CHECK_FALSE(parseDate("19800631"));
  CHECK_FALSE(parseDate("19800601 noon"));
  CHECK_FALSE(parseDate("1980-06-01"));
}

}  // namespace wardprint::hl7
