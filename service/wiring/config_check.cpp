#include "wiring/config_check.h"

#include "settings/config.h"
#include "intake/leaflet_service.h"

namespace wardprint::wiring {

std::vector<std::string> checkConfiguration(const std::string& configPath) {
  auto config = settings::loadConfig(configPath);
  std::vector<std::string> report{configPath + ": " + std::to_string(config.wards.size()) + " wards, " +
                                  std::to_string(config.printers.size()) + " printers"};
  intake::LeafletService leaflets(std::move(config));
  for (auto& line : leaflets.checkLayouts()) report.push_back(std::move(line));
  return report;
}

}  // namespace wardprint::wiring
