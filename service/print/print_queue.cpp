#include "print/print_queue.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>

namespace wardprint::print {

struct PrintQueue::Worker {
  std::string name;
  PrinterTarget target;
  std::thread thread;
  util::Wakeup wakeup;
  // Only the worker's own thread touches what follows. Times are on the monotonic clock.
  std::map<std::int64_t, store::Millis> inFlightSince;  // job id -> first seen submitting/printing
  std::map<std::int64_t, store::Millis> retryDue;       // job id -> when its retry is due
  store::Millis abandonedCheckedAt = 0;
  store::Millis leaseRenewedAt = 0;  // when the last renewal was asked for, if it succeeded
  bool leaseHeld = false;
};


namespace {

// Names this queue in the printers' leases: the host and process, and a random part so
// that a restarted daemon with the same process id is a new holder.
std::string holderName() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::random_device random;
  return std::string(host) + "/" + std::to_string(::getpid()) + "/" + std::to_string(random());
}

bool unfinished(store::JobState state) {
  return state == store::JobState::kQueued || state == store::JobState::kSubmitting ||
         state == store::JobState::kPrinting;
}

}  // namespace

PrintQueue::PrintQueue(store::JobStore& store, std::map<std::string, PrinterTarget> printers, RetryPolicy policy,
                       PrintEvents* events, const util::Clock& clock)
    : store_(store), policy_(policy), events_(events), clock_(clock), holder_(holderName()) {
  for (auto& [name, target] : printers) {
    auto worker = std::make_unique<Worker>();
    worker->name = name;
    worker->target = std::move(target);
    workers_.emplace(name, std::move(worker));
  }
}

PrintQueue::~PrintQueue() { stop(); }

void PrintQueue::start() {
  stopping_ = false;
  for (auto& [name, worker] : workers_) {
    Worker* self = worker.get();
    self->wakeup.restart();
    worker->thread = std::thread([this, self] { run(*self); });
  }
}

void PrintQueue::stop() {
  stopping_ = true;
  for (auto& [name, worker] : workers_) worker->wakeup.stop();
  for (auto& [name, worker] : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
    if (!worker->leaseHeld) continue;
    worker->leaseHeld = false;
    try {
      store_.releasePrinter(name, holder_);  // another daemon may take it over at once
    } catch (const std::exception&) {
      // The store is down: the lease runs out by itself.
    }
  }
}

void PrintQueue::wake(const std::string& printer) {
  const auto found = workers_.find(printer);
  if (found != workers_.end()) found->second->wakeup.wake();
}

// Waits up to `millis` (never more than policy.maxSleep) or until woken; returns false
// when stopping.
bool PrintQueue::sleepFor(Worker& worker, store::Millis millis) {
  return worker.wakeup.sleep(std::chrono::milliseconds(std::clamp<store::Millis>(millis, 0, policy_.maxSleep)));
}

bool PrintQueue::holdsPrinter(Worker& worker) {
  const auto now = clock_.steadyMillis();
  if (worker.leaseHeld && now - worker.leaseRenewedAt < policy_.lease / 3) return true;
  try {
    worker.leaseHeld = store_.holdPrinter(worker.name, holder_, policy_.lease);
  } catch (const std::exception&) {
    // Not renewed: ours until the lease would run out at the latest, then no longer.
    worker.leaseHeld = worker.leaseHeld && now - worker.leaseRenewedAt < policy_.lease * 2 / 3;
    return worker.leaseHeld;
  }
  // Counted from before the request: the database's expiry is later than ours.
  if (worker.leaseHeld) worker.leaseRenewedAt = now;
  return worker.leaseHeld;
}

