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
    connection->run(
        "INSERT INTO sign_in_failures (key, failures, locked_until, last_failed_at) VALUES ($1, 0, 0, $2) "
        "ON CONFLICT (key) DO NOTHING",
        Params().text(counter.key).integer(now));
    const auto row = connection->run("SELECT failures, locked_until FROM sign_in_failures WHERE key = $1 FOR UPDATE",
                                     Params().text(counter.key));
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
  for (const auto& key : counterKeys) {
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
  refuseIfDamaged();
  auto connection = pool_.take();
  const auto found = connection->run(
      "SELECT user_name, csrf_token, last_used_at FROM staff_sessions WHERE token_digest = $1",
      Params().text(tokenDigest));
  if (found.rows() == 0) return std::nullopt;
  const auto lastUsed = found.integer(0, 2);
  if (lastUsed < idleSince) {
    connection->run("DELETE FROM staff_sessions WHERE token_digest = $1 AND last_used_at < $2",
                    Params().text(tokenDigest).integer(idleSince));
    return std::nullopt;
  }
  if (now - lastUsed >= kUseRecordedEvery) {
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
  auto connection = pool_.take();
  Transaction transaction(*connection);
  connection->run("DELETE FROM staff_sessions WHERE last_used_at < $1", Params().integer(idleSince));
  connection->run("DELETE FROM sign_in_places WHERE signed_in_at < $1", Params().integer(placesSince));
  connection->run("DELETE FROM sign_in_failures WHERE locked_until <= $1 AND last_failed_at < $2",
                  Params().integer(now).integer(countsSince));
  transaction.commit();
}

}  // namespace wardprint::pgstore
