#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

namespace wardprint::leaflet {

// The form of a weekday name that starts a date on its own ("Monday", "dydd Llun").
inline constexpr const char* kPlainForm = "plain";

// Every word and word order a leaflet's language needs that the layout's own text cannot
// hold: month and weekday names, how dates, times and opening hours read, how a list ends.
// Read from layouts/words/LANGUAGE.yaml; C++ only fills the patterns' {names} in.
// A pattern may ask for a weekday form with {name:FORM} ("{date:soft}" in Welsh: "tan
// ddydd Llun" after "until"). Immutable once loaded, so shared freely between threads.
struct Words {
  std::string language;
  std::array<std::string, 12> months;                          // January first
  std::map<std::string, std::array<std::string, 7>> weekdays;  // form -> names, Sunday first

  std::string date;          // {weekday} {day} {month}
  std::string dateWithYear;  // {weekday} {day} {month} {year}
  std::string birthDate;     // {day} {month} {year}

  std::string morning;            // {time}: "8am", "8:30am"
  std::string afternoon;          // {time}: "2:30pm"
  std::string noon;               // "12 noon"
  std::string timeOnDate;         // {time} {date}: "2:30pm on Monday 23 November"
  std::string midnight;           // {date}: midnight at the very start of that day
  std::string justAfterMidnight;  // {time} {date}: 00:01 to 00:59
  std::string endOfDay;           // {date}: "the end of Tuesday 24 November", when only the day is known

  std::string everyDay;      // "every day"
  std::string dayRange;      // {first} {last}: "Monday to Friday"
  std::string openingHours;  // {days} {open} {close}: "Monday to Friday, 8am to 6pm"
  std::string atAnyTime;     // a line with no opening hours
  std::string furtherNotice; // when a line does not open in the next 400 days
  std::string contactWithHours;  // {label} {hours}

  std::string listEnd;  // {others} {last}: "T11, T12 and L1"

  // Units a number is written before ("2 weeks"): the space between must not break.
  std::vector<std::string> numberUnits;

  // A weekday's name in a form; `form` must be one of `weekdays`' keys.
  const std::string& weekday(unsigned sundayFirstIndex, const std::string& form) const {
    return weekdays.at(form)[sundayFirstIndex];
  }
};

// Throws util::ConfigError naming the file, the key and the reason.
Words loadWords(const std::string& path);

}  // namespace wardprint::leaflet
