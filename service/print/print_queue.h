#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "print/printer.h"
#include "store/job_store.h"
#include "util/clock.h"
#include "util/wakeup.h"

namespace wardprint::print {

struct RetryPolicy {
  int maxAttempts = 5;              // failed sends before the job fails (or moves to the fallback)
  store::Millis firstDelay = 2000;  // before the second attempt; doubles each time
  store::Millis maxDelay = 60000;
  store::Millis busyDelay = 250;    // a busy printer is asked again this soon, not counted as a failure
  // A printing job's state is asked for after 10 ms, then twice as long each time, up to
  // this: quick for a printer that prints at once, light on one that takes minutes.
  store::Millis maxPollInterval = 500;
  // A job submitting or printing longer than this (on the monotonic clock, from when this
  // run first saw it in flight) is asked about once more, then cancelled or given up on
  // that printer: a jammed or frozen printer never holds a job for ever.
  store::Millis jobTimeout = 300000;
  // The longest a worker sleeps before it looks again (due retries, a printer that has
  // come back with abandoned jobs): deadlines are kept even if the wall clock jumps.
  store::Millis maxSleep = 2000;
  // A worker drives its printer only while it holds the printer's lease in the store
  // (JobStore::holdPrinter), renewed every third of this; a daemon that dies loses its
  // printers this long after its last renewal and another daemon's workers take them over.
  store::Millis lease = 30000;
};

struct PrinterTarget {
  std::shared_ptr<Printer> printer;  // shared with the printer monitor
  std::string media;
  std::string sides;
};

// One step in a print job's life, for the log: ids, printer names and the printer's
// reasons only, never patient data.
struct JobEvent {
  enum Kind {
    kSent,             // the printer took the job (ippJobId set)
    kPrinted,
    kRetry,            // this attempt failed; the job is tried again on the same printer
    kAbandoned,        // given up on this printer (its attempts or the job timeout spent)
    kMovedToFallback,  // detail names the fallback printer
    kFailed,           // no printer left to try
  };
  Kind kind = kSent;
  std::string documentId;
  std::int64_t jobId = 0;  // the store's id
  int ippJobId = 0;        // the printer's id, when it has one
  std::string printer;
  std::string detail;  // why (the printer's reason), or where the job went next
};

// What the queue did, for metrics and the log. Thread-safe.
struct PrintEvents {
  virtual ~PrintEvents() = default;
  virtual void jobAccepted(const std::string& printer, store::Millis sinceCreated) = 0;
  virtual void jobFinished(const std::string& printer, bool printed) = 0;
  // Whether the printer answered when last asked for its state (by the PrinterMonitor).
  virtual void printerSeen(const std::string& /*printer*/, bool /*up*/) {}
  // Each step of a job's life (issue 11).
  virtual void jobStep(const JobEvent& /*event*/) {}
};

// Sends stored print jobs to their printers: one worker thread per printer, so a printer
// that is down never holds up another. A job is marked kSubmitting before it is sent; a
// job found in kSubmitting or kPrinting (after a crash, or when its printer went out of
// reach) is first looked for on the printer by name, so it is never sent twice.
//
// Every way an attempt can end counts as an attempt: refused, unreachable, sent with no
// answer, or no answer when asked about the job. After policy.maxAttempts, or once a job
// has been in flight longer than policy.jobTimeout, the attempt is abandoned on that
// printer (recorded in the store) and the job moves to its fallback printer or fails.
// When that printer answers again, each job abandoned on it that it still holds is
// cancelled there; one that printed anyway is recorded as such.
//
// Daemons sharing a store share the printers: a worker sends and follows jobs only while
// it holds its printer's lease, and stops (leaving the job as it is) when it can no longer
// renew it in time. The next holder resumes the printer's unfinished jobs exactly as after
// a crash: a job in flight is looked for on the printer by name before any resend.
class PrintQueue {
 public:
  PrintQueue(store::JobStore& store, std::map<std::string, PrinterTarget> printers, RetryPolicy policy,
             PrintEvents* events, const util::Clock& clock);
  ~PrintQueue();

  // Starts the workers; each first resumes its printer's unfinished jobs.
  void start();
  // Asks the workers to stop and waits for them. A job being followed stays kPrinting
  // and is picked up on the next start.
  void stop();
  // Tells the printer's worker that it has new work.
  void wake(const std::string& printer);
  // Does, on the caller's thread, what the printer's worker would do now by the queue's
  // clock: every due job, then returns. For tests that move a fixed clock instead of
  // sleeping; only on a queue that is not started. Throws std::out_of_range for an
  // unknown printer.
  void runDue(const std::string& printer);

 private:
  struct Worker;
  void run(Worker& worker);
  // Handles the next due job, if any; false when none was due.
  bool step(Worker& worker);
  // Whether this queue may drive the worker's printer now: takes or renews its lease when
  // a third of it has passed. False when another daemon has it or the store cannot say.
  bool holdsPrinter(Worker& worker);
  void process(Worker& worker, store::PrintJob job);
  void send(Worker& worker, const store::PrintJob& job);
  void follow(Worker& worker, const store::PrintJob& job, int ippJobId);
  void fail(Worker& worker, const store::PrintJob& job, const std::string& error);
  void unanswered(Worker& worker, const store::PrintJob& job, const std::string& error);
  void abandon(Worker& worker, const store::PrintJob& job, int attempts, const std::string& error);
  void giveUpHeldJob(Worker& worker, const store::PrintJob& job, int ippJobId);
  bool overdue(Worker& worker, const store::PrintJob& job);
  void finished(Worker& worker, const store::PrintJob& job);
  void recheckAbandoned(Worker& worker);
  store::Millis backOff(int attempts) const;
  void report(JobEvent::Kind kind, const store::PrintJob& job, const std::string& printer, const std::string& detail,
              int ippJobId = 0);
  bool sleepFor(Worker& worker, store::Millis millis);

  store::JobStore& store_;
  RetryPolicy policy_;
  PrintEvents* events_;
  const util::Clock& clock_;
  std::map<std::string, std::unique_ptr<Worker>> workers_;
  std::atomic<bool> stopping_{false};
  const std::string holder_;  // who this queue is, in the printers' leases
};


}  // namespace wardprint::print
