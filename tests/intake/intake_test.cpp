// The intake's use cases with a real SQLite store, a fake printer and a fixed clock: one
// idempotency rule, who may send what, input problems against renderer and store
// failures, reprints and the audit log. Nothing here sleeps: the print queue is never
// started, so accepted jobs stay queued where the test can read them.
#include "intake/intake.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "../test_support.h"
#include "events/event_parser.h"
#include "print/print_queue.h"
#include "print/printer_monitor.h"
#include "settings/config.h"
#include "store/job_store.h"
#include "util/files.h"

using namespace wardprint;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kNow = 1'795'000'000'000;  // 2026-11-18, fixed

class FixedClock : public util::Clock {
 public:
  std::int64_t wallMillis() const override { return kNow; }
  std::int64_t steadyMillis() const override { return 0; }
};

// A printer that takes every job and says it is idle. Thread-safe (stateless).
class FakePrinter : public print::Printer {
 public:
  print::SubmitResult submit(const print::PrintRequest&) override { return {print::SubmitOutcome::kAccepted, 1, ""}; }
  std::optional<print::RemoteJob> job(int, const std::string&) override { return std::nullopt; }
  Lookup findJob(const std::string&) override { return {true, std::nullopt}; }
  bool cancel(int) override { return true; }
  print::PrinterStatus status() override { return {true, "idle", {}, true, true, {}, {}, ""}; }
};

struct IntakeFixture {
  explicit IntakeFixture(settings::Config config = settings::loadConfig(testsupport::sourceFile("config/wardprint.yaml"))) {
    auto setup = std::make_shared<const intake::LeafletSetup>(std::move(config));
    std::map<std::string, print::PrinterTarget> targets;
    std::vector<print::MonitoredPrinter> monitored;
    for (const auto& [name, printer] : setup->config.printers) {
      targets[name] = {this->printer, printer.media, printer.sides};
      monitored.push_back({name, printer.uri, printer.media, printer.sides, this->printer});
    }
    queue = std::make_unique<print::PrintQueue>(*store, std::move(targets), print::RetryPolicy{}, &metrics, clock);
    monitor = std::make_unique<print::PrinterMonitor>(std::move(monitored), 60s, &metrics, clock);
    intake = std::make_unique<intake::Intake>(intake::Intake::Parts{
        setup, *store, *queue, *monitor, metrics, clock,
        util::Log(util::LogLevel::kDebug, [this](util::LogLevel, const std::string& line) { logged.push_back(line); })});
  }

  events::DischargeEvent event(const std::string& file = "discharge-vertebroplasty.json") const {
    auto parsed = events::parseDischargeEvent(util::readFile(testsupport::sourceFile("tests/data/" + file)),
                                              intake->rules());
    REQUIRE(parsed.event);
    return *parsed.event;
  }

  static intake::Source json(const events::DischargeEvent& event) {
    return {"json", event.eventId, "pas-feed", "{}", std::nullopt};
  }

  testsupport::TempDir dir;
  FixedClock clock;
  std::shared_ptr<FakePrinter> printer = std::make_shared<FakePrinter>();
  std::unique_ptr<store::JobStore> store = store::JobStore::open(dir.path("store.db"), true);
  intake::Metrics metrics;
  std::vector<std::string> logged;
  std::unique_ptr<print::PrintQueue> queue;
  std::unique_ptr<print::PrinterMonitor> monitor;
  std::unique_ptr<intake::Intake> intake;
};

}  // namespace

