#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wardprint::auth {

// Where staff sessions and counts of failed sign-ins are kept: the daemon's store, so
// that every daemon sharing one store (PostgreSQL) sees the same sessions and counts, and
// a session outlives the daemon that made it. The Authenticator decides the policy; a
// SessionStore only keeps and counts. Times are milliseconds since the Unix epoch, by the
// calling daemon's clock. Every method is one transaction and thread-safe; each throws
// its store's error when the store cannot be used.
class SessionStore {
 public:
  using Millis = std::int64_t;
  // How often a session's use is written down, at most: a minute, or a quarter of the idle
  // time when that is shorter. Its idle time is known to this much.
  static constexpr Millis kUseRecordedEvery = 60 * 1000;
  static Millis useRecordedEvery(Millis idleSince, Millis now) {
    return std::min(kUseRecordedEvery, (now - idleSince) / 4);
  }

  // A signed-in member of staff. Their role and wards are read from the configuration
  // each time, so a change there applies to sessions already open.
  struct Session {
    std::string userName;
    std::string csrfToken;
  };

  // A count of failed sign-ins under `key` (such as a name at an address) that locks the
  // key out at `limit` failures. A lockout of a key that `refuses` refuses the attempt;
  // one that does not is still counted.
  struct Counter {
    std::string key;
    int limit = 1;
    bool refuses = true;
  };

  struct Attempt {
    bool refused = false;                // a refusing counter was locked out: nothing was counted
    std::vector<std::string> lockedOut;  // the keys this attempt locked out
  };

  virtual ~SessionStore() = default;

  // Counts one sign-in attempt as a failure under every counter, before its password is
  // checked (so attempts at once cannot get past the limit): refused, and nothing counted,
  // when a refusing counter's key is locked out at `now`. A key whose count reaches its
  // limit is locked out until `lockedUntil` and counts from nothing again.
  virtual Attempt countSignInAttempt(const std::vector<Counter>& counters, Millis lockedUntil, Millis now) = 0;

  // A sign-in succeeded: forgets the failures counted under `counterKeys`, remembers that
  // the name signed in at `place` at `now`, and keeps the session under `tokenDigest`.
  virtual void recordSignIn(const std::vector<std::string>& counterKeys, const std::string& place,
                            const std::string& tokenDigest, const Session& session, Millis now) = 0;
  // When a name last signed in at `place`, if it ever did (and it was not forgotten).
  virtual std::optional<Millis> lastSignIn(const std::string& place) = 0;

  // The session kept under `tokenDigest` if it was used at or after `idleSince`, and marks
  // it used at `now` when it was last marked useRecordedEvery() or more before (to spare a
  // write per request); a session idle for longer is deleted. A damaged store still answers,
  // writing nothing.
  virtual std::optional<Session> useSession(const std::string& tokenDigest, Millis idleSince, Millis now) = 0;
  virtual void endSession(const std::string& tokenDigest) = 0;

  // Forgets sessions not used since `idleSince`, places not signed in at since
  // `placesSince`, and counts of failures neither locked out at `now` nor added to since
  // `countsSince`. Not one transaction: rows another daemon is using just then may be
  // left for the next time.
  virtual void forgetSignIns(Millis idleSince, Millis placesSince, Millis countsSince, Millis now) = 0;
};

}  // namespace wardprint::auth
