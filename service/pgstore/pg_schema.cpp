#include "pgstore/pg_schema.h"

namespace wardprint::pgstore {

// Each entry moves the schema one version on, as the SQLite migration of the same number
// does; never edit one that has shipped. Times are milliseconds since the epoch (BIGINT),
// as in SQLite, except leases, which run on the database's own clock.
const std::array<const char*, store::kSchemaVersion> kPostgresMigrations{R"sql(
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    event_hash TEXT NOT NULL,
    event_json TEXT NOT NULL,
    ward TEXT NOT NULL,
    hospital_number TEXT NOT NULL,
    patient_name TEXT NOT NULL,
    procedure TEXT NOT NULL,
    discharged_at BIGINT NOT NULL,
    layout_id TEXT NOT NULL,
    layout_version INTEGER NOT NULL,
    pdf BYTEA NOT NULL,
    created_at BIGINT NOT NULL
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
    id BIGSERIAL PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    printer TEXT NOT NULL,
    fallback_printer TEXT,
    copies INTEGER NOT NULL,
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    job_name TEXT NOT NULL DEFAULT '',
    ipp_job_id INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    completed_at BIGINT
  );
  CREATE INDEX print_jobs_by_printer ON print_jobs (printer, state, next_attempt_at);
  CREATE INDEX print_jobs_by_document ON print_jobs (document_id);
  -- The patient's date of birth from a stored event, or NULL when the text is not JSON
  -- (SQLite's json_valid and json_extract do the same there).
  CREATE FUNCTION wardprint_date_of_birth(event_json TEXT) RETURNS TEXT LANGUAGE plpgsql IMMUTABLE AS $$
  BEGIN
    RETURN event_json::jsonb #>> '{patient,date_of_birth}';
  EXCEPTION WHEN others THEN
    RETURN NULL;
  END $$;
)sql",
                                                                            R"sql(
  CREATE TABLE audit (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    document_id TEXT,
    remote TEXT NOT NULL,
    detail TEXT NOT NULL
  );
  CREATE INDEX audit_by_actor ON audit (actor, at);
  CREATE INDEX audit_by_document ON audit (document_id, at);
  CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
  END $$;
  CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();
  CREATE TRIGGER audit_is_append_only_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();
)sql",
                                                                            R"sql(
  CREATE TABLE abandoned_attempts (
    id BIGSERIAL PRIMARY KEY,
    print_job_id BIGINT NOT NULL REFERENCES print_jobs (id) ON DELETE CASCADE,
    printer TEXT NOT NULL,
    job_name TEXT NOT NULL,
    abandoned_at BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    resolved_at BIGINT
  );
  CREATE INDEX abandoned_by_printer ON abandoned_attempts (printer, outcome);
  CREATE INDEX abandoned_by_job ON abandoned_attempts (print_job_id);
)sql",
                                                                            R"sql(
  CREATE TABLE purged_events (
    event_id TEXT PRIMARY KEY,
    event_hash TEXT NOT NULL,
    document_id TEXT NOT NULL,
    purged_at BIGINT NOT NULL
  );
)sql",
                                                                            R"sql(
  -- Discharges are known by their intake key (util/intake_key.h) from now on. No
  -- PostgreSQL store holds events from before intake keys, so no row needs re-keying.
  ALTER TABLE events RENAME COLUMN event_id TO intake_key;
  ALTER TABLE purged_events RENAME COLUMN event_id TO intake_key;
)sql",
                                                                            R"sql(
  CREATE TABLE printer_attempts (
    id BIGSERIAL PRIMARY KEY,
    print_job_id BIGINT NOT NULL REFERENCES print_jobs (id) ON DELETE CASCADE,
    printer TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    error TEXT NOT NULL,
    left_at BIGINT NOT NULL
  );
  CREATE INDEX printer_attempts_by_job ON printer_attempts (print_job_id);
  CREATE INDEX printer_attempts_by_printer ON printer_attempts (printer, left_at);
  CREATE INDEX print_jobs_finished_by_printer ON print_jobs (printer, completed_at);
  INSERT INTO printer_attempts (print_job_id, printer, attempts, error, left_at)
    SELECT a.print_job_id, a.printer, 0, '', a.abandoned_at FROM abandoned_attempts a
    JOIN print_jobs j ON j.id = a.print_job_id WHERE j.printer <> a.printer ORDER BY a.id;
)sql",
                                                                            R"sql(
  ALTER TABLE documents ADD COLUMN not_printed_reason TEXT;
  ALTER TABLE documents ADD COLUMN not_printed_text TEXT;
  CREATE TABLE cancellations (
    id BIGSERIAL PRIMARY KEY,
    intake_key TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    requested_by TEXT NOT NULL,
    jobs_cancelled INTEGER NOT NULL,
    cancelled_at BIGINT NOT NULL
  );
  CREATE INDEX cancellations_by_key ON cancellations (intake_key);
  CREATE INDEX cancellations_by_document ON cancellations (document_id);
)sql",
                                                                            R"sql(
  -- Which daemon drives each printer, until when by the database's clock.
  CREATE TABLE printer_leases (
    printer TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
  );
)sql",
                                                                            R"sql(
  -- Staff sessions and counts of failed sign-ins, shared by every daemon. A session is
  -- known by the SHA-256 of its token, never the token itself.
  CREATE TABLE staff_sessions (
    token_digest TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
  );
  CREATE INDEX staff_sessions_by_use ON staff_sessions (last_used_at);
  CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until BIGINT NOT NULL,
    last_failed_at BIGINT NOT NULL
  );
  CREATE TABLE sign_in_places (
    place TEXT PRIMARY KEY,
    signed_in_at BIGINT NOT NULL
  );
)sql"};

}  // namespace wardprint::pgstore
