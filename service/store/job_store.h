#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "auth/session_store.h"

namespace wardprint::store {

// Milliseconds since the Unix epoch: every time in the store.
using Millis = std::int64_t;

// Where a print job is. kSubmitting is written before a job is sent, so that after a crash
// a job whose outcome is unknown can be looked up on the printer before any resend.
// kCancelled: its discharge was cancelled by the sender before the job was sent.
enum class JobState { kQueued, kSubmitting, kPrinting, kPrinted, kFailed, kCancelled };
inline constexpr std::array<JobState, 6> kAllJobStates{JobState::kQueued,  JobState::kSubmitting,
                                                       JobState::kPrinting, JobState::kPrinted,
                                                       JobState::kFailed,  JobState::kCancelled};
const char* toString(JobState state);
// The state a store wrote as toString(state); throws StoreError for any other text.
JobState jobStateFromString(const std::string& text);

// Thrown when the database cannot be opened, reached or written (disk full, read-only,
// corrupt, the database server down).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown instead when the store is damaged (a failed quick_check or integrity_check, or a
// corrupt page met while reading): nothing more is written until an operator restores it.
class StoreDamaged : public StoreError {
 public:
  using StoreError::StoreError;
};

// Why a discharge was recorded but not printed: a code ("died", "too_old", "no_leaflet",
// "not_discharged", ...) and one plain sentence for the nurse page.
struct NotPrinted {
  std::string code;
  std::string text;
};

struct NewDocument {
  std::string id;
  std::string intakeKey;  // the discharge's idempotency key (util/intake_key.h); for acceptDischarge
  std::string eventId;    // the sender's own id, as shown
  std::string eventHash;  // of the validated event, to tell a retry from a different event
  std::string eventJson;  // the body as received, kept to re-render (large print)
  std::string ward;
  std::string hospitalNumber;
  std::string patientName;
  std::string procedure;
  Millis dischargedAt = 0;
  std::string layoutId;
  int layoutVersion = 0;
  std::string pdf;
  std::optional<NotPrinted> notPrinted;  // set: a decision with no leaflet (layout and pdf empty)
};

struct NewPrintJob {
  std::string documentId;
  std::string printer;
  std::optional<std::string> fallbackPrinter;
  int copies = 1;
  std::string reason;       // "discharge", or why a nurse reprinted
  std::string requestedBy;  // "ward system" or a user name
};

// An attempt given up on a printer that did not answer or held the job too long. The
// printer may still have the job: when it answers again the job is cancelled there, or,
// if it printed anyway, that is recorded so a second copy is never silent.
struct AbandonedAttempt {
  std::int64_t id = 0;
  std::int64_t printJobId = 0;
  std::string printer;
  std::string jobName;
  Millis abandonedAt = 0;
  std::string outcome;  // pending, cancelled (or never reached the printer: not-held), printed
  std::optional<Millis> resolvedAt;
};

// A printer a job left for its fallback: the attempts it had there and why it was left.
struct EarlierPrinter {
  std::string printer;
  int attempts = 0;
  std::string error;  // empty for a job moved before this was recorded
  Millis leftAt = 0;
};

struct PrintJob {
  std::int64_t id = 0;
  std::string documentId;
  std::string printer;
  std::optional<std::string> fallbackPrinter;
  int copies = 1;
  std::string reason;
  std::string requestedBy;
  JobState state = JobState::kQueued;
  int attempts = 0;
  Millis nextAttemptAt = 0;
  std::string jobName;  // as sent to the printer: never patient data
  std::optional<int> ippJobId;
  std::string lastError;
  Millis createdAt = 0;
  Millis updatedAt = 0;
  std::optional<Millis> completedAt;
  std::vector<AbandonedAttempt> abandoned;  // filled by document() and documents() only
  std::vector<EarlierPrinter> earlierPrinters;  // oldest first; filled by document() and documents() only
};

struct Document {
  std::string id;
  std::string eventId;
  std::string ward;
  std::string hospitalNumber;
  std::string patientName;
  std::string dateOfBirth;  // YYYY-MM-DD, as the event gave it
  std::string procedure;
  Millis dischargedAt = 0;
  std::string layoutId;
  int layoutVersion = 0;
  Millis createdAt = 0;
  std::optional<NotPrinted> notPrinted;
  std::optional<Millis> cancelledAt;  // the sender cancelled the discharge
  std::vector<PrintJob> jobs;  // oldest first
};

struct DocumentFilter {
  std::optional<std::string> ward;
  std::optional<std::vector<std::string>> wards;  // only these wards (a user's), when set
  std::optional<std::string> hospitalNumber;
  std::optional<std::string> nameContains;  // part of the patient's name, any case (ASCII)
  std::optional<Millis> since;  // discharged at or after
  int limit = 100;
};

// One row of the audit log: who did what, to which document, from where, and why.
struct AuditEntry {
  std::int64_t id = 0;
  Millis at = 0;
  std::string actor;
  std::string role;
  std::string action;  // sign-in, sign-in-failed, sign-out, list, search, view, preview, download, reprint
  std::optional<std::string> documentId;
  std::string remote;
  std::string detail;  // the reason of a reprint, the search made
};

struct AuditFilter {
  std::optional<std::string> actor;
  std::optional<std::string> documentId;
  std::optional<Millis> since;
  std::optional<Millis> until;
  int limit = 500;
};

enum class Acceptance { kCreated, kRepeat, kConflict };

// What cancelling a discharge did.
struct CancelResult {
  std::string documentId;
  int jobsCancelled = 0;  // queued jobs that will now never be sent
  int jobsSent = 0;       // jobs already sent (or being sent) to a printer: too late to stop
};

// What one retention pass did.
struct PurgeResult {
  int removed = 0;   // leaflets deleted
  int eligible = 0;  // leaflets past retention
  int total = 0;     // leaflets stored
  bool refused = false;  // more were eligible than a pass may remove: nothing was deleted
  bool busy = false;     // another daemon was purging the same store: nothing was done
};

// wardprint's durable state: documents, the events they came from, print jobs, the
// audit log, and staff sessions and sign-in failures (auth::SessionStore). Two implementations behind this interface: one SQLite file for a single
// daemon (JobStore::open), or a PostgreSQL database shared by several daemons
// (pgstore/pg_store.h). Both run the same numbered migrations and behave the same.
// Every method is one transaction and safe to call from any thread; methods throw
// StoreError when the database fails or cannot be reached.
class JobStore : public auth::SessionStore {
 public:
  // The SQLite store (WAL), the single-machine default. Opens the store and brings its
  // schema up to date, then runs PRAGMA quick_check (a damaged store still opens: damage()
  // says why, and every write throws StoreDamaged).
  // A missing or empty (0-byte) file throws StoreError naming the path, unless `create`:
  // a mistyped path or a failed restore must not start a fresh store in silence, or the
  // ward system's retries of old events would print again.
  //
  // What must survive a power cut is written through a connection with synchronous=FULL:
  // accepted events, new documents and jobs, a job marked kSubmitting or kPrinting, audit
  // rows. Reads and the print workers' later progress (printed, retries) use a second
  // connection with synchronous=NORMAL, which survives a crash of the process but may lose
  // the last moments of progress to a power cut; recovery then asks the printer, as it
  // does for a job left in kSubmitting. So the commits an HTTP request waits for do not
  // queue behind the workers' fsyncs.
  static std::unique_ptr<JobStore> open(const std::string& path, bool create = false);
  virtual ~JobStore() = default;
  JobStore() = default;
  JobStore(const JobStore&) = delete;
  JobStore& operator=(const JobStore&) = delete;

