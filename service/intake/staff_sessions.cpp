#include "intake/staff_sessions.h"

#include "intake/guarded_store.h"

namespace wardprint::intake {

auth::SessionStore::Attempt StaffSessions::countSignInAttempt(const std::vector<Counter>& counters,
                                                              Millis lockedUntil, Millis now) {
  return guarded(store_, log_, [&] { return store_.countSignInAttempt(counters, lockedUntil, now); });
}

void StaffSessions::recordSignIn(const std::vector<std::string>& counterKeys, const std::string& place,
                                 const std::string& tokenDigest, const Session& session, Millis now) {
  guarded(store_, log_, [&] { store_.recordSignIn(counterKeys, place, tokenDigest, session, now); });
}

std::optional<auth::SessionStore::Millis> StaffSessions::lastSignIn(const std::string& place) {
  return guarded(store_, log_, [&] { return store_.lastSignIn(place); });
}

std::optional<auth::SessionStore::Session> StaffSessions::useSession(const std::string& tokenDigest,
                                                                     Millis idleSince, Millis now) {
  return guarded(store_, log_, [&] { return store_.useSession(tokenDigest, idleSince, now); });
}

void StaffSessions::endSession(const std::string& tokenDigest) {
  guarded(store_, log_, [&] { store_.endSession(tokenDigest); });
}

void StaffSessions::forgetSignIns(Millis idleSince, Millis placesSince, Millis countsSince, Millis now) {
  guarded(store_, log_, [&] { store_.forgetSignIns(idleSince, placesSince, countsSince, now); });
}

}  // namespace wardprint::intake
