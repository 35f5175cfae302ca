#include "events/timestamp.h"

#include <cctype>

namespace wardprint::events {
namespace {

// Reads exactly `width` digits at text[pos]; advances pos.
std::optional<int> readDigits(std::string_view text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char wanted) {
  if (pos >= text.size() || text[pos] != wanted) return false;
  ++pos;
  return true;
}

std::optional<date::year_month_day> readDate(std::string_view text, std::size_t& pos) {
  const auto year = readDigits(text, pos, 4);
  if (!year || !expect(text, pos, '-')) return std::nullopt;
  const auto month = readDigits(text, pos, 2);
  if (!month || !expect(text, pos, '-')) return std::nullopt;
  const auto day = readDigits(text, pos, 2);
  if (!day) return std::nullopt;
  const date::year_month_day ymd{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                                 date::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

}  // namespace

std::optional<date::year_month_day> parseIsoDate(std::string_view text) {
  std::size_t pos = 0;
  const auto ymd = readDate(text, pos);
  if (!ymd || pos != text.size()) return std::nullopt;
  return ymd;
}

std::optional<date::sys_seconds> parseRfc3339(std::string_view text) {
  std::size_t pos = 0;
  const auto ymd = readDate(text, pos);
  if (!ymd || pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) return std::nullopt;
  ++pos;
  const auto hour = readDigits(text, pos, 2);
  if (!hour || !expect(text, pos, ':')) return std::nullopt;
  const auto minute = readDigits(text, pos, 2);
  if (!minute || !expect(text, pos, ':')) return std::nullopt;
  const auto second = readDigits(text, pos, 2);
  if (!second || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  if (pos < text.size() && text[pos] == '.') {
    const std::size_t start = ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    if (pos == start) return std::nullopt;
  }
  if (pos >= text.size()) return std::nullopt;  // the offset is required

  std::chrono::minutes offset{0};
  const char sign = text[pos++];
  if (sign == '+' || sign == '-') {
    const auto offsetHours = readDigits(text, pos, 2);
    if (!offsetHours || !expect(text, pos, ':')) return std::nullopt;
    const auto offsetMinutes = readDigits(text, pos, 2);
    if (!offsetMinutes || *offsetHours > 23 || *offsetMinutes > 59) return std::nullopt;
    offset = std::chrono::hours{*offsetHours} + std::chrono::minutes{*offsetMinutes};
    if (sign == '-') offset = -offset;
  } else if (sign != 'Z' && sign != 'z') {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  const auto local = date::sys_days{*ymd} + std::chrono::hours{*hour} +
                     std::chrono::minutes{*minute} + std::chrono::seconds{*second};
  return date::sys_seconds{local - offset};
}

}  // namespace wardprint::events
