#pragma once

#include <map>
#include <mutex>
#include <string>

#include "print/print_queue.h"
#include "util/log.h"

namespace wardprint::wiring {

// What the print queue and the printer monitor report, passed on to the metrics and
// written to the log: each job step with its document id, job ids and printer; each
// printer that stops or starts answering. Thread-safe.
class PrintLog : public print::PrintEvents {
 public:
  // `counts` (the metrics) must outlive this.
  PrintLog(print::PrintEvents& counts, util::Log log) : counts_(counts), log_(std::move(log)) {}

  void jobAccepted(const std::string& printer, store::Millis sinceCreated) override;
  void jobFinished(const std::string& printer, bool printed) override;
  void printerSeen(const std::string& printer, bool up) override;
  void jobStep(const print::JobEvent& event) override;

 private:
  print::PrintEvents& counts_;
  util::Log log_;
  std::mutex mutex_;
  std::map<std::string, bool> printerUp_;
};

}  // namespace wardprint::wiring
