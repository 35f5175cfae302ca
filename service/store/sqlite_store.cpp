#include "store/sqlite_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <limits>

#include "store/filter_sql.h"
#include "store/schema.h"
#include "store/sqlite_statement.h"
#include "util/intake_key.h"

namespace wardprint::store {
namespace {

// An intake key's digest and document id, from the live events or the tombstones of purged ones.
constexpr const char* kKnownEvent =
    "SELECT event_hash, document_id FROM events WHERE intake_key = ?1 "
    "UNION ALL SELECT event_hash, document_id FROM purged_events WHERE intake_key = ?1 LIMIT 1";

// wardprint_intake_key(front door, id) in SQL, for the migration that re-keys old stores.
void intakeKeyFunction(sqlite3_context* context, int, sqlite3_value** args) {
  const auto text = [](sqlite3_value* value) {
    const auto* chars = reinterpret_cast<const char*>(sqlite3_value_text(value));
    return std::string(chars ? chars : "", static_cast<std::size_t>(sqlite3_value_bytes(value)));
  };
  const auto key = util::intakeKey(text(args[0]), text(args[1]));
  sqlite3_result_text(context, key.c_str(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
}


constexpr const char* kJobColumns =
    "id, document_id, printer, fallback_printer, copies, reason, requested_by, state, attempts, "
    "next_attempt_at, job_name, ipp_job_id, last_error, created_at, updated_at, completed_at";

PrintJob readJob(const Statement& row) {
  PrintJob job;
  job.id = row.integer(0);
  job.documentId = row.text(1);
  job.printer = row.text(2);
  job.fallbackPrinter = row.optionalText(3);
  job.copies = static_cast<int>(row.integer(4));
  job.reason = row.text(5);
  job.requestedBy = row.text(6);
  job.state = jobStateFromString(row.text(7));
  job.attempts = static_cast<int>(row.integer(8));
  job.nextAttemptAt = row.integer(9);
  job.jobName = row.text(10);
  if (!row.isNull(11)) job.ippJobId = static_cast<int>(row.integer(11));
  job.lastError = row.text(12);
  job.createdAt = row.integer(13);
  job.updatedAt = row.integer(14);
  if (!row.isNull(15)) job.completedAt = row.integer(15);
  return job;
}

constexpr const char* kDocumentColumns =
    "id, event_id, ward, hospital_number, patient_name, procedure, discharged_at, layout_id, layout_version, "
    "created_at, CASE WHEN json_valid(event_json) THEN json_extract(event_json, '$.patient.date_of_birth') END, "
    "not_printed_reason, not_printed_text, "
    "(SELECT MAX(cancelled_at) FROM cancellations c WHERE c.document_id = documents.id)";

Document readDocument(const Statement& row) {
  Document document;
  document.id = row.text(0);
  document.eventId = row.text(1);
  document.ward = row.text(2);
  document.hospitalNumber = row.text(3);
  document.patientName = row.text(4);
  document.procedure = row.text(5);
  document.dischargedAt = row.integer(6);
  document.layoutId = row.text(7);
  document.layoutVersion = static_cast<int>(row.integer(8));
  document.createdAt = row.integer(9);
  if (!row.isNull(10)) document.dateOfBirth = row.text(10);
  if (!row.isNull(11)) document.notPrinted = NotPrinted{row.text(11), row.text(12)};
  if (!row.isNull(13)) document.cancelledAt = row.integer(13);
  return document;
}

void insertDocument(sqlite3* db, const NewDocument& document, Millis now) {
  Statement(db,
            "INSERT INTO documents (id, event_id, event_hash, event_json, ward, hospital_number, patient_name, "
            "procedure, discharged_at, layout_id, layout_version, pdf, created_at, not_printed_reason, not_printed_text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, document.id)
      .bind(2, document.eventId)
      .bind(3, document.eventHash)
      .bind(4, document.eventJson)
      .bind(5, document.ward)
      .bind(6, document.hospitalNumber)
      .bind(7, document.patientName)
      .bind(8, document.procedure)
      .bind(9, document.dischargedAt)
      .bind(10, document.layoutId)
      .bind(11, document.layoutVersion)
      .bindBlob(12, document.pdf)
      .bind(13, now)
      .bind(14, document.notPrinted ? std::optional(document.notPrinted->code) : std::nullopt)
      .bind(15, document.notPrinted ? std::optional(document.notPrinted->text) : std::nullopt)
      .run();
}

std::int64_t insertJob(sqlite3* db, const NewPrintJob& job, Millis now) {
  Statement(db,
            "INSERT INTO print_jobs (document_id, printer, fallback_printer, copies, reason, requested_by, state, "
            "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)")
      .bind(1, job.documentId)
      .bind(2, job.printer)
      .bind(3, job.fallbackPrinter)
      .bind(4, job.copies)
      .bind(5, job.reason)
      .bind(6, job.requestedBy)
      .bind(7, now)
      .bind(8, now)
      .bind(9, now)
      .run();
  const auto id = sqlite3_last_insert_rowid(db);
  // The name printers show: the document id and job number only, never the patient.
  Statement(db, "UPDATE print_jobs SET job_name = ? WHERE id = ?")
      .bind(1, "wardprint-" + job.documentId + "-" + std::to_string(id))
      .bind(2, static_cast<std::int64_t>(id))
      .run();
  return id;
}

constexpr const char* kAbandonedColumns =
    "id, print_job_id, printer, job_name, abandoned_at, outcome, resolved_at";

AbandonedAttempt readAbandoned(const Statement& row) {
  AbandonedAttempt attempt;
  attempt.id = row.integer(0);
  attempt.printJobId = row.integer(1);
  attempt.printer = row.text(2);
  attempt.jobName = row.text(3);
  attempt.abandonedAt = row.integer(4);
  attempt.outcome = row.text(5);
  if (!row.isNull(6)) attempt.resolvedAt = row.integer(6);
  return attempt;
}

std::vector<EarlierPrinter> loadEarlierPrinters(sqlite3* db, std::int64_t job) {
  Statement query(db, "SELECT printer, attempts, error, left_at FROM printer_attempts WHERE print_job_id = ? ORDER BY id");
  query.bind(1, job);
  std::vector<EarlierPrinter> out;
  while (query.step()) {
    out.push_back({query.text(0), static_cast<int>(query.integer(1)), query.text(2), query.integer(3)});
  }
  return out;
}

void loadJobs(sqlite3* db, Document& document) {
  Statement jobs(db, (std::string("SELECT ") + kJobColumns + " FROM print_jobs WHERE document_id = ? ORDER BY id").c_str());
  jobs.bind(1, document.id);
  while (jobs.step()) document.jobs.push_back(readJob(jobs));
  for (auto& job : document.jobs) {
    Statement abandoned(
        db, (std::string("SELECT ") + kAbandonedColumns + " FROM abandoned_attempts WHERE print_job_id = ? ORDER BY id")
                .c_str());
    abandoned.bind(1, job.id);
    while (abandoned.step()) job.abandoned.push_back(readAbandoned(abandoned));
    job.earlierPrinters = loadEarlierPrinters(db, job.id);
  }
}

std::optional<PrintJob> firstJob(Statement& query) {
  if (!query.step()) return std::nullopt;
  return readJob(query);
}

sqlite3* openConnection(const std::string& path, const char* synchronous, bool create) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw StoreError(path + ": cannot open the store: " + message);
  }
  sqlite3_busy_timeout(db, 5000);
  try {
    execute(db, (std::string("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = ") +
                 synchronous)
                    .c_str());
  } catch (const StoreError& e) {
    sqlite3_close(db);
    throw StoreError(path + ": " + e.what());
  }
  return db;
}

}  // namespace

std::unique_ptr<JobStore> JobStore::open(const std::string& path, bool create) {
  struct stat info {};
  const bool exists = ::stat(path.c_str(), &info) == 0;
  if (!create && (!exists || info.st_size == 0)) {
    throw StoreError(path + ": " + (exists ? "the store file is empty" : "there is no store file") +
                     "; if this is a new installation run `wardprint init-store --config FILE` once "
                     "(or set store.create: true), otherwise check store.path or restore the store");
  }
  sqlite3* db = openConnection(path, "FULL", create);
  auto store = std::make_unique<SqliteStore>(db, nullptr);
  sqlite3_create_function_v2(db, "wardprint_intake_key", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                             intakeKeyFunction, nullptr, nullptr, nullptr);
  try {
    Statement versionQuery(db, "PRAGMA user_version");
    versionQuery.step();
    const auto version = static_cast<std::size_t>(versionQuery.integer(0));
    if (version > kSchemaMigrations.size()) {
      throw StoreError("the store was written by a newer wardprint (schema " + std::to_string(version) +
                       "; this wardprint knows schema " + std::to_string(kSchemaMigrations.size()) + ")");
    }
    for (std::size_t next = version; next < kSchemaMigrations.size(); ++next) {
      Transaction transaction(db);
      execute(db, kSchemaMigrations[next]);
      execute(db, ("PRAGMA user_version = " + std::to_string(next + 1)).c_str());
      transaction.commit();
    }
  } catch (const StoreDamaged& e) {
    throw StoreDamaged(path + ": " + e.what());
  } catch (const StoreError& e) {
    throw StoreError(path + ": " + e.what());
  }
  store->setLightConnection(openConnection(path, "NORMAL", false));
  store->runCheck("PRAGMA quick_check");
  return store;
}

SqliteStore::SqliteStore(sqlite3* db, sqlite3* lightDb) : db_(db), lightDb_(lightDb) {}
SqliteStore::~SqliteStore() {
  sqlite3_close_v2(lightDb_);
  sqlite3_close_v2(db_);
}

std::vector<std::pair<Acceptance, std::string>> SqliteStore::acceptDischarges(
    const std::vector<NewDischarge>& discharges, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(mutex_);
  Transaction transaction(db_);
  std::vector<std::pair<Acceptance, std::string>> results;
  for (const auto& [document, job] : discharges) {
    Statement existing(db_, kKnownEvent);
    existing.bind(1, document.intakeKey);
    if (existing.step()) {
      const bool same = existing.text(0) == document.eventHash;
      results.emplace_back(same ? Acceptance::kRepeat : Acceptance::kConflict, existing.text(1));
      if (!same) return results;  // rolled back: nothing of the others is kept
      continue;
    }
    insertDocument(db_, document, now);
    Statement(db_, "INSERT INTO events (intake_key, event_hash, document_id) VALUES (?, ?, ?)")
        .bind(1, document.intakeKey)
        .bind(2, document.eventHash)
        .bind(3, document.id)
        .run();
    if (job) insertJob(db_, *job, now);
    results.emplace_back(Acceptance::kCreated, document.id);
  }
  transaction.commit();
  return results;
}

std::optional<std::pair<std::string, std::string>> SqliteStore::event(const std::string& intakeKey) const {
  std::lock_guard lock(lightMutex_);
  Statement query(lightDb_, kKnownEvent);
  query.bind(1, intakeKey);
  if (!query.step()) return std::nullopt;
  return std::pair{query.text(0), query.text(1)};
}

std::optional<Document> SqliteStore::document(const std::string& id) const {
  std::lock_guard lock(lightMutex_);
  Statement query(lightDb_, (std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE id = ?").c_str());
  query.bind(1, id);
  if (!query.step()) return std::nullopt;
  auto document = readDocument(query);
  loadJobs(lightDb_, document);
  return document;
}

std::optional<std::string> SqliteStore::documentPdf(const std::string& id) const {
  std::lock_guard lock(lightMutex_);
  Statement query(lightDb_, "SELECT pdf FROM documents WHERE id = ? AND not_printed_reason IS NULL");
  query.bind(1, id);
  if (!query.step()) return std::nullopt;
  return query.text(0);
}

std::optional<std::string> SqliteStore::documentEventJson(const std::string& id) const {
  std::lock_guard lock(lightMutex_);
  Statement query(lightDb_, "SELECT event_json FROM documents WHERE id = ?");
  query.bind(1, id);
  if (!query.step()) return std::nullopt;
  return query.text(0);
}

std::vector<Document> SqliteStore::documents(const DocumentFilter& filter) const {
  std::lock_guard lock(lightMutex_);
  const auto sql = filterSql(filter);
  Statement query(lightDb_, (std::string("SELECT ") + kDocumentColumns +
                        " FROM documents WHERE (?1 IS NULL OR ward = ?1) AND (?2 IS NULL OR hospital_number = ?2)"
                        " AND discharged_at >= ?3 AND (?5 IS NULL OR instr(?5, ',' || ward || ',') > 0)"
                        " AND (?6 IS NULL OR patient_name LIKE ?6 ESCAPE '\\')"
                        " ORDER BY discharged_at DESC, id LIMIT ?4")
                           .c_str());
  query.bind(1, filter.ward).bind(2, filter.hospitalNumber).bind(3, filter.since.value_or(0)).bind(4, filter.limit);
  query.bind(5, sql.wardList).bind(6, sql.namePattern);
  std::vector<Document> out;
  while (query.step()) out.push_back(readDocument(query));
  for (auto& document : out) loadJobs(lightDb_, document);
  return out;
}

void SqliteStore::addDocument(const NewDocument& document, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(mutex_);
  Transaction transaction(db_);
  Statement exists(db_, "SELECT 1 FROM documents WHERE id = ?");
  exists.bind(1, document.id);
  if (!exists.step()) insertDocument(db_, document, now);
  transaction.commit();
}

std::int64_t SqliteStore::addPrintJob(const NewPrintJob& job, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(mutex_);
  Transaction transaction(db_);
  const auto id = insertJob(db_, job, now);
  transaction.commit();
  return id;
}

std::optional<PrintJob> SqliteStore::printJob(std::int64_t id) const {
  std::lock_guard lock(lightMutex_);
  Statement query(lightDb_, (std::string("SELECT ") + kJobColumns + " FROM print_jobs WHERE id = ?").c_str());
  query.bind(1, id);
  return firstJob(query);
}

// One daemon per SQLite store (StoreLock): it drives every printer.
bool SqliteStore::holdPrinter(const std::string&, const std::string&, Millis) { return true; }
void SqliteStore::releasePrinter(const std::string&, const std::string&) {}

std::optional<PrintJob> SqliteStore::nextJob(const std::string& printer, Millis now, Millis horizon) const {
  std::lock_guard lock(lightMutex_);
  Statement query(lightDb_, (std::string("SELECT ") + kJobColumns +
                        " FROM print_jobs WHERE printer = ?1 AND state IN ('queued', 'submitting', 'printing')"
                        " AND (next_attempt_at <= ?2 OR next_attempt_at > ?2 + ?3) ORDER BY state = 'queued', id"
                        " LIMIT 1")
                           .c_str());
  query.bind(1, printer).bind(2, now).bind(3, horizon);
  return firstJob(query);
}

std::optional<Millis> SqliteStore::nextDue(const std::string& printer) const {
  std::lock_guard lock(lightMutex_);
  Statement query(lightDb_, "SELECT MIN(next_attempt_at) FROM print_jobs WHERE printer = ? AND "
                       "state IN ('queued', 'submitting', 'printing')");
  query.bind(1, printer);
  if (!query.step() || query.isNull(0)) return std::nullopt;
  return query.integer(0);
}

bool SqliteStore::markSubmitting(std::int64_t job, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(mutex_);
  Statement(db_, "UPDATE print_jobs SET state = 'submitting', updated_at = ? WHERE id = ? AND state <> 'cancelled'")
      .bind(1, now)
      .bind(2, job)
      .run();
  return sqlite3_changes(db_) > 0;
}

void SqliteStore::markPrinting(std::int64_t job, int ippJobId, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(mutex_);
  Statement(db_, "UPDATE print_jobs SET state = 'printing', ipp_job_id = ?, last_error = '', updated_at = ? WHERE id = ?")
      .bind(1, ippJobId)
      .bind(2, now)
      .bind(3, job)
      .run();
}

void SqliteStore::markPrinted(std::int64_t job, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(lightMutex_);
  Statement(lightDb_, "UPDATE print_jobs SET state = 'printed', updated_at = ?1, completed_at = ?1 WHERE id = ?2")
      .bind(1, now)
      .bind(2, job)
      .run();
}

void SqliteStore::markFailed(std::int64_t job, int attempts, const std::string& error, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(lightMutex_);
  Statement(lightDb_,
            "UPDATE print_jobs SET state = 'failed', attempts = ?1, last_error = ?2, updated_at = ?3, "
            "completed_at = ?3 WHERE id = ?4")
      .bind(1, attempts)
      .bind(2, error)
      .bind(3, now)
      .bind(4, job)
      .run();
}

void SqliteStore::scheduleRetry(std::int64_t job, int attempts, Millis at, const std::string& error, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(lightMutex_);
  Statement(lightDb_,
            "UPDATE print_jobs SET state = 'queued', attempts = ?, next_attempt_at = ?, last_error = ?, "
            "ipp_job_id = NULL, updated_at = ? WHERE id = ?")
      .bind(1, attempts)
      .bind(2, at)
      .bind(3, error)
      .bind(4, now)
      .bind(5, job)
      .run();
}

void SqliteStore::postpone(std::int64_t job, int attempts, Millis at, const std::string& error, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(lightMutex_);
  Statement(lightDb_,
            "UPDATE print_jobs SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?")
      .bind(1, attempts)
      .bind(2, at)
      .bind(3, error)
      .bind(4, now)
      .bind(5, job)
      .run();
}

void SqliteStore::moveToFallback(std::int64_t job, int attempts, const std::string& error, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(lightMutex_);
  Transaction transaction(lightDb_);
  Statement(lightDb_,
            "INSERT INTO printer_attempts (print_job_id, printer, attempts, error, left_at) "
            "SELECT id, printer, ?1, ?2, ?3 FROM print_jobs WHERE id = ?4 AND fallback_printer IS NOT NULL")
      .bind(1, attempts)
      .bind(2, error)
      .bind(3, now)
      .bind(4, job)
      .run();
  Statement(lightDb_,
            "UPDATE print_jobs SET printer = fallback_printer, fallback_printer = NULL, state = 'queued', "
            "attempts = 0, next_attempt_at = ?1, ipp_job_id = NULL, last_error = ?2, updated_at = ?1 "
            "WHERE id = ?3 AND fallback_printer IS NOT NULL")
      .bind(1, now)
      .bind(2, error)
      .bind(3, job)
      .run();
  transaction.commit();
}

void SqliteStore::abandonAttempt(const PrintJob& job, const std::string& printer, const std::string& outcome,
                              Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(mutex_);
  Statement(db_,
            "INSERT INTO abandoned_attempts (print_job_id, printer, job_name, abandoned_at, outcome, resolved_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?5 = 'pending' THEN NULL ELSE ?4 END)")
      .bind(1, job.id)
      .bind(2, printer)
      .bind(3, job.jobName)
      .bind(4, now)
      .bind(5, outcome)
      .run();
}

std::vector<AbandonedAttempt> SqliteStore::pendingAbandoned(const std::string& printer) const {
  std::lock_guard lock(lightMutex_);
  Statement query(lightDb_, (std::string("SELECT ") + kAbandonedColumns +
                             " FROM abandoned_attempts WHERE printer = ? AND outcome = 'pending' ORDER BY id")
                                .c_str());
  query.bind(1, printer);
  std::vector<AbandonedAttempt> out;
  while (query.step()) out.push_back(readAbandoned(query));
  return out;
}

void SqliteStore::resolveAbandoned(std::int64_t id, const std::string& outcome, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(mutex_);
  Statement(db_, "UPDATE abandoned_attempts SET outcome = ?, resolved_at = ? WHERE id = ? AND outcome = 'pending'")
      .bind(1, outcome)
      .bind(2, now)
      .bind(3, id)
      .run();
}

void SqliteStore::appendAudit(const AuditEntry& entry) {
  refuseIfDamaged();
  std::lock_guard lock(mutex_);
  Statement(db_,
            "INSERT INTO audit (at, actor, role, action, document_id, remote, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, entry.at)
      .bind(2, entry.actor)
      .bind(3, entry.role)
      .bind(4, entry.action)
      .bind(5, entry.documentId)
      .bind(6, entry.remote)
      .bind(7, entry.detail)
      .run();
}

std::vector<AuditEntry> SqliteStore::audit(const AuditFilter& filter) const {
  std::lock_guard lock(lightMutex_);
  Statement query(lightDb_,
                  "SELECT id, at, actor, role, action, document_id, remote, detail FROM audit "
                  "WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR document_id = ?2) AND at >= ?3 AND at <= ?4 "
                  "ORDER BY id DESC LIMIT ?5");
  query.bind(1, filter.actor)
      .bind(2, filter.documentId)
      .bind(3, filter.since.value_or(0))
      .bind(4, filter.until.value_or(std::numeric_limits<Millis>::max()))
      .bind(5, filter.limit);
  std::vector<AuditEntry> out;
  while (query.step()) {
    out.push_back({query.integer(0), query.integer(1), query.text(2), query.text(3), query.text(4),
                   query.optionalText(5), query.text(6), query.text(7)});
  }
  return out;
}

std::vector<std::pair<JobState, std::int64_t>> SqliteStore::jobCounts() const {
  std::lock_guard lock(lightMutex_);
  std::vector<std::pair<JobState, std::int64_t>> out;
  for (const auto state : kAllJobStates) {
    Statement query(lightDb_, "SELECT COUNT(*) FROM print_jobs WHERE state = ?");
    query.bind(1, std::string(toString(state)));
    query.step();
    out.emplace_back(state, query.integer(0));
  }
  return out;
}

std::int64_t SqliteStore::documentCount() const {
  std::lock_guard lock(lightMutex_);
  Statement query(lightDb_, "SELECT COUNT(*) FROM documents");
  query.step();
  return query.integer(0);
}

int SqliteStore::failuresInARow(const std::string& printer, int window) const {
  std::lock_guard lock(lightMutex_);
  Statement query(lightDb_,
                  "SELECT failed FROM ("
                  " SELECT completed_at AS at, id AS job, state = 'failed' AS failed FROM print_jobs"
                  "  WHERE printer = ?1 AND state IN ('printed', 'failed')"
                  " UNION ALL SELECT left_at, print_job_id, 1 FROM printer_attempts WHERE printer = ?1"
                  ") ORDER BY at DESC, job DESC LIMIT ?2");
  query.bind(1, printer).bind(2, window);
  int failures = 0;
  while (query.step() && query.integer(0) != 0) ++failures;
  return failures;
}

}  // namespace wardprint::store
