#include "events/timestamp.h"

#include <doctest/doctest.h>

using namespace wardprint::events;
using namespace std::chrono;

namespace {
date::sys_seconds utc(int y, unsigned m, unsigned d, int h, int min, int s = 0) {
  return date::sys_days{date::year{y} / m / d} + hours{h} + minutes{min} + seconds{s};
}
}  // namespace

TEST_CASE("parseRfc3339 accepts UTC and offsets, and converts to UTC") {
  CHECK(parseRfc3339("2026-11-22T14:30:00Z") == utc(2026, 11, 22, 14, 30));
  CHECK(parseRfc3339("2026-11-22t14:30:00z") == utc(2026, 11, 22, 14, 30));
  CHECK(parseRfc3339("2026-10-24T14:30:00+01:00") == utc(2026, 10, 24, 13, 30));
  CHECK(parseRfc3339("2026-01-01T00:30:00-05:30") == utc(2026, 1, 1, 6, 0));
  CHECK(parseRfc3339("2026-11-22T14:30:00.123456Z") == utc(2026, 11, 22, 14, 30));
  CHECK(parseRfc3339("2028-02-29T12:00:00Z") == utc(2028, 2, 29, 12, 0));
}

TEST_CASE("parseRfc3339 refuses times without an offset or out of range") {
  const char* bad[] = {
      "2026-11-22T14:30:00",     // no offset
      "2026-11-22 14:30:00Z",    // space instead of T
      "2026-11-22T14:30Z",       // no seconds
      "2026-02-29T12:00:00Z",    // not a leap year
      "2026-13-01T12:00:00Z",    // month 13
      "2026-11-31T12:00:00Z",    // 31 November
      "2026-11-22T24:00:00Z",    // hour 24
      "2026-11-22T14:60:00Z",    // minute 60
      "2026-11-22T14:30:00+1:00",
      "2026-11-22T14:30:00.Z",   // empty fraction
      "2026-11-22T14:30:00Zjunk",
      "",
      "yesterday",
  };
  for (const char* text : bad) {
    CAPTURE(text);
    CHECK_FALSE(parseRfc3339(text));
  }
}

TEST_CASE("parseIsoDate reads calendar dates only") {
  CHECK(parseIsoDate("1948-03-02") == date::year{1948} / 3 / 2);
  CHECK_FALSE(parseIsoDate("1948-3-2"));
  CHECK_FALSE(parseIsoDate("1948-02-30"));
  CHECK_FALSE(parseIsoDate("1948-03-02T00:00:00Z"));
}
