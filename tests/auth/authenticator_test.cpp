#include "auth/authenticator.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include "../test_support.h"
#include "auth/password_hash.h"
#include "store/job_store.h"

using namespace wardprint::auth;
using wardprint::auth::Role;

namespace {

// Sessions and counts are kept in a real (SQLite) store, as the daemon keeps them.
struct Fixture {
  wardprint::testsupport::TempDir dir;
  std::unique_ptr<wardprint::store::JobStore> store = wardprint::store::JobStore::open(dir.path("store.db"), true);
  wardprint::auth::AuthConfig settings;
  Authenticator::Clock::time_point now = Authenticator::Clock::now();
  Authenticator authenticator;

  explicit Fixture(wardprint::auth::AuthConfig given = config())
      : settings(std::move(given)), authenticator(settings, *store) {
    authenticator.setClockForTesting([this] { return now; });
  }

  static wardprint::auth::AuthConfig config() {
    wardprint::auth::AuthConfig config;
    config.sessionIdleMinutes = 30;
    config.maxLoginFailures = 3;
    config.lockoutSeconds = 300;
    config.users = {{"nurse.jones", hashPassword("password1", kMinPasswordIterations), Role::kNurse, {"ward-7"}}};
    config.apiTokens = {{"feed", sha256Hex("token-1"), Role::kWardSystem, std::vector<std::string>{"ward-7"}},
                        {"all", sha256Hex("token-2"), Role::kWardSystem, std::nullopt}};
    return config;
  }
};

}  // namespace

TEST_CASE("a session lasts while it is used and ends after the idle time") {
  Fixture f;
  const auto signIn = f.authenticator.signIn("nurse.jones", "password1", "10.0.0.1");
  REQUIRE((signIn.result == Authenticator::SignIn::kSignedIn));
  CHECK(signIn.principal->mayUseWard("ward-7"));
  CHECK_FALSE(signIn.principal->mayUseWard("ward-8"));
  f.now += std::chrono::minutes(29);
  CHECK(f.authenticator.session(signIn.sessionToken));
  f.now += std::chrono::minutes(29);  // 29 minutes since it was last used
  CHECK(f.authenticator.session(signIn.sessionToken));
  f.now += std::chrono::minutes(31);
  CHECK_FALSE(f.authenticator.session(signIn.sessionToken));
}

TEST_CASE("a session in use stays alive with the shortest idle time, one minute") {
  auto settings = Fixture::config();
  settings.sessionIdleMinutes = 1;
  Fixture f(settings);
  const auto token = f.authenticator.signIn("nurse.jones", "password1", "10.0.0.1").sessionToken;
  for (int second = 10; second <= 180; second += 10) {
    f.now += std::chrono::seconds(10);
    CAPTURE(second);
    REQUIRE(f.authenticator.session(token));
  }
  f.now += std::chrono::seconds(61);
  CHECK_FALSE(f.authenticator.session(token));
}

TEST_CASE("failures lock out the name at that address, and the address, for the lockout time") {
  Fixture f;
  for (int i = 0; i < 3; ++i) {
    CHECK((f.authenticator.signIn("nurse.jones", "wrong", "10.0.0.1").result == Authenticator::SignIn::kRefused));
  }
  CHECK((f.authenticator.signIn("nurse.jones", "password1", "10.0.0.1").result == Authenticator::SignIn::kThrottled));
  CHECK((f.authenticator.signIn("someone.else", "x", "10.0.0.1").result == Authenticator::SignIn::kThrottled));
  // A stranger's failures elsewhere do not keep the nurse out at her own computer.
  CHECK((f.authenticator.signIn("nurse.jones", "password1", "10.0.0.2").result == Authenticator::SignIn::kSignedIn));
  f.now += std::chrono::seconds(301);
  CHECK((f.authenticator.signIn("nurse.jones", "password1", "10.0.0.1").result == Authenticator::SignIn::kSignedIn));
}

TEST_CASE("failures spread over many addresses slow the name down, but not where it signed in lately") {
  Fixture f;
  REQUIRE((f.authenticator.signIn("nurse.jones", "password1", "10.0.0.7").result == Authenticator::SignIn::kSignedIn));
  // Four times the limit (3), two from each of six addresses: no pair or address reaches it.
  for (int i = 0; i < 12; ++i) {
    const auto address = "192.0.2." + std::to_string(i / 2);
    CHECK((f.authenticator.signIn("nurse.jones", "wrong", address).result == Authenticator::SignIn::kRefused));
  }
  CHECK((f.authenticator.signIn("nurse.jones", "password1", "198.51.100.1").result ==
         Authenticator::SignIn::kThrottled));
  CHECK((f.authenticator.signIn("nurse.jones", "password1", "10.0.0.7").result == Authenticator::SignIn::kSignedIn));
  f.now += std::chrono::seconds(301);
  CHECK((f.authenticator.signIn("nurse.jones", "password1", "198.51.100.1").result ==
         Authenticator::SignIn::kSignedIn));
}

TEST_CASE("an unknown name is refused like a wrong password") {
  Fixture f;
  CHECK((f.authenticator.signIn("nobody", "password1", "10.0.0.1").result == Authenticator::SignIn::kRefused));
}

