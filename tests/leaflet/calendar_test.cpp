#include "leaflet/calendar.h"

#include <doctest/doctest.h>

#include "events/timestamp.h"
#include "shipped_words.h"
#include "util/problems.h"

using namespace wardprint::leaflet;

namespace {

const Words& english() { return shippedWords("en-GB"); }

const Calendar& london() {
  static const Calendar calendar("Europe/London");
  return calendar;
}

// The local date and time `hours` after a discharge, as printed on the leaflet.
std::string hoursAfter(const char* dischargedAt, int hours) {
  const auto local = london().toLocal(*wardprint::events::parseRfc3339(dischargedAt));
  const date::year_month_day day{date::floor<date::days>(local)};
  return formatDateTime(english(), london().addHours(local, hours), day.year());
}

std::string daysAfter(const char* dischargedAt, int days) {
  const auto local = london().toLocal(*wardprint::events::parseRfc3339(dischargedAt));
  const date::year_month_day start{date::floor<date::days>(local)};
  return formatDate(english(), date::year_month_day{date::floor<date::days>(local) + date::days{days}}, start.year());
}

// Expected text with each "~" standing for the non-breaking space that keeps a date whole.
std::string nb(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == '~' ? std::string("\u00A0") : std::string(1, c);
  return out;
}

}  // namespace

