#include "print/print_queue.h"

#include <algorithm>
#include <chrono>

namespace wardprint::print {

struct PrintQueue::Worker {
  std::string name;
  PrinterTarget target;
  std::thread thread;
  std::mutex mutex;
  std::condition_variable wakeUp;
  bool hasNews = false;
};

store::Millis nowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

PrintQueue::PrintQueue(store::JobStore& store, std::map<std::string, PrinterTarget> printers, RetryPolicy policy,
                       PrintEvents* events)
    : store_(store), policy_(policy), events_(events) {
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
    worker->thread = std::thread([this, self] { run(*self); });
  }
}

void PrintQueue::stop() {
  stopping_ = true;
  for (auto& [name, worker] : workers_) {
    {
      std::lock_guard lock(worker->mutex);
      worker->hasNews = true;
    }
    worker->wakeUp.notify_all();
  }
  for (auto& [name, worker] : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
}

void PrintQueue::wake(const std::string& printer) {
  const auto found = workers_.find(printer);
  if (found == workers_.end()) return;
  {
    std::lock_guard lock(found->second->mutex);
    found->second->hasNews = true;
  }
  found->second->wakeUp.notify_all();
}

// Waits up to `millis` or until woken; returns false when stopping.
bool PrintQueue::sleepFor(Worker& worker, store::Millis millis) {
  std::unique_lock lock(worker.mutex);
  worker.wakeUp.wait_for(lock, std::chrono::milliseconds(std::max<store::Millis>(millis, 0)),
                         [&] { return worker.hasNews || stopping_; });
  worker.hasNews = false;
  return !stopping_;
}

void PrintQueue::run(Worker& worker) {
  constexpr store::Millis kIdleWait = 60000;
  while (!stopping_) {
    try {
      if (auto job = store_.nextJob(worker.name, nowMillis())) {
        process(worker, std::move(*job));
        continue;
      }
      const auto due = store_.nextDue(worker.name);
      sleepFor(worker, due ? *due - nowMillis() : kIdleWait);
    } catch (const std::exception&) {
      // The store is unwell (disk full, locked) or a printer answered nonsense: the job
      // stays as it was, to be tried again later. A worker thread must never die.
      sleepFor(worker, policy_.maxDelay);
    }
  }
}

void PrintQueue::process(Worker& worker, store::PrintJob job) {
  if (job.state == store::JobState::kQueued) {
    send(worker, job);
    return;
  }
  // Sent before, outcome unknown: ask the printer before anything is sent again.
  const auto lookup = worker.target.printer->findJob(job.jobName);
  if (!lookup.reachable) {
    store_.postpone(job.id, nowMillis() + policy_.firstDelay, "printer out of reach", nowMillis());
  } else if (lookup.job) {
    store_.markPrinting(job.id, lookup.job->jobId, nowMillis());
    follow(worker, job, lookup.job->jobId);
  } else if (job.state == store::JobState::kSubmitting) {
    send(worker, job);  // it never reached the printer
  } else {
    // The printer took the job but no longer knows it (it was restarted): it may have
    // printed. Do not print it again unasked.
    store_.markFailed(job.id, job.attempts, "the printer lost track of this job; check the printer and reprint if needed",
                      nowMillis());
    if (events_) events_->jobFinished(worker.name, false);
  }
}

void PrintQueue::send(Worker& worker, const store::PrintJob& job) {
  const auto pdf = store_.documentPdf(job.documentId);
  if (!pdf) {
    store_.markFailed(job.id, job.attempts, "the document is no longer stored", nowMillis());
    return;
  }
  store_.markSubmitting(job.id, nowMillis());
  const auto result = worker.target.printer->submit(
      {*pdf, job.jobName, job.copies, worker.target.media, worker.target.sides});
  switch (result.outcome) {
    case SubmitOutcome::kAccepted:
      store_.markPrinting(job.id, result.jobId, nowMillis());
      if (events_) events_->jobAccepted(worker.name, nowMillis() - job.createdAt);
      follow(worker, job, result.jobId);
      break;
    case SubmitOutcome::kBusy:
      store_.scheduleRetry(job.id, job.attempts, nowMillis() + policy_.busyDelay, result.message, nowMillis());
      break;
    case SubmitOutcome::kUnknown:
      store_.postpone(job.id, nowMillis() + policy_.firstDelay, result.message, nowMillis());
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
    const auto remote = worker.target.printer->job(ippJobId, job.jobName);
    if (!remote) {
      store_.postpone(job.id, nowMillis() + policy_.firstDelay, "printer out of reach", nowMillis());
      return;
    }
    switch (remote->state) {
      case RemoteJobState::kCompleted:
        store_.markPrinted(job.id, nowMillis());
        if (events_) events_->jobFinished(worker.name, true);
        return;
      case RemoteJobState::kAborted:
        fail(worker, job, "the printer aborted the job (" + remote->reasons + ")");
        return;
      case RemoteJobState::kCanceled:
        store_.markFailed(job.id, job.attempts, "cancelled at the printer", nowMillis());
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

void PrintQueue::fail(Worker& worker, const store::PrintJob& job, const std::string& error) {
  const int attempts = job.attempts + 1;
  if (attempts < policy_.maxAttempts) {
    const auto delay = std::min(policy_.maxDelay, policy_.firstDelay << std::min(attempts - 1, 20));
    store_.scheduleRetry(job.id, attempts, nowMillis() + delay, error, nowMillis());
  } else if (job.fallbackPrinter && workers_.count(*job.fallbackPrinter)) {
    store_.moveToFallback(job.id, nowMillis());
    wake(*job.fallbackPrinter);
  } else {
    store_.markFailed(job.id, attempts, error, nowMillis());
    if (events_) events_->jobFinished(worker.name, false);
  }
}

}  // namespace wardprint::print