bool PrintQueue::step(Worker& worker) {
  recheckAbandoned(worker);
  // A retry this run scheduled is due by the monotonic clock, even if the wall clock
  // was set back after it was scheduled (its stored time would then be far ahead).
  std::optional<store::PrintJob> job;
  for (auto due = worker.retryDue.begin(); !job && due != worker.retryDue.end();) {
    if (due->second > clock_.steadyMillis()) {
      ++due;
      continue;
    }
    auto stored = store_.printJob(due->first);
    due = worker.retryDue.erase(due);
    if (stored && unfinished(stored->state) && stored->printer == worker.name) job = std::move(stored);
  }
  // The horizon: beyond the longest back-off, with a margin.
  if (!job) job = store_.nextJob(worker.name, clock_.wallMillis(), policy_.maxDelay + 60000);
  if (!job) return false;
  worker.retryDue.erase(job->id);
  process(worker, std::move(*job));
  return true;
}

void PrintQueue::run(Worker& worker) {
  while (!stopping_) {
    try {
      if (!holdsPrinter(worker)) {
        sleepFor(worker, policy_.lease / 3);
        continue;
      }
      if (step(worker)) continue;
      const auto due = store_.nextDue(worker.name);
      sleepFor(worker, due ? *due - clock_.wallMillis() : policy_.maxSleep);
    } catch (const std::exception&) {
      // The store is unwell (disk full, locked) or a printer answered nonsense: the job
      // stays as it was, to be tried again later. A worker thread must never die.
      sleepFor(worker, policy_.maxSleep);
    }
  }
}

void PrintQueue::runDue(const std::string& printer) {
  auto& worker = *workers_.at(printer);
  while (holdsPrinter(worker) && step(worker)) {
  }
}

void PrintQueue::report(JobEvent::Kind kind, const store::PrintJob& job, const std::string& printer,
                        const std::string& detail, int ippJobId) {
  if (events_) events_->jobStep({kind, job.documentId, job.id, ippJobId, printer, detail});
}

store::Millis PrintQueue::backOff(int attempts) const {
  return std::min(policy_.maxDelay, policy_.firstDelay << std::clamp(attempts - 1, 0, 20));
}

bool PrintQueue::overdue(Worker& worker, const store::PrintJob& job) {
  const auto since = worker.inFlightSince.emplace(job.id, clock_.steadyMillis()).first->second;
  return clock_.steadyMillis() - since > policy_.jobTimeout;
}

void PrintQueue::finished(Worker& worker, const store::PrintJob& job) {
  worker.inFlightSince.erase(job.id);
  worker.retryDue.erase(job.id);
}

void PrintQueue::process(Worker& worker, store::PrintJob job) {
  if (job.state == store::JobState::kQueued) {
    send(worker, job);
    return;
  }
  // Sent before, outcome unknown: ask the printer before anything is sent again.
  const bool late = overdue(worker, job);
  const auto lookup = worker.target.printer->findJob(job.jobName);
  if (!lookup.reachable) {
    unanswered(worker, job, "the printer did not answer when asked about the job");
  } else if (lookup.job && late && unfinished(job.state) &&
             (lookup.job->state == RemoteJobState::kWaiting || lookup.job->state == RemoteJobState::kProcessing)) {
    giveUpHeldJob(worker, job, lookup.job->jobId);
  } else if (lookup.job) {
    store_.markPrinting(job.id, lookup.job->jobId, clock_.wallMillis());
    follow(worker, job, lookup.job->jobId);
  } else if (job.state == store::JobState::kSubmitting) {
    // Not on the printer: it never arrived, or an earlier send went unanswered (attempts
    // counted) because the printer stopped mid-job and came back without it. In that case
    // it may have printed before it stopped, so the second copy is recorded, not silent.
    if (job.attempts > 0) store_.abandonAttempt(job, worker.name, "not-held", clock_.wallMillis());
    send(worker, job);
  } else {
    // The printer took the job but no longer knows it (it was restarted): it may have
    // printed. Do not print it again unasked.
    finished(worker, job);
    const std::string error = "the printer lost track of this job; check the printer and reprint if needed";
    store_.markFailed(job.id, job.attempts, error, clock_.wallMillis());
    report(JobEvent::kFailed, job, worker.name, error);
    if (events_) events_->jobFinished(worker.name, false);
  }
}

