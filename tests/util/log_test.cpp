#include "util/log.h"

#include <doctest/doctest.h>

#include <sstream>
#include <vector>

using namespace wardprint::util;

TEST_CASE("a log passes on lines at or above its level and drops the rest") {
  const struct {
    LogLevel threshold;
    std::vector<std::string> expected;
  } cases[] = {
      {LogLevel::kError, {"e"}},
      {LogLevel::kWarning, {"e", "w"}},
      {LogLevel::kInfo, {"e", "w", "i"}},
      {LogLevel::kDebug, {"e", "w", "i", "d"}},
  };
  for (const auto& each : cases) {
    CAPTURE(toString(each.threshold));
    std::vector<std::string> lines;
    const Log log(each.threshold, [&](LogLevel, const std::string& line) { lines.push_back(line); });
    log.error("e");
    log.warning("w");
    log.info("i");
    log.debug("d");
    CHECK(lines == each.expected);
  }
  Log().error("a default log discards everything, and does not crash");
}

TEST_CASE("log levels are read from their config words and nothing else") {
  for (const auto level : {LogLevel::kError, LogLevel::kWarning, LogLevel::kInfo, LogLevel::kDebug}) {
    CHECK((parseLogLevel(toString(level)) == level));
  }
  CHECK_FALSE(parseLogLevel("verbose"));
  CHECK_FALSE(parseLogLevel("INFO"));
  CHECK_FALSE(parseLogLevel(""));
}

TEST_CASE("the stream sink writes program and level, with the journal's priority only when asked") {
  std::ostringstream plain, journal;
  Log(LogLevel::kDebug, streamSink(plain, "wardprintd", false)).warning("printer ward-7-laser does not answer");
  const Log toJournal(LogLevel::kDebug, streamSink(journal, "wardprintd", true));
  toJournal.error("a");
  toJournal.warning("b");
  toJournal.info("c");
  toJournal.debug("d");
  CHECK(plain.str() == "wardprintd: warning: printer ward-7-laser does not answer\n");
  CHECK(journal.str() ==
        "<3>wardprintd: error: a\n<4>wardprintd: warning: b\n<6>wardprintd: info: c\n<7>wardprintd: debug: d\n");
}
