#include "auth/authenticator.h"

#include <openssl/crypto.h>

#include "auth/password_hash.h"

namespace wardprint::auth {
namespace {

constexpr int kSessionTokenBytes = 32;
constexpr int kCsrfTokenBytes = 24;
constexpr std::size_t kPruneThreshold = 10000;
// How long an address where a name signed in stays exempt from that name's global back-off.
constexpr auto kKnownAddressFor = std::chrono::hours(24);
// The name-wide limit is this many times the per-pair one: slower, for guessing spread
// over many addresses.
constexpr int kNameLimitFactor = 4;

// A hash that no password matches, so unknown names cost the same time as known ones.
const std::string& decoyHash() {
  static const std::string hash = hashPassword(randomHex(16));
  return hash;
}

}  // namespace

Authenticator::Authenticator(AuthConfig config, util::Log log) : config_(std::move(config)), log_(std::move(log)) {}

bool Authenticator::throttled(const std::string& key, Clock::time_point now) const {
  const auto found = failures_.find(key);
  return found != failures_.end() && found->second.lockedUntil > now;
}

void Authenticator::pruneExpired(Clock::time_point now) {
  if (sessions_.size() + failures_.size() < kPruneThreshold) return;
  const auto idle = std::chrono::minutes(config_.sessionIdleMinutes);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = now - it->second.lastSeen > idle ? sessions_.erase(it) : std::next(it);
  }
  for (auto it = failures_.begin(); it != failures_.end();) {
    it = it->second.lockedUntil <= now ? failures_.erase(it) : std::next(it);
  }
  for (auto it = signedInFrom_.begin(); it != signedInFrom_.end();) {
    it = now - it->second > kKnownAddressFor ? signedInFrom_.erase(it) : std::next(it);
  }
}

bool Authenticator::recordFailure(const std::string& key, int limit, Clock::time_point now) {
  pruneExpired(now);
  auto& failures = failures_[key];
  if (++failures.count < limit) return false;
  failures.lockedUntil = now + std::chrono::seconds(config_.lockoutSeconds);
  failures.count = 0;
  return true;
}

Authenticator::SignIn Authenticator::signIn(const std::string& name, const std::string& password,
                                            const std::string& remote) {
  const auto now = now_();
  const std::string pair = name + '\n' + remote;
  const std::string pairKey = "pair:" + pair;
  const std::string userKey = "user:" + name;
  const std::string addressKey = "addr:" + remote;
  std::vector<std::string> lockouts;  // what this failure locks out, if it is one
  {
    std::lock_guard lock(mutex_);
    const auto known = signedInFrom_.find(pair);
    const bool knownAddress = known != signedInFrom_.end() && now - known->second <= kKnownAddressFor;
    if (throttled(pairKey, now) || throttled(addressKey, now) || (!knownAddress && throttled(userKey, now))) {
      return {SignIn::kThrottled, "", std::nullopt};
    }
    // Counted as a failure before the slow check, so that attempts sent in parallel cannot
    // get past the limit; a success below clears it.
    if (recordFailure(pairKey, config_.maxLoginFailures, now)) lockouts.push_back("this name at " + remote);
    if (recordFailure(addressKey, config_.maxLoginFailures, now)) lockouts.push_back("address " + remote);
    if (recordFailure(userKey, config_.maxLoginFailures * kNameLimitFactor, now)) {
      lockouts.push_back("this name at new addresses");
    }
  }
  const UserConfig* user = nullptr;
  for (const auto& candidate : config_.users) {
    if (candidate.name == name) user = &candidate;
  }
  // Hashing takes a deliberate ~100 ms, so it runs outside the lock.
  const bool matches = verifyPassword(password, user ? user->passwordHash : decoyHash()) && user;

  if (!matches) {
    const std::string who = user ? "user " + name : "an unknown user name";
    log_.info("sign-in: refused for " + who + " from " + remote);
    for (const auto& lockout : lockouts) {
      log_.warning("sign-in: locked out " + lockout + " for " + std::to_string(config_.lockoutSeconds) +
                   " seconds after repeated failures (" + who + ")");
    }
    return {SignIn::kRefused, "", std::nullopt};
  }
  std::lock_guard lock(mutex_);
  failures_.erase(pairKey);
  failures_.erase(addressKey);
  failures_.erase(userKey);
  signedInFrom_[pair] = now;
  Principal principal{user->name,  user->role, user->role == Role::kAdmin, {user->wards.begin(), user->wards.end()},
                      true,        randomHex(kCsrfTokenBytes)};
  const auto token = randomHex(kSessionTokenBytes);
  pruneExpired(now);
  sessions_[token] = {principal, now};
  return {SignIn::kSignedIn, token, principal};
}

std::optional<Principal> Authenticator::session(const std::string& token) {
  const auto now = now_();
  std::lock_guard lock(mutex_);
  const auto found = sessions_.find(token);
  if (found == sessions_.end()) return std::nullopt;
  if (now - found->second.lastSeen > std::chrono::minutes(config_.sessionIdleMinutes)) {
    sessions_.erase(found);
    return std::nullopt;
  }
  found->second.lastSeen = now;
  return found->second.principal;
}

void Authenticator::signOut(const std::string& token) {
  std::lock_guard lock(mutex_);
  sessions_.erase(token);
}

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
