// What every store promises, run against SQLite and PostgreSQL alike (store_backends.h).
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "store_backends.h"

using namespace wardprint;
using testsupport::StoreUnderTest;

namespace {

constexpr store::Millis kNow = 1'790'000'000'000;  // 2026-09-21
constexpr store::Millis kDay = 24LL * 3600 * 1000;

store::NewDocument newDocument(const std::string& eventId, const std::string& pdf = "%PDF-1.4") {
  store::NewDocument document;
  document.id = "DOC-" + eventId;
  document.intakeKey = "key-" + eventId;
  document.eventId = eventId;
  document.eventHash = "digest-" + eventId;
  document.eventJson = R"({"patient": {"date_of_birth": "1948-03-02"}})";
  document.ward = "ward-7";
  document.hospitalNumber = "RHQ-" + eventId;
  document.patientName = "Zoë Łukasiewicz-Ørsted";
  document.procedure = "vertebroplasty";
  document.dischargedAt = kNow - 3600000;
  document.layoutId = "vertebroplasty-en-GB";
  document.layoutVersion = 3;
  document.pdf = pdf;
  return document;
}

store::NewPrintJob newJob(const std::string& eventId, bool withFallback = false) {
  store::NewPrintJob job;
  job.documentId = "DOC-" + eventId;
  job.printer = "laser";
  if (withFallback) job.fallbackPrinter = "spare";
  job.reason = "discharge";
  job.requestedBy = "ward system";
  return job;
}

std::int64_t jobsIn(store::JobStore& store, store::JobState wanted) {
  for (const auto& [state, count] : store.jobCounts()) {
    if (state == wanted) return count;
  }
  return -1;
}

}  // namespace

TEST_CASE("store: a discharge is stored once, a retry is a repeat and other content a conflict") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    auto& store = under.store();
    const auto first = store.acceptDischarge(newDocument("EV-1"), newJob("EV-1"), kNow);
    CHECK(first == std::pair{store::Acceptance::kCreated, std::string("DOC-EV-1")});
    CHECK(store.acceptDischarge(newDocument("EV-1"), newJob("EV-1"), kNow).first == store::Acceptance::kRepeat);
    auto changed = newDocument("EV-1");
    changed.eventHash = "another digest";
    CHECK(store.acceptDischarge(changed, newJob("EV-1"), kNow).first == store::Acceptance::kConflict);
    CHECK(store.event("key-EV-1") == std::pair{std::string("digest-EV-1"), std::string("DOC-EV-1")});
    CHECK(store.documentCount() == 1);
    CHECK(jobsIn(store, store::JobState::kQueued) == 1);

    const auto document = store.document("DOC-EV-1");
    REQUIRE(document);
    CHECK(document->patientName == "Zoë Łukasiewicz-Ørsted");
    CHECK(document->dateOfBirth == "1948-03-02");
    CHECK(document->layoutVersion == 3);
    REQUIRE(document->jobs.size() == 1);
    CHECK(document->jobs[0].jobName == "wardprint-DOC-EV-1-" + std::to_string(document->jobs[0].id));
    CHECK(document->jobs[0].jobName.find("Zo") == std::string::npos);
  });
}

TEST_CASE("store: a leaflet's bytes come back exactly, all 256 byte values") {
  std::string pdf;
  for (int round = 0; round < 4; ++round) {
    for (int byte = 0; byte < 256; ++byte) pdf += static_cast<char>(byte);
  }
  pdf += std::string(3, '\0') + "\\x00\\\\'";  // what an escaping bug would eat
  testsupport::forEachBackend([&](StoreUnderTest& under) {
    under.store().acceptDischarge(newDocument("EV-BYTES", pdf), newJob("EV-BYTES"), kNow);
    CHECK(under.store().documentPdf("DOC-EV-BYTES") == pdf);
    CHECK(under.openAnother()->documentPdf("DOC-EV-BYTES") == pdf);
  });
}

TEST_CASE("store: the same events stored through two connections at once give one document and one job each") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    const auto other = under.openAnother();
    std::atomic<int> created{0};
    const auto send = [&](store::JobStore& store) {
      for (int i = 0; i < 40; ++i) {
        const auto id = "EV-" + std::to_string(i);
        if (store.acceptDischarge(newDocument(id), newJob(id), kNow).first == store::Acceptance::kCreated) ++created;
      }
    };
    std::thread one([&] { send(under.store()); });
    std::thread two([&] { send(*other); });
    one.join();
    two.join();
    CHECK(created == 40);
    CHECK(under.store().documentCount() == 40);
    CHECK(jobsIn(under.store(), store::JobState::kQueued) == 40);
  });
}

