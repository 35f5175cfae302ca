#include "fhir/datetime.h"

#include <string>

#include "events/timestamp.h"

namespace wardprint::fhir {
namespace {

constexpr std::size_t kDateLength = 10;

// "YYYY-MM-DDThh:mm:ss[.fff]" with no offset: read as if it were UTC, then taken as local.
std::optional<date::local_seconds> localDateTime(std::string_view text) {
  const auto asUtc = events::parseRfc3339(std::string(text) + 'Z');
  if (!asUtc) return std::nullopt;
  return date::local_seconds{asUtc->time_since_epoch()};
}

}  // namespace

std::optional<TimeOrDay> parseTimeOrDay(std::string_view text, const date::time_zone& zone) {
  if (text.size() == kDateLength) {
    if (const auto day = events::parseIsoDate(text)) return TimeOrDay{*day};
    return std::nullopt;
  }
  if (const auto instant = events::parseRfc3339(text)) return TimeOrDay{*instant};
  if (const auto local = localDateTime(text)) {
    return TimeOrDay{date::sys_seconds{zone.to_sys(*local, date::choose::earliest)}};
  }
  return std::nullopt;
}

date::sys_seconds latestInstant(const TimeOrDay& when, const date::time_zone& zone) {
  if (const auto* instant = std::get_if<date::sys_seconds>(&when)) return *instant;
  const date::local_days next =
      date::local_days{std::get<date::year_month_day>(when)} + date::days{1};
  return zone.to_sys(date::local_seconds{next}, date::choose::earliest) - std::chrono::seconds{1};
}

std::string keyText(const TimeOrDay& when) {
  if (const auto* instant = std::get_if<date::sys_seconds>(&when)) {
    return date::format("%Y-%m-%dT%H:%M:%SZ", *instant);
  }
  return date::format("%Y-%m-%d", std::get<date::year_month_day>(when));
}

}  // namespace wardprint::fhir