  // Stores a new document and its first print job (none for a not-printed decision),
  // unless its intake key is known: then returns kRepeat with the existing document id
  // when the hash matches, else kConflict. The database decides: the same event stored
  // at once through two connections (or two daemons) gives one document and one job.
  std::pair<Acceptance, std::string> acceptDischarge(const NewDocument& document,
                                                     const std::optional<NewPrintJob>& job, Millis now);

  // Several discharges in one transaction, all or nothing (a FHIR transaction Bundle):
  // each is taken as acceptDischarge takes it, in order (a later one sees the earlier ones),
  // but at the first kConflict nothing at all is stored. Returns one result per discharge
  // up to and including that conflict.
  struct NewDischarge {
    NewDocument document;
    std::optional<NewPrintJob> job;
  };
  virtual std::vector<std::pair<Acceptance, std::string>> acceptDischarges(
      const std::vector<NewDischarge>& discharges, Millis now) = 0;

  // Cancels the newest live discharge whose event id is `eventId` (exact) or starts with
  // it (!exact): its queued jobs become kCancelled, the cancellation is recorded and its
  // intake key is freed, so the same discharge sent again is stored and printed anew.
  // nullopt when no live discharge matches.
  virtual std::optional<CancelResult> cancelDischarge(const std::string& eventId, bool exact,
                                                      const std::string& requestedBy, Millis now) = 0;
  // How many times discharges under this intake key were cancelled.
  virtual int cancellations(const std::string& intakeKey) const = 0;