TEST_CASE("the intake stores a discharge once: the same again is a repeat, changed content a conflict") {
  IntakeFixture fixture;
  const auto event = fixture.event();
  const auto first = fixture.intake->accept(event, IntakeFixture::json(event));
  REQUIRE(first.kind == intake::AcceptOutcome::kAccepted);
  const auto stored = fixture.intake->document(first.documentId);
  REQUIRE(stored);
  CHECK(stored->eventId == event.eventId);
  CHECK(stored->createdAt == kNow);
  REQUIRE(stored->jobs.size() == 1);
  CHECK(stored->jobs[0].printer == "ward-7-laser");
  CHECK(std::string(intake::toString(stored->jobs[0].state)) == "queued");
  CHECK(stored->jobs[0].requestedBy == "pas-feed");

  const auto again = fixture.intake->accept(event, IntakeFixture::json(event));
  CHECK(again.kind == intake::AcceptOutcome::kRepeat);
  CHECK(again.documentId == first.documentId);

  auto changed = event;
  changed.notes = "Another note.";
  const auto conflict = fixture.intake->accept(changed, IntakeFixture::json(changed));
  CHECK(conflict.kind == intake::AcceptOutcome::kConflict);
  CHECK(conflict.documentId == first.documentId);

  CHECK(fixture.store->documentCount() == 1);
  CHECK(fixture.metrics.eventsAccepted == 1);
  CHECK(fixture.metrics.eventsRepeated == 1);
  CHECK(fixture.metrics.leafletsRendered == 1);  // neither the repeat nor the conflict rendered
}

TEST_CASE("one id sent by two front doors is two discharges, each a repeat only at its own door") {
  IntakeFixture fixture;
  const auto event = fixture.event();
  auto hl7 = IntakeFixture::json(event);
  hl7.frontDoor = "hl7";
  const auto byJson = fixture.intake->accept(event, IntakeFixture::json(event));
  const auto byHl7 = fixture.intake->accept(event, hl7);
  REQUIRE(byJson.kind == intake::AcceptOutcome::kAccepted);
  REQUIRE(byHl7.kind == intake::AcceptOutcome::kAccepted);
  CHECK(byJson.documentId != byHl7.documentId);
  CHECK(fixture.intake->document(byJson.documentId)->eventId == event.eventId);
  CHECK(fixture.intake->document(byHl7.documentId)->eventId == "hl7:" + event.eventId);
  const auto again = fixture.intake->accept(event, hl7);
  CHECK(again.kind == intake::AcceptOutcome::kRepeat);
  CHECK(again.documentId == byHl7.documentId);
}

TEST_CASE("a sender limited to other wards is refused and nothing is stored") {
  IntakeFixture fixture;
  const auto event = fixture.event();
  auto source = IntakeFixture::json(event);
  source.wards = std::set<std::string>{"ward-8"};
  CHECK(fixture.intake->accept(event, source).kind == intake::AcceptOutcome::kForbidden);
  CHECK(fixture.store->documentCount() == 0);
}

TEST_CASE("a name no font can draw is invalid input naming the field, not a failure") {
  IntakeFixture fixture;
  auto event = fixture.event();
  event.patient.familyName = "\xF0\x93\x80\x80";  // U+13000, an Egyptian hieroglyph
  const auto outcome = fixture.intake->accept(event, IntakeFixture::json(event));
  REQUIRE(outcome.kind == intake::AcceptOutcome::kInvalid);
  REQUIRE(outcome.problems.size() == 1);
  CHECK(outcome.problems[0].field == "patient.family_name");
  CHECK(fixture.logged.empty());
  CHECK(fixture.store->documentCount() == 0);
}

TEST_CASE("a renderer failure is a failure of the service, logged without patient data, and nothing is stored") {
  // The layouts load with their fonts, which then go missing: every render fails.
  testsupport::TempDir fonts;
  auto config = settings::loadConfig(testsupport::sourceFile("config/wardprint.yaml"));
  for (const auto& folder : config.site.fontDirs) {
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      std::filesystem::copy(entry.path(), fonts.root() / entry.path().filename());
    }
  }
  config.site.fontDirs = {fonts.root().string()};
  IntakeFixture fixture(config);
  for (const auto& entry : std::filesystem::directory_iterator(fonts.root())) std::filesystem::remove(entry.path());

  const auto event = fixture.event();
  const auto outcome = fixture.intake->accept(event, IntakeFixture::json(event));
  CHECK(outcome.kind == intake::AcceptOutcome::kFailed);
  CHECK(outcome.problems.empty());
  REQUIRE(fixture.logged.size() == 1);
  CHECK(fixture.logged[0].find("rendering a leaflet failed") == 0);
  CHECK(fixture.logged[0].find(event.patient.familyName) == std::string::npos);
  CHECK(fixture.logged[0].find(event.patient.hospitalNumber) == std::string::npos);
  CHECK(fixture.store->documentCount() == 0);
}

