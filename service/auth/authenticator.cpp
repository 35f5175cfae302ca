#include "auth/authenticator.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "auth/password_hash.h"

namespace wardprint::auth {
namespace {

constexpr int kSessionTokenBytes = 32;
constexpr int kCsrfTokenBytes = 24;
constexpr SessionStore::Millis kMinute = 60 * 1000;
// How long an address where a name signed in stays exempt from that name's global back-off.
constexpr SessionStore::Millis kKnownAddressFor = 24 * 60 * kMinute;
// How long a count of failures that did not lock anything out is kept after its last failure.
constexpr SessionStore::Millis kCountsKeptFor = 24 * 60 * kMinute;
// The name-wide limit is this many times the per-pair one: slower, for guessing spread
// over many addresses.
constexpr int kNameLimitFactor = 4;

// A hash that no password matches, so unknown names cost the same time as known ones.
const std::string& decoyHash() {
  static const std::string hash = hashPassword(randomHex(16));
  return hash;
}

// The key of the failure counters' digests: secret to whoever has the store but not the
// configuration, and the same on every daemon given the same users.
std::string counterSecret(const AuthConfig& config) {
  std::vector<std::string> hashes;
  for (const auto& user : config.users) hashes.push_back(user.passwordHash);
  std::sort(hashes.begin(), hashes.end());
  std::string joined;
  for (const auto& hash : hashes) joined += hash + '\n';
  return sha256Hex(joined);
}

}  // namespace

Authenticator::Authenticator(AuthConfig config, SessionStore& sessions, util::Log log)
    : config_(std::move(config)), counterSecret_(counterSecret(config_)), sessions_(sessions), log_(std::move(log)) {}

bool Authenticator::isUser(const std::string& name) const { return user(name) != nullptr; }

SessionStore::Millis Authenticator::nowMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now_().time_since_epoch()).count();
}

const UserConfig* Authenticator::user(const std::string& name) const {
  for (const auto& candidate : config_.users) {
    if (candidate.name == name) return &candidate;
  }
  return nullptr;
}

Principal Authenticator::sessionPrincipal(const UserConfig& user, std::string csrfToken) {
  return {user.name, user.role, user.role == Role::kAdmin, {user.wards.begin(), user.wards.end()},
          true,      std::move(csrfToken)};
}

Authenticator::SignIn Authenticator::signIn(const std::string& name, const std::string& password,
                                            const std::string& remote) {
  const auto now = nowMillis();
  const std::string place = name + '\n' + remote;
  // Counted under keyed digests: a password typed into the name box must not be kept as
  // text, nor as a plain hash that a dictionary could undo.
  const std::string pairKey = hmacSha256Hex(counterSecret_, "pair:" + place);
  const std::string addressKey = hmacSha256Hex(counterSecret_, "addr:" + remote);
  const std::string userKey = hmacSha256Hex(counterSecret_, "user:" + name);
  const auto lastHere = sessions_.lastSignIn(place);
  const bool knownAddress = lastHere && now - *lastHere <= kKnownAddressFor;
  const int limit = config_.maxLoginFailures;
  // Counted as a failure before the slow check, so that attempts sent in parallel (to any
  // daemon) cannot get past the limit; a success below clears it.
  const auto attempt = sessions_.countSignInAttempt(
      {{pairKey, limit, true}, {addressKey, limit, true}, {userKey, limit * kNameLimitFactor, !knownAddress}},
      now + config_.lockoutSeconds * 1000LL, now);
  if (attempt.refused) return {SignIn::kThrottled, "", std::nullopt};

  const UserConfig* found = user(name);
  // Hashing takes a deliberate ~100 ms.
  const bool matches = verifyPassword(password, found ? found->passwordHash : decoyHash()) && found;
  if (!matches) {
    const std::string who = found ? "user " + name : "an unknown user name";
    log_.info("sign-in: refused for " + who + " from " + remote);
    for (const auto& key : attempt.lockedOut) {
      const std::string what = key == pairKey      ? "this name at " + remote
                               : key == addressKey ? "address " + remote
                                                   : "this name at new addresses";
      log_.warning("sign-in: locked out " + what + " for " + std::to_string(config_.lockoutSeconds) +
                   " seconds after repeated failures (" + who + ")");
    }
    return {SignIn::kRefused, "", std::nullopt};
  }
  auto principal = sessionPrincipal(*found, randomHex(kCsrfTokenBytes));
  const auto token = randomHex(kSessionTokenBytes);
  sessions_.recordSignIn({pairKey, addressKey, userKey}, place, sha256Hex(token), {found->name, principal.csrfToken},
                         now);
  try {
    sessions_.forgetSignIns(now - config_.sessionIdleMinutes * kMinute, now - kKnownAddressFor, now - kCountsKeptFor,
                            now);
  } catch (const std::exception& error) {
    // The sign-in itself is stored: it stands. What was not forgotten now is at the next one.
    log_.warning(std::string("sign-in: expired sessions and counts not cleared this time: ") + error.what());
  }
  return {SignIn::kSignedIn, token, std::move(principal)};
}

std::optional<Principal> Authenticator::session(const std::string& token) {
  const auto now = nowMillis();
  const auto digest = sha256Hex(token);
  const auto kept = sessions_.useSession(digest, now - config_.sessionIdleMinutes * kMinute, now);
  if (!kept) return std::nullopt;
  // A user this daemon's configuration does not have is refused, but her session is left
  // for the daemons that do have her (a configuration being rolled out node by node).
  const UserConfig* found = user(kept->userName);
  if (!found) return std::nullopt;
  return sessionPrincipal(*found, kept->csrfToken);
}

void Authenticator::signOut(const std::string& token) { sessions_.endSession(sha256Hex(token)); }

namespace {

Principal tokenPrincipal(const ApiTokenConfig& token) {
  Principal principal{token.name, token.role, !token.wards, {}, false, ""};
  if (token.wards) principal.wards = {token.wards->begin(), token.wards->end()};
  return principal;
}

}  // namespace

std::optional<Principal> Authenticator::apiToken(const std::string& token) const {
  const auto digest = sha256Hex(token);
  for (const auto& candidate : config_.apiTokens) {
    if (candidate.sha256.size() == digest.size() &&
        CRYPTO_memcmp(candidate.sha256.data(), digest.data(), digest.size()) == 0) {
      return tokenPrincipal(candidate);
    }
  }
  return std::nullopt;
}

std::optional<Principal> Authenticator::clientCertificate(const std::string& commonName) const {
  for (const auto& candidate : config_.apiTokens) {
    if (candidate.name == commonName) return tokenPrincipal(candidate);
  }
  return std::nullopt;
}

}  // namespace wardprint::auth
