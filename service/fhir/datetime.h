#pragma once

#include <date/tz.h>

#include <optional>
#include <string>
#include <string_view>

#include "fhir/discharge.h"

namespace wardprint::fhir {

// Reads a FHIR date or dateTime that names at least a day: "2026-11-24" gives that day;
// "2026-11-24T14:30:00Z" or with an offset ("+01:00") or a fraction gives an instant. A time
// without an offset (invalid in FHIR, but sent) is read as local to `zone`, the earlier
// instant in an ambiguous hour. Returns nullopt for anything else, including a year or a
// year and month alone.
std::optional<TimeOrDay> parseTimeOrDay(std::string_view text, const date::time_zone& zone);

// The instant itself, or the last second of the day in `zone`: the latest the event can
// have happened, for age checks.
date::sys_seconds latestInstant(const TimeOrDay& when, const date::time_zone& zone);

// "2026-11-24T13:30:00Z" for an instant, "2026-11-24" for a day: the form used in keys.
std::string keyText(const TimeOrDay& when);

}  // namespace wardprint::fhir