  // The digest and document id stored under an intake key, if it was accepted before (its
  // leaflet may since have been purged).
  virtual std::optional<std::pair<std::string, std::string>> event(const std::string& intakeKey) const = 0;

  virtual std::optional<Document> document(const std::string& id) const = 0;
  // The leaflet's bytes exactly as stored.
  virtual std::optional<std::string> documentPdf(const std::string& id) const = 0;
  virtual std::optional<std::string> documentEventJson(const std::string& id) const = 0;
  virtual std::vector<Document> documents(const DocumentFilter& filter) const = 0;

  // Adds a document made from an already stored event (a large-print reprint); nothing
  // when a document with its id is stored already.
  virtual void addDocument(const NewDocument& document, Millis now) = 0;

  virtual std::int64_t addPrintJob(const NewPrintJob& job, Millis now) = 0;
  virtual std::optional<PrintJob> printJob(std::int64_t id) const = 0;

  // May `holder` (one daemon's print queue) drive `printer` for the next `leaseMillis`?
  // Takes or renews the printer's lease and says whether this holder has it: at most one
  // holder drives a printer at a time, and a holder that stops renewing (its daemon died)
  // loses it `leaseMillis` after its last renewal, by the database's clock. The SQLite
  // store always says yes: its StoreLock keeps it to one daemon.
  virtual bool holdPrinter(const std::string& printer, const std::string& holder, Millis leaseMillis) = 0;
  // Gives the lease up at once (a daemon stopping), if `holder` has it.
  virtual void releasePrinter(const std::string& printer, const std::string& holder) = 0;

  // Kept while new jobs are watched for (watchNewJobs); the watching ends when it goes away.
  class Watch {
   public:
    virtual ~Watch() = default;
  };
  // Calls `wake` with a printer's name soon after any daemon sharing this store adds a job
  // for it (or moves one to it), so that the daemon driving that printer need not wait for
  // its next look; `wake` runs on a thread of the store's until the Watch goes away. A
  // store that no other daemon shares (SQLite) returns nullptr: its daemon wakes its own
  // queue. Watching rides out the database going away and coming back.
  virtual std::unique_ptr<Watch> watchNewJobs(std::function<void(const std::string& printer)> wake);

  // The next unfinished job for `printer` due at `now`: a job left in kSubmitting or
  // kPrinting (by an earlier run, or out of reach) first, then the oldest queued job.
  // A job scheduled more than `horizon` after `now` counts as due too: no retry is ever
  // scheduled that far ahead, so the wall clock was set back since.
  virtual std::optional<PrintJob> nextJob(const std::string& printer, Millis now, Millis horizon) const = 0;
  // When the next unfinished job for `printer` is due, if any.
  virtual std::optional<Millis> nextDue(const std::string& printer) const = 0;

