#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace wardprint::util {

// How much the daemon says: each level includes the ones before it.
enum class LogLevel { kError, kWarning, kInfo, kDebug };

// "error", "warning", "info" or "debug"; nullopt for any other word.
std::optional<LogLevel> parseLogLevel(const std::string& word);
const char* toString(LogLevel level);

// Operational messages, one line each, passed to a sink when at or above the chosen
// level. Callers never give it patient data: ids, printer names and reasons only.
// Copies share the sink; thread-safe when the sink is. A default Log discards everything.
class Log {
 public:
  using Sink = std::function<void(LogLevel level, const std::string& line)>;

  Log() = default;
  Log(LogLevel threshold, Sink sink) : threshold_(threshold), sink_(std::move(sink)) {}

  void error(const std::string& line) const { write(LogLevel::kError, line); }
  void warning(const std::string& line) const { write(LogLevel::kWarning, line); }
  void info(const std::string& line) const { write(LogLevel::kInfo, line); }
  void debug(const std::string& line) const { write(LogLevel::kDebug, line); }
  void write(LogLevel level, const std::string& line) const;

 private:
  LogLevel threshold_ = LogLevel::kInfo;
  Sink sink_;
};

// A sink writing "PROGRAM: LEVEL: line" to `out` under a lock. With `journalPriority`
// each line starts with its syslog priority ("<3>" for errors), which systemd's journal
// reads and strips, so `journalctl -p warning` finds the warnings. `out` must outlive it.
Log::Sink streamSink(std::ostream& out, const std::string& program, bool journalPriority);

}  // namespace wardprint::util