TEST_CASE("a damaged store refuses a discharge as storage damaged, and an audit row with StorageUnavailable") {
  IntakeFixture fixture;
  const auto event = fixture.event();
  fixture.store->recordDamage("a test says so");
  CHECK(fixture.intake->accept(event, IntakeFixture::json(event)).kind == intake::AcceptOutcome::kStorageDamaged);
  CHECK(fixture.intake->storeDamage() == std::optional<std::string>("a test says so"));
  try {
    fixture.intake->audit({0, 0, "nurse.jones", "nurse", "view", std::nullopt, "127.0.0.1", ""});
    FAIL("a damaged store took an audit row");
  } catch (const intake::StorageUnavailable& unavailable) {
    CHECK(unavailable.damaged());
  }
  CHECK(fixture.store->documentCount() == 0);
}

TEST_CASE("a reprint names every problem of the request, then queues a job stamped by the intake's clock") {
  IntakeFixture fixture;
  const auto event = fixture.event();
  const auto accepted = fixture.intake->accept(event, IntakeFixture::json(event));
  REQUIRE(accepted.kind == intake::AcceptOutcome::kAccepted);

  intake::ReprintRequest bad;
  bad.reason = " ";
  bad.copies = 9;
  bad.printer = "ward-9-laser";
  const auto refused = fixture.intake->reprint(accepted.documentId, bad);
  CHECK(refused.kind == intake::ReprintOutcome::kInvalid);
  CHECK(refused.problems.size() == 3);

  intake::ReprintRequest otherWard;
  otherWard.reason = "lost on the way home";
  otherWard.printer = "ward-8-laser";
  otherWard.wards = std::set<std::string>{"ward-99"};  // prints on no printer
  const auto limited = fixture.intake->reprint(accepted.documentId, otherWard);
  REQUIRE(limited.kind == intake::ReprintOutcome::kInvalid);
  CHECK(limited.problems.at(0).field == "printer");

  intake::ReprintRequest good;
  good.reason = "lost on the way home";
  good.copies = 2;
  good.requestedBy = "nurse.jones";
  const auto queued = fixture.intake->reprint(accepted.documentId, good);
  REQUIRE(queued.kind == intake::ReprintOutcome::kQueued);
  const auto job = fixture.store->printJob(queued.jobId);
  REQUIRE(job);
  CHECK(job->createdAt == kNow);
  CHECK(job->copies == 2);
  CHECK(job->printer == "ward-7-laser");
  CHECK(job->fallbackPrinter == std::optional<std::string>("ward-8-laser"));
  CHECK(fixture.intake->reprint("no-such-document", good).kind == intake::ReprintOutcome::kNotFound);
}

TEST_CASE("the audit log takes the intake's clock, and the printer states are the monitor's") {
  IntakeFixture fixture;
  fixture.intake->audit({0, 12345, "nurse.jones", "nurse", "view", std::nullopt, "127.0.0.1", ""});
  const auto entries = fixture.intake->auditLog({});
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].at == kNow);
  CHECK(entries[0].actor == "nurse.jones");

  const auto before = fixture.intake->printerStates();
  REQUIRE_FALSE(before.empty());
  CHECK(before[0].checkedAt == 0);  // not asked yet
  fixture.monitor->start();
  fixture.monitor->stop();
  for (const auto& report : fixture.intake->printerStates()) {
    CHECK(report.checkedAt == kNow);
    CHECK(report.status.reachable);
  }
}

