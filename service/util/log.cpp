#include "util/log.h"

#include <memory>
#include <mutex>

namespace wardprint::util {

std::optional<LogLevel> parseLogLevel(const std::string& word) {
  for (const auto level : {LogLevel::kError, LogLevel::kWarning, LogLevel::kInfo, LogLevel::kDebug}) {
    if (word == toString(level)) return level;
  }
  return std::nullopt;
}

const char* toString(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "info";
}

void Log::write(LogLevel level, const std::string& line) const {
  if (sink_ && level <= threshold_) sink_(level, line);
}

Log::Sink streamSink(std::ostream& out, const std::string& program, bool journalPriority) {
  auto lock = std::make_shared<std::mutex>();
  return [&out, program, journalPriority, lock](LogLevel level, const std::string& line) {
    // syslog priorities: err 3, warning 4, info 6, debug 7.
    static constexpr const char* kPriority[] = {"<3>", "<4>", "<6>", "<7>"};
    std::lock_guard guard(*lock);
    if (journalPriority) out << kPriority[static_cast<int>(level)];
    out << program << ": " << toString(level) << ": " << line << std::endl;
  };
}

}  // namespace wardprint::util
