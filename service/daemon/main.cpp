// wardprintd: the wardprint daemon. `wardprintd --config FILE`; the default configuration
// is /etc/wardprint/wardprint.yaml when installed, config/wardprint.yaml of the source tree
// when run from the build folder. Stops cleanly on SIGTERM or SIGINT; SIGHUP reloads the
// layouts once they validate.
#include <Poco/Exception.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <iostream>

#include "wiring/config_check.h"
#include "wiring/daemon.h"
#include "settings/resources.h"
#include "util/log.h"
#include "util/problems.h"
#include "util/service_manager.h"

namespace {

class WardprintDaemon : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(Poco::Util::Option("config", "c", "configuration file (YAML)")
                          .required(false)
                          .argument("FILE")
                          .callback(Poco::Util::OptionCallback<WardprintDaemon>(this, &WardprintDaemon::setConfig)));
    options.addOption(Poco::Util::Option("check-config", "", "check FILE (keys, TLS files, printers, layouts, fonts) and exit 0 or 1")
                          .required(false)
                          .argument("FILE")
                          .callback(Poco::Util::OptionCallback<WardprintDaemon>(this, &WardprintDaemon::setCheck)));
    options.addOption(Poco::Util::Option("offline", "", "with --check-config: do not ask the printers")
                          .required(false)
                          .callback(Poco::Util::OptionCallback<WardprintDaemon>(this, &WardprintDaemon::setOffline)));
    options.addOption(Poco::Util::Option("help", "h", "show this help")
                          .callback(Poco::Util::OptionCallback<WardprintDaemon>(this, &WardprintDaemon::showHelp)));
  }

  int main(const std::vector<std::string>&) override {
    if (helpShown_) return EXIT_OK;
    if (!checkPath_.empty()) return checkConfig();
    // A full disk (or a file size limit) must fail a write, not kill the daemon.
    std::signal(SIGXFSZ, SIG_IGN);
    std::signal(SIGPIPE, SIG_IGN);
    using wardprint::util::Log;
    using wardprint::util::LogLevel;
    // systemd sets JOURNAL_STREAM when stderr goes to the journal.
    const auto sink = wardprint::util::streamSink(std::cerr, "wardprintd", std::getenv("JOURNAL_STREAM") != nullptr);
    Log log(LogLevel::kInfo, sink);  // until the configuration names the level
    // Blocked before any thread starts (threads inherit the mask), so that only the wait
    // below receives them.
    sigset_t signals;
    sigemptyset(&signals);
    for (const int number : {SIGHUP, SIGINT, SIGTERM, SIGQUIT}) sigaddset(&signals, number);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    try {
      auto config = wardprint::settings::loadConfig(configPath_);
      log = Log(config.log.level, sink);
      log.info("starting with " + configPath_);
      wardprint::wiring::Daemon daemon(std::move(config), log);
      daemon.start();
      log.info("listening on port " + std::to_string(daemon.port()));
      if (daemon.mllpPort() != 0) log.info("mllp: listening on port " + std::to_string(daemon.mllpPort()));
      wardprint::util::notifyServiceManager("READY=1");
      // SIGHUP reloads the layouts; the others stop the daemon (as ServerApplication's
      // waitForTerminationRequest, which would let SIGHUP kill it).
      int received = 0;
      while (sigwait(&signals, &received) == 0 && received == SIGHUP) {
        log.info("SIGHUP: reloading the layouts");
        daemon.reloadLayouts();
      }
      log.info("stopping");
      wardprint::util::notifyServiceManager("STOPPING=1");
      daemon.stop();
      log.info("stopped");
    } catch (const Poco::Exception& e) {
      // what() of a POCO exception is only its class name ("Net Exception").
      log.error(e.displayText());
      return EXIT_CONFIG;
    } catch (const std::exception& e) {
      log.error(e.what());
      return EXIT_CONFIG;
    }
    return EXIT_OK;
  }

 private:
  void setConfig(const std::string&, const std::string& value) { configPath_ = value; }
  void setCheck(const std::string&, const std::string& value) { checkPath_ = value; }
  void setOffline(const std::string&, const std::string&) { network_ = wardprint::wiring::Network::kOffline; }

  int checkConfig() {
    const auto check = wardprint::wiring::checkConfiguration(checkPath_, network_);
    for (const auto& line : check.report) std::cout << line << std::endl;
    for (const auto& problem : check.problems) std::cerr << "wardprintd: " << problem << std::endl;
    if (!check.problems.empty()) {
      std::cerr << "wardprintd: " << checkPath_ << ": " << check.problems.size()
                << (check.problems.size() == 1 ? " problem" : " problems") << std::endl;
      return 1;
    }
    std::cout << "wardprintd: " << checkPath_ << " is ready to use" << std::endl;
    return EXIT_OK;
  }
  void showHelp(const std::string&, const std::string&) {
    Poco::Util::HelpFormatter help(options());
    help.setUsage("--config FILE | --check-config FILE [--offline]");
    help.setHeader("wardprintd: prints going-home leaflets for discharged patients.");
    help.format(std::cout);
    helpShown_ = true;
    stopOptionsProcessing();
  }

  std::string configPath_ = wardprint::settings::resources().defaultConfig;
  std::string checkPath_;
  wardprint::wiring::Network network_ = wardprint::wiring::Network::kAskPrinters;
  bool helpShown_ = false;
};

}  // namespace

POCO_SERVER_MAIN(WardprintDaemon)
