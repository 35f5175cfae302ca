#pragma once

#include <string>

#include "pgstore/pg_connection.h"
#include "store/job_store.h"

namespace wardprint::pgstore {

// The JobStore on PostgreSQL (see pg_store.h). Internal to pgstore: callers use
// openPostgresStore. Each method borrows one pooled connection for one transaction.
class PgJobStore : public store::JobStore {
 public:
  using Millis = store::Millis;
  PgJobStore(const std::string& conninfo, int poolSize);

  std::vector<std::pair<store::Acceptance, std::string>> acceptDischarges(const std::vector<NewDischarge>& discharges,
                                                                          Millis now) override;
  std::optional<store::CancelResult> cancelDischarge(const std::string& eventId, bool exact,
                                                     const std::string& requestedBy, Millis now) override;
  int cancellations(const std::string& intakeKey) const override;
  std::optional<std::pair<std::string, std::string>> event(const std::string& intakeKey) const override;
  std::optional<store::Document> document(const std::string& id) const override;
  std::optional<std::string> documentPdf(const std::string& id) const override;
  std::optional<std::string> documentEventJson(const std::string& id) const override;
  std::vector<store::Document> documents(const store::DocumentFilter& filter) const override;
  void addDocument(const store::NewDocument& document, Millis now) override;
  std::int64_t addPrintJob(const store::NewPrintJob& job, Millis now) override;
  std::optional<store::PrintJob> printJob(std::int64_t id) const override;

  bool holdPrinter(const std::string& printer, const std::string& holder, Millis leaseMillis) override;
  void releasePrinter(const std::string& printer, const std::string& holder) override;
  std::optional<store::PrintJob> nextJob(const std::string& printer, Millis now, Millis horizon) const override;
  std::optional<Millis> nextDue(const std::string& printer) const override;
  bool markSubmitting(std::int64_t job, Millis now) override;
  void markPrinting(std::int64_t job, int ippJobId, Millis now) override;
  void markPrinted(std::int64_t job, Millis now) override;
  void markFailed(std::int64_t job, int attempts, const std::string& error, Millis now) override;
  void scheduleRetry(std::int64_t job, int attempts, Millis at, const std::string& error, Millis now) override;
  void postpone(std::int64_t job, int attempts, Millis at, const std::string& error, Millis now) override;
  void moveToFallback(std::int64_t job, int attempts, const std::string& error, Millis now) override;
  void abandonAttempt(const store::PrintJob& job, const std::string& printer, const std::string& outcome,
                      Millis now) override;
  std::vector<store::AbandonedAttempt> pendingAbandoned(const std::string& printer) const override;
  void resolveAbandoned(std::int64_t id, const std::string& outcome, Millis now) override;

  void appendAudit(const store::AuditEntry& entry) override;
  std::vector<store::AuditEntry> audit(const store::AuditFilter& filter) const override;
  std::vector<std::pair<store::JobState, std::int64_t>> jobCounts() const override;
  std::int64_t documentCount() const override;
  int failuresInARow(const std::string& printer, int window) const override;
  std::optional<std::string> checkIntegrity() override;
  store::PurgeResult purge(Millis cutoff, double maxFraction, bool force, Millis now) override;

  Attempt countSignInAttempt(const std::vector<Counter>& counters, Millis lockedUntil, Millis now) override;
  void recordSignIn(const std::vector<std::string>& counterKeys, const std::string& place,
                    const std::string& tokenDigest, const Session& session, Millis now) override;
  std::optional<Millis> lastSignIn(const std::string& place) override;
  std::optional<Session> useSession(const std::string& tokenDigest, Millis idleSince, Millis now) override;
  void endSession(const std::string& tokenDigest) override;
  void forgetSignIns(Millis idleSince, Millis placesSince, Millis countsSince, Millis now) override;

  std::unique_ptr<Watch> watchNewJobs(std::function<void(const std::string& printer)> wake) override;

 private:
  void migrate();
  // Runs one statement on a pooled connection, in a transaction of its own.
  Result run(const char* sql, const Params& params = {}, bool binaryResult = false) const;
  std::string conninfo_;
  mutable Pool pool_;
};

// Tells every daemon watching (watchNewJobs) that `printer` has a new job, when the
// connection's transaction commits (pg_new_jobs.cpp).
void notifyNewJob(Connection& connection, const std::string& printer);

// Reading rows of the shared tables (pg_rows.cpp).
store::PrintJob readJob(const Result& rows, int row);
store::Document readDocument(const Result& rows, int row);
store::AbandonedAttempt readAbandoned(const Result& rows, int row);
void loadJobs(Connection& connection, store::Document& document);
extern const char* const kJobColumns;
extern const char* const kDocumentColumns;
extern const char* const kAbandonedColumns;

}  // namespace wardprint::pgstore
