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

// Every printed date joins its parts (weekday, day, month, year) with non-breaking spaces
// (U+00A0), so a line never ends inside a date; the words around it use ordinary spaces.

// "2:30pm on Monday 23 November", "12 noon on ...", "12:45pm on ..."; in the hour after
// midnight "00:45, just after midnight, early on Monday 23 November", and midnight itself
// "00:00, midnight at the very start of Monday 23 November" (never "12:45am", never
// "midnight on" the day before). The year is added when it differs from `currentYear`.
std::string formatDateTime(date::local_seconds time, date::year currentYear);

// "2:30pm", "12 noon", "8am", and "00:45" for the hour after midnight.
std::string formatClockTime(std::chrono::minutes sinceMidnight);

// "Sunday 6 December" ("Monday 10 January 2027" when the year differs from `currentYear`).
std::string formatDate(date::year_month_day day, date::year currentYear);

// "the end of Tuesday 24 November": a deadline counted in whole days, for a discharge whose
// time is not known.
std::string formatEndOfDay(date::year_month_day day, date::year currentYear);

// "Sunday 22 November 2026".
std::string formatLongDate(date::year_month_day day);

// "2 March 1948".
std::string formatBirthDate(date::year_month_day day);

}  // namespace wardprint::leaflet
