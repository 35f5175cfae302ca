#pragma once

#include "auth/session_store.h"
#include "store/job_store.h"
#include "util/log.h"

namespace wardprint::intake {

// The store's staff sessions and sign-in counts, as the front doors' Authenticator uses
// them: a store that cannot be used throws StorageUnavailable (answered 503), as every
// other call of the intake does, and is logged the same way. Thread-safe.
class StaffSessions : public auth::SessionStore {
 public:
  StaffSessions(store::JobStore& store, util::Log log) : store_(store), log_(std::move(log)) {}

  Attempt countSignInAttempt(const std::vector<Counter>& counters, Millis lockedUntil, Millis now) override;
  void recordSignIn(const std::vector<std::string>& counterKeys, const std::string& place,
                    const std::string& tokenDigest, const Session& session, Millis now) override;
  std::optional<Millis> lastSignIn(const std::string& place) override;
  std::optional<Session> useSession(const std::string& tokenDigest, Millis idleSince, Millis now) override;
  void endSession(const std::string& tokenDigest) override;
  void forgetSignIns(Millis idleSince, Millis placesSince, Millis countsSince, Millis now) override;

 private:
  store::JobStore& store_;
  util::Log log_;
};

}  // namespace wardprint::intake
