// The print queue's decisions with a real SQLite store and scripted printers: what counts
// as an attempt, when a job is given up on a printer, what is recorded when that printer
// answers again, and retries kept on time when the wall clock jumps.
#include "print/print_queue.h"

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <thread>

#include "../test_support.h"

using namespace wardprint;
using namespace std::chrono_literals;

namespace {

// A printer whose answers the test sets. Thread-safe.
class ScriptedPrinter : public print::Printer {
 public:
  std::mutex mutex;
  print::SubmitOutcome submitOutcome = print::SubmitOutcome::kAccepted;
  bool answersLookups = true;
  std::optional<print::RemoteJob> held;  // what findJob and job() report
  print::RemoteJobState acceptedAs = print::RemoteJobState::kCompleted;  // a submitted job's state
  std::atomic<int> submits{0};
  std::atomic<int> cancels{0};

  print::SubmitResult submit(const print::PrintRequest&) override {
    std::lock_guard lock(mutex);
    submits++;
    if (submitOutcome == print::SubmitOutcome::kAccepted) {
      held = print::RemoteJob{submits, acceptedAs, ""};
      return {submitOutcome, submits, ""};
    }
    return {submitOutcome, 0, "scripted"};
  }
  std::optional<print::RemoteJob> job(int, const std::string&) override {
    std::lock_guard lock(mutex);
    return answersLookups ? held : std::nullopt;
  }
  Lookup findJob(const std::string&) override {
    std::lock_guard lock(mutex);
    if (!answersLookups) return {};
    return {true, held};
  }
  bool cancel(int) override {
    std::lock_guard lock(mutex);
    cancels++;
    if (!answersLookups) return false;
    if (held) held->state = print::RemoteJobState::kCanceled;
    return true;
  }
  print::PrinterStatus status() override { return {}; }
};

// The system's clocks, with the wall clock moved by a settable offset.
class ShiftedClock : public util::Clock {
 public:
  std::atomic<std::int64_t> offset{0};
  std::int64_t wallMillis() const override { return util::systemClock().wallMillis() + offset; }
  std::int64_t steadyMillis() const override { return util::systemClock().steadyMillis(); }
};

// Clocks that move only when the test moves them: retry rules tested without sleeping.
class FixedClock : public util::Clock {
 public:
  std::int64_t wallMillis() const override { return 1'795'000'000'000 + elapsed; }
  std::int64_t steadyMillis() const override { return elapsed; }
  void advance(std::int64_t millis) { elapsed += millis; }

 private:
  std::atomic<std::int64_t> elapsed{0};
};

template <typename ClockType = ShiftedClock>
struct Fixture {
  testsupport::TempDir dir;
  std::unique_ptr<store::JobStore> store = store::JobStore::open(dir.path("store.db"), true);
  ClockType clock;
  ScriptedPrinter* main = nullptr;
  ScriptedPrinter* fallback = nullptr;
  std::unique_ptr<print::PrintQueue> queue;

  explicit Fixture(print::RetryPolicy policy) {
    std::map<std::string, print::PrinterTarget> printers;
    auto mainPrinter = std::make_unique<ScriptedPrinter>();
    auto fallbackPrinter = std::make_unique<ScriptedPrinter>();
    main = mainPrinter.get();
    fallback = fallbackPrinter.get();
    printers["main"] = {std::move(mainPrinter), "iso_a4_210x297mm", "one-sided"};
    printers["spare"] = {std::move(fallbackPrinter), "iso_a4_210x297mm", "one-sided"};
    queue = std::make_unique<print::PrintQueue>(*store, std::move(printers), policy, nullptr, clock);
  }

  std::string accept(const std::string& id) {
    store::NewDocument document;
    document.id = id;
    document.eventId = "EV-" + id;
    document.intakeKey = document.eventId;
    document.eventHash = "hash";
    document.eventJson = "{}";
    document.ward = "ward-7";
    document.pdf = "%PDF-1.4";
    store::NewPrintJob job;
    job.documentId = id;
    job.printer = "main";
    job.fallbackPrinter = "spare";
    job.reason = "discharge";
    job.requestedBy = "ward system";
    store->acceptDischarge(document, job, clock.wallMillis());
    queue->wake("main");
    return id;
  }

  store::PrintJob job(const std::string& id) const { return store->document(id)->jobs.at(0); }
};

print::RetryPolicy quickPolicy() {
  print::RetryPolicy policy;
  policy.maxAttempts = 3;
  policy.firstDelay = 20;
  policy.maxDelay = 20;
  policy.maxSleep = 20;
  return policy;
}

bool eventually(const std::function<bool()>& condition) { return testsupport::waitUntil(condition, 10s); }

}  // namespace

TEST_CASE("a refused job is retried after 1, 2, 4 seconds by the queue's clock, then printed on the fallback") {
  auto policy = quickPolicy();
  policy.maxAttempts = 4;
  policy.firstDelay = 1000;
  policy.maxDelay = 60000;
  Fixture<FixedClock> fixture(policy);  // never started: runDue does the workers' rounds
  fixture.main->submitOutcome = print::SubmitOutcome::kRefused;
  const auto id = fixture.accept("DOC0");
  for (const std::int64_t delay : {1000, 2000, 4000}) {
    CAPTURE(delay);
    const int before = fixture.main->submits;
    fixture.queue->runDue("main");
    CHECK(fixture.main->submits == before + 1);
    CHECK(fixture.job(id).nextAttemptAt == fixture.clock.wallMillis() + delay);
    fixture.clock.advance(delay - 1);
    fixture.queue->runDue("main");
    CHECK(fixture.main->submits == before + 1);  // not due yet
    fixture.clock.advance(1);
  }
  fixture.queue->runDue("main");  // the fourth refusal: past maxAttempts
  CHECK(fixture.main->submits == 4);
  CHECK(fixture.job(id).printer == "spare");
  CHECK(fixture.job(id).attempts == 0);  // a fresh count on the fallback
  fixture.queue->runDue("spare");
  CHECK(fixture.fallback->submits == 1);
  CHECK(std::string(store::toString(fixture.job(id).state)) == "printed");
}