TEST_CASE("store: documents are found by ward, hospital number and part of the name in any case") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    auto& store = under.store();
    store.acceptDischarge(newDocument("EV-1"), newJob("EV-1"), kNow);
    auto elsewhere = newDocument("EV-2");
    elsewhere.ward = "ward-8";
    elsewhere.patientName = "Ann 100% O_Neill";
    store.acceptDischarge(elsewhere, newJob("EV-2"), kNow);

    store::DocumentFilter filter;
    CHECK(store.documents(filter).size() == 2);
    filter.wards = std::vector<std::string>{"ward-8"};
    REQUIRE(store.documents(filter).size() == 1);
    CHECK(store.documents(filter)[0].id == "DOC-EV-2");
    filter = {};
    filter.hospitalNumber = "RHQ-EV-1";
    CHECK(store.documents(filter).size() == 1);
    filter = {};
    filter.nameContains = "o_NEILL";
    CHECK(store.documents(filter).size() == 1);
    filter.nameContains = "0% o";
    CHECK(store.documents(filter).size() == 1);
    filter.nameContains = "0%_o";  // wildcards are matched as themselves
    CHECK(store.documents(filter).empty());
    filter = {};
    filter.since = kNow;
    CHECK(store.documents(filter).empty());
  });
}

TEST_CASE("store: a job moves through sending, retries and its fallback printer, and is counted") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    auto& store = under.store();
    store.acceptDischarge(newDocument("EV-1"), newJob("EV-1", true), kNow);
    auto job = store.nextJob("laser", kNow, 60000);
    REQUIRE(job);
    CHECK(std::string(store::toString(job->state)) == "queued");
    CHECK(store.markSubmitting(job->id, kNow));
    store.scheduleRetry(job->id, 1, kNow + 5000, "the printer refused", kNow);
    CHECK_FALSE(store.nextJob("laser", kNow, 60000));
    CHECK(store.nextDue("laser") == kNow + 5000);
    CHECK(store.nextJob("laser", kNow + 5000, 60000));

    store.moveToFallback(job->id, 5, "the printer refused", kNow + 6000);
    CHECK_FALSE(store.nextJob("laser", kNow + 6000, 60000));
    job = store.nextJob("spare", kNow + 6000, 60000);
    REQUIRE(job);
    CHECK(job->attempts == 0);
    store.markSubmitting(job->id, kNow + 7000);
    store.markPrinting(job->id, 42, kNow + 7000);
    CHECK(std::string(store::toString(store.nextJob("spare", kNow + 7000, 60000)->state)) == "printing");
    store.markPrinted(job->id, kNow + 8000);

    const auto printed = store.printJob(job->id);
    REQUIRE(printed);
    CHECK(std::string(store::toString(printed->state)) == "printed");
    CHECK(printed->ippJobId == 42);
    CHECK(printed->completedAt == kNow + 8000);
    const auto document = store.document("DOC-EV-1");
    REQUIRE(document->jobs.at(0).earlierPrinters.size() == 1);
    CHECK(document->jobs.at(0).earlierPrinters[0].printer == "laser");
    CHECK(document->jobs.at(0).earlierPrinters[0].attempts == 5);
    CHECK(jobsIn(store, store::JobState::kPrinted) == 1);
    CHECK(store.failuresInARow("laser", 10) == 1);
    CHECK(store.failuresInARow("spare", 10) == 0);
  });
}

TEST_CASE("store: an abandoned attempt stays pending until its printer says what became of it") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    auto& store = under.store();
    store.acceptDischarge(newDocument("EV-1"), newJob("EV-1"), kNow);
    const auto job = *store.nextJob("laser", kNow, 60000);
    store.abandonAttempt(job, "laser", "pending", kNow);
    store.abandonAttempt(job, "laser", "not-held", kNow);
    const auto pending = store.pendingAbandoned("laser");
    REQUIRE(pending.size() == 1);
    CHECK_FALSE(pending[0].resolvedAt);
    store.resolveAbandoned(pending[0].id, "printed", kNow + 1000);
    CHECK(store.pendingAbandoned("laser").empty());
    const auto attempts = store.document("DOC-EV-1")->jobs.at(0).abandoned;
    REQUIRE(attempts.size() == 2);
    CHECK(attempts[0].outcome == "printed");
    CHECK(attempts[1].resolvedAt == kNow);
  });
}

