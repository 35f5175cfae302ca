#include "store/schema.h"

namespace wardprint::store {

// Each entry moves the schema one version on; never edit one that has shipped.
const std::array<const char*, kSchemaVersion> kSchemaMigrations{R"sql(
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    event_hash TEXT NOT NULL,
    event_json TEXT NOT NULL,
    ward TEXT NOT NULL,
    hospital_number TEXT NOT NULL,
    patient_name TEXT NOT NULL,
    procedure TEXT NOT NULL,
    discharged_at INTEGER NOT NULL,
    layout_id TEXT NOT NULL,
    layout_version INTEGER NOT NULL,
    pdf BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX documents_by_event ON documents (event_id);
  CREATE INDEX documents_by_ward ON documents (ward, discharged_at);
  CREATE INDEX documents_by_hospital_number ON documents (hospital_number);
  CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    event_hash TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE
  );
  CREATE TABLE print_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    printer TEXT NOT NULL,
    fallback_printer TEXT,
    copies INTEGER NOT NULL,
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    job_name TEXT NOT NULL DEFAULT '',
    ipp_job_id INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    completed_at INTEGER
  );
  CREATE INDEX print_jobs_by_printer ON print_jobs (printer, state, next_attempt_at);
  CREATE INDEX print_jobs_by_document ON print_jobs (document_id);
)sql",
                                                  R"sql(
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    document_id TEXT,
    remote TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX audit_by_actor ON audit (actor, at);
  CREATE INDEX audit_by_document ON audit (document_id, at);
  CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
                                                  R"sql(
  CREATE TABLE abandoned_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    print_job_id INTEGER NOT NULL REFERENCES print_jobs (id) ON DELETE CASCADE,
    printer TEXT NOT NULL,
    job_name TEXT NOT NULL,
    abandoned_at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    resolved_at INTEGER
  );
  CREATE INDEX abandoned_by_printer ON abandoned_attempts (printer, outcome);
  CREATE INDEX abandoned_by_job ON abandoned_attempts (print_job_id);
)sql",
                                                  R"sql(
  CREATE TABLE purged_events (
    event_id TEXT PRIMARY KEY,
    event_hash TEXT NOT NULL,
    document_id TEXT NOT NULL,
    purged_at INTEGER NOT NULL
  );
)sql",
                                                  R"sql(
  -- Discharges are known by their intake key (util/intake_key.h) from now on; every event
  -- stored before came in by the JSON door. wardprint_intake_key is the store's own function.
  ALTER TABLE events RENAME COLUMN event_id TO intake_key;
  UPDATE events SET intake_key = wardprint_intake_key('json', intake_key);
  ALTER TABLE purged_events RENAME COLUMN event_id TO intake_key;
  UPDATE purged_events SET intake_key = wardprint_intake_key('json', intake_key);
)sql",
                                                  R"sql(
  CREATE TABLE printer_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    print_job_id INTEGER NOT NULL REFERENCES print_jobs (id) ON DELETE CASCADE,
    printer TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    error TEXT NOT NULL,
    left_at INTEGER NOT NULL
  );
  CREATE INDEX printer_attempts_by_job ON printer_attempts (print_job_id);
  CREATE INDEX printer_attempts_by_printer ON printer_attempts (printer, left_at);
  CREATE INDEX print_jobs_finished_by_printer ON print_jobs (printer, completed_at);
  -- Jobs that moved before this table existed: their abandoned attempts still name the
  -- printer they left (how many attempts it had, and why, were not kept).
  INSERT INTO printer_attempts (print_job_id, printer, attempts, error, left_at)
    SELECT a.print_job_id, a.printer, 0, '', a.abandoned_at FROM abandoned_attempts a
    JOIN print_jobs j ON j.id = a.print_job_id WHERE j.printer <> a.printer ORDER BY a.id;
)sql",
                                                  R"sql(
  -- A discharge recorded but deliberately not printed has a document with no leaflet and
  -- no print job, and says why (a code and a sentence for the nurse page).
  ALTER TABLE documents ADD COLUMN not_printed_reason TEXT;
  ALTER TABLE documents ADD COLUMN not_printed_text TEXT;
  -- A discharge cancelled by its sender (HL7 ADT^A13): its unsent jobs were cancelled and
  -- its intake key freed, so that a later discharge of the same visit prints again.
  CREATE TABLE cancellations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    intake_key TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    requested_by TEXT NOT NULL,
    jobs_cancelled INTEGER NOT NULL,
    cancelled_at INTEGER NOT NULL
  );
  CREATE INDEX cancellations_by_key ON cancellations (intake_key);
  CREATE INDEX cancellations_by_document ON cancellations (document_id);
)sql",
                                                  R"sql(
  -- Which daemon drives each printer, until when. Read by PostgreSQL stores, which
  -- several daemons share; a SQLite store has one daemon (StoreLock), which drives them all.
  CREATE TABLE printer_leases (
    printer TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
)sql",
                                                  R"sql(
  -- Staff sessions and counts of failed sign-ins (auth/session_store.h), kept in the store
  -- so that they outlive a restart and, in PostgreSQL, are shared by every daemon. A
  -- session is known by the SHA-256 of its token, never the token itself.
  CREATE TABLE staff_sessions (
    token_digest TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
  );
  CREATE INDEX staff_sessions_by_use ON staff_sessions (last_used_at);
  CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until INTEGER NOT NULL,
    last_failed_at INTEGER NOT NULL
  );
  CREATE TABLE sign_in_places (
    place TEXT PRIMARY KEY,
    signed_in_at INTEGER NOT NULL
  );
)sql"};

}  // namespace wardprint::store
