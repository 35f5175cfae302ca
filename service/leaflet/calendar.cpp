#include "leaflet/calendar.h"

#include <array>

#include "util/problems.h"

namespace wardprint::leaflet {
namespace {

constexpr std::array<const char*, 12> kMonths{"January",   "February", "March",    "April",
                                              "May",       "June",     "July",     "August",
                                              "September", "October",  "November", "December"};
// A non-breaking space (U+00A0 in UTF-8): the parts of a printed date never split across
// lines ("Sunday 3 / January 2027" was seen in large print). The renderer draws it as a space.
constexpr const char* kNbsp = "\u00A0";

constexpr std::array<const char*, 7> kWeekdays{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                               "Thursday", "Friday", "Saturday"};

std::string dayAndMonth(date::year_month_day day) {
  return std::to_string(static_cast<unsigned>(day.day())) + kNbsp +
         kMonths[static_cast<unsigned>(day.month()) - 1];
}

std::string weekdayName(date::local_days day) { return kWeekdays[date::weekday{day}.c_encoding()]; }

std::string withYear(std::string text, date::year_month_day day, date::year currentYear) {
  if (day.year() != currentYear) text += kNbsp + std::to_string(static_cast<int>(day.year()));
  return text;
}

std::string twoDigits(int value) { return (value < 10 ? "0" : "") + std::to_string(value); }

}  // namespace

std::string formatClockTime(std::chrono::minutes sinceMidnight) {
  const auto hour = static_cast<int>(sinceMidnight.count() / 60);
  const auto minute = static_cast<int>(sinceMidnight.count() % 60);
  if (hour == 0) return "00:" + twoDigits(minute);  // never "12:45am": read one way only
  if (hour == 12 && minute == 0) return "12 noon";
  std::string text = std::to_string(hour % 12 == 0 ? 12 : hour % 12);
  if (minute != 0) text += ":" + twoDigits(minute);
  return text + (hour < 12 ? "am" : "pm");
}

Calendar::Calendar(const std::string& timeZone) {
  try {
    zone_ = date::locate_zone(timeZone);
  } catch (const std::runtime_error&) {
    throw util::ConfigError("unknown time zone '" + timeZone + "'");
  }
}

date::local_seconds Calendar::toLocal(date::sys_seconds instant) const {
  return zone_->to_local(instant);
}

date::local_seconds Calendar::addHours(date::local_seconds start, int hours) const {
  const auto wanted = start + std::chrono::hours{hours};
  const auto info = zone_->get_info(wanted);
  if (info.result == date::local_info::nonexistent) {
    return zone_->to_local(date::sys_seconds{wanted.time_since_epoch() - info.first.offset});
  }
  return wanted;
}

std::string formatDateTime(date::local_seconds time, date::year currentYear) {
  const auto day = date::floor<date::days>(time);
  const auto sinceMidnight = date::floor<std::chrono::minutes>(time - day);
  const auto dayText = formatDate(date::year_month_day{day}, currentYear);
  // The hour after midnight belongs to the new day; saying so in words keeps a patient
  // from reading it as the night before (or as noon).
  if (sinceMidnight.count() == 0) return "00:00, midnight at the very start of " + dayText;
  if (sinceMidnight < std::chrono::hours{1}) {
    return formatClockTime(sinceMidnight) + ", just after midnight, early on " + dayText;
  }
  return formatClockTime(sinceMidnight) + " on " + dayText;
}

std::string formatDate(date::year_month_day day, date::year currentYear) {
  return weekdayName(date::local_days{day}) + kNbsp + withYear(dayAndMonth(day), day, currentYear);
}

std::string formatEndOfDay(date::year_month_day day, date::year currentYear) {
  return "the end of " + formatDate(day, currentYear);
}

std::string formatLongDate(date::year_month_day day) {
  return weekdayName(date::local_days{day}) + kNbsp + dayAndMonth(day) + kNbsp +
         std::to_string(static_cast<int>(day.year()));
}

std::string formatBirthDate(date::year_month_day day) {
  return dayAndMonth(day) + kNbsp + std::to_string(static_cast<int>(day.year()));
}

}  // namespace wardprint::leaflet