TEST_CASE("a discharge recorded but not printed is listed with its reason, has no job, and is a repeat when resent") {
  IntakeFixture fixture;
  const auto event = fixture.event();
  const intake::NotPrinted died{"died", "The patient died."};
  const auto first = fixture.intake->recordNotPrinted(event, IntakeFixture::json(event), died);
  REQUIRE(first.kind == intake::AcceptOutcome::kAccepted);
  const auto stored = fixture.intake->document(first.documentId);
  REQUIRE(stored);
  REQUIRE(stored->notPrinted);
  CHECK(stored->notPrinted->code == "died");
  CHECK(stored->notPrinted->text == "The patient died.");
  CHECK(stored->jobs.empty());
  CHECK_FALSE(fixture.intake->pdf(first.documentId));
  CHECK(fixture.intake->documents({}).size() == 1);

  // The same discharge again, whatever is decided for it then, is the decision made first.
  CHECK(fixture.intake->accept(event, IntakeFixture::json(event)).kind == intake::AcceptOutcome::kRepeat);
  const auto again = fixture.intake->recordNotPrinted(event, IntakeFixture::json(event), died);
  CHECK(again.kind == intake::AcceptOutcome::kRepeat);
  CHECK(again.documentId == first.documentId);
  auto changed = event;
  changed.notes = "Another note.";
  CHECK(fixture.intake->recordNotPrinted(changed, IntakeFixture::json(changed), died).kind ==
        intake::AcceptOutcome::kConflict);

  intake::ReprintRequest request;
  request.reason = "asked for";
  const auto reprint = fixture.intake->reprint(first.documentId, request);
  CHECK(reprint.kind == intake::ReprintOutcome::kInvalid);
  CHECK(fixture.metrics.leafletsRendered == 0);
  CHECK(fixture.intake->metricsText().find("wardprint_discharges_not_printed_total{reason=\"died\"} 1") !=
        std::string::npos);
}

TEST_CASE("a cancelled discharge's queued job is never sent, and the same discharge sent again prints anew") {
  IntakeFixture fixture;
  const auto event = fixture.event();
  auto hl7 = IntakeFixture::json(event);
  hl7.frontDoor = "hl7";
  hl7.externalId = "pas/visit/V1/2026-11-18T09:00:00Z";
  const auto first = fixture.intake->accept(event, hl7);
  REQUIRE(first.kind == intake::AcceptOutcome::kAccepted);

  CHECK(fixture.intake->cancel({"hl7", "pas/visit/V2/", false, "pas"}).kind == intake::CancelOutcome::kNotFound);
  const auto cancelled = fixture.intake->cancel({"hl7", "pas/visit/V1/", false, "pas"});
  REQUIRE(cancelled.kind == intake::CancelOutcome::kCancelled);
  CHECK(cancelled.documentId == first.documentId);
  const auto stored = fixture.intake->document(first.documentId);
  REQUIRE(stored->jobs.size() == 1);
  CHECK(std::string(intake::toString(stored->jobs[0].state)) == "cancelled");
  CHECK(stored->cancelledAt.value_or(0) == kNow);
  CHECK_FALSE(fixture.store->nextJob("ward-7-laser", kNow, 0));
  CHECK_FALSE(fixture.store->markSubmitting(stored->jobs[0].id, kNow));
  // Cancelled once: nothing live is left to cancel.
  CHECK(fixture.intake->cancel({"hl7", hl7.externalId, true, "pas"}).kind == intake::CancelOutcome::kNotFound);

  const auto again = fixture.intake->accept(event, hl7);
  REQUIRE(again.kind == intake::AcceptOutcome::kAccepted);
  CHECK(again.documentId != first.documentId);
  CHECK(fixture.intake->document(again.documentId)->eventId == "hl7:" + hl7.externalId + "#2");
  CHECK(fixture.store->nextJob("ward-7-laser", kNow, 0).has_value());
  CHECK(fixture.intake->accept(event, hl7).kind == intake::AcceptOutcome::kRepeat);
  CHECK(fixture.metrics.dischargesCancelled == 1);
}

