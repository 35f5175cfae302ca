// Cancelling a discharge at its sender's request (HL7 ADT^A13).
#include "store/sqlite_store.h"
#include "store/sqlite_statement.h"

namespace wardprint::store {

std::optional<CancelResult> SqliteStore::cancelDischarge(const std::string& eventId, bool exact,
                                                      const std::string& requestedBy, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(mutex_);
  Transaction transaction(db_);
  // Live discharges only: one cancelled before no longer holds its intake key.
  Statement match(db_,
                  "SELECT d.id, e.intake_key FROM documents d JOIN events e ON e.document_id = d.id "
                  "WHERE (?2 AND d.event_id = ?1) OR (NOT ?2 AND substr(d.event_id, 1, length(?1)) = ?1) "
                  "ORDER BY d.discharged_at DESC, d.created_at DESC LIMIT 1");
  match.bind(1, eventId).bind(2, exact ? 1 : 0);
  if (!match.step()) return std::nullopt;
  CancelResult result;
  result.documentId = match.text(0);
  const auto intakeKey = match.text(1);

  Statement(db_, "UPDATE print_jobs SET state = 'cancelled', updated_at = ?1, completed_at = ?1 "
                 "WHERE document_id = ?2 AND state = 'queued'")
      .bind(1, now)
      .bind(2, result.documentId)
      .run();
  result.jobsCancelled = sqlite3_changes(db_);
  Statement sent(db_, "SELECT COUNT(*) FROM print_jobs WHERE document_id = ? AND state IN "
                      "('submitting', 'printing', 'printed')");
  sent.bind(1, result.documentId);
  sent.step();
  result.jobsSent = static_cast<int>(sent.integer(0));

  Statement(db_, "INSERT INTO cancellations (intake_key, document_id, requested_by, jobs_cancelled, cancelled_at) "
                 "VALUES (?, ?, ?, ?, ?)")
      .bind(1, intakeKey)
      .bind(2, result.documentId)
      .bind(3, requestedBy)
      .bind(4, result.jobsCancelled)
      .bind(5, now)
      .run();
  Statement(db_, "DELETE FROM events WHERE intake_key = ?").bind(1, intakeKey).run();
  transaction.commit();
  return result;
}

int SqliteStore::cancellations(const std::string& intakeKey) const {
  std::lock_guard lock(lightMutex_);
  Statement query(lightDb_, "SELECT COUNT(*) FROM cancellations WHERE intake_key = ?");
  query.bind(1, intakeKey);
  query.step();
  return static_cast<int>(query.integer(0));
}

}  // namespace wardprint::store
