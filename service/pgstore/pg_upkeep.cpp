// Cancelling discharges and retention in PostgreSQL.
#include <algorithm>

#include "pgstore/pg_job_store.h"

namespace wardprint::pgstore {
namespace {

// Documents past retention ($1 the cutoff) with nothing left to print or settle.
constexpr const char* kPurgeable =
    "FROM documents WHERE created_at < $1 AND discharged_at < $1 AND NOT EXISTS (SELECT 1 FROM print_jobs "
    "WHERE print_jobs.document_id = documents.id AND (state IN ('queued', 'submitting', 'printing') "
    "OR EXISTS (SELECT 1 FROM abandoned_attempts a WHERE a.print_job_id = print_jobs.id "
    "AND a.outcome = 'pending')))";

// The advisory lock that keeps retention to one daemon at a time.
constexpr const char* kPurgeLock = "SELECT pg_try_advisory_xact_lock(7152002)";

}  // namespace

std::optional<store::CancelResult> PgJobStore::cancelDischarge(const std::string& eventId, bool exact,
                                                               const std::string& requestedBy, Millis now) {
  refuseIfDamaged();
  auto connection = pool_.take();
  Transaction transaction(*connection);
  // Live discharges only: one cancelled before no longer holds its intake key. The row
  // lock makes a second cancellation of the same discharge wait, then find it gone.
  const auto match = connection->run(
      "SELECT d.id, e.intake_key FROM documents d JOIN events e ON e.document_id = d.id "
      "WHERE ($2 AND d.event_id = $1) OR (NOT $2 AND substr(d.event_id, 1, length($1)) = $1) "
      "ORDER BY d.discharged_at DESC, d.created_at DESC LIMIT 1 FOR UPDATE OF e",
      Params().text(eventId).flag(exact));
  if (match.rows() == 0) return std::nullopt;
  store::CancelResult result;
  result.documentId = match.text(0, 0);
  const auto intakeKey = match.text(0, 1);

  result.jobsCancelled = connection
                             ->run("UPDATE print_jobs SET state = 'cancelled', updated_at = $1, completed_at = $1 "
                                   "WHERE document_id = $2 AND state = 'queued'",
                                   Params().integer(now).text(result.documentId))
                             .affected();
  result.jobsSent = static_cast<int>(
      connection
          ->run("SELECT COUNT(*) FROM print_jobs WHERE document_id = $1 AND state IN "
                "('submitting', 'printing', 'printed')",
                Params().text(result.documentId))
          .integer(0, 0));
  connection->run(
      "INSERT INTO cancellations (intake_key, document_id, requested_by, jobs_cancelled, cancelled_at) "
      "VALUES ($1, $2, $3, $4, $5)",
      Params().text(intakeKey).text(result.documentId).text(requestedBy).integer(result.jobsCancelled).integer(now));
  connection->run("DELETE FROM events WHERE intake_key = $1", Params().text(intakeKey));
  transaction.commit();
  return result;
}

int PgJobStore::cancellations(const std::string& intakeKey) const {
  return static_cast<int>(
      run("SELECT COUNT(*) FROM cancellations WHERE intake_key = $1", Params().text(intakeKey)).integer(0, 0));
}

store::PurgeResult PgJobStore::purge(Millis cutoff, double maxFraction, bool force, Millis now) {
  refuseIfDamaged();
  auto connection = pool_.take();
  Transaction transaction(*connection);
  store::PurgeResult result;
  if (connection->run(kPurgeLock).text(0, 0) != "t") {
    result.busy = true;
    return result;
  }
  result.total = static_cast<int>(connection->run("SELECT COUNT(*) FROM documents").integer(0, 0));
  result.eligible = static_cast<int>(
      connection->run((std::string("SELECT COUNT(*) ") + kPurgeable).c_str(), Params().integer(cutoff)).integer(0, 0));
  const auto allowed = std::max<std::int64_t>(1, static_cast<std::int64_t>(maxFraction * result.total));
  if (result.eligible == 0) return result;
  if (!force && result.eligible > allowed) {
    result.refused = true;
    return result;
  }
  connection->run((std::string("INSERT INTO purged_events (intake_key, event_hash, document_id, purged_at) "
                               "SELECT intake_key, event_hash, document_id, $2::bigint FROM events WHERE document_id IN "
                               "(SELECT id ") +
                   kPurgeable +
                   ") ON CONFLICT (intake_key) DO UPDATE SET event_hash = EXCLUDED.event_hash, "
                   "document_id = EXCLUDED.document_id, purged_at = EXCLUDED.purged_at")
                      .c_str(),
                  Params().integer(cutoff).integer(now));
  result.removed =
      connection->run((std::string("DELETE ") + kPurgeable).c_str(), Params().integer(cutoff)).affected();
  transaction.commit();
  return result;
}

}  // namespace wardprint::pgstore
