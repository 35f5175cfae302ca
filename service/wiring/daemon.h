#pragma once

#include <memory>
#include <string>

#include "settings/config.h"
#include "util/log.h"

namespace wardprint::wiring {

// The whole service: store, printers, print queue, printer monitor and HTTP API, wired
// from one configuration. Construction opens the store and checks the layouts but starts
// no threads; start() and stop() do.
class Daemon {
 public:
  // Throws util::ConfigError or store::StoreError with a message fit for an operator.
  // `log` takes the operational messages of every part: never patient data.
  Daemon(settings::Config config, util::Log log);
  ~Daemon();

  // Purges leaflets past their retention, resumes unfinished print jobs, asks each printer
  // for its state (logging any that is out of reach or cannot print our leaflets), then
  // listens. Purges again once a day.
  void start();
  // Stops listening and lets requests in progress finish, then stops the print workers.
  void stop();

  // Loads the layouts again from site.layouts_dir (the configuration is not re-read) and
  // renders a sample leaflet with each; only when all of them pass does the daemon use
  // them. Logs what it did, or every problem and that the old layouts stay. Thread-safe.
  void reloadLayouts();

  // The port the HTTP server listens on (useful when the configuration said 0).
  int port() const;
  // The port the MLLP listener listens on; 0 when hl7.mllp is not configured.
  int mllpPort() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace wardprint::wiring
