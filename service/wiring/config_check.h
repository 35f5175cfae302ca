#pragma once

#include <string>
#include <vector>

namespace wardprint::wiring {

// What check-config found: a line per thing checked, and every problem, each naming the
// file and the key (empty when the configuration is ready to use).
struct ConfigCheck {
  std::vector<std::string> report;
  std::vector<std::string> problems;
};

// Whether check-config asks each printer for its attributes (kOffline: no network).
enum class Network { kAskPrinters, kOffline };

// Checks a configuration file as the daemon would load it: every key, the TLS certificate
// and key, each printer's attributes (can it print PDF on our media and sides; unless
// kOffline), the layouts and their fonts, and a sample leaflet rendered with each layout.
// One problem hides no other, except that layouts are checked only once the site's keys
// are readable (they say where the layouts and fonts are) and samples are rendered only
// once every layout loads.
ConfigCheck checkConfiguration(const std::string& configPath, Network network);

}  // namespace wardprint::wiring
