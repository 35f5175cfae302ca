#pragma once

#include <date/tz.h>

#include <functional>
#include <string>

#include "leaflet/words.h"

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

// Dates and times in the words and word order of a language (the examples are en-GB).
// Every printed date joins its parts (weekday, day, month, year) with non-breaking spaces
// (U+00A0), so a line never ends inside a date; the words around it use ordinary spaces.
// `form` is the weekday form a date starts with (one of words.weekdays' keys).

// "2:30pm on Monday 23 November", "12 noon on ...", "12:45pm on ..."; in the hour after
// midnight "00:45, just after midnight, early on Monday 23 November", and midnight itself
// "00:00, midnight at the very start of Monday 23 November" (never "12:45am", never
// "midnight on" the day before). The year is added when it differs from `currentYear`.
std::string formatDateTime(const Words& words, date::local_seconds time, date::year currentYear);

// "2:30pm", "12 noon", "8am", and "00:45" for the hour after midnight.
std::string formatClockTime(const Words& words, std::chrono::minutes sinceMidnight);

// "Sunday 6 December" ("Monday 10 January 2027" when the year differs from `currentYear`).
std::string formatDate(const Words& words, date::year_month_day day, date::year currentYear,
                       const std::string& form = kPlainForm);

// "the end of Tuesday 24 November" (words.endOfDay): a deadline counted in whole days, for a
// discharge whose time is not known.
std::string formatEndOfDay(const Words& words, date::year_month_day day, date::year currentYear,
                           const std::string& form = kPlainForm);

// "Sunday 22 November 2026".
std::string formatLongDate(const Words& words, date::year_month_day day, const std::string& form = kPlainForm);

// "2 March 1948".
std::string formatBirthDate(const Words& words, date::year_month_day day);

// The weekday of `day` in a form: "Monday".
const std::string& weekdayName(const Words& words, date::local_days day, const std::string& form = kPlainForm);

// Fills a pattern's {names}; a {name:FORM} is looked up with its form.
std::string fillPattern(const std::string& pattern,
                        const std::function<std::string(const std::string& name, const std::string& form)>& lookup);

}  // namespace wardprint::leaflet
