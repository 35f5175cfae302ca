// Discharges, documents and the audit log in PostgreSQL.
#include "pgstore/pg_job_store.h"

#include <algorithm>
#include <limits>

#include "pgstore/pg_schema.h"
#include "store/filter_sql.h"
#include "pgstore/pg_store.h"

namespace wardprint::pgstore {
namespace {

// An intake key's digest and document id, from the live events or the tombstones of purged ones.
constexpr const char* kKnownEvent =
    "SELECT event_hash, document_id FROM events WHERE intake_key = $1 "
    "UNION ALL SELECT event_hash, document_id FROM purged_events WHERE intake_key = $1 LIMIT 1";

// Keys of the advisory locks that make daemons take turns (pg_advisory_xact_lock).
constexpr const char* kMigrationLock = "7152001";

void insertDocument(Connection& connection, const store::NewDocument& document, store::Millis now) {
  connection.run(
      "INSERT INTO documents (id, event_id, event_hash, event_json, ward, hospital_number, patient_name, "
      "procedure, discharged_at, layout_id, layout_version, pdf, created_at, not_printed_reason, not_printed_text) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT (id) DO NOTHING",
      Params()
          .text(document.id)
          .text(document.eventId)
          .text(document.eventHash)
          .text(document.eventJson)
          .text(document.ward)
          .text(document.hospitalNumber)
          .text(document.patientName)
          .text(document.procedure)
          .integer(document.dischargedAt)
          .text(document.layoutId)
          .integer(document.layoutVersion)
          .bytes(document.pdf)
          .integer(now)
          .text(document.notPrinted ? std::optional(document.notPrinted->code) : std::nullopt)
          .text(document.notPrinted ? std::optional(document.notPrinted->text) : std::nullopt));
}

std::int64_t insertJob(Connection& connection, const store::NewPrintJob& job, store::Millis now) {
  // The name printers show: the document id and job number only, never the patient.
  const auto inserted = connection.run(
      "INSERT INTO print_jobs (document_id, printer, fallback_printer, copies, reason, requested_by, state, "
      "next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $7, $7) RETURNING id",
      Params()
          .text(job.documentId)
          .text(job.printer)
          .text(job.fallbackPrinter)
          .integer(job.copies)
          .text(job.reason)
          .text(job.requestedBy)
          .integer(now));
  const auto id = inserted.integer(0, 0);
  connection.run("UPDATE print_jobs SET job_name = $1 WHERE id = $2",
                 Params().text("wardprint-" + job.documentId + "-" + std::to_string(id)).integer(id));
  notifyNewJob(connection, job.printer);
  return id;
}

}  // namespace

std::unique_ptr<store::JobStore> openPostgresStore(const std::string& conninfo, int poolSize) {
  return std::make_unique<PgJobStore>(conninfo, poolSize);
}

PgJobStore::PgJobStore(const std::string& conninfo, int poolSize) : conninfo_(conninfo), pool_(conninfo, poolSize) {
  migrate();
}

void PgJobStore::migrate() {
  auto connection = pool_.take();
  Transaction transaction(*connection);
  // Daemons starting together take turns; the second finds the schema up to date.
  connection->run((std::string("SELECT pg_advisory_xact_lock(") + kMigrationLock + ")").c_str());
  connection->run("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const auto found = connection->run("SELECT version FROM schema_version");
  const auto version = found.rows() == 0 ? std::size_t{0} : static_cast<std::size_t>(found.integer(0, 0));
  if (version > kPostgresMigrations.size()) {
    throw store::StoreError("the store was written by a newer wardprint (schema " + std::to_string(version) +
                            "; this wardprint knows schema " + std::to_string(kPostgresMigrations.size()) +
                            "): upgrade this node, or restore the database");
  }
  for (std::size_t next = version; next < kPostgresMigrations.size(); ++next) {
    connection->runScript(kPostgresMigrations[next]);
  }
  if (found.rows() == 0) {
    connection->run("INSERT INTO schema_version (version) VALUES ($1)",
                    Params().integer(static_cast<std::int64_t>(kPostgresMigrations.size())));
  } else {
    connection->run("UPDATE schema_version SET version = $1",
                    Params().integer(static_cast<std::int64_t>(kPostgresMigrations.size())));
  }
  transaction.commit();
}

Result PgJobStore::run(const char* sql, const Params& params, bool binaryResult) const {
  auto connection = pool_.take();
  return connection->run(sql, params, binaryResult);
}

std::vector<std::pair<store::Acceptance, std::string>> PgJobStore::acceptDischarges(
    const std::vector<NewDischarge>& discharges, Millis now) {
  refuseIfDamaged();
  auto connection = pool_.take();
  Transaction transaction(*connection);
  // The same discharge arriving at two daemons at once: the second waits here until the
  // first commits, then finds its event (the primary key on events is the backstop).
  // Keys are locked in one order, so that two transactions of several never deadlock.
  std::vector<std::string> keys;
  for (const auto& discharge : discharges) keys.push_back(discharge.document.intakeKey);
  std::sort(keys.begin(), keys.end());
  for (const auto& key : keys) {
    connection->run("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", Params().text(key));
  }
  std::vector<std::pair<store::Acceptance, std::string>> results;
  for (const auto& [document, job] : discharges) {
    const auto existing = connection->run(kKnownEvent, Params().text(document.intakeKey));
    if (existing.rows() > 0) {
      const bool same = existing.text(0, 0) == document.eventHash;
      results.emplace_back(same ? store::Acceptance::kRepeat : store::Acceptance::kConflict, existing.text(0, 1));
      if (!same) return results;  // rolled back: nothing of the others is kept
      continue;
    }
    insertDocument(*connection, document, now);
    connection->run("INSERT INTO events (intake_key, event_hash, document_id) VALUES ($1, $2, $3)",
                    Params().text(document.intakeKey).text(document.eventHash).text(document.id));
    if (job) insertJob(*connection, *job, now);
    results.emplace_back(store::Acceptance::kCreated, document.id);
  }
  transaction.commit();
  return results;
}

std::optional<std::pair<std::string, std::string>> PgJobStore::event(const std::string& intakeKey) const {
  const auto found = run(kKnownEvent, Params().text(intakeKey));
  if (found.rows() == 0) return std::nullopt;
  return std::pair{found.text(0, 0), found.text(0, 1)};
}

std::optional<store::Document> PgJobStore::document(const std::string& id) const {
  auto connection = pool_.take();
  Transaction transaction(*connection);  // the document and its jobs as of one moment
  const auto found =
      connection->run((std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE id = $1").c_str(),
                      Params().text(id));
  if (found.rows() == 0) return std::nullopt;
  auto document = readDocument(found, 0);
  loadJobs(*connection, document);
  transaction.commit();
  return document;
}

std::optional<std::string> PgJobStore::documentPdf(const std::string& id) const {
  const auto found =
      run("SELECT pdf FROM documents WHERE id = $1 AND not_printed_reason IS NULL", Params().text(id), true);
  if (found.rows() == 0) return std::nullopt;
  return found.text(0, 0);
}

std::optional<std::string> PgJobStore::documentEventJson(const std::string& id) const {
  const auto found = run("SELECT event_json FROM documents WHERE id = $1", Params().text(id));
  if (found.rows() == 0) return std::nullopt;
  return found.text(0, 0);
}

std::vector<store::Document> PgJobStore::documents(const store::DocumentFilter& filter) const {
  const auto sql = store::filterSql(filter);
  auto connection = pool_.take();
  Transaction transaction(*connection);
  const auto found = connection->run(
      (std::string("SELECT ") + kDocumentColumns +
       " FROM documents WHERE ($1::text IS NULL OR ward = $1) AND ($2::text IS NULL OR hospital_number = $2)"
       " AND discharged_at >= $3 AND ($5::text IS NULL OR strpos($5, ',' || ward || ',') > 0)"
       " AND ($6::text IS NULL OR patient_name ILIKE $6 ESCAPE '\\')"
       " ORDER BY discharged_at DESC, id LIMIT $4")
          .c_str(),
      Params()
          .text(filter.ward)
          .text(filter.hospitalNumber)
          .integer(filter.since.value_or(0))
          .integer(filter.limit)
          .text(sql.wardList)
          .text(sql.namePattern));
  std::vector<store::Document> out;
  for (int row = 0; row < found.rows(); ++row) out.push_back(readDocument(found, row));
  for (auto& document : out) loadJobs(*connection, document);
  transaction.commit();
  return out;
}

void PgJobStore::addDocument(const store::NewDocument& document, Millis now) {
  refuseIfDamaged();
  auto connection = pool_.take();
  insertDocument(*connection, document, now);
}

std::int64_t PgJobStore::addPrintJob(const store::NewPrintJob& job, Millis now) {
  refuseIfDamaged();
  auto connection = pool_.take();
  Transaction transaction(*connection);
  const auto id = insertJob(*connection, job, now);
  transaction.commit();
  return id;
}

void PgJobStore::appendAudit(const store::AuditEntry& entry) {
  refuseIfDamaged();
  run("INSERT INTO audit (at, actor, role, action, document_id, remote, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      Params()
          .integer(entry.at)
          .text(entry.actor)
          .text(entry.role)
          .text(entry.action)
          .text(entry.documentId)
          .text(entry.remote)
          .text(entry.detail));
}

std::vector<store::AuditEntry> PgJobStore::audit(const store::AuditFilter& filter) const {
  const auto found = run(
      "SELECT id, at, actor, role, action, document_id, remote, detail FROM audit "
      "WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR document_id = $2) AND at >= $3 AND at <= $4 "
      "ORDER BY id DESC LIMIT $5",
      Params()
          .text(filter.actor)
          .text(filter.documentId)
          .integer(filter.since.value_or(0))
          .integer(filter.until.value_or(std::numeric_limits<Millis>::max()))
          .integer(filter.limit));
  std::vector<store::AuditEntry> out;
  for (int row = 0; row < found.rows(); ++row) {
    out.push_back({found.integer(row, 0), found.integer(row, 1), found.text(row, 2), found.text(row, 3),
                   found.text(row, 4), found.optionalText(row, 5), found.text(row, 6), found.text(row, 7)});
  }
  return out;
}

std::vector<std::pair<store::JobState, std::int64_t>> PgJobStore::jobCounts() const {
  const auto found = run("SELECT state, COUNT(*) FROM print_jobs GROUP BY state");
  std::vector<std::pair<store::JobState, std::int64_t>> out;
  for (const auto state : store::kAllJobStates) {
    std::int64_t count = 0;
    for (int row = 0; row < found.rows(); ++row) {
      if (found.text(row, 0) == store::toString(state)) count = found.integer(row, 1);
    }
    out.emplace_back(state, count);
  }
  return out;
}

std::int64_t PgJobStore::documentCount() const { return run("SELECT COUNT(*) FROM documents").integer(0, 0); }

std::optional<std::string> PgJobStore::checkIntegrity() {
  // PostgreSQL checks its own pages (and the trust's replication and backups guard the
  // data); what is left to ask is whether the server answers.
  run("SELECT 1");
  return damage();
}

}  // namespace wardprint::pgstore