TEST_CASE("hours after discharge, as a patient reads them") {
  struct Case {
    const char* what;
    const char* dischargedAt;
    int hours;
    const char* expected;
  };
  const Case cases[] = {
      {"ordinary day", "2026-11-22T14:30:00Z", 24, "2:30pm on Monday~23~November"},
      {"two days", "2026-11-22T14:30:00Z", 48, "2:30pm on Tuesday~24~November"},
      {"month end", "2026-11-30T10:00:00Z", 24, "10am on Tuesday~1~December"},
      {"year end adds the year", "2026-12-31T16:45:00Z", 24, "4:45pm on Friday~1~January~2027"},
      {"clocks go back: same clock time, 25 hours later", "2026-10-24T13:30:00Z", 24,
       "2:30pm on Sunday~25~October"},
      {"clocks go forward: same clock time, 23 hours later", "2026-03-28T14:30:00Z", 24,
       "2:30pm on Sunday~29~March"},
      {"a time the clocks skip moves forward", "2026-03-28T01:30:00Z", 24, "2:30am on Sunday~29~March"},
      {"a time that happens twice is printed as it reads", "2026-10-24T00:30:00Z", 24, "1:30am on Sunday~25~October"},
      {"just before midnight in summer time", "2026-06-10T22:59:00Z", 24, "11:59pm on Thursday~11~June"},
      {"noon", "2026-11-22T12:00:00Z", 24, "12 noon on Monday~23~November"},
      {"midnight belongs to the new day, in words", "2026-11-22T00:00:00Z", 24,
       "00:00, midnight at the very start of Monday~23~November"},
      {"the hour after midnight is never 12:45am", "2026-11-22T00:45:00Z", 24,
       "00:45, just after midnight, early on Monday~23~November"},
      {"one minute past midnight", "2026-11-21T00:01:00Z", 48, "00:01, just after midnight, early on Monday~23~November"},
      {"1am is plain again", "2026-11-22T01:00:00Z", 24, "1am on Monday~23~November"},
      {"12:45 in the afternoon", "2026-11-22T12:45:00Z", 24, "12:45pm on Monday~23~November"},
      {"after midnight on the night the clocks go forward", "2026-03-28T00:30:00Z", 24,
       "00:30, just after midnight, early on Sunday~29~March"},
      {"after midnight on the night the clocks go back", "2026-10-24T23:30:00Z", 24,
       "00:30, just after midnight, early on Monday~26~October"},
      {"midnight in summer time", "2026-06-10T23:00:00Z", 24, "00:00, midnight at the very start of Friday~12~June"},
      {"an offset other than UTC", "2026-11-22T15:30:00+01:00", 24, "2:30pm on Monday~23~November"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    CHECK(hoursAfter(c.dischargedAt, c.hours) == nb(c.expected));
  }
}

TEST_CASE("days after discharge count local calendar days") {
  CHECK(daysAfter("2026-11-22T14:30:00Z", 14) == nb("Sunday~6~December"));
  CHECK(daysAfter("2026-11-22T14:30:00Z", 21) == nb("Sunday~13~December"));
  CHECK(daysAfter("2026-12-20T10:00:00Z", 21) == nb("Sunday~10~January~2027"));
  // 23:30 BST on 10 June is still 10 June locally, though 22:30 UTC.
  CHECK(daysAfter("2026-06-10T22:30:00Z", 14) == nb("Wednesday~24~June"));
  // 00:30 BST on 11 June is 23:30 UTC on the 10th: the local date counts.
  CHECK(daysAfter("2026-06-10T23:30:00Z", 14) == nb("Thursday~25~June"));
}

TEST_CASE("clock times alone") {
  CHECK(formatClockTime(english(), std::chrono::minutes{0}) == "00:00");
  CHECK(formatClockTime(english(), std::chrono::minutes{5}) == "00:05");
  CHECK(formatClockTime(english(), std::chrono::hours{8}) == "8am");
  CHECK(formatClockTime(english(), std::chrono::hours{12}) == "12 noon");
  CHECK(formatClockTime(english(), std::chrono::minutes{12 * 60 + 30}) == "12:30pm");
  CHECK(formatClockTime(english(), std::chrono::minutes{23 * 60 + 59}) == "11:59pm");
}

TEST_CASE("long and birth dates") {
  CHECK(formatLongDate(english(), date::year{2026} / 11 / 22) == nb("Sunday~22~November~2026"));
  CHECK(formatBirthDate(english(), date::year{1948} / 3 / 2) == nb("2~March~1948"));
}

TEST_CASE("an unknown time zone is a configuration error") {
  CHECK_THROWS_AS(Calendar("Europe/Atlantis"), wardprint::util::ConfigError);
}

// Welsh (layouts/words/cy-GB.yaml): every month and weekday, the plain form that starts a
// date and the soft-mutated one used after "tan" (until), "hyd at" (up to) and for "on".
TEST_CASE("Welsh dates across the year, in the plain and the soft-mutated form") {
  const auto& welsh = shippedWords("cy-GB");
  struct Case {
    date::year_month_day day;
    const char* plain;
    const char* soft;
  };
  using namespace date::literals;
  const Case cases[] = {
      {2027_y / 1 / 4, "dydd~Llun~4~Ionawr", "ddydd~Llun~4~Ionawr"},
      {2027_y / 2 / 9, "dydd~Mawrth~9~Chwefror", "ddydd~Mawrth~9~Chwefror"},
      {2027_y / 3 / 17, "dydd~Mercher~17~Mawrth", "ddydd~Mercher~17~Mawrth"},
      {2027_y / 4 / 1, "dydd~Iau~1~Ebrill", "ddydd~Iau~1~Ebrill"},
      {2027_y / 5 / 7, "dydd~Gwener~7~Mai", "ddydd~Gwener~7~Mai"},
      {2027_y / 6 / 12, "dydd~Sadwrn~12~Mehefin", "ddydd~Sadwrn~12~Mehefin"},
      {2027_y / 7 / 18, "dydd~Sul~18~Gorffennaf", "ddydd~Sul~18~Gorffennaf"},
      {2027_y / 8 / 2, "dydd~Llun~2~Awst", "ddydd~Llun~2~Awst"},
      {2027_y / 9 / 21, "dydd~Mawrth~21~Medi", "ddydd~Mawrth~21~Medi"},
      {2027_y / 10 / 27, "dydd~Mercher~27~Hydref", "ddydd~Mercher~27~Hydref"},
      {2027_y / 11 / 25, "dydd~Iau~25~Tachwedd", "ddydd~Iau~25~Tachwedd"},
      {2027_y / 12 / 31, "dydd~Gwener~31~Rhagfyr", "ddydd~Gwener~31~Rhagfyr"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.plain);
    CHECK(formatDate(welsh, c.day, date::year{2027}) == nb(c.plain));
    CHECK(formatDate(welsh, c.day, date::year{2027}, "soft") == nb(c.soft));
    CHECK(formatDate(welsh, c.day, date::year{2026}) == nb(c.plain) + nb("~2027"));
    CHECK(formatLongDate(welsh, c.day, "soft") == nb(c.soft) + nb("~2027"));
  }
  CHECK(formatBirthDate(welsh, 1948_y / 3 / 2) == nb("2~Mawrth~1948"));
}

TEST_CASE("Welsh times: the weekday after a time is soft-mutated, and midnight says which day") {
  const auto& welsh = shippedWords("cy-GB");
  struct Case {
    const char* dischargedAt;
    int hours;
    const char* expected;
  };
  const Case cases[] = {
      {"2026-11-22T14:30:00Z", 24, "2:30yh ddydd~Llun~23~Tachwedd"},
      {"2026-11-22T09:00:00Z", 24, "9yb ddydd~Llun~23~Tachwedd"},
      {"2026-11-22T12:00:00Z", 24, "hanner dydd ddydd~Llun~23~Tachwedd"},
      {"2026-12-31T16:45:00Z", 24, "4:45yh ddydd~Gwener~1~Ionawr~2027"},
      {"2026-11-22T00:00:00Z", 24, "00:00, hanner nos ar ddechrau dydd~Llun~23~Tachwedd"},
      {"2026-11-22T00:45:00Z", 24, "00:45, ychydig wedi hanner nos, yn gynnar fore dydd~Llun~23~Tachwedd"},
      {"2026-10-24T13:30:00Z", 24, "2:30yh ddydd~Sul~25~Hydref"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.expected);
    const auto local = london().toLocal(*wardprint::events::parseRfc3339(c.dischargedAt));
    const date::year_month_day day{date::floor<date::days>(local)};
    CHECK(formatDateTime(welsh, london().addHours(local, c.hours), day.year()) == nb(c.expected));
  }
}
