#include "util/problems.h"

namespace wardprint::util {

std::string describe(const Problems& problems) {
  std::string out;
  for (const auto& problem : problems) {
    out += (problem.field.empty() ? "(body)" : problem.field) + ": " + problem.reason + "\n";
  }
  return out;
}

InvalidInput::InvalidInput(Problems problems)
    : std::runtime_error(describe(problems)), problems_(std::move(problems)) {}

namespace {

std::string lines(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& problem : problems) out += (out.empty() ? "" : "\n") + problem;
  return out;
}

}  // namespace

ConfigError::ConfigError(const std::string& problem) : std::runtime_error(problem), problems_{problem} {}

ConfigError::ConfigError(std::vector<std::string> problems)
    : std::runtime_error(lines(problems)), problems_(std::move(problems)) {}

}  // namespace wardprint::util