void PrintQueue::send(Worker& worker, const store::PrintJob& job) {
  const auto pdf = store_.documentPdf(job.documentId);
  if (!pdf) {
    finished(worker, job);
    store_.markFailed(job.id, job.attempts, "the document is no longer stored", clock_.wallMillis());
    report(JobEvent::kFailed, job, worker.name, "the document is no longer stored");
    return;
  }
  if (!store_.markSubmitting(job.id, clock_.wallMillis())) {  // its discharge was cancelled just now
    finished(worker, job);
    return;
  }
  overdue(worker, job);  // starts the job's clock
  const auto result = worker.target.printer->submit(
      {*pdf, job.jobName, job.copies, worker.target.media, worker.target.sides});
  switch (result.outcome) {
    case SubmitOutcome::kAccepted:
      store_.markPrinting(job.id, result.jobId, clock_.wallMillis());
      if (events_) events_->jobAccepted(worker.name, clock_.wallMillis() - job.createdAt);
      report(JobEvent::kSent, job, worker.name, "", result.jobId);
      follow(worker, job, result.jobId);
      break;
    case SubmitOutcome::kBusy:
      finished(worker, job);
      store_.scheduleRetry(job.id, job.attempts, clock_.wallMillis() + policy_.busyDelay, result.message,
                           clock_.wallMillis());
      worker.retryDue[job.id] = clock_.steadyMillis() + policy_.busyDelay;
      break;
    case SubmitOutcome::kUnknown:
      // It may have reached the printer: it stays "submitting" and is looked for by name.
      unanswered(worker, job, result.message);
      break;
    case SubmitOutcome::kRefused:
    case SubmitOutcome::kUnreachable:
      fail(worker, job, result.message);
      break;
  }
}

void PrintQueue::follow(Worker& worker, const store::PrintJob& job, int ippJobId) {
  store::Millis pollDelay = 10;
  while (!stopping_) {
    if (!holdsPrinter(worker)) return;  // the next holder looks the job up by name
    if (overdue(worker, job)) {
      giveUpHeldJob(worker, job, ippJobId);
      return;
    }
    const auto remote = worker.target.printer->job(ippJobId, job.jobName);
    if (!remote) {
      unanswered(worker, job, "the printer did not answer when asked about the job");
      return;
    }
    switch (remote->state) {
      case RemoteJobState::kCompleted:
        finished(worker, job);
        store_.markPrinted(job.id, clock_.wallMillis());
        report(JobEvent::kPrinted, job, worker.name, "", ippJobId);
        if (events_) events_->jobFinished(worker.name, true);
        return;
      case RemoteJobState::kAborted:
        fail(worker, job, "the printer aborted the job (" + remote->reasons + ")");
        return;
      case RemoteJobState::kCanceled:
        finished(worker, job);
        store_.markFailed(job.id, job.attempts, "cancelled at the printer", clock_.wallMillis());
        report(JobEvent::kFailed, job, worker.name, "cancelled at the printer", ippJobId);
        if (events_) events_->jobFinished(worker.name, false);
        return;
      case RemoteJobState::kWaiting:
      case RemoteJobState::kProcessing:
        std::this_thread::sleep_for(std::chrono::milliseconds(pollDelay));
        pollDelay = std::min(pollDelay * 2, policy_.maxPollInterval);
        break;
    }
  }
}

// The printer answered: the attempt failed and nothing of it is left on the printer.
void PrintQueue::fail(Worker& worker, const store::PrintJob& job, const std::string& error) {
  finished(worker, job);
  const int attempts = job.attempts + 1;
  if (attempts < policy_.maxAttempts) {
    store_.scheduleRetry(job.id, attempts, clock_.wallMillis() + backOff(attempts), error, clock_.wallMillis());
    worker.retryDue[job.id] = clock_.steadyMillis() + backOff(attempts);
    report(JobEvent::kRetry, job, worker.name, error);
  } else if (job.fallbackPrinter && workers_.count(*job.fallbackPrinter)) {
    store_.moveToFallback(job.id, attempts, error, clock_.wallMillis());
    report(JobEvent::kMovedToFallback, job, worker.name, *job.fallbackPrinter + " (" + error + ")");
    wake(*job.fallbackPrinter);
  } else {
    store_.markFailed(job.id, attempts, error, clock_.wallMillis());
    report(JobEvent::kFailed, job, worker.name, error);
    if (events_) events_->jobFinished(worker.name, false);
  }
}

