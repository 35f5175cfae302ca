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

}  // namespace wardprint::util
