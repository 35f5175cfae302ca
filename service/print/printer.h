#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wardprint::print {

struct PrintRequest {
  std::string pdf;
  std::string jobName;  // shown on the printer's panel: never patient data
  int copies = 1;
  std::string media;
  std::string sides;
};

enum class SubmitOutcome {
  kAccepted,     // the printer has the job: jobId is set
  kBusy,         // the printer is printing something else: try again shortly
  kRefused,      // the printer answered with an error: message says which
  kUnreachable,  // nothing was sent: the printer could not be reached
  kUnknown,      // the job was sent but no answer came: it may or may not print
};

struct SubmitResult {
  SubmitOutcome outcome = SubmitOutcome::kUnreachable;
  int jobId = 0;
  std::string message;
};

enum class RemoteJobState { kWaiting, kProcessing, kCompleted, kAborted, kCanceled };

struct RemoteJob {
  int jobId = 0;
  RemoteJobState state = RemoteJobState::kWaiting;
  std::string reasons;  // job-state-reasons, comma-separated
};

// What a printer says about itself.
struct PrinterStatus {
  bool reachable = false;
  std::string state;                 // idle, processing, stopped
  std::vector<std::string> reasons;  // printer-state-reasons other than "none"
  bool acceptingJobs = false;
  bool acceptsPdf = false;
  std::vector<std::string> media;
  std::vector<std::string> sides;
  std::string message;  // why it could not be asked, when unreachable
};

// One printer, spoken to over the network. Every call opens its own connection and is
// bounded by the printer's timeouts. Implementations are thread-safe: the print queue's
// worker and the printer monitor share one.
class Printer {
 public:
  virtual ~Printer() = default;

  virtual SubmitResult submit(const PrintRequest& request) = 0;

  // The state of job `jobId`, provided it is still the job sent as `jobName`; nullopt when
  // the printer cannot be reached, does not know the id, or has given it to another job.
  virtual std::optional<RemoteJob> job(int jobId, const std::string& jobName) = 0;

  // Looks for a job by the name it was sent with, among every job the printer remembers.
  // `reachable` is false when the printer could not be asked.
  struct Lookup {
    bool reachable = false;
    std::optional<RemoteJob> job;
  };
  virtual Lookup findJob(const std::string& jobName) = 0;

  // Asks the printer to cancel job `jobId` (Cancel-Job). True when the printer says it is
  // cancelled or was already finished; false when it could not be asked or refused.
  virtual bool cancel(int jobId) = 0;

  virtual PrinterStatus status() = 0;
};

struct IppTimeouts {
  int connectMillis = 3000;
  int ioSeconds = 10;
};

// A printer reached at an ipp:// or ipps:// URI with libcups, with no CUPS server needed.
std::unique_ptr<Printer> makeIppPrinter(const std::string& uri, IppTimeouts timeouts);

}  // namespace wardprint::print
