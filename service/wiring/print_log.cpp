#include "wiring/print_log.h"

namespace wardprint::wiring {
namespace {

std::string describe(const print::JobEvent& event) {
  std::string line = "print job " + std::to_string(event.jobId) + " (document " + event.documentId + ") ";
  const auto printerJob = event.ippJobId ? " as its job " + std::to_string(event.ippJobId) : std::string();
  switch (event.kind) {
    case print::JobEvent::kSent:
      return line + "taken by printer " + event.printer + printerJob;
    case print::JobEvent::kPrinted:
      return line + "printed on " + event.printer + printerJob;
    case print::JobEvent::kRetry:
      return line + "attempt failed on " + event.printer + ", will retry: " + event.detail;
    case print::JobEvent::kAbandoned:
      return line + "given up on " + event.printer + ": " + event.detail;
    case print::JobEvent::kMovedToFallback:
      return line + "moved from " + event.printer + " to fallback printer " + event.detail;
    case print::JobEvent::kFailed:
      return line + "failed on " + event.printer + printerJob + ": " + event.detail;
  }
  return line;
}

util::LogLevel levelOf(print::JobEvent::Kind kind) {
  switch (kind) {
    case print::JobEvent::kSent:
    case print::JobEvent::kPrinted:
      return util::LogLevel::kInfo;
    case print::JobEvent::kRetry:
    case print::JobEvent::kAbandoned:
    case print::JobEvent::kMovedToFallback:
      return util::LogLevel::kWarning;
    case print::JobEvent::kFailed:
      return util::LogLevel::kError;
  }
  return util::LogLevel::kInfo;
}

}  // namespace

void PrintLog::jobAccepted(const std::string& printer, store::Millis sinceCreated) {
  counts_.jobAccepted(printer, sinceCreated);
}

void PrintLog::jobFinished(const std::string& printer, bool printed) { counts_.jobFinished(printer, printed); }

void PrintLog::printerSeen(const std::string& printer, bool up) {
  counts_.printerSeen(printer, up);
  std::lock_guard lock(mutex_);
  // The first answer is reported at start (wiring/daemon.cpp); from then on, each change.
  const auto [known, first] = printerUp_.emplace(printer, up);
  if (first || known->second == up) return;
  known->second = up;
  if (up) {
    log_.info("printer " + printer + " answers again");
  } else {
    log_.warning("printer " + printer + " stopped answering; its jobs wait and are retried");
  }
}

void PrintLog::jobStep(const print::JobEvent& event) { log_.write(levelOf(event.kind), describe(event)); }

}  // namespace wardprint::wiring
