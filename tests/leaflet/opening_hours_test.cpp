#include "leaflet/opening_hours.h"

#include <doctest/doctest.h>

#include "shipped_words.h"

using namespace wardprint::leaflet;


namespace {

OpeningHours openingHours(std::vector<std::string> days, const char* open, const char* close) {
  return {*parseOpeningDays(days), *parseClock(open), *parseClock(close)};
}

date::local_seconds at(date::year_month_day day, int hour, int minute = 0) {
  return date::local_days{day} + std::chrono::hours{hour} + std::chrono::minutes{minute};
}

using date::November;
using date::December;
constexpr date::year k2026{2026};

}  // namespace

// Welsh soft-mutates the last day of a range after "i" (to): "dydd Llun i ddydd Gwener".
TEST_CASE("opening hours in plain words, in English and Welsh") {
  struct Case {
    const char* language;
    std::vector<std::string> days;
    const char* open;
    const char* close;
    const char* expected;
  };
  const Case cases[] = {
      {"en-GB", {"weekdays"}, "08:00", "18:00", "Monday to Friday, 8am\u00A0to\u00A06pm"},
      {"en-GB", {"every_day"}, "09:00", "17:30", "every day, 9am\u00A0to\u00A05:30pm"},
      {"en-GB", {"monday", "wednesday", "friday"}, "08:30", "12:00",
       "Monday, Wednesday and Friday, 8:30am\u00A0to\u00A012 noon"},
      {"en-GB", {"weekdays", "saturday"}, "08:00", "20:00", "Monday to Saturday, 8am\u00A0to\u00A08pm"},
      {"en-GB", {"saturday", "sunday"}, "10:00", "16:00", "Saturday and Sunday, 10am\u00A0to\u00A04pm"},
      {"en-GB", {"sunday"}, "10:00", "16:00", "Sunday, 10am\u00A0to\u00A04pm"},
      {"cy-GB", {"weekdays"}, "08:00", "18:00", "dydd Llun i ddydd Gwener, 8yb\u00A0i\u00A06yh"},
      {"cy-GB", {"every_day"}, "09:00", "17:30", "bob dydd, 9yb\u00A0i\u00A05:30yh"},
      {"cy-GB", {"monday", "wednesday", "friday"}, "08:30", "12:00",
       "dydd Llun, dydd Mercher a dydd Gwener, 8:30yb\u00A0i\u00A0hanner dydd"},
      {"cy-GB", {"weekdays", "saturday"}, "08:00", "20:00", "dydd Llun i ddydd Sadwrn, 8yb\u00A0i\u00A08yh"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.expected);
    CHECK(describeOpeningHours(shippedWords(c.language), openingHours(c.days, c.open, c.close)) == c.expected);
  }
}

TEST_CASE("bad days and clock times are refused") {
  CHECK_FALSE(parseOpeningDays({"weekday"}));
  CHECK_FALSE(parseOpeningDays({}));
  CHECK_FALSE(parseOpeningDays({"Monday"}));
  for (const char* bad : {"8:00", "24:00", "08:60", "0800", "08:00am", ""}) {
    CAPTURE(bad);
    CHECK_FALSE(parseClock(bad));
  }
  CHECK(parseClock("23:59") == std::chrono::minutes{23 * 60 + 59});
}

TEST_CASE("the next time a daytime line opens") {
  const auto weekdays = openingHours({"weekdays"}, "08:00", "18:00");
  const std::vector<date::year_month_day> bankHolidays{k2026 / December / 25, k2026 / December / 28};
  struct Case {
    const char* what;
    date::local_seconds from;
    date::local_seconds expected;
  };
  const Case cases[] = {
      {"open now", at(k2026 / November / 23, 10), at(k2026 / November / 23, 10)},
      {"before opening", at(k2026 / November / 23, 7, 59), at(k2026 / November / 23, 8)},
      {"at closing time it is shut", at(k2026 / November / 23, 18), at(k2026 / November / 24, 8)},
      {"Friday evening waits for Monday", at(k2026 / November / 27, 19), at(k2026 / November / 30, 8)},
      {"Saturday waits for Monday", at(k2026 / November / 28, 14, 30), at(k2026 / November / 30, 8)},
      {"Christmas Eve evening skips two bank holidays and a weekend", at(k2026 / December / 24, 18, 30),
       at(k2026 / December / 29, 8)},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto opens = nextOpening(weekdays, bankHolidays, c.from);
    REQUIRE(opens);
    CHECK(*opens == c.expected);
  }
}
