// Reading the rows of documents, print jobs and abandoned attempts.
#include "pgstore/pg_job_store.h"

namespace wardprint::pgstore {

const char* const kJobColumns =
    "id, document_id, printer, fallback_printer, copies, reason, requested_by, state, attempts, "
    "next_attempt_at, job_name, ipp_job_id, last_error, created_at, updated_at, completed_at";

const char* const kDocumentColumns =
    "id, event_id, ward, hospital_number, patient_name, procedure, discharged_at, layout_id, layout_version, "
    "created_at, wardprint_date_of_birth(event_json), not_printed_reason, not_printed_text, "
    "(SELECT MAX(cancelled_at) FROM cancellations c WHERE c.document_id = documents.id)";

const char* const kAbandonedColumns = "id, print_job_id, printer, job_name, abandoned_at, outcome, resolved_at";

store::PrintJob readJob(const Result& rows, int row) {
  store::PrintJob job;
  job.id = rows.integer(row, 0);
  job.documentId = rows.text(row, 1);
  job.printer = rows.text(row, 2);
  job.fallbackPrinter = rows.optionalText(row, 3);
  job.copies = static_cast<int>(rows.integer(row, 4));
  job.reason = rows.text(row, 5);
  job.requestedBy = rows.text(row, 6);
  job.state = store::jobStateFromString(rows.text(row, 7));
  job.attempts = static_cast<int>(rows.integer(row, 8));
  job.nextAttemptAt = rows.integer(row, 9);
  job.jobName = rows.text(row, 10);
  if (!rows.isNull(row, 11)) job.ippJobId = static_cast<int>(rows.integer(row, 11));
  job.lastError = rows.text(row, 12);
  job.createdAt = rows.integer(row, 13);
  job.updatedAt = rows.integer(row, 14);
  if (!rows.isNull(row, 15)) job.completedAt = rows.integer(row, 15);
  return job;
}

store::Document readDocument(const Result& rows, int row) {
  store::Document document;
  document.id = rows.text(row, 0);
  document.eventId = rows.text(row, 1);
  document.ward = rows.text(row, 2);
  document.hospitalNumber = rows.text(row, 3);
  document.patientName = rows.text(row, 4);
  document.procedure = rows.text(row, 5);
  document.dischargedAt = rows.integer(row, 6);
  document.layoutId = rows.text(row, 7);
  document.layoutVersion = static_cast<int>(rows.integer(row, 8));
  document.createdAt = rows.integer(row, 9);
  if (!rows.isNull(row, 10)) document.dateOfBirth = rows.text(row, 10);
  if (!rows.isNull(row, 11)) document.notPrinted = store::NotPrinted{rows.text(row, 11), rows.text(row, 12)};
  if (!rows.isNull(row, 13)) document.cancelledAt = rows.integer(row, 13);
  return document;
}

store::AbandonedAttempt readAbandoned(const Result& rows, int row) {
  store::AbandonedAttempt attempt;
  attempt.id = rows.integer(row, 0);
  attempt.printJobId = rows.integer(row, 1);
  attempt.printer = rows.text(row, 2);
  attempt.jobName = rows.text(row, 3);
  attempt.abandonedAt = rows.integer(row, 4);
  attempt.outcome = rows.text(row, 5);
  if (!rows.isNull(row, 6)) attempt.resolvedAt = rows.integer(row, 6);
  return attempt;
}

void loadJobs(Connection& connection, store::Document& document) {
  const auto jobs = connection.run(
      (std::string("SELECT ") + kJobColumns + " FROM print_jobs WHERE document_id = $1 ORDER BY id").c_str(),
      Params().text(document.id));
  for (int row = 0; row < jobs.rows(); ++row) document.jobs.push_back(readJob(jobs, row));
  for (auto& job : document.jobs) {
    const auto abandoned = connection.run(
        (std::string("SELECT ") + kAbandonedColumns + " FROM abandoned_attempts WHERE print_job_id = $1 ORDER BY id")
            .c_str(),
        Params().integer(job.id));
    for (int row = 0; row < abandoned.rows(); ++row) job.abandoned.push_back(readAbandoned(abandoned, row));
    const auto earlier = connection.run(
        "SELECT printer, attempts, error, left_at FROM printer_attempts WHERE print_job_id = $1 ORDER BY id",
        Params().integer(job.id));
    for (int row = 0; row < earlier.rows(); ++row) {
      job.earlierPrinters.push_back({earlier.text(row, 0), static_cast<int>(earlier.integer(row, 1)),
                                     earlier.text(row, 2), earlier.integer(row, 3)});
    }
  }
}

}  // namespace wardprint::pgstore
