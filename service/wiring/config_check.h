#pragma once

#include <string>
#include <vector>

namespace wardprint::wiring {

// Checks a configuration file as the daemon would load it: every key, the layouts and
// their fonts, and a sample leaflet rendered with each layout. Returns what was checked,
// a line each; throws ConfigError (naming the key or file) at the first problem.
std::vector<std::string> checkConfiguration(const std::string& configPath);

}  // namespace wardprint::wiring
