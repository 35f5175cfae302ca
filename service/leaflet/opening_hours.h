#pragma once

#include <date/date.h>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leaflet/words.h"

namespace wardprint::leaflet {

// When a phone line is answered, in the hospital's local time: the same hours on each
// open day, never on the site's closed dates (bank holidays).
struct OpeningHours {
  std::array<bool, 7> days{};  // indexed by weekday, Sunday = 0 (date::weekday::c_encoding)
  std::chrono::minutes open{0};
  std::chrono::minutes close{0};  // after open, on the same day
};

// Reads a config "days" value: "weekdays", "every_day", or day names ("monday", ...).
// Returns nullopt when a name is unknown or no day is named.
std::optional<std::array<bool, 7>> parseOpeningDays(const std::vector<std::string>& names);

// Reads "08:00" (24-hour, two digits each). Returns nullopt for other forms.
std::optional<std::chrono::minutes> parseClock(std::string_view text);

// The hours in plain words of a language: "Monday to Friday, 8am to 6pm", "every day, 9am
// to 5pm", "Monday, Wednesday and Friday, 8am to 12 noon".
std::string describeOpeningHours(const Words& words, const OpeningHours& hours);

// The first moment at or after `from` at which the line is open (`from` itself when open
// then), skipping closed dates. Nullopt when it stays shut for the next 400 days.
std::optional<date::local_seconds> nextOpening(const OpeningHours& hours,
                                               const std::vector<date::year_month_day>& closedDates,
                                               date::local_seconds from);

}  // namespace wardprint::leaflet
