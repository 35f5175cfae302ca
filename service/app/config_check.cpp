#include "app/config_check.h"

#include "app/config.h"
#include "app/leaflet_service.h"

namespace wardprint::app {

std::vector<std::string> checkConfiguration(const std::string& configPath) {
  auto config = loadConfig(configPath);
  std::vector<std::string> report{configPath + ": " + std::to_string(config.wards.size()) + " wards, " +
                                  std::to_string(config.printers.size()) + " printers"};
  LeafletService leaflets(std::move(config));
  for (auto& line : leaflets.checkLayouts()) report.push_back(std::move(line));
  return report;
}

}  // namespace wardprint::app
