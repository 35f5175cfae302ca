#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "print/print_queue.h"
#include "print/printer.h"
#include "util/clock.h"
#include "util/wakeup.h"

namespace wardprint::print {

// A configured printer as the monitor asks it: its name, where it is, and what our
// leaflets need from it.
struct MonitoredPrinter {
  std::string name;
  std::string uri;
  std::string media;
  std::string sides;
  std::shared_ptr<Printer> printer;  // shared with the print queue
};

struct PrinterReport {
  std::string name;
  std::string uri;
  PrinterStatus status;
  std::vector<std::string> problems;  // configuration problems: no PDF, media or sides not offered
  std::int64_t checkedAt = 0;         // milliseconds since the epoch; 0 before the first check
};

// Asks every printer for its state at start and then every `interval`, on a thread of its
// own, so that requests never wait on a printer. Tells `events` (may be null) whether each
// answered. Thread-safe.
class PrinterMonitor {
 public:
  PrinterMonitor(std::vector<MonitoredPrinter> printers, std::chrono::seconds interval, PrintEvents* events,
                 const util::Clock& clock);
  ~PrinterMonitor();

  // Checks every printer once, now, then keeps checking in the background.
  void start();
  void stop();
  std::vector<PrinterReport> reports() const;

 private:
  void checkAll();

  std::vector<MonitoredPrinter> printers_;
  std::chrono::seconds interval_;
  PrintEvents* events_;
  const util::Clock& clock_;
  mutable std::mutex mutex_;
  std::map<std::string, PrinterReport> reports_;
  util::Wakeup wakeup_;
  std::thread thread_;
};

// Configuration problems in what a printer says it supports, for leaflets on `media`
// printed on `sides`.
std::vector<std::string> printerProblems(const std::string& media, const std::string& sides,
                                         const PrinterStatus& status);

}  // namespace wardprint::print
