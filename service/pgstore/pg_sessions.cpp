// Staff sessions and counts of failed sign-ins (auth::SessionStore), shared by every daemon.
#include <algorithm>

#include "pgstore/pg_job_store.h"

namespace wardprint::pgstore {

auth::SessionStore::Attempt PgJobStore::countSignInAttempt(const std::vector<Counter>& counters, Millis lockedUntil,
                                                           Millis now) {
  refuseIfDamaged();
  auto connection = pool_.take();
  Transaction transaction(*connection);
  // Each key's row is locked before it is read, in one order (so that attempts at once,
  // on any daemon, never deadlock): attempts under the same key take turns.
  auto ordered = counters;
  std::sort(ordered.begin(), ordered.end(), [](const Counter& a, const Counter& b) { return a.key < b.key; });
  std::vector<int> failures;
  for (const auto& counter : ordered) {
    // Makes the row if it is missing and locks it either way, in one statement (a row made
    // and then deleted by another daemon's sign-in in between cannot be missed).
    const auto row = connection->run(
        "INSERT INTO sign_in_failures (key, failures, locked_until, last_failed_at) VALUES ($1, 0, 0, $2) "
        "ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING failures, locked_until",
        Params().text(counter.key).integer(now));
    if (row.rows() != 1) throw store::StoreError("a sign-in failure count could not be read");
    // Nothing counted: leaving rolls the transaction back.
    if (counter.refuses && row.integer(0, 1) > now) return {true, {}};
    failures.push_back(static_cast<int>(row.integer(0, 0)) + 1);
  }
  Attempt attempt;
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    const bool locksOut = failures[i] >= ordered[i].limit;
    connection->run(
        "UPDATE sign_in_failures SET failures = $2, last_failed_at = $3, "
        "locked_until = CASE WHEN $4 THEN $5 ELSE locked_until END WHERE key = $1",
        Params().text(ordered[i].key).integer(locksOut ? 0 : failures[i]).integer(now).flag(locksOut).integer(lockedUntil));
    if (locksOut) attempt.lockedOut.push_back(ordered[i].key);
  }
  transaction.commit();
  return attempt;
}

void PgJobStore::recordSignIn(const std::vector<std::string>& counterKeys, const std::string& place,
                              const std::string& tokenDigest, const Session& session, Millis now) {
  refuseIfDamaged();
  auto connection = pool_.take();
  Transaction transaction(*connection);
  // In the order countSignInAttempt locks them, so that the two never deadlock.
  auto ordered = counterKeys;
  std::sort(ordered.begin(), ordered.end());
  for (const auto& key : ordered) {
    connection->run("DELETE FROM sign_in_failures WHERE key = $1", Params().text(key));
  }
  connection->run(
      "INSERT INTO sign_in_places (place, signed_in_at) VALUES ($1, $2) "
      "ON CONFLICT (place) DO UPDATE SET signed_in_at = EXCLUDED.signed_in_at",
      Params().text(place).integer(now));
  connection->run(
      "INSERT INTO staff_sessions (token_digest, user_name, csrf_token, created_at, last_used_at) "
      "VALUES ($1, $2, $3, $4, $4)",
      Params().text(tokenDigest).text(session.userName).text(session.csrfToken).integer(now));
  transaction.commit();
}

std::optional<store::Millis> PgJobStore::lastSignIn(const std::string& place) {
  const auto found = run("SELECT signed_in_at FROM sign_in_places WHERE place = $1", Params().text(place));
  if (found.rows() == 0) return std::nullopt;
  return found.integer(0, 0);
}

std::optional<auth::SessionStore::Session> PgJobStore::useSession(const std::string& tokenDigest, Millis idleSince,
                                                                  Millis now) {
  auto connection = pool_.take();
  const auto found = connection->run(
      "SELECT user_name, csrf_token, last_used_at FROM staff_sessions WHERE token_digest = $1",
      Params().text(tokenDigest));
  if (found.rows() == 0) return std::nullopt;
  const auto lastUsed = found.integer(0, 2);
  const bool writable = !damage();
  if (lastUsed < idleSince) {
    if (!writable) return std::nullopt;
    connection->run("DELETE FROM staff_sessions WHERE token_digest = $1 AND last_used_at < $2",
                    Params().text(tokenDigest).integer(idleSince));
    return std::nullopt;
  }
  if (writable && now - lastUsed >= useRecordedEvery(idleSince, now)) {
    connection->run("UPDATE staff_sessions SET last_used_at = $2 WHERE token_digest = $1 AND last_used_at < $2",
                    Params().text(tokenDigest).integer(now));
  }
  return Session{found.text(0, 0), found.text(0, 1)};
}

void PgJobStore::endSession(const std::string& tokenDigest) {
  refuseIfDamaged();
  run("DELETE FROM staff_sessions WHERE token_digest = $1", Params().text(tokenDigest));
}

void PgJobStore::forgetSignIns(Millis idleSince, Millis placesSince, Millis countsSince, Millis now) {
  refuseIfDamaged();
  // Statement by statement, passing over rows another daemon holds just now (its sign-in
  // in progress): they are forgotten next time, and no lock is waited for.
  auto connection = pool_.take();
  connection->run(
      "DELETE FROM staff_sessions WHERE token_digest IN (SELECT token_digest FROM staff_sessions "
      "WHERE last_used_at < $1 FOR UPDATE SKIP LOCKED)",
      Params().integer(idleSince));
  connection->run(
      "DELETE FROM sign_in_places WHERE place IN (SELECT place FROM sign_in_places WHERE signed_in_at < $1 "
      "FOR UPDATE SKIP LOCKED)",
      Params().integer(placesSince));
  connection->run(
      "DELETE FROM sign_in_failures WHERE key IN (SELECT key FROM sign_in_failures WHERE locked_until <= $1 "
      "AND last_failed_at < $2 FOR UPDATE SKIP LOCKED)",
      Params().integer(now).integer(countsSince));
}

}  // namespace wardprint::pgstore
