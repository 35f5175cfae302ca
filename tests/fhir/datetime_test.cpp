#include "fhir/datetime.h"

#include <doctest/doctest.h>

namespace wardprint::fhir {
namespace {

using namespace std::chrono_literals;
using date::sys_days;
using date::year;

const date::time_zone& london() { return *date::locate_zone("Europe/London"); }

}  // namespace

TEST_CASE("FHIR dates and date-times read as a day or an instant") {
  const struct {
    const char* text;
    std::optional<TimeOrDay> expected;
  } cases[] = {
      {"2026-11-24", TimeOrDay{year{2026} / 11 / 24}},
      {"2026-11-24T14:30:00Z", TimeOrDay{sys_days{year{2026} / 11 / 24} + 14h + 30min}},
      {"2026-07-24T14:30:00+01:00", TimeOrDay{sys_days{year{2026} / 7 / 24} + 13h + 30min}},
      {"2026-11-24T14:30:00.250Z", TimeOrDay{sys_days{year{2026} / 11 / 24} + 14h + 30min}},
      // No offset: local to the configured zone (BST in July, GMT in November).
      {"2026-07-24T14:30:00", TimeOrDay{sys_days{year{2026} / 7 / 24} + 13h + 30min}},
      {"2026-11-24T14:30:00.5", TimeOrDay{sys_days{year{2026} / 11 / 24} + 14h + 30min}},
      {"2026", std::nullopt},
      {"2026-11", std::nullopt},
      {"2026-02-30", std::nullopt},
      {"2026-11-24T25:00:00Z", std::nullopt},
      {"2026-11-24T14:30", std::nullopt},
      {"2026-11-24T14:30:00.", std::nullopt},
      {"2026-11-24T14:30:00 junk", std::nullopt},
      {"24/11/2026", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    CHECK(parseTimeOrDay(c.text, london()) == c.expected);
  }
}

TEST_CASE("a day lasts until its last second in the zone, and keys show what was sent") {
  const TimeOrDay winter{date::year_month_day{year{2026} / 11 / 24}};
  const TimeOrDay summer{date::year_month_day{year{2026} / 7 / 24}};
  CHECK(latestInstant(winter, london()) == sys_days{year{2026} / 11 / 24} + 23h + 59min + 59s);
  CHECK(latestInstant(summer, london()) == sys_days{year{2026} / 7 / 24} + 22h + 59min + 59s);
  const TimeOrDay instant{sys_days{year{2026} / 11 / 24} + 14h + 30min};
  CHECK(latestInstant(instant, london()) == std::get<date::sys_seconds>(instant));
  CHECK(keyText(winter) == "2026-11-24");
  CHECK(keyText(instant) == "2026-11-24T14:30:00Z");
}

}  // namespace wardprint::fhir
