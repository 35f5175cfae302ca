#include "app/printer_monitor.h"

#include <algorithm>

#include "print/print_queue.h"

namespace wardprint::app {

std::vector<std::string> printerProblems(const PrinterConfig& config, const print::PrinterStatus& status) {
  std::vector<std::string> problems;
  if (!status.reachable) return problems;
  const auto offers = [](const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
  };
  if (!status.acceptsPdf) problems.push_back("the printer does not accept PDF (application/pdf)");
  if (!offers(status.media, config.media)) problems.push_back("the printer does not offer media " + config.media);
  if (!offers(status.sides, config.sides)) problems.push_back("the printer does not offer sides " + config.sides);
  return problems;
}

PrinterMonitor::PrinterMonitor(const Config& config, Metrics& metrics) : config_(config), metrics_(metrics) {
  for (const auto& [name, printer] : config.printers) {
    printers_.emplace(name, print::makeIppPrinter(printer.uri, {config.printing.connectTimeoutMs,
                                                                config.printing.ioTimeoutSeconds}));
    reports_[name] = {name, printer.uri, {}, {}, 0};
  }
}

PrinterMonitor::~PrinterMonitor() { stop(); }

void PrinterMonitor::start() {
  checkAll();
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wakeUp_.wait_for(lock, std::chrono::seconds(config_.printing.statusIntervalSeconds), [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      checkAll();
      lock.lock();
    }
  });
}

void PrinterMonitor::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeUp_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PrinterMonitor::checkAll() {
  for (auto& [name, printer] : printers_) {
    const auto status = printer->status();
    metrics_.printerSeen(name, status.reachable);
    std::lock_guard lock(mutex_);
    auto& report = reports_[name];
    report.status = status;
    report.problems = printerProblems(config_.printers.at(name), status);
    report.checkedAt = print::nowMillis();
  }
}

std::vector<PrinterReport> PrinterMonitor::reports() const {
  std::lock_guard lock(mutex_);
  std::vector<PrinterReport> out;
  for (const auto& [name, report] : reports_) out.push_back(report);
  return out;
}

}  // namespace wardprint::app
