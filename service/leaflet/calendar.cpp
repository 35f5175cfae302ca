#include "leaflet/calendar.h"

#include "leaflet/placeholders.h"
#include "util/problems.h"

namespace wardprint::leaflet {
namespace {

std::string twoDigits(int value) { return (value < 10 ? "0" : "") + std::to_string(value); }

// A date from a pattern: {weekday} in `form`, {day}, {month}, {year}.
std::string datePattern(const Words& words, const std::string& pattern, date::year_month_day day,
                        const std::string& form) {
  // No-break spaces: the parts of a printed date never split across lines ("Sunday 3 /
  // January 2027" was seen in large print). The renderer draws them as spaces.
  return withNoBreakSpaces(fillPattern(pattern, [&](const std::string& name, const std::string&) -> std::string {
    if (name == "weekday") return weekdayName(words, date::local_days{day}, form);
    if (name == "day") return std::to_string(static_cast<unsigned>(day.day()));
    if (name == "month") return words.months[static_cast<unsigned>(day.month()) - 1];
    return std::to_string(static_cast<int>(day.year()));
  }));
}

}  // namespace

std::string fillPattern(const std::string& pattern,
                        const std::function<std::string(const std::string& name, const std::string& form)>& lookup) {
  return substitutePlaceholders(pattern, [&](const std::string& used) {
    const auto colon = used.find(':');
    return colon == std::string::npos ? lookup(used, kPlainForm) : lookup(used.substr(0, colon), used.substr(colon + 1));
  });
}

const std::string& weekdayName(const Words& words, date::local_days day, const std::string& form) {
  return words.weekday(date::weekday{day}.c_encoding(), form);
}

std::string formatClockTime(const Words& words, std::chrono::minutes sinceMidnight) {
  const auto hour = static_cast<int>(sinceMidnight.count() / 60);
  const auto minute = static_cast<int>(sinceMidnight.count() % 60);
  if (hour == 0) return "00:" + twoDigits(minute);  // never "12:45am": read one way only
  if (hour == 12 && minute == 0) return words.noon;
  std::string text = std::to_string(hour % 12 == 0 ? 12 : hour % 12);
  if (minute != 0) text += ":" + twoDigits(minute);
  return fillPattern(hour < 12 ? words.morning : words.afternoon,
                     [&](const std::string&, const std::string&) { return text; });
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

std::string formatDateTime(const Words& words, date::local_seconds time, date::year currentYear) {
  const auto day = date::floor<date::days>(time);
  const auto sinceMidnight = date::floor<std::chrono::minutes>(time - day);
  // The hour after midnight belongs to the new day; saying so in words keeps a patient
  // from reading it as the night before (or as noon).
  const auto& pattern = sinceMidnight.count() == 0            ? words.midnight
                        : sinceMidnight < std::chrono::hours{1} ? words.justAfterMidnight
                                                                : words.timeOnDate;
  return fillPattern(pattern, [&](const std::string& name, const std::string& form) {
    return name == "time" ? formatClockTime(words, sinceMidnight)
                          : formatDate(words, date::year_month_day{day}, currentYear, form);
  });
}

std::string formatDate(const Words& words, date::year_month_day day, date::year currentYear, const std::string& form) {
  return datePattern(words, day.year() == currentYear ? words.date : words.dateWithYear, day, form);
}

std::string formatEndOfDay(const Words& words, date::year_month_day day, date::year currentYear,
                           const std::string& form) {
  return fillPattern(words.endOfDay, [&](const std::string&, const std::string& dateForm) {
    return formatDate(words, day, currentYear, dateForm == kPlainForm ? form : dateForm);
  });
}

std::string formatLongDate(const Words& words, date::year_month_day day, const std::string& form) {
  return datePattern(words, words.dateWithYear, day, form);
}

std::string formatBirthDate(const Words& words, date::year_month_day day) {
  return datePattern(words, words.birthDate, day, kPlainForm);
}

}  // namespace wardprint::leaflet
