#pragma once

#include <mutex>

#include "store/job_store.h"

struct sqlite3;

namespace wardprint::store {

// The JobStore in one SQLite file (see JobStore::open). Internal to the store.
class SqliteStore : public JobStore {
 public:
  SqliteStore(sqlite3* db, sqlite3* lightDb);
  ~SqliteStore() override;

  std::vector<std::pair<Acceptance, std::string>> acceptDischarges(const std::vector<NewDischarge>& discharges,
                                                                   Millis now) override;
  std::optional<CancelResult> cancelDischarge(const std::string& eventId, bool exact, const std::string& requestedBy,
                                              Millis now) override;
  int cancellations(const std::string& intakeKey) const override;
  std::optional<std::pair<std::string, std::string>> event(const std::string& intakeKey) const override;
  std::optional<Document> document(const std::string& id) const override;
  std::optional<std::string> documentPdf(const std::string& id) const override;
  std::optional<std::string> documentEventJson(const std::string& id) const override;
  std::vector<Document> documents(const DocumentFilter& filter) const override;
  void addDocument(const NewDocument& document, Millis now) override;
  std::int64_t addPrintJob(const NewPrintJob& job, Millis now) override;
  std::optional<PrintJob> printJob(std::int64_t id) const override;

  bool holdPrinter(const std::string& printer, const std::string& holder, Millis leaseMillis) override;
  void releasePrinter(const std::string& printer, const std::string& holder) override;
  std::optional<PrintJob> nextJob(const std::string& printer, Millis now, Millis horizon) const override;
  std::optional<Millis> nextDue(const std::string& printer) const override;
  bool markSubmitting(std::int64_t job, Millis now) override;
  void markPrinting(std::int64_t job, int ippJobId, Millis now) override;
  void markPrinted(std::int64_t job, Millis now) override;
  void markFailed(std::int64_t job, int attempts, const std::string& error, Millis now) override;
  void scheduleRetry(std::int64_t job, int attempts, Millis at, const std::string& error, Millis now) override;
  void postpone(std::int64_t job, int attempts, Millis at, const std::string& error, Millis now) override;
  void moveToFallback(std::int64_t job, int attempts, const std::string& error, Millis now) override;
  void abandonAttempt(const PrintJob& job, const std::string& printer, const std::string& outcome,
                      Millis now) override;
  std::vector<AbandonedAttempt> pendingAbandoned(const std::string& printer) const override;
  void resolveAbandoned(std::int64_t id, const std::string& outcome, Millis now) override;

  void appendAudit(const AuditEntry& entry) override;
  std::vector<AuditEntry> audit(const AuditFilter& filter) const override;
  std::vector<std::pair<JobState, std::int64_t>> jobCounts() const override;
  std::int64_t documentCount() const override;
  int failuresInARow(const std::string& printer, int window) const override;
  std::optional<std::string> checkIntegrity() override;
  PurgeResult purge(Millis cutoff, double maxFraction, bool force, Millis now) override;

  Attempt countSignInAttempt(const std::vector<Counter>& counters, Millis lockedUntil, Millis now) override;
  void recordSignIn(const std::vector<std::string>& counterKeys, const std::string& place,
                    const std::string& tokenDigest, const Session& session, Millis now) override;
  std::optional<Millis> lastSignIn(const std::string& place) override;
  std::optional<Session> useSession(const std::string& tokenDigest, Millis idleSince, Millis now) override;
  void endSession(const std::string& tokenDigest) override;
  void forgetSignIns(Millis idleSince, Millis placesSince, Millis countsSince, Millis now) override;

  // Runs PRAGMA quick_check or integrity_check; records any damage found, returns damage().
  std::optional<std::string> runCheck(const char* pragma);
  // The connection for later progress, opened once the schema is up to date.
  void setLightConnection(sqlite3* lightDb) { lightDb_ = lightDb; }

 private:
  sqlite3* db_;
  sqlite3* lightDb_;
  mutable std::mutex mutex_;
  mutable std::mutex lightMutex_;
};

}  // namespace wardprint::store
