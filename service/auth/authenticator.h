#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "auth/auth_config.h"
#include "auth/session_store.h"
#include "util/log.h"

namespace wardprint::auth {

// Who is making a request.
struct Principal {
  std::string name;  // user name, or the API token's name
  Role role = Role::kNurse;
  bool allWards = false;
  std::set<std::string> wards;
  bool viaSession = false;  // signed in with a cookie (so CSRF applies)
  std::string csrfToken;

  bool mayUseWard(const std::string& ward) const { return allWards || wards.count(ward) > 0; }
  // The wards this principal is limited to, or nullopt for all.
  std::optional<std::set<std::string>> limitedWards() const {
    return allWards ? std::nullopt : std::optional<std::set<std::string>>(wards);
  }
};

// Signs staff in and out, keeps their sessions in a SessionStore (idle ones expire),
// throttles repeated failures, and recognises API tokens. Thread-safe; a session or a
// count of failures made by one daemon is seen by every daemon sharing the store.
class Authenticator {
 public:
  using Clock = std::chrono::system_clock;

  // Refused sign-ins and lockouts go to `log` (a name is written only when it is a
  // configured user's, so a password typed into the name box never reaches the log).
  // `sessions` must outlive the Authenticator; its errors pass through every call that
  // uses it (signIn, session, signOut).
  Authenticator(AuthConfig config, SessionStore& sessions, util::Log log = {});

  struct SignIn {
    enum Result { kSignedIn, kRefused, kThrottled } result = kRefused;
    std::string sessionToken;
    std::optional<Principal> principal;
  };
  // `remote` is the client's address. Failures lock out the (name, address) pair and the
  // address after auth.max_login_failures; the name alone only after four times as many
  // failures from anywhere, and never at an address where that name signed in within the
  // last day: a stranger cannot lock a nurse out of her ward's computer.
  SignIn signIn(const std::string& name, const std::string& password, const std::string& remote);

  // The principal of a live session, refreshing its idle timer; nullopt for an unknown or
  // idle session, or one whose user this configuration does not have.
  std::optional<Principal> session(const std::string& token);
  // Whether `name` is a configured user's (so that it may be written down).
  bool isUser(const std::string& name) const;
  void signOut(const std::string& token);

  // The principal of a bearer API token.
  std::optional<Principal> apiToken(const std::string& token) const;

  // The principal of a verified client certificate: the API token whose name is the
  // certificate's common name (its role and wards), or nullopt when no token has that name.
  std::optional<Principal> clientCertificate(const std::string& commonName) const;

  // For tests: the clock used for idle expiry and throttling.
  void setClockForTesting(std::function<Clock::time_point()> now) { now_ = std::move(now); }

 private:
  SessionStore::Millis nowMillis() const;
  const UserConfig* user(const std::string& name) const;
  static Principal sessionPrincipal(const UserConfig& user, std::string csrfToken);

  AuthConfig config_;
  std::string counterSecret_;
  SessionStore& sessions_;
  util::Log log_;
  std::function<Clock::time_point()> now_ = [] { return Clock::now(); };
};

}  // namespace wardprint::auth
