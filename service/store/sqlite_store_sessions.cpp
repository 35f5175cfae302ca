// Staff sessions and counts of failed sign-ins (auth::SessionStore), on the connection for
// later progress: losing the last of them to a power cut costs a sign-in, nothing more.
#include "store/sqlite_statement.h"
#include "store/sqlite_store.h"

namespace wardprint::store {

auth::SessionStore::Attempt SqliteStore::countSignInAttempt(const std::vector<Counter>& counters, Millis lockedUntil,
                                                            Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(lightMutex_);
  Transaction transaction(lightDb_);
  Attempt attempt;
  for (const auto& counter : counters) {
    Statement locked(lightDb_, "SELECT 1 FROM sign_in_failures WHERE key = ? AND locked_until > ?");
    locked.bind(1, counter.key).bind(2, now);
    if (counter.refuses && locked.step()) {
      attempt.refused = true;
      return attempt;
    }
  }
  for (const auto& counter : counters) {
    Statement counted(lightDb_,
                      "INSERT INTO sign_in_failures (key, failures, locked_until, last_failed_at) VALUES (?1, 1, 0, ?2) "
                      "ON CONFLICT (key) DO UPDATE SET failures = sign_in_failures.failures + 1, last_failed_at = ?2 "
                      "RETURNING failures");
    counted.bind(1, counter.key).bind(2, now);
    counted.step();
    if (counted.integer(0) < counter.limit) continue;
    Statement(lightDb_, "UPDATE sign_in_failures SET failures = 0, locked_until = ?2 WHERE key = ?1")
        .bind(1, counter.key)
        .bind(2, lockedUntil)
        .run();
    attempt.lockedOut.push_back(counter.key);
  }
  transaction.commit();
  return attempt;
}

void SqliteStore::recordSignIn(const std::vector<std::string>& counterKeys, const std::string& place,
                               const std::string& tokenDigest, const Session& session, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(lightMutex_);
  Transaction transaction(lightDb_);
  for (const auto& key : counterKeys) {
    Statement(lightDb_, "DELETE FROM sign_in_failures WHERE key = ?").bind(1, key).run();
  }
  Statement(lightDb_, "INSERT INTO sign_in_places (place, signed_in_at) VALUES (?1, ?2) "
                      "ON CONFLICT (place) DO UPDATE SET signed_in_at = ?2")
      .bind(1, place)
      .bind(2, now)
      .run();
  Statement(lightDb_, "INSERT INTO staff_sessions (token_digest, user_name, csrf_token, created_at, last_used_at) "
                      "VALUES (?1, ?2, ?3, ?4, ?4)")
      .bind(1, tokenDigest)
      .bind(2, session.userName)
      .bind(3, session.csrfToken)
      .bind(4, now)
      .run();
  transaction.commit();
}

std::optional<Millis> SqliteStore::lastSignIn(const std::string& place) {
  std::lock_guard lock(lightMutex_);
  Statement found(lightDb_, "SELECT signed_in_at FROM sign_in_places WHERE place = ?");
  found.bind(1, place);
  if (!found.step()) return std::nullopt;
  return found.integer(0);
}

std::optional<auth::SessionStore::Session> SqliteStore::useSession(const std::string& tokenDigest, Millis idleSince,
                                                                   Millis now) {
  std::lock_guard lock(lightMutex_);
  Statement found(lightDb_, "SELECT user_name, csrf_token, last_used_at FROM staff_sessions WHERE token_digest = ?");
  found.bind(1, tokenDigest);
  if (!found.step()) return std::nullopt;
  Session session{found.text(0), found.text(1)};
  const auto lastUsed = found.integer(2);
  const bool writable = !damage();
  if (lastUsed < idleSince) {
    if (!writable) return std::nullopt;
    Statement(lightDb_, "DELETE FROM staff_sessions WHERE token_digest = ? AND last_used_at < ?")
        .bind(1, tokenDigest)
        .bind(2, idleSince)
        .run();
    return std::nullopt;
  }
  if (writable && now - lastUsed >= useRecordedEvery(idleSince, now)) {
    Statement(lightDb_, "UPDATE staff_sessions SET last_used_at = ?2 WHERE token_digest = ?1 AND last_used_at < ?2")
        .bind(1, tokenDigest)
        .bind(2, now)
        .run();
  }
  return session;
}

void SqliteStore::endSession(const std::string& tokenDigest) {
  refuseIfDamaged();
  std::lock_guard lock(lightMutex_);
  Statement(lightDb_, "DELETE FROM staff_sessions WHERE token_digest = ?").bind(1, tokenDigest).run();
}

void SqliteStore::forgetSignIns(Millis idleSince, Millis placesSince, Millis countsSince, Millis now) {
  refuseIfDamaged();
  std::lock_guard lock(lightMutex_);
  Transaction transaction(lightDb_);
  Statement(lightDb_, "DELETE FROM staff_sessions WHERE last_used_at < ?").bind(1, idleSince).run();
  Statement(lightDb_, "DELETE FROM sign_in_places WHERE signed_in_at < ?").bind(1, placesSince).run();
  Statement(lightDb_, "DELETE FROM sign_in_failures WHERE locked_until <= ? AND last_failed_at < ?")
      .bind(1, now)
      .bind(2, countsSince)
      .run();
  transaction.commit();
}

}  // namespace wardprint::store