TEST_CASE("store: a cancelled discharge stops its queued job and frees its key for a new one") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    auto& store = under.store();
    store.acceptDischarge(newDocument("EV-1"), newJob("EV-1"), kNow);
    const auto cancelled = store.cancelDischarge("EV-", false, "hl7", kNow + 1000);
    REQUIRE(cancelled);
    CHECK(cancelled->documentId == "DOC-EV-1");
    CHECK(cancelled->jobsCancelled == 1);
    CHECK_FALSE(store.cancelDischarge("EV-1", true, "hl7", kNow + 2000));
    CHECK(store.cancellations("key-EV-1") == 1);
    CHECK_FALSE(store.event("key-EV-1"));
    CHECK(store.document("DOC-EV-1")->cancelledAt == kNow + 1000);
    CHECK_FALSE(store.markSubmitting(store.document("DOC-EV-1")->jobs.at(0).id, kNow + 3000));
  });
}

TEST_CASE("store: the audit log only grows, whoever asks the database") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    auto& store = under.store();
    store.appendAudit({0, kNow, "nurse.jones", "nurse", "view", std::string("DOC-1"), "10.0.0.7", ""});
    store.appendAudit({0, kNow + 1, "nurse.jones", "nurse", "reprint", std::nullopt, "10.0.0.7", "jammed"});
    CHECK_FALSE(under.runSql("UPDATE audit SET actor = 'someone else'"));
    CHECK_FALSE(under.runSql("DELETE FROM audit"));
    CHECK(under.runSql("SELECT COUNT(*) FROM audit"));
    store::AuditFilter filter;
    filter.actor = "nurse.jones";
    const auto entries = store.audit(filter);
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].action == "reprint");
    CHECK_FALSE(entries[0].documentId);
    CHECK(entries[1].documentId == "DOC-1");
  });
}

TEST_CASE("store: retention removes finished old leaflets, leaves tombstones and keeps to its cap") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    auto& store = under.store();
    for (int i = 0; i < 4; ++i) {
      const auto id = "EV-" + std::to_string(i);
      auto document = newDocument(id);
      document.dischargedAt = kNow - 100 * kDay;
      store.acceptDischarge(document, newJob(id), kNow - 100 * kDay);
      if (i < 3) store.markPrinted(store.document("DOC-" + id)->jobs.at(0).id, kNow - 99 * kDay);
    }
    CHECK(store.purge(kNow - 90 * kDay, 0.5, false, kNow).refused);  // 3 of 4 due, half allowed
    const auto result = store.purge(kNow - 90 * kDay, 0.5, true, kNow);
    CHECK(result.removed == 3);
    CHECK(store.documentCount() == 1);  // its job is still queued
    CHECK(store.acceptDischarge(newDocument("EV-0"), newJob("EV-0"), kNow).first == store::Acceptance::kRepeat);
    CHECK(store.documentCount() == 1);
  });
}

TEST_CASE("store: a store at a newer schema than this wardprint knows refuses to open") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    const bool sqlite = under.backend() == "SQLite";
    REQUIRE(under.runSql(sqlite ? "PRAGMA user_version = 99" : "UPDATE schema_version SET version = 99"));
    CHECK_THROWS_WITH_AS(under.openAnother(), doctest::Contains("newer wardprint (schema 99"), store::StoreError);
  });
}

TEST_CASE("store: several discharges are stored all together, or none of them at a conflict") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    auto& store = under.store();
    store.acceptDischarge(newDocument("EV-1"), newJob("EV-1"), kNow);
    const auto stored = store.acceptDischarges({{newDocument("EV-1"), newJob("EV-1")}, {newDocument("EV-2"), newJob("EV-2")}}, kNow);
    REQUIRE(stored.size() == 2);
    CHECK(stored[0].first == store::Acceptance::kRepeat);
    CHECK(stored[1].first == store::Acceptance::kCreated);

    auto changed = newDocument("EV-2");
    changed.eventHash = "another digest";
    const auto refused = store.acceptDischarges({{newDocument("EV-3"), newJob("EV-3")}, {changed, newJob("EV-2")}}, kNow);
    REQUIRE(refused.size() == 2);
    CHECK(refused[1].first == store::Acceptance::kConflict);
    CHECK_FALSE(store.event("key-EV-3"));
    CHECK(store.documentCount() == 2);
  });
}

