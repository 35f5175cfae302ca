#include "app/daemon.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>

#include "app/discharge_service.h"
#include "app/metrics.h"
#include "app/printer_monitor.h"
#include "http/api_router.h"
#include "print/print_queue.h"
#include "store/job_store.h"

namespace wardprint::app {
namespace {

std::map<std::string, print::PrinterTarget> printerTargets(const Config& config) {
  std::map<std::string, print::PrinterTarget> targets;
  for (const auto& [name, printer] : config.printers) {
    targets[name] = {print::makeIppPrinter(printer.uri, {config.printing.connectTimeoutMs,
                                                         config.printing.ioTimeoutSeconds}),
                     printer.media, printer.sides};
  }
  return targets;
}

print::RetryPolicy retryPolicy(const PrintingConfig& printing) {
  print::RetryPolicy policy;
  policy.maxAttempts = printing.maxAttempts;
  policy.firstDelay = printing.firstRetrySeconds * 1000LL;
  policy.maxDelay = printing.maxRetrySeconds * 1000LL;
  return policy;
}

}  // namespace

struct Daemon::Parts {
  Config config;
  Metrics metrics;
  std::unique_ptr<store::JobStore> store;
  std::unique_ptr<print::PrintQueue> queue;
  std::unique_ptr<PrinterMonitor> monitor;
  std::unique_ptr<DischargeService> discharges;
  std::unique_ptr<Poco::Net::HTTPServer> server;
};

Daemon::Daemon(Config config) : parts_(std::make_unique<Parts>()) {
  auto& parts = *parts_;
  parts.config = std::move(config);
  parts.store = store::JobStore::open(parts.config.store.path);
  parts.queue = std::make_unique<print::PrintQueue>(*parts.store, printerTargets(parts.config),
                                                    retryPolicy(parts.config.printing), &parts.metrics);
  parts.monitor = std::make_unique<PrinterMonitor>(parts.config, parts.metrics);
  parts.discharges = std::make_unique<DischargeService>(parts.config, *parts.store, *parts.queue, parts.metrics);

  const auto& server = parts.config.server;
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(server.host, static_cast<Poco::UInt16>(server.port)));
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(server.threads);
  params->setMaxQueued(1000);
  params->setKeepAlive(true);
  params->setTimeout(Poco::Timespan(30, 0));
  parts.server = std::make_unique<Poco::Net::HTTPServer>(
      new http::ApiRouter({*parts.discharges, *parts.monitor, parts.metrics, *parts.store}), socket, params);
}

Daemon::~Daemon() { stop(); }

void Daemon::start() {
  parts_->queue->start();
  parts_->monitor->start();
  parts_->server->start();
}

void Daemon::stop() {
  if (!parts_->server) return;
  parts_->server->stopAll(false);
  parts_->queue->stop();
  parts_->monitor->stop();
}

int Daemon::port() const { return parts_->server->port(); }

}  // namespace wardprint::app
