#pragma once

#include <memory>

#include "app/config.h"

namespace wardprint::app {

// The whole service: store, printers, print queue, printer monitor and HTTP API, wired
// from one configuration. Construction opens the store and checks the layouts but starts
// no threads; start() and stop() do.
class Daemon {
 public:
  // Throws util::ConfigError or store::StoreError with a message fit for an operator.
  explicit Daemon(Config config);
  ~Daemon();

  // Resumes unfinished print jobs, asks each printer for its state, then listens.
  void start();
  // Stops listening and lets requests in progress finish, then stops the print workers.
  void stop();

  // The port the HTTP server listens on (useful when the configuration said 0).
  int port() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace wardprint::app