TEST_CASE("store: a staff session is shared, marked used to the minute and ends when idle or ended") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    const auto other = under.openAnother();
    auto& store = under.store();
    constexpr store::Millis kIdle = 30 * 60'000;  // sessions end after 30 idle minutes
    const auto use = [&](store::JobStore& by, const std::string& digest, store::Millis at) {
      return by.useSession(digest, at - kIdle, at);
    };
    store.recordSignIn({}, "nurse.jones\n10.0.0.1", "digest-1", {"nurse.jones", "csrf-1"}, kNow);
    const auto seen = use(*other, "digest-1", kNow + 30'000);
    REQUIRE(seen);
    CHECK(seen->userName == "nurse.jones");
    CHECK(seen->csrfToken == "csrf-1");
    // That use, 30 s after sign-in, was not written down (under a minute): the session is
    // idle from its sign-in, and ends 30 minutes after it.
    CHECK_FALSE(use(store, "digest-1", kNow + kIdle + 1));
    store.recordSignIn({}, "nurse.jones\n10.0.0.1", "digest-2", {"nurse.jones", "csrf-2"}, kNow);
    CHECK(use(*other, "digest-2", kNow + 90'000));  // written down: used at +90 s
    CHECK(use(store, "digest-2", kNow + kIdle + 60'000));
    other->endSession("digest-2");
    CHECK_FALSE(use(store, "digest-2", kNow + kIdle + 60'000));
    CHECK(store.lastSignIn("nurse.jones\n10.0.0.1") == kNow);
    CHECK_FALSE(store.lastSignIn("nurse.jones\n10.0.0.2"));

    store.recordSignIn({}, "nurse.jones\n10.0.0.1", "digest-3", {"nurse.jones", "csrf-3"}, kNow);
    store.forgetSignIns(kNow + 1, kNow + 1, kNow + 1, kNow + 1);
    CHECK_FALSE(use(*other, "digest-3", kNow + 1));
    CHECK_FALSE(other->lastSignIn("nurse.jones\n10.0.0.1"));
  });
}

TEST_CASE("store: sign-in attempts at once through two connections lock out at the limit, no later") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    const auto other = under.openAnother();
    constexpr int kLimit = 5;
    const std::vector<auth::SessionStore::Counter> counters{{"addr:192.0.2.1", kLimit, true},
                                                            {"user:nurse.jones", kLimit * 4, false}};
    std::atomic<int> counted{0};
    std::atomic<int> lockouts{0};
    const auto attempt = [&](store::JobStore& store) {
      for (int i = 0; i < 10; ++i) {
        const auto result = store.countSignInAttempt(counters, kNow + 300'000, kNow);
        if (!result.refused) ++counted;
        lockouts += static_cast<int>(result.lockedOut.size());
      }
    };
    std::thread one([&] { attempt(under.store()); });
    std::thread two([&] { attempt(*other); });
    one.join();
    two.join();
    CHECK(counted == kLimit);
    CHECK(lockouts == 1);
    // Refused attempts count nothing; once the lockout is over the count starts again.
    const auto later = under.store().countSignInAttempt(counters, kNow + 600'000, kNow + 300'001);
    CHECK_FALSE(later.refused);
    CHECK(later.lockedOut.empty());
    // A success forgets the counts: the name-wide counter (not refusing) starts from nothing.
    under.store().recordSignIn({"addr:192.0.2.1", "user:nurse.jones"}, "nurse.jones\n192.0.2.1", "digest-9",
                               {"nurse.jones", "csrf-9"}, kNow + 300'002);
    const std::vector<auth::SessionStore::Counter> nameOnly{{"user:nurse.jones", 2, false}};
    CHECK(other->countSignInAttempt(nameOnly, kNow + 900'000, kNow + 300'003).lockedOut.empty());
    CHECK(other->countSignInAttempt(nameOnly, kNow + 900'000, kNow + 300'004).lockedOut.size() == 1);
    // Locked out but not refusing: still counted, and locked out again at the limit.
    CHECK_FALSE(other->countSignInAttempt(nameOnly, kNow + 900'000, kNow + 300'005).refused);
    CHECK(other->countSignInAttempt(nameOnly, kNow + 900'000, kNow + 300'006).lockedOut.size() == 1);
  });
}

TEST_CASE("store: sign-ins and failed attempts under the same keys at once through two connections never deadlock") {
  testsupport::forEachBackend([](StoreUnderTest& under) {
    const auto other = under.openAnother();
    const std::vector<std::string> keys{"pair:k", "addr:k", "user:k"};  // not in sorted order
    std::atomic<int> errors{0};
    std::thread attempts([&] {
      for (int i = 0; i < 60; ++i) {
        try {
          under.store().countSignInAttempt({{keys[0], 1000, true}, {keys[1], 1000, true}, {keys[2], 1000, false}},
                                           kNow + 300'000, kNow + i);
        } catch (const store::StoreError&) {
          ++errors;
        }
      }
    });
    std::thread signIns([&] {
      for (int i = 0; i < 60; ++i) {
        try {
          other->recordSignIn(keys, "k", "digest-" + std::to_string(i), {"nurse.jones", "csrf"}, kNow + i);
          other->forgetSignIns(kNow, kNow, kNow + i, kNow + i);
        } catch (const store::StoreError&) {
          ++errors;
        }
      }
    });
    attempts.join();
    signIns.join();
    CHECK(errors == 0);
  });
}
