#include "hl7/datetime.h"

#include <cctype>

namespace wardprint::hl7 {
namespace {

bool isDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Reads `width` digits at text[pos]; advances pos.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    if (!isDigit(text[pos + i])) return std::nullopt;
    value = value * 10 + (text[pos + i] - '0');
  }
  pos += width;
  return value;
}

std::optional<date::year_month_day> readDate(std::string_view text, std::size_t& pos) {
  const auto year = digits(text, pos, 4);
  const auto month = digits(text, pos, 2);
  const auto day = digits(text, pos, 2);
  if (!year || !month || !day) return std::nullopt;
  const date::year_month_day ymd{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                                 date::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

}  // namespace

std::optional<date::sys_seconds> parseDateTime(std::string_view text, const date::time_zone& zone) {
  std::size_t pos = 0;
  const auto ymd = readDate(text, pos);
  const auto hour = digits(text, pos, 2);
  const auto minute = digits(text, pos, 2);
  if (!ymd || !hour || !minute || *hour > 23 || *minute > 59) return std::nullopt;
  int second = 0;
  if (pos < text.size() && isDigit(text[pos])) {
    const auto read = digits(text, pos, 2);
    if (!read || *read > 59) return std::nullopt;
    second = *read;
    if (pos < text.size() && text[pos] == '.') {
      const std::size_t start = ++pos;
      while (pos < text.size() && isDigit(text[pos]) && pos - start < 4) ++pos;
      if (pos == start) return std::nullopt;
    }
  }
  const auto timeOfDay =
      std::chrono::hours{*hour} + std::chrono::minutes{*minute} + std::chrono::seconds{second};
  const date::local_seconds local = date::local_days{*ymd} + timeOfDay;
  if (pos == text.size()) return zone.to_sys(local, date::choose::earliest);

  const char sign = text[pos++];
  const auto offsetHours = digits(text, pos, 2);
  const auto offsetMinutes = digits(text, pos, 2);
  if ((sign != '+' && sign != '-') || !offsetHours || !offsetMinutes || pos != text.size() ||
      *offsetHours > 14 || *offsetMinutes > 59) {
    return std::nullopt;
  }
  auto offset = std::chrono::hours{*offsetHours} + std::chrono::minutes{*offsetMinutes};
  if (sign == '-') offset = -offset;
  return date::sys_seconds{local.time_since_epoch()} - offset;
}

std::optional<date::year_month_day> parseDate(std::string_view text) {
  std::size_t pos = 0;
  const auto ymd = readDate(text, pos);
  if (!ymd) return std::nullopt;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (!isDigit(c) && c != '.' && c != '+' && c != '-') return std::nullopt;
  }
  return ymd;
}

}  // namespace wardprint::hl7
