// The SQLite store's upkeep: integrity checks and retention.
#include <algorithm>

#include "store/sqlite_store.h"
#include "store/sqlite_statement.h"

namespace wardprint::store {
namespace {

// Documents past retention (?1 the cutoff) with nothing left to print or settle.
constexpr const char* kPurgeable =
    "FROM documents WHERE created_at < ?1 AND discharged_at < ?1 AND NOT EXISTS (SELECT 1 FROM print_jobs "
    "WHERE print_jobs.document_id = documents.id AND (state IN ('queued', 'submitting', 'printing') "
    "OR EXISTS (SELECT 1 FROM abandoned_attempts a WHERE a.print_job_id = print_jobs.id "
    "AND a.outcome = 'pending')))";

}  // namespace

std::optional<std::string> SqliteStore::runCheck(const char* pragma) {
  std::string problems;
  try {
    std::lock_guard lock(mutex_);
    Statement check(db_, pragma);
    while (check.step()) {
      const auto line = check.text(0);
      if (line == "ok") continue;
      problems += (problems.empty() ? "" : "; ") + line;
      if (problems.size() > 300) break;  // enough to say what is wrong
    }
  } catch (const StoreError& e) {
    problems = e.what();
  }
  if (!problems.empty()) recordDamage("the store is damaged (" + problems + "); restore it from a backup");
  return damage();
}

std::optional<std::string> SqliteStore::checkIntegrity() { return runCheck("PRAGMA integrity_check"); }

PurgeResult SqliteStore::purge(Millis cutoff, double maxFraction, bool force, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(mutex_);
  Transaction transaction(db_);
  PurgeResult result;
  Statement total(db_, "SELECT COUNT(*) FROM documents");
  total.step();
  result.total = static_cast<int>(total.integer(0));
  Statement eligible(db_, (std::string("SELECT COUNT(*) ") + kPurgeable).c_str());
  eligible.bind(1, cutoff);
  eligible.step();
  result.eligible = static_cast<int>(eligible.integer(0));
  const auto allowed = std::max<std::int64_t>(1, static_cast<std::int64_t>(maxFraction * result.total));
  if (result.eligible == 0) return result;
  if (!force && result.eligible > allowed) {
    result.refused = true;
    return result;
  }
  Statement(db_, (std::string("INSERT OR REPLACE INTO purged_events (intake_key, event_hash, document_id, purged_at) "
                              "SELECT intake_key, event_hash, document_id, ?2 FROM events WHERE document_id IN "
                              "(SELECT id ") + kPurgeable + ")")
                     .c_str())
      .bind(1, cutoff)
      .bind(2, now)
      .run();
  Statement(db_, (std::string("DELETE ") + kPurgeable).c_str()).bind(1, cutoff).run();
  result.removed = sqlite3_changes(db_);
  transaction.commit();
  return result;
}

}  // namespace wardprint::store
