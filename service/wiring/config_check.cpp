#include "wiring/config_check.h"

#include "intake/leaflet_service.h"
#include "leaflet/layout_catalog.h"
#include "print/printer.h"
#include "print/printer_monitor.h"
#include "settings/config.h"
#include "tls/tls.h"
#include "util/problems.h"

namespace wardprint::wiring {
namespace {

void append(std::vector<std::string>& to, const std::vector<std::string>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

// Asks each printer for its attributes, as the daemon does at start.
void checkPrinters(const settings::Config& config, ConfigCheck& check) {
  for (const auto& [name, printer] : config.printers) {
    const std::string key = "printers." + name;
    const auto status =
        print::makeIppPrinter(printer.uri, {config.printing.connectTimeoutMs, config.printing.ioTimeoutSeconds})->status();
    if (!status.reachable) {
      check.problems.push_back(config.sourcePath + ": " + key + ": " + printer.uri + " did not answer (" + status.message + ")");
      continue;
    }
    check.report.push_back(key + ": " + printer.uri + " answered (" + status.state + ")");
    for (const auto& problem : print::printerProblems(printer.media, printer.sides, status)) {
      check.problems.push_back(config.sourcePath + ": " + key + ": " + problem);
    }
  }
}

}  // namespace

ConfigCheck checkConfiguration(const std::string& configPath, Network network) {
  auto [config, problems] = settings::readConfigFile(configPath);
  ConfigCheck check{{configPath + ": " + std::to_string(config.wards.size()) + " wards, " +
                     std::to_string(config.printers.size()) + " printers"},
                    std::move(problems)};
  const auto checkTls = [&](const std::optional<settings::TlsConfig>& tls, const std::string& key) {
    if (!tls) return;
    for (const auto& problem : tls::checkFiles(*tls, key)) check.problems.push_back(configPath + ": " + problem);
  };
  checkTls(config.server.tls, "server.tls");
  if (config.hl7.mllp) checkTls(config.hl7.mllp->tls, "hl7.mllp.tls");
  if (network == Network::kAskPrinters) checkPrinters(config, check);
  if (config.site.layoutsDir.empty()) return check;  // the site's keys say where the layouts are
  try {
    intake::LeafletService leaflets(std::move(config));
    auto layouts = leaflets.checkLayouts();
    append(check.report, layouts.report);
    append(check.problems, layouts.problems);
  } catch (const util::ConfigError& e) {  // every layout that does not load, its fonts included
    append(check.problems, e.problems());
  }
  return check;
}

}  // namespace wardprint::wiring
