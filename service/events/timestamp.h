#pragma once

#include <date/date.h>

#include <optional>
#include <string_view>

namespace wardprint::events {

// Parses an RFC 3339 date-time with a required offset ("2026-11-22T14:30:00Z",
// "2026-11-22T15:30:00.5+01:00"). Fractions of a second are dropped. Returns nullopt
// when the text is not of that form or names an impossible date or time.
std::optional<date::sys_seconds> parseRfc3339(std::string_view text);

// Parses a calendar date "YYYY-MM-DD". Returns nullopt for other forms and impossible dates.
std::optional<date::year_month_day> parseIsoDate(std::string_view text);

}  // namespace wardprint::events
