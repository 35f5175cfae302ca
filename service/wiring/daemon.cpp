#include "wiring/daemon.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <thread>

#include "auth/authenticator.h"
#include "http/api_router.h"
#include "http/guarded_connection.h"
#include "intake/intake.h"
#include "intake/metrics.h"
#include "mllp/hl7_door.h"
#include "mllp/mllp_listener.h"
#include "pgstore/pg_store.h"
#include "print/print_queue.h"
#include "print/printer_monitor.h"
#include "store/job_store.h"
#include "store/store_lock.h"
#include "tls/tls.h"
#include "util/clock.h"
#include "util/problems.h"
#include "util/wakeup.h"
#include "wiring/print_log.h"

namespace wardprint::wiring {
namespace {

using Printers = std::map<std::string, std::shared_ptr<print::Printer>>;

// Each configured printer, built once and shared by the print queue and the monitor.
Printers makePrinters(const settings::Config& config) {
  Printers printers;
  for (const auto& [name, printer] : config.printers) {
    printers[name] = print::makeIppPrinter(printer.uri, {config.printing.connectTimeoutMs,
                                                         config.printing.ioTimeoutSeconds});
  }
  return printers;
}

std::map<std::string, print::PrinterTarget> queueTargets(const settings::Config& config, const Printers& printers) {
  std::map<std::string, print::PrinterTarget> targets;
  for (const auto& [name, printer] : config.printers) targets[name] = {printers.at(name), printer.media, printer.sides};
  return targets;
}

std::vector<print::MonitoredPrinter> monitored(const settings::Config& config, const Printers& printers) {
  std::vector<print::MonitoredPrinter> list;
  for (const auto& [name, printer] : config.printers) {
    list.push_back({name, printer.uri, printer.media, printer.sides, printers.at(name)});
  }
  return list;
}

print::RetryPolicy retryPolicy(const settings::PrintingConfig& printing) {
  print::RetryPolicy policy;
  policy.maxAttempts = printing.maxAttempts;
  policy.firstDelay = printing.firstRetrySeconds * 1000LL;
  policy.maxDelay = printing.maxRetrySeconds * 1000LL;
  policy.jobTimeout = printing.jobTimeoutSeconds * 1000LL;
  policy.lease = printing.leaseSeconds * 1000LL;
  return policy;
}

}  // namespace

struct Daemon::Parts {
  const util::Clock& clock = util::systemClock();  // the daemon's one source of time
  std::shared_ptr<const intake::LeafletSetup> leaflets;  // the configuration and the layouts, loaded once
  const settings::Config& config() const { return leaflets->config; }
  util::Log log;
  intake::Metrics metrics;
  std::unique_ptr<PrintLog> printLog;  // passes the queue's and monitor's events on to the metrics and the log
  std::unique_ptr<store::StoreLock> storeLock;  // a SQLite store's, held for the daemon's life
  std::unique_ptr<store::JobStore> store;
  std::unique_ptr<print::PrintQueue> queue;
  // Wakes the queue when another daemon on the same PostgreSQL adds a job for one of its
  // printers; none for SQLite.
  std::unique_ptr<store::JobStore::Watch> newJobsWatch;
  std::unique_ptr<print::PrinterMonitor> monitor;
  std::unique_ptr<intake::Intake> intake;
  std::unique_ptr<mllp::Hl7Door> hl7Door;
  std::unique_ptr<mllp::MllpListener> mllpListener;  // when hl7.mllp is configured
  std::unique_ptr<auth::Authenticator> authenticator;
  http::RepeatFilter auditRepeats;
  std::unique_ptr<Poco::ThreadPool> httpThreads;
  http::ApiRouter* router = nullptr;  // owned by the server's connection factory
  std::unique_ptr<Poco::Net::TCPServer> server;

  std::thread purger;
  util::Wakeup purgerWakeup;

