#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <optional>
#include <string_view>

namespace wardprint::hl7 {

// Reads an HL7 date/time (DTM, or TS's first component): YYYYMMDDHHMM[SS[.S[S[S[S]]]]]
// followed by an optional offset +/-HHMM. Without an offset the time is local to `zone`
// (an ambiguous hour at the end of summer time reads as its earlier instant; a time in
// the skipped hour as the moment the clocks changed). Fractions are dropped. Returns nullopt
// for anything else, including times with less than minute precision: a discharge time
// must say when in the day.
std::optional<date::sys_seconds> parseDateTime(std::string_view text, const date::time_zone& zone);

// Reads the date part of an HL7 date/time (YYYYMMDD, for date of birth): anything after
// the eighth digit is ignored if it is made of digits, '.', '+' and '-'. Returns nullopt
// for an impossible date or other text.
std::optional<date::year_month_day> parseDate(std::string_view text);

}  // namespace wardprint::hl7
