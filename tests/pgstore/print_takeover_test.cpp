// Print work shared by daemons on one PostgreSQL store: a printer whose daemon died is
// taken over once its lease runs out, and the job that daemon had sent is looked up on
// the printer by name, never sent again; a job one daemon adds wakes the daemon watching.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

#include "../support/pg_server.h"
#include "../test_support.h"
#include "pgstore/pg_store.h"
#include "print/print_queue.h"
#include "util/clock.h"

using namespace wardprint;
using namespace std::chrono_literals;

namespace {

// A printer that prints every job at once and remembers them by name. Thread-safe.
class RememberingPrinter : public print::Printer {
 public:
  std::atomic<int> submits{0};

  void alreadyHas(const std::string& jobName) {
    std::lock_guard lock(mutex_);
    jobs_[jobName] = 100 + static_cast<int>(jobs_.size());
  }
  print::SubmitResult submit(const print::PrintRequest& request) override {
    std::lock_guard lock(mutex_);
    ++submits;
    const int id = 100 + static_cast<int>(jobs_.size());
    jobs_[request.jobName] = id;
    return {print::SubmitOutcome::kAccepted, id, ""};
  }
  std::optional<print::RemoteJob> job(int jobId, const std::string&) override {
    return print::RemoteJob{jobId, print::RemoteJobState::kCompleted, ""};
  }
  Lookup findJob(const std::string& jobName) override {
    std::lock_guard lock(mutex_);
    const auto found = jobs_.find(jobName);
    if (found == jobs_.end()) return {true, std::nullopt};
    return {true, print::RemoteJob{found->second, print::RemoteJobState::kCompleted, ""}};
  }
  bool cancel(int) override { return true; }
  print::PrinterStatus status() override { return {}; }

 private:
  std::mutex mutex_;
  std::map<std::string, int> jobs_;
};

std::int64_t acceptFor(store::JobStore& store, const std::string& eventId) {
  store::NewDocument document;
  document.id = "DOC-" + eventId;
  document.intakeKey = "key-" + eventId;
  document.eventId = eventId;
  document.eventHash = "digest";
  document.eventJson = "{}";
  document.ward = "ward-7";
  document.pdf = "%PDF-1.4";
  store::NewPrintJob job;
  job.documentId = document.id;
  job.printer = "laser";
  store.acceptDischarge(document, job, util::systemClock().wallMillis());
  return store.document(document.id)->jobs.at(0).id;
}

}  // namespace

TEST_CASE("print takeover: a dead daemon's printer is driven by another after its lease, sent jobs never resent") {
  testsupport::PgServer server;
  const auto deadNode = pgstore::openPostgresStore(server.connection(), 2);
  const auto liveNode = pgstore::openPostgresStore(server.connection(), 2);
  constexpr store::Millis kLease = 2000;

  // The dead daemon held the printer, had sent one job (the printer has it) and not the other.
  const auto sent = acceptFor(*deadNode, "EV-SENT");
  const auto queued = acceptFor(*deadNode, "EV-QUEUED");
  REQUIRE(deadNode->holdPrinter("laser", "dead daemon", kLease));
  const auto leaseTaken = std::chrono::steady_clock::now();
  deadNode->markSubmitting(sent, util::systemClock().wallMillis());
  auto printer = std::make_shared<RememberingPrinter>();
  printer->alreadyHas(deadNode->printJob(sent)->jobName);

  print::RetryPolicy policy;
  policy.lease = kLease;
  policy.maxSleep = 100;
  print::PrintQueue queue(*liveNode, {{"laser", {printer, "iso_a4_210x297mm", "one-sided"}}}, policy, nullptr,
                          util::systemClock());
  queue.start();
  const auto printed = [&](std::int64_t job) { return liveNode->printJob(job)->state == store::JobState::kPrinted; };
  CHECK(testsupport::waitUntil([&] { return printed(sent) && printed(queued); }, 10s));
  CHECK(std::chrono::steady_clock::now() - leaseTaken >= std::chrono::milliseconds(kLease));
  CHECK(printer->submits == 1);  // the queued job only
  queue.stop();

  // Stopping gave the printer up: another daemon has it at once.
  CHECK(deadNode->holdPrinter("laser", "next daemon", kLease));
}

TEST_CASE("print takeover: two daemons' queues on one printer print each job once") {
  testsupport::PgServer server;
  const auto nodeA = pgstore::openPostgresStore(server.connection(), 2);
  const auto nodeB = pgstore::openPostgresStore(server.connection(), 2);
  auto printer = std::make_shared<RememberingPrinter>();
  print::RetryPolicy policy;
  policy.lease = 3000;
  policy.maxSleep = 50;
  print::PrintQueue queueA(*nodeA, {{"laser", {printer, "iso_a4_210x297mm", "one-sided"}}}, policy, nullptr,
                           util::systemClock());
  print::PrintQueue queueB(*nodeB, {{"laser", {printer, "iso_a4_210x297mm", "one-sided"}}}, policy, nullptr,
                           util::systemClock());
  queueA.start();
  queueB.start();
  std::vector<std::int64_t> jobs;
  for (int i = 0; i < 30; ++i) jobs.push_back(acceptFor(i % 2 ? *nodeA : *nodeB, "EV-" + std::to_string(i)));
  CHECK(testsupport::waitUntil(
      [&] {
        for (const auto job : jobs) {
          if (nodeA->printJob(job)->state != store::JobState::kPrinted) return false;
        }
        return true;
      },
      20s));
  CHECK(printer->submits == 30);
  queueA.stop();
  queueB.stop();
}

TEST_CASE("new jobs: a job one daemon adds wakes another's watch with its printer, also after the database restarted") {
  testsupport::PgServer server;
  const auto watching = pgstore::openPostgresStore(server.connection(), 2);
  const auto adding = pgstore::openPostgresStore(server.connection(), 2);
  std::mutex mutex;
  std::vector<std::string> woken;
  const auto heard = [&](const std::string& printer) {
    std::lock_guard lock(mutex);
    return std::count(woken.begin(), woken.end(), printer);
  };
  const auto watch = watching->watchNewJobs([&](const std::string& printer) {
    std::lock_guard lock(mutex);
    woken.push_back(printer);
  });
  REQUIRE(watch);

  acceptFor(*adding, "EV-1");
  CHECK(testsupport::waitUntil([&] { return heard("laser") == 1; }, 10s));
  adding->addPrintJob({"DOC-EV-1", "spare", std::nullopt, 1, "reprint", "nurse.jones"},
                      util::systemClock().wallMillis());
  CHECK(testsupport::waitUntil([&] { return heard("spare") == 1; }, 10s));

  server.stop();
  server.start();
  // Heard again once the watch has connected anew (a job added before that is found by
  // the queues' own regular looks).
  int attempt = 0;
  CHECK(testsupport::waitUntil(
      [&] {
        try {
          acceptFor(*adding, "EV-AFTER-" + std::to_string(++attempt));
        } catch (const store::StoreError&) {
        }
        return heard("laser") >= 2;
      },
      30s));
}