  void purge() {
    const auto& config = this->config();
    const auto now = clock.wallMillis();
    const auto cutoff = now - config.store.retentionDays * 24LL * 3600 * 1000;
    try {
      const auto result = store->purge(cutoff, config.retention.maxPurgeFraction, false, now);
      const auto counts = std::to_string(result.eligible) + " of " + std::to_string(result.total) + " leaflets";
      if (result.refused) {
        log.warning("retention: " + counts + " are past " + std::to_string(config.store.retentionDays) +
            " days, more than retention.max_purge_fraction allows in one pass; nothing removed. Check the "
            "system clock; to remove them anyway stop the daemon and run `wardprint purge --force`");
      } else if (result.removed > 0) {
        log.info("retention: removed " + std::to_string(result.removed) + " leaflets older than " +
            std::to_string(config.store.retentionDays) + " days (" + counts + " were due)");
      }
    } catch (const std::exception& e) {
      log.error(std::string("retention: could not purge old leaflets: ") + e.what());
    }
  }

  void reportPrinters() {
    for (const auto& report : monitor->reports()) {
      if (!report.status.reachable) {
        log.warning("printer " + report.name + " (" + report.uri + "): not reachable (" + report.status.message +
            "); its jobs wait and are retried");
      }
      for (const auto& problem : report.problems) log.warning("printer " + report.name + ": configuration problem: " + problem);
    }
  }
};

Daemon::Daemon(settings::Config config, util::Log log) : parts_(std::make_unique<Parts>()) {
  auto& parts = *parts_;
  parts.log = std::move(log);
  if (config.store.postgresql) {
    parts.store = pgstore::openPostgresStore(*config.store.postgresql, config.store.poolSize);
  } else {
    parts.storeLock = std::make_unique<store::StoreLock>(config.store.path);
    parts.store = store::JobStore::open(config.store.path, config.store.create);
  }
  if (const auto damage = parts.store->damage()) parts.log.error("store: " + *damage + "; every write is refused");
  parts.leaflets = std::make_shared<const intake::LeafletSetup>(std::move(config));
  const auto& configured = parts.config();
  const auto printers = makePrinters(configured);
  parts.printLog = std::make_unique<PrintLog>(parts.metrics, parts.log);
  parts.queue = std::make_unique<print::PrintQueue>(*parts.store, queueTargets(configured, printers),
                                                    retryPolicy(configured.printing), parts.printLog.get(), parts.clock);
  parts.monitor = std::make_unique<print::PrinterMonitor>(
      monitored(configured, printers), std::chrono::seconds(configured.printing.statusIntervalSeconds), parts.printLog.get(),
      parts.clock);
  parts.intake = std::make_unique<intake::Intake>(intake::Intake::Parts{
      parts.leaflets, *parts.store, *parts.queue, *parts.monitor, parts.metrics, parts.clock, parts.log});
  const auto& hl7 = configured.hl7;
  parts.hl7Door = std::make_unique<mllp::Hl7Door>(*parts.intake, hl7.mapping, parts.log);
  if (hl7.mllp) {
    mllp::ListenerSettings listening;
    listening.host = hl7.mllp->host;
    listening.port = hl7.mllp->port;
    listening.tls = hl7.mllp->tls;
    listening.maxMessageBytes = hl7.maxMessageBytes;
    listening.idleTimeout = std::chrono::seconds(hl7.idleTimeoutSeconds);
    // Engines connecting by MLLP are trusted by the network they reach it from: every ward.
    parts.mllpListener = std::make_unique<mllp::MllpListener>(
        listening,
        [door = parts.hl7Door.get(), charset = hl7.mapping.defaultCharset](const std::string& message,
                                                                            const std::string& from) {
          mllp::Hl7Sender sender;
          sender.address = from;
          auto answer = door->answer(message, sender, charset);
          return answer.wanted ? answer.ack : std::string();
        },
        parts.log);
  }

  if (configured.auth) parts.authenticator = std::make_unique<auth::Authenticator>(*configured.auth, parts.intake->sessions(), parts.log);
  const auto& server = configured.server;
  const auto socket = tls::listen(server);  // TLS when server.tls says so
  // POCO serves each connection on a thread of its own, idle ones included, so the pool
  // must be as large as the connections to be served at once: then idle or slow clients
  // cannot starve the others.
  parts.httpThreads = std::make_unique<Poco::ThreadPool>(server.threads, server.maxConnections);
  Poco::Net::HTTPServerParams::Ptr params(new Poco::Net::HTTPServerParams);
  params->setMaxThreads(server.maxConnections);
  params->setMaxQueued(server.maxConnections);
  params->setKeepAlive(true);
  params->setTimeout(Poco::Timespan(15, 0));
  params->setKeepAliveTimeout(Poco::Timespan(10, 0));
  // POCO's HTTPServer is a TCPServer with POCO's connection factory; ours wraps each
  // connection to answer what POCO cannot parse (http/guarded_connection.h).
  Poco::Net::HTTPRequestHandlerFactory::Ptr router(
      parts.router = new http::ApiRouter(
          {*parts.intake, configured, parts.authenticator.get(), parts.auditRepeats,
           [door = parts.hl7Door.get()](const std::string& message, const std::string& sender,
                                        const std::optional<std::set<std::string>>& wards, const std::string& from) {
             return door->answer(message, {sender, wards, from}, hl7::Charset::kUtf8).ack;
           },
           parts.log}));
  parts.server = std::make_unique<Poco::Net::TCPServer>(
      new http::GuardedConnectionFactory(
          params, router,
          {std::chrono::seconds(server.requestTimeoutSeconds), server.maxConnections, server.maxConnectionsPerAddress},
          parts.log),
      *parts.httpThreads, socket,
      Poco::Net::TCPServerParams::Ptr(params));
}

Daemon::~Daemon() { stop(); }

void Daemon::start() {
  auto& parts = *parts_;
  parts.purge();
  parts.queue->start();
  parts.newJobsWatch =
      parts.store->watchNewJobs([queue = parts.queue.get()](const std::string& printer) { queue->wake(printer); });
  parts.monitor->start();
  parts.reportPrinters();
  parts.server->start();
  if (parts.mllpListener) parts.mllpListener->start();
  parts.purger = std::thread([&parts] {
    while (parts.purgerWakeup.sleep(std::chrono::hours(24))) parts.purge();
  });
}

void Daemon::stop() {
  auto& parts = *parts_;
  if (!parts.server) return;
  parts.server->stop();
  if (parts.mllpListener) parts.mllpListener->stop();
  parts.router->stopConnections(false);
  // Requests in progress finish before what they use is stopped (bounded: 30 s).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (parts.server->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  parts.newJobsWatch.reset();
  parts.queue->stop();
  parts.monitor->stop();
  parts.purgerWakeup.stop();
  if (parts.purger.joinable()) parts.purger.join();
}

void Daemon::reloadLayouts() {
  auto& parts = *parts_;
  try {
    const auto setup = std::make_shared<const intake::LeafletSetup>(parts.config());
    const auto check = intake::LeafletService(setup).checkLayouts();
    if (!check.problems.empty()) throw util::ConfigError(check.problems);
    parts.intake->useLayouts(setup);
    parts.log.info("layouts reloaded from " + parts.config().site.layoutsDir + ": " +
                   std::to_string(setup->catalog.layouts().size()) + " layouts");
  } catch (const util::ConfigError& e) {
    for (const auto& problem : e.problems()) parts.log.warning("layouts not reloaded: " + problem);
    parts.log.info("layouts not reloaded: the layouts loaded before stay in use");
  } catch (const std::exception& e) {
    parts.log.warning(std::string("layouts not reloaded: ") + e.what());
    parts.log.info("layouts not reloaded: the layouts loaded before stay in use");
  }
}

int Daemon::port() const { return parts_->server->port(); }

int Daemon::mllpPort() const { return parts_->mllpListener ? parts_->mllpListener->port() : 0; }

}  // namespace wardprint::wiring
