#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace wardprint::cli {

// Exit codes of the wardprint command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;      // bad configuration or layout, I/O error
inline constexpr int kExitInvalidEvent = 2;  // the event was refused; nothing was written
inline constexpr int kExitUsage = 64;

// Runs `wardprint ARGS...`; reads `in` (hash-password), writes results to `out` and
// messages to `err`.
int runCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace wardprint::cli
