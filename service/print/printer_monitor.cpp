#include "print/printer_monitor.h"

#include <algorithm>

namespace wardprint::print {

std::vector<std::string> printerProblems(const std::string& media, const std::string& sides,
                                         const PrinterStatus& status) {
  std::vector<std::string> problems;
  if (!status.reachable) return problems;
  const auto offers = [](const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
  };
  if (!status.acceptsPdf) problems.push_back("the printer does not accept PDF (application/pdf)");
  if (!offers(status.media, media)) problems.push_back("the printer does not offer media " + media);
  if (!offers(status.sides, sides)) problems.push_back("the printer does not offer sides " + sides);
  return problems;
}

PrinterMonitor::PrinterMonitor(std::vector<MonitoredPrinter> printers, std::chrono::seconds interval,
                               PrintEvents* events, const util::Clock& clock)
    : printers_(std::move(printers)), interval_(interval), events_(events), clock_(clock) {
  for (const auto& printer : printers_) reports_[printer.name] = {printer.name, printer.uri, {}, {}, 0};
}

PrinterMonitor::~PrinterMonitor() { stop(); }

void PrinterMonitor::start() {
  wakeup_.restart();
  checkAll();
  thread_ = std::thread([this] {
    while (wakeup_.sleep(interval_)) checkAll();
  });
}

void PrinterMonitor::stop() {
  wakeup_.stop();
  if (thread_.joinable()) thread_.join();
}

void PrinterMonitor::checkAll() {
  for (const auto& printer : printers_) {
    const auto status = printer.printer->status();
    if (events_) events_->printerSeen(printer.name, status.reachable);
    std::lock_guard lock(mutex_);
    auto& report = reports_[printer.name];
    report.status = status;
    report.problems = printerProblems(printer.media, printer.sides, status);
    report.checkedAt = clock_.wallMillis();
  }
}

std::vector<PrinterReport> PrinterMonitor::reports() const {
  std::lock_guard lock(mutex_);
  std::vector<PrinterReport> out;
  for (const auto& [name, report] : reports_) out.push_back(report);
  return out;
}

}  // namespace wardprint::print