TEST_CASE("cancelling a discharge whose leaflet was already sent is too late, and recorded") {
  IntakeFixture fixture;
  const auto event = fixture.event();
  const auto first = fixture.intake->accept(event, IntakeFixture::json(event));
  const auto job = fixture.intake->document(first.documentId)->jobs.at(0);
  REQUIRE(fixture.store->markSubmitting(job.id, kNow));
  const auto late = fixture.intake->cancel({"json", event.eventId, true, "pas"});
  CHECK(late.kind == intake::CancelOutcome::kTooLate);
  const auto stored = fixture.intake->document(first.documentId);
  CHECK(std::string(intake::toString(stored->jobs.at(0).state)) == "submitting");
  CHECK(stored->cancelledAt.has_value());
}

TEST_CASE("several discharges together are stored all at once, each printing, or none at all") {
  using Kind = intake::AcceptOutcome::Kind;
  IntakeFixture fixture;
  const auto base = fixture.event();
  // A discharge of its own id; the same content under one id twice is a repeat.
  const auto withId = [&](const std::string& id, const std::string& notes = "") {
    auto event = base;
    event.eventId = id;
    if (!notes.empty()) event.notes = notes;
    return intake::Submission{event, IntakeFixture::json(event), std::nullopt};
  };
  const auto stored = fixture.intake->accept(base, IntakeFixture::json(base));
  REQUIRE(stored.kind == Kind::kAccepted);
  auto forbidden = withId("T-FORBIDDEN");
  forbidden.source.wards = std::set<std::string>{"ward-8"};
  auto undrawable = withId("T-UNDRAWABLE");
  undrawable.event.patient.familyName = "\xF0\x93\x80\x80";
  auto conflicting = withId(base.eventId, "Another note.");

  struct Case {
    const char* what;
    intake::Submission last;
    Kind kind;
  };
  const Case refused[] = {
      {"a conflict with a stored discharge", conflicting, Kind::kConflict},
      {"a ward the sender may not send for", forbidden, Kind::kForbidden},
      {"a name no font can draw", undrawable, Kind::kInvalid},
      {"one id twice with other content", withId("T-1", "Another note."), Kind::kConflict},
  };
  for (const auto& c : refused) {
    CAPTURE(c.what);
    const intake::NotPrinted died{"died", "The patient died."};
    auto decision = withId("T-2");
    decision.notPrinted = died;
    const auto outcomes = fixture.intake->acceptAll({withId("T-1"), decision, c.last});
    REQUIRE(outcomes.size() == 3);
    CHECK(outcomes.back().kind == c.kind);
    CHECK(fixture.store->documentCount() == 1);  // only the discharge stored before
    CHECK(fixture.intake->documents({}).size() == 1);
  }

  const auto outcomes = fixture.intake->acceptAll({withId("T-1"), withId("T-2"), {base, IntakeFixture::json(base), {}}});
  REQUIRE(outcomes.size() == 3);
  CHECK(outcomes[0].kind == Kind::kAccepted);
  CHECK(outcomes[1].kind == Kind::kAccepted);
  CHECK(outcomes[2].kind == Kind::kRepeat);
  CHECK(outcomes[2].documentId == stored.documentId);
  for (const auto& outcome : {outcomes[0], outcomes[1]}) {
    const auto document = fixture.intake->document(outcome.documentId);
    REQUIRE(document);
    REQUIRE(document->jobs.size() == 1);
    CHECK(std::string(intake::toString(document->jobs[0].state)) == "queued");
  }
  CHECK(fixture.store->documentCount() == 3);
  CHECK(fixture.metrics.eventsAccepted == 3);
}