TEST_CASE("no answer to a submission counts as an attempt, and past the limit the job moves to the fallback") {
  Fixture fixture(quickPolicy());
  fixture.main->submitOutcome = print::SubmitOutcome::kUnknown;
  fixture.main->answersLookups = false;
  fixture.queue->start();
  const auto id = fixture.accept("DOC1");
  REQUIRE(eventually([&] { return fixture.job(id).state == store::JobState::kPrinted; }));
  const auto job = fixture.job(id);
  CHECK(job.printer == "spare");
  CHECK(fixture.main->submits == 1);  // never sent again while its fate was unknown
  CHECK(fixture.fallback->submits == 1);
  REQUIRE(job.abandoned.size() == 1);
  CHECK(job.abandoned[0].printer == "main");
  CHECK(job.abandoned[0].outcome == "pending");
}

TEST_CASE("a job refused by its printer keeps that printer's attempts and error when it moves to the fallback") {
  for (const bool fallbackFails : {false, true}) {
    CAPTURE(fallbackFails);
    Fixture fixture(quickPolicy());
    fixture.main->submitOutcome = print::SubmitOutcome::kRefused;
    if (fallbackFails) fixture.fallback->submitOutcome = print::SubmitOutcome::kRefused;
    fixture.queue->start();
    const auto id = fixture.accept("DOC-MOVED");
    const auto ended = fallbackFails ? store::JobState::kFailed : store::JobState::kPrinted;
    REQUIRE(eventually([&] { return fixture.job(id).state == ended; }));
    const auto job = fixture.job(id);
    CHECK(job.printer == "spare");
    REQUIRE(job.earlierPrinters.size() == 1);
    CHECK(job.earlierPrinters[0].printer == "main");
    CHECK(job.earlierPrinters[0].attempts == 3);
    CHECK(job.earlierPrinters[0].error == "scripted");
    // The fallback's own count and error stay the job's.
    CHECK(job.attempts == (fallbackFails ? 3 : 0));
    CHECK(job.lastError == (fallbackFails ? "scripted" : ""));
    CHECK(fixture.store->failuresInARow("main", 3) == 1);
    CHECK(fixture.store->failuresInARow("spare", 3) == (fallbackFails ? 1 : 0));
  }
}

TEST_CASE("when the printer answers again, an abandoned job it printed anyway is recorded, and one it holds is cancelled") {
  for (const auto remoteState : {print::RemoteJobState::kCompleted, print::RemoteJobState::kWaiting}) {
    CAPTURE(static_cast<int>(remoteState));
    Fixture fixture(quickPolicy());
    fixture.main->submitOutcome = print::SubmitOutcome::kUnknown;
    fixture.main->answersLookups = false;
    fixture.queue->start();
    const auto id = fixture.accept("DOC2");
    REQUIRE(eventually([&] { return fixture.job(id).state == store::JobState::kPrinted; }));
    {
      std::lock_guard lock(fixture.main->mutex);
      fixture.main->answersLookups = true;
      fixture.main->held = print::RemoteJob{7, remoteState, ""};
    }
    const std::string expected = remoteState == print::RemoteJobState::kCompleted ? "printed" : "cancelled";
    REQUIRE(eventually([&] { return fixture.job(id).abandoned.at(0).outcome == expected; }));
    CHECK(fixture.main->cancels == (expected == "cancelled" ? 1 : 0));
    CHECK(fixture.main->submits == 1);
  }
}

TEST_CASE("a job held longer than the job timeout is cancelled on that printer and printed on the fallback") {
  auto policy = quickPolicy();
  policy.jobTimeout = 200;
  Fixture fixture(policy);
  fixture.main->acceptedAs = print::RemoteJobState::kProcessing;  // accepted, then held for ever
  fixture.queue->start();
  const auto id = fixture.accept("DOC3");
  REQUIRE(eventually([&] { return fixture.job(id).state == store::JobState::kPrinted; }));
  const auto job = fixture.job(id);
  CHECK(job.printer == "spare");
  REQUIRE(job.abandoned.size() == 1);
  CHECK(job.abandoned[0].outcome == "cancelled");
  CHECK(fixture.main->cancels == 1);
  CHECK(fixture.main->submits == 1);
}

TEST_CASE("a pending retry runs on time when the wall clock is set back a day") {
  auto policy = quickPolicy();
  policy.firstDelay = 300;
  policy.maxDelay = 300;
  policy.maxSleep = 100;
  Fixture fixture(policy);
  fixture.main->submitOutcome = print::SubmitOutcome::kRefused;
  fixture.queue->start();
  const auto id = fixture.accept("DOC4");
  REQUIRE(eventually([&] { return fixture.job(id).attempts == 1; }));
  fixture.clock.offset = -24LL * 3600 * 1000;
  {
    std::lock_guard lock(fixture.main->mutex);
    fixture.main->submitOutcome = print::SubmitOutcome::kAccepted;
  }
  const auto started = std::chrono::steady_clock::now();
  REQUIRE(eventually([&] { return fixture.job(id).state == store::JobState::kPrinted; }));
  CHECK(std::chrono::steady_clock::now() - started < 5s);  // not a day
  CHECK(fixture.job(id).printer == "main");
}
