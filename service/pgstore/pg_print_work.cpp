// Print jobs in PostgreSQL: printer leases, the queue's progress, abandoned attempts.
#include "pgstore/pg_job_store.h"

namespace wardprint::pgstore {

bool PgJobStore::holdPrinter(const std::string& printer, const std::string& holder, Millis leaseMillis) {
  // Taken when free or expired, renewed when ours; expiry by the database's clock, so the
  // daemons' own clocks never decide who drives a printer.
  const auto held = run(
      "INSERT INTO printer_leases (printer, holder, expires_at) "
      "VALUES ($1, $2, now() + $3::double precision * interval '1 millisecond') ON CONFLICT (printer) DO UPDATE "
      "SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at "
      "WHERE printer_leases.holder = EXCLUDED.holder OR printer_leases.expires_at < now() RETURNING holder",
      Params().text(printer).text(holder).integer(leaseMillis));
  return held.rows() == 1;
}

void PgJobStore::releasePrinter(const std::string& printer, const std::string& holder) {
  run("DELETE FROM printer_leases WHERE printer = $1 AND holder = $2", Params().text(printer).text(holder));
}

std::optional<store::PrintJob> PgJobStore::printJob(std::int64_t id) const {
  const auto found =
      run((std::string("SELECT ") + kJobColumns + " FROM print_jobs WHERE id = $1").c_str(), Params().integer(id));
  if (found.rows() == 0) return std::nullopt;
  return readJob(found, 0);
}

std::optional<store::PrintJob> PgJobStore::nextJob(const std::string& printer, Millis now, Millis horizon) const {
  const auto found = run((std::string("SELECT ") + kJobColumns +
                          " FROM print_jobs WHERE printer = $1 AND state IN ('queued', 'submitting', 'printing')"
                          " AND (next_attempt_at <= $2 OR next_attempt_at > $2 + $3) ORDER BY state = 'queued', id"
                          " LIMIT 1")
                             .c_str(),
                         Params().text(printer).integer(now).integer(horizon));
  if (found.rows() == 0) return std::nullopt;
  return readJob(found, 0);
}

std::optional<store::Millis> PgJobStore::nextDue(const std::string& printer) const {
  const auto found = run(
      "SELECT MIN(next_attempt_at) FROM print_jobs WHERE printer = $1 AND state IN ('queued', 'submitting', 'printing')",
      Params().text(printer));
  if (found.isNull(0, 0)) return std::nullopt;
  return found.integer(0, 0);
}

bool PgJobStore::markSubmitting(std::int64_t job, Millis now) {
  refuseIfDamaged();
  return run("UPDATE print_jobs SET state = 'submitting', updated_at = $1 WHERE id = $2 AND state <> 'cancelled'",
             Params().integer(now).integer(job))
             .affected() > 0;
}

void PgJobStore::markPrinting(std::int64_t job, int ippJobId, Millis now) {
  refuseIfDamaged();
  run("UPDATE print_jobs SET state = 'printing', ipp_job_id = $1, last_error = '', updated_at = $2 WHERE id = $3",
      Params().integer(ippJobId).integer(now).integer(job));
}

void PgJobStore::markPrinted(std::int64_t job, Millis now) {
  refuseIfDamaged();
  run("UPDATE print_jobs SET state = 'printed', updated_at = $1, completed_at = $1 WHERE id = $2",
      Params().integer(now).integer(job));
}

void PgJobStore::markFailed(std::int64_t job, int attempts, const std::string& error, Millis now) {
  refuseIfDamaged();
  run("UPDATE print_jobs SET state = 'failed', attempts = $1, last_error = $2, updated_at = $3, completed_at = $3 "
      "WHERE id = $4",
      Params().integer(attempts).text(error).integer(now).integer(job));
}

void PgJobStore::scheduleRetry(std::int64_t job, int attempts, Millis at, const std::string& error, Millis now) {
  refuseIfDamaged();
  run("UPDATE print_jobs SET state = 'queued', attempts = $1, next_attempt_at = $2, last_error = $3, "
      "ipp_job_id = NULL, updated_at = $4 WHERE id = $5",
      Params().integer(attempts).integer(at).text(error).integer(now).integer(job));
}

void PgJobStore::postpone(std::int64_t job, int attempts, Millis at, const std::string& error, Millis now) {
  refuseIfDamaged();
  run("UPDATE print_jobs SET attempts = $1, next_attempt_at = $2, last_error = $3, updated_at = $4 WHERE id = $5",
      Params().integer(attempts).integer(at).text(error).integer(now).integer(job));
}

void PgJobStore::moveToFallback(std::int64_t job, int attempts, const std::string& error, Millis now) {
  refuseIfDamaged();
  auto connection = pool_.take();
  Transaction transaction(*connection);
  connection->run(
      "INSERT INTO printer_attempts (print_job_id, printer, attempts, error, left_at) "
      "SELECT id, printer, $1::integer, $2::text, $3::bigint FROM print_jobs WHERE id = $4 AND fallback_printer IS NOT NULL",
      Params().integer(attempts).text(error).integer(now).integer(job));
  const auto moved = connection->run(
      "UPDATE print_jobs SET printer = fallback_printer, fallback_printer = NULL, state = 'queued', "
      "attempts = 0, next_attempt_at = $1, ipp_job_id = NULL, last_error = $2, updated_at = $1 "
      "WHERE id = $3 AND fallback_printer IS NOT NULL RETURNING printer",
      Params().integer(now).text(error).integer(job));
  if (moved.rows() == 1) notifyNewJob(*connection, moved.text(0, 0));
  transaction.commit();
}

void PgJobStore::abandonAttempt(const store::PrintJob& job, const std::string& printer, const std::string& outcome,
                                Millis now) {
  refuseIfDamaged();
  run("INSERT INTO abandoned_attempts (print_job_id, printer, job_name, abandoned_at, outcome, resolved_at) "
      "VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'pending' THEN NULL ELSE $4::bigint END)",
      Params().integer(job.id).text(printer).text(job.jobName).integer(now).text(outcome));
}

std::vector<store::AbandonedAttempt> PgJobStore::pendingAbandoned(const std::string& printer) const {
  const auto found = run((std::string("SELECT ") + kAbandonedColumns +
                          " FROM abandoned_attempts WHERE printer = $1 AND outcome = 'pending' ORDER BY id")
                             .c_str(),
                         Params().text(printer));
  std::vector<store::AbandonedAttempt> out;
  for (int row = 0; row < found.rows(); ++row) out.push_back(readAbandoned(found, row));
  return out;
}

void PgJobStore::resolveAbandoned(std::int64_t id, const std::string& outcome, Millis now) {
  refuseIfDamaged();
  run("UPDATE abandoned_attempts SET outcome = $1, resolved_at = $2 WHERE id = $3 AND outcome = 'pending'",
      Params().text(outcome).integer(now).integer(id));
}

int PgJobStore::failuresInARow(const std::string& printer, int window) const {
  const auto found = run(
      "SELECT failed FROM ("
      " SELECT completed_at AS at, id AS job, CASE WHEN state = 'failed' THEN 1 ELSE 0 END AS failed FROM print_jobs"
      "  WHERE printer = $1 AND state IN ('printed', 'failed')"
      " UNION ALL SELECT left_at, print_job_id, 1 FROM printer_attempts WHERE printer = $1"
      ") AS ended ORDER BY at DESC, job DESC LIMIT $2",
      Params().text(printer).integer(window));
  int failures = 0;
  for (int row = 0; row < found.rows() && found.integer(row, 0) != 0; ++row) ++failures;
  return failures;
}

}  // namespace wardprint::pgstore
