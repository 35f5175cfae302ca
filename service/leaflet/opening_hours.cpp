#include "leaflet/opening_hours.h"

#include <algorithm>

#include "leaflet/calendar.h"
#include "leaflet/placeholders.h"

namespace wardprint::leaflet {
namespace {

// Monday first, as people list the week; values are weekday c_encodings.
constexpr std::array<unsigned, 7> kWeekOrder{1, 2, 3, 4, 5, 6, 0};
constexpr std::array<const char*, 7> kNames{"sunday", "monday", "tuesday", "wednesday",
                                            "thursday", "friday", "saturday"};

std::string describeDays(const Words& words, const std::array<bool, 7>& days) {
  std::vector<unsigned> open;  // positions in kWeekOrder
  for (unsigned i = 0; i < 7; ++i) {
    if (days[kWeekOrder[i]]) open.push_back(i);
  }
  if (open.size() == 7) return words.everyDay;
  const bool oneRun = open.size() >= 3 && open.back() - open.front() + 1 == open.size();
  if (oneRun) {
    return fillPattern(words.dayRange, [&](const std::string& name, const std::string& form) {
      return words.weekday(kWeekOrder[name == "first" ? open.front() : open.back()], form);
    });
  }
  std::vector<std::string> names;
  for (const auto i : open) names.push_back(words.weekday(kWeekOrder[i], kPlainForm));
  return joinedAsList(names, words.listEnd);
}

}  // namespace

std::optional<std::array<bool, 7>> parseOpeningDays(const std::vector<std::string>& names) {
  std::array<bool, 7> days{};
  for (const auto& name : names) {
    if (name == "weekdays") {
      for (unsigned d = 1; d <= 5; ++d) days[d] = true;
    } else if (name == "every_day") {
      days.fill(true);
    } else {
      const auto found = std::find(kNames.begin(), kNames.end(), name);
      if (found == kNames.end()) return std::nullopt;
      days[static_cast<std::size_t>(found - kNames.begin())] = true;
    }
  }
  if (std::none_of(days.begin(), days.end(), [](bool open) { return open; })) return std::nullopt;
  return days;
}

std::optional<std::chrono::minutes> parseClock(std::string_view text) {
  const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) return std::nullopt;
  const int hour = (text[0] - '0') * 10 + (text[1] - '0');
  const int minute = (text[3] - '0') * 10 + (text[4] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return std::chrono::minutes{hour * 60 + minute};
}

std::string describeOpeningHours(const Words& words, const OpeningHours& hours) {
  return fillPattern(words.openingHours, [&](const std::string& name, const std::string&) {
    if (name == "days") return describeDays(words, hours.days);
    return formatClockTime(words, name == "open" ? hours.open : hours.close);
  });
}

std::optional<date::local_seconds> nextOpening(const OpeningHours& hours,
                                               const std::vector<date::year_month_day>& closedDates,
                                               date::local_seconds from) {
  const auto firstDay = date::floor<date::days>(from);
  for (int offset = 0; offset < 400; ++offset) {
    const auto day = firstDay + date::days{offset};
    const bool closedDate =
        std::find(closedDates.begin(), closedDates.end(), date::year_month_day{day}) != closedDates.end();
    if (closedDate || !hours.days[date::weekday{day}.c_encoding()]) continue;
    const date::local_seconds opens = day + hours.open;
    const date::local_seconds closes = day + hours.close;
    if (from < opens) return opens;
    if (from < closes) return from;
  }
  return std::nullopt;
}

}  // namespace wardprint::leaflet
