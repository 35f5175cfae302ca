#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace wardprint::util {

// One thing wrong with an input: the field it is in ("patient.nhs_number") and why.
struct Problem {
  std::string field;
  std::string reason;

  bool operator==(const Problem& other) const {
    return field == other.field && reason == other.reason;
  }
};

using Problems = std::vector<Problem>;

// "field: reason" lines, one per problem.
std::string describe(const Problems& problems);

// Thrown when an input a caller supplied (an event) cannot be used; carries every problem.
class InvalidInput : public std::runtime_error {
 public:
  explicit InvalidInput(Problems problems);
  const Problems& problems() const { return problems_; }

 private:
  Problems problems_;
};

// Thrown when configuration or a layout is unusable; the message names the file and key.
// One error may name several problems: what() has a line each.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& problem);
  explicit ConfigError(std::vector<std::string> problems);
  // Every problem named, at least one.
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

}  // namespace wardprint::util