  // False, and nothing changed, when the job was cancelled meanwhile: it must not be sent.
  virtual bool markSubmitting(std::int64_t job, Millis now) = 0;
  virtual void markPrinting(std::int64_t job, int ippJobId, Millis now) = 0;
  virtual void markPrinted(std::int64_t job, Millis now) = 0;
  virtual void markFailed(std::int64_t job, int attempts, const std::string& error, Millis now) = 0;
  virtual void scheduleRetry(std::int64_t job, int attempts, Millis at, const std::string& error, Millis now) = 0;
  // Leaves the job in its state but counts an attempt and makes it not due before `at`
  // (an in-flight job whose printer did not answer: it may have the job).
  virtual void postpone(std::int64_t job, int attempts, Millis at, const std::string& error, Millis now) = 0;
  // Moves a job to its fallback printer, with a fresh count of attempts; `error` says why.
  // The printer left, its `attempts` and `error` are kept in the job's earlierPrinters.
  virtual void moveToFallback(std::int64_t job, int attempts, const std::string& error, Millis now) = 0;

  // Records (durably) that the job's attempt on `printer` was given up; `outcome` is
  // "pending" while the printer may still hold it.
  virtual void abandonAttempt(const PrintJob& job, const std::string& printer, const std::string& outcome,
                              Millis now) = 0;
  // Abandoned attempts on `printer` whose fate is not known yet, oldest first.
  virtual std::vector<AbandonedAttempt> pendingAbandoned(const std::string& printer) const = 0;
  // Records what became of an abandoned attempt: cancelled, not-held or printed.
  virtual void resolveAbandoned(std::int64_t id, const std::string& outcome, Millis now) = 0;

  // The audit log only grows: the database itself refuses updates and deletes of it.
  virtual void appendAudit(const AuditEntry& entry) = 0;
  virtual std::vector<AuditEntry> audit(const AuditFilter& filter) const = 0;

  // Counts of print jobs by state (every state, zeros included), for metrics.
  virtual std::vector<std::pair<JobState, std::int64_t>> jobCounts() const = 0;
  virtual std::int64_t documentCount() const = 0;
  // How many of the last `window` jobs that ended on `printer` (printed there, failed there,
  // or moved away from it) failed, counted from the newest back to the first that printed.
  virtual int failuresInARow(const std::string& printer, int window) const = 0;

  // Why the store cannot be trusted, or nullopt when it is healthy.
  std::optional<std::string> damage() const;
  // Marks the store damaged (a corrupt page met while serving): writes are refused from now.
  void recordDamage(const std::string& reason);
  // Runs the database's full check (slow on a big store); records any damage found and
  // returns damage().
  virtual std::optional<std::string> checkIntegrity() = 0;

  // Deletes documents (with their events and jobs) past retention: stored before `cutoff`
  // and discharged before it (the event's own time, so a wall clock set far ahead alone
  // cannot make a leaflet old), with every print job finished. A pass that would delete
  // more than `maxFraction` of the stored leaflets (at least one) deletes nothing and
  // says so, unless `force`: a clock jump must not empty the store. Each deleted event
  // leaves a tombstone (event id, digest, document id) so that a late retry of it is
  // still a repeat, never printed again. One pass at a time: a pass that finds another
  // daemon's pass running does nothing (PurgeResult::busy).
  virtual PurgeResult purge(Millis cutoff, double maxFraction, bool force, Millis now) = 0;

 protected:
  // Throws StoreDamaged when the store is known to be damaged.
  void refuseIfDamaged() const;

 private:
  mutable std::mutex damageMutex_;
  std::optional<std::string> damage_;
};

}  // namespace wardprint::store