// No answer about a job that may be on the printer: an attempt, counted; the job keeps its
// state so that it is looked for by name before anything is sent again. Past the attempts
// or the job timeout, it is abandoned on this printer.
void PrintQueue::unanswered(Worker& worker, const store::PrintJob& job, const std::string& error) {
  const int attempts = job.attempts + 1;
  if (attempts < policy_.maxAttempts && !overdue(worker, job)) {
    store_.postpone(job.id, attempts, clock_.wallMillis() + backOff(attempts), error, clock_.wallMillis());
    worker.retryDue[job.id] = clock_.steadyMillis() + backOff(attempts);
    report(JobEvent::kRetry, job, worker.name, error);
    return;
  }
  abandon(worker, job, attempts, error);
}

// The printer holds the job but has not printed it within the job timeout (jammed, out of
// paper): ask it to cancel the job and print it elsewhere. A printer may accept Cancel-Job
// and still finish the job, so the attempt stays "pending" until the printer reports it
// cancelled (or printed).
void PrintQueue::giveUpHeldJob(Worker& worker, const store::PrintJob& job, int ippJobId) {
  worker.target.printer->cancel(ippJobId);
  const auto seconds = std::to_string(policy_.jobTimeout / 1000);
  abandon(worker, job, job.attempts + 1, "the printer did not print the job within " + seconds + " seconds");
}

void PrintQueue::abandon(Worker& worker, const store::PrintJob& job, int attempts, const std::string& error) {
  finished(worker, job);
  // Recorded before the job moves on, so that a crash in between cannot lose the record.
  store_.abandonAttempt(job, worker.name, "pending", clock_.wallMillis());
  report(JobEvent::kAbandoned, job, worker.name, error);
  if (job.fallbackPrinter && workers_.count(*job.fallbackPrinter)) {
    // The job's earlier printers name this one: the error need not.
    store_.moveToFallback(job.id, attempts, error, clock_.wallMillis());
    report(JobEvent::kMovedToFallback, job, worker.name, *job.fallbackPrinter);
    wake(*job.fallbackPrinter);
  } else {
    const std::string reason = "given up on " + worker.name + ": " + error;
    store_.markFailed(job.id, attempts, reason + "; check the printer and reprint if needed", clock_.wallMillis());
    report(JobEvent::kFailed, job, worker.name, reason);
    if (events_) events_->jobFinished(worker.name, false);
  }
}

// When the printer answers again, settle every attempt abandoned on it: cancel what it
// still holds, and record what it printed anyway. Asked at most every policy.maxSleep.
void PrintQueue::recheckAbandoned(Worker& worker) {
  const auto now = clock_.steadyMillis();
  if (worker.abandonedCheckedAt != 0 && now - worker.abandonedCheckedAt < policy_.maxSleep) return;
  worker.abandonedCheckedAt = now;
  for (const auto& attempt : store_.pendingAbandoned(worker.name)) {
    if (stopping_) return;
    const auto lookup = worker.target.printer->findJob(attempt.jobName);
    if (!lookup.reachable) return;  // still not answering: try again later
    std::string outcome;
    if (!lookup.job) {
      outcome = "not-held";
    } else {
      switch (lookup.job->state) {
        case RemoteJobState::kCompleted:
          outcome = "printed";
          break;
        case RemoteJobState::kAborted:
        case RemoteJobState::kCanceled:
          outcome = "cancelled";
          break;
        case RemoteJobState::kWaiting:
        case RemoteJobState::kProcessing:
          // Settled once the printer reports the job cancelled (or printed), not before.
          worker.target.printer->cancel(lookup.job->jobId);
          break;
      }
    }
    if (!outcome.empty()) store_.resolveAbandoned(attempt.id, outcome, clock_.wallMillis());
  }
}

}  // namespace wardprint::print
