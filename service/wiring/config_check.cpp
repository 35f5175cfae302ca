#include "wiring/config_check.h"

#include "intake/leaflet_service.h"
#include "leaflet/layout_catalog.h"
#include "settings/config.h"
#include "util/problems.h"

namespace wardprint::wiring {

ConfigCheck checkConfiguration(const std::string& configPath) {
  auto [config, problems] = settings::readConfigFile(configPath);
  ConfigCheck check{{configPath + ": " + std::to_string(config.wards.size()) + " wards, " +
                     std::to_string(config.printers.size()) + " printers"},
                    std::move(problems)};
  if (config.site.layoutsDir.empty()) return check;  // the site's keys say where the layouts are
  try {
    intake::LeafletService leaflets(std::move(config));
    auto layouts = leaflets.checkLayouts();
    check.report.insert(check.report.end(), layouts.report.begin(), layouts.report.end());
    check.problems.insert(check.problems.end(), layouts.problems.begin(), layouts.problems.end());
  } catch (const util::ConfigError& e) {  // every layout that does not load, its fonts included
    check.problems.insert(check.problems.end(), e.problems().begin(), e.problems().end());
  }
  return check;
}

}  // namespace wardprint::wiring
