#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/config.h"
#include "app/metrics.h"
#include "print/printer.h"

namespace wardprint::app {

struct PrinterReport {
  std::string name;
  std::string uri;
  print::PrinterStatus status;
  std::vector<std::string> problems;  // configuration problems: no PDF, media or sides not offered
  std::int64_t checkedAt = 0;         // milliseconds since the epoch; 0 before the first check
};

// Asks every configured printer for its state at start and then at an interval, on a
// thread of its own, so that HTTP requests never wait on a printer. Thread-safe.
class PrinterMonitor {
 public:
  PrinterMonitor(const Config& config, Metrics& metrics);
  ~PrinterMonitor();

  // Checks every printer once, now, then keeps checking in the background.
  void start();
  void stop();
  std::vector<PrinterReport> reports() const;

 private:
  void checkAll();

  const Config& config_;
  Metrics& metrics_;
  std::map<std::string, std::unique_ptr<print::Printer>> printers_;
  mutable std::mutex mutex_;
  std::condition_variable wakeUp_;
  bool stopping_ = false;
  std::map<std::string, PrinterReport> reports_;
  std::thread thread_;
};

// Configuration problems in what a printer says it supports.
std::vector<std::string> printerProblems(const PrinterConfig& config, const print::PrinterStatus& status);

}  // namespace wardprint::app
