#pragma once

#include <date/tz.h>

#include <string>

namespace wardprint::leaflet {

// Local times in the hospital's time zone, and the way a patient reads them.
// Thread-safe: it holds only an immutable zone.
class Calendar {
 public:
  // Throws util::ConfigError if the zone is not in the time-zone database.
  explicit Calendar(const std::string& timeZone);

  date::local_seconds toLocal(date::sys_seconds instant) const;

  // The wall-clock time `hours` later, as a patient counts it: 2:30pm Saturday plus 24 hours
  // is 2:30pm Sunday even when the clocks change overnight. A time that the clocks skip
  // moves forward by the gap (1:30am becomes 2:30am when 1am jumps to 2am).
  date::local_seconds addHours(date::local_seconds start, int hours) const;

 private:
  const date::time_zone* zone_;
};

// "2:30pm on Monday 23 November"; "midnight on Sunday 22 November" for 00:00 on the 23rd;
// the year is added when it differs from `currentYear`.
std::string formatDateTime(date::local_seconds time, date::year currentYear);

// "6 December" ("6 December 2027" when the year differs from `currentYear`).
std::string formatDate(date::year_month_day day, date::year currentYear);

// "Sunday 22 November 2026".
std::string formatLongDate(date::year_month_day day);

// "2 March 1948".
std::string formatBirthDate(date::year_month_day day);

}  // namespace wardprint::leaflet
