#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "shipped_words.h"
#include "util/problems.h"

using namespace wardprint::leaflet;
namespace fs = std::filesystem;

namespace {

const std::string kEnglish = WARDPRINT_SOURCE_DIR "/layouts/words/en-GB.yaml";

// The error of loading the shipped English words with `from` replaced by `to`.
std::string errorWith(const std::string& from, const std::string& to) {
  std::ifstream in(kEnglish);
  std::ostringstream text;
  text << in.rdbuf();
  auto yaml = text.str();
  const auto at = yaml.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "test setup: '" << from << "' not in en-GB.yaml");
  yaml.replace(at, from.size(), to);
  const auto path = fs::temp_directory_path() / ("wardprint-words-test-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << yaml;
  std::string error = "(no error)";
  try {
    loadWords(path.string());
  } catch (const wardprint::util::ConfigError& e) {
    error = e.what();
  }
  fs::remove(path);
  return error;
}

}  // namespace

TEST_CASE("the shipped words load, each with the plain weekday form") {
  for (const auto* language : {"en-GB", "cy-GB"}) {
    CAPTURE(language);
    const auto& words = shippedWords(language);
    CHECK(words.language == language);
    CHECK(words.weekday(1, kPlainForm).find(language == std::string("en-GB") ? "Monday" : "dydd Llun") == 0);
  }
  CHECK(shippedWords("cy-GB").weekday(0, "soft") == "ddydd Sul");
  CHECK(shippedWords("en-GB").numberUnits.front() == "week");
}

TEST_CASE("a bad words file is refused, naming the key") {
  struct Case {
    const char* from;
    const char* to;
    const char* expected;
  };
  const Case cases[] = {
      {"{time} on {date}", "{time} on {day}", "times.on_date: unknown {day}; use {date}, {time}"},
      {"{first} to {last}", "{first} to {last:soft}", "opening_hours.day_range: {last:soft} names a weekday form"},
      {"plain: [Monday", "mutated: [Monday", "weekdays: needs the 'plain' form"},
      {"October,\n         November, December]", "October]", "months: must be a list of the 12 month names"},
      {"  noon: \"12 noon\"\n", "", "times.noon: is required"},
      {"  noon: \"12 noon\"\n", "  noon: \"12 noon\"\n  midday: noon\n", "times.midday: unknown key"},
      {"language: en-GB", "language: [en-GB]", "language: must be text"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.expected);
    const auto error = errorWith(c.from, c.to);
    CHECK_MESSAGE(error.find(c.expected) != std::string::npos, error);
  }
}