TEST_CASE("API tokens are recognised by their hash, with their wards") {
  Fixture f;
  const auto feed = f.authenticator.apiToken("token-1");
  REQUIRE(feed);
  CHECK((feed->role == Role::kWardSystem));
  CHECK(feed->mayUseWard("ward-7"));
  CHECK_FALSE(feed->mayUseWard("ward-8"));
  CHECK_FALSE(feed->viaSession);
  CHECK(f.authenticator.apiToken("token-2")->mayUseWard("ward-8"));
  CHECK_FALSE(f.authenticator.apiToken("token-3"));
}

TEST_CASE("signing out ends the session") {
  Fixture f;
  const auto token = f.authenticator.signIn("nurse.jones", "password1", "10.0.0.1").sessionToken;
  f.authenticator.signOut(token);
  CHECK_FALSE(f.authenticator.session(token));
}

TEST_CASE("a client certificate's common name signs in as the API token of that name, with its role and wards") {
  Fixture f;
  const auto feed = f.authenticator.clientCertificate("feed");
  REQUIRE(feed);
  CHECK(feed->name == "feed");
  CHECK((feed->role == Role::kWardSystem));
  CHECK(feed->mayUseWard("ward-7"));
  CHECK_FALSE(feed->mayUseWard("ward-8"));
  CHECK_FALSE(feed->viaSession);
  CHECK(f.authenticator.clientCertificate("all")->allWards);
  CHECK_FALSE(f.authenticator.clientCertificate("nurse.jones"));  // users are not tokens
  CHECK_FALSE(f.authenticator.clientCertificate("Feed"));
}

TEST_CASE("sessions and counts of failures live in the store, not in one Authenticator") {
  Fixture f;
  // A second daemon on the same store and with the same configuration, as nodes sharing
  // one PostgreSQL are.
  Authenticator other{f.settings, *f.store};
  other.setClockForTesting([&f] { return f.now; });
  const auto signIn = f.authenticator.signIn("nurse.jones", "password1", "10.0.0.1");
  REQUIRE((signIn.result == Authenticator::SignIn::kSignedIn));
  const auto principal = other.session(signIn.sessionToken);
  REQUIRE(principal);
  CHECK(principal->name == "nurse.jones");
  CHECK(principal->csrfToken == signIn.principal->csrfToken);
  other.signOut(signIn.sessionToken);
  CHECK_FALSE(f.authenticator.session(signIn.sessionToken));

  // Failures at either count together: the third, wherever it lands, locks out.
  CHECK((f.authenticator.signIn("nurse.jones", "wrong", "10.0.0.9").result == Authenticator::SignIn::kRefused));
  CHECK((other.signIn("nurse.jones", "wrong", "10.0.0.9").result == Authenticator::SignIn::kRefused));
  CHECK((f.authenticator.signIn("nurse.jones", "wrong", "10.0.0.9").result == Authenticator::SignIn::kRefused));
  CHECK((other.signIn("nurse.jones", "password1", "10.0.0.9").result == Authenticator::SignIn::kThrottled));
}

namespace {

// Every value of `column` in `table` of the fixture's store, read straight from the file.
std::vector<std::string> columnValues(const Fixture& f, const std::string& table, const std::string& column) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(f.dir.path("store.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* query = nullptr;
  const auto sql = "SELECT " + column + " FROM " + table;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &query, nullptr) == SQLITE_OK);
  std::vector<std::string> values;
  while (sqlite3_step(query) == SQLITE_ROW) values.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(query, 0)));
  sqlite3_finalize(query);
  sqlite3_close(db);
  return values;
}

}  // namespace

TEST_CASE("the store keeps digests of session tokens and of names typed at a failed sign-in, never the text") {
  Fixture f;
  const auto token = f.authenticator.signIn("nurse.jones", "password1", "10.0.0.1").sessionToken;
  REQUIRE(token.size() == 64);
  CHECK(columnValues(f, "staff_sessions", "token_digest") == std::vector<std::string>{sha256Hex(token)});
  // A password typed into the name box.
  CHECK((f.authenticator.signIn("hunter2-secret", "", "10.0.0.1").result == Authenticator::SignIn::kRefused));
  const auto keys = columnValues(f, "sign_in_failures", "key");
  CHECK(keys.size() == 3);
  for (const auto& key : keys) CHECK(key.find("hunter2") == std::string::npos);
}

TEST_CASE("a session follows a change of wards, and a daemon without its user refuses it but leaves it be") {
  Fixture f;
  const auto token = f.authenticator.signIn("nurse.jones", "password1", "10.0.0.1").sessionToken;
  auto moved = Fixture::config();
  moved.users[0].wards = {"ward-8"};
  Authenticator restarted{moved, *f.store};
  const auto principal = restarted.session(token);
  REQUIRE(principal);
  CHECK(principal->mayUseWard("ward-8"));
  CHECK_FALSE(principal->mayUseWard("ward-7"));
  // A daemon whose configuration does not have her yet (or any more), as during a change
  // rolled out node by node: refused there, still good where she is configured.
  auto removed = Fixture::config();
  removed.users.clear();
  Authenticator withoutHer{removed, *f.store};
  CHECK_FALSE(withoutHer.session(token));
  CHECK(restarted.session(token));
}
