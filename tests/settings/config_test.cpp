#include "settings/config.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../leaflet/shipped_words.h"
#include "../test_support.h"
#include "util/problems.h"

using namespace wardprint::settings;
namespace fs = std::filesystem;

namespace {

const std::string kDefaultConfig = WARDPRINT_SOURCE_DIR "/config/wardprint.yaml";

std::string defaultText() {
  std::ifstream in(kDefaultConfig);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Loads `text` as a configuration file: the error, or "(no error)".
std::string loadError(const std::string& text) {
  const auto path = fs::temp_directory_path() / ("wardprint-config-test-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << text;
  std::string error = "(no error)";
  try {
    loadConfig(path.string());
  } catch (const wardprint::util::ConfigError& e) {
    error = e.what();
  }
  fs::remove(path);
  return error;
}

// Loads the default config with one replacement.
std::string configError(const std::string& from, const std::string& to) {
  auto text = defaultText();
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "test setup: '" << from << "' not in the config");
  text.replace(at, from.size(), to);
  return loadError(text);
}

}  // namespace

TEST_CASE("the default configuration loads, with paths relative to its folder") {
  const auto config = loadConfig(kDefaultConfig);
  CHECK(config.server.host == "127.0.0.1");
  CHECK(config.server.port == 8080);
  CHECK(config.server.maxBodyBytes == 65536);
  CHECK(config.site.timeZone == "Europe/London");
  CHECK(config.site.layoutsDir == fs::path(WARDPRINT_SOURCE_DIR "/layouts").lexically_normal().string());
  CHECK(config.store.path == fs::path(WARDPRINT_SOURCE_DIR "/var/wardprint.db").lexically_normal().string());
  CHECK(config.contacts.size() == 2);
  REQUIRE(config.contacts[0].hours);
  CHECK(wardprint::leaflet::describeOpeningHours(wardprint::leaflet::shippedWords("en-GB"), *config.contacts[0].hours) == "Monday to Friday, 8am\u00A0to\u00A06pm");
  CHECK(config.contacts[0].role == wardprint::leaflet::ContactRole::kDaytime);
  CHECK(config.contacts[1].role == wardprint::leaflet::ContactRole::kOther);
  CHECK(config.site.gpLetter);
  CHECK(std::string(wardprint::util::toString(config.log.level)) == "info");
  CHECK(config.server.trustedProxies.empty());
  CHECK(config.site.closedDates.front() == date::year{2026} / 12 / 25);
  CHECK(config.wards.at("ward-7").printer == "ward-7-laser");
  CHECK(config.wards.at("ward-7").fallbackPrinter == "ward-8-laser");
  CHECK(config.printers.at("ward-7-laser").uri == "ipp://127.0.0.1:8631/ipp/print");
  CHECK(config.store.create);  // the demo makes its own store
  CHECK(config.retention.maxPurgeFraction == doctest::Approx(0.2));
  CHECK(config.printing.jobTimeoutSeconds == 300);
  CHECK(config.printing.stuckAfterSeconds == 120);
  CHECK(config.server.requestTimeoutSeconds == 15);
  CHECK(config.printers.at("ward-7-laser").displayName == "Ward 7 printer");
  CHECK(config.printers.at("ward-7-laser").location == "Ward 7 nurses' station");
}

TEST_CASE("a printer without a name is shown by its id, without a location") {
  auto text = defaultText();
  for (const std::string line : {"    name: Ward 7 printer\n", "    location: Ward 7 nurses' station\n"}) {
    const auto at = text.find(line);
    REQUIRE(at != std::string::npos);
    text.erase(at, line.size());
  }
  const auto path = fs::temp_directory_path() / ("wardprint-config-test-names-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << text;
  const auto config = loadConfig(path.string());
  fs::remove(path);
  CHECK(config.printers.at("ward-7-laser").displayName == "ward-7-laser");
  CHECK(config.printers.at("ward-7-laser").location.empty());
  CHECK(config.printers.at("ward-8-laser").displayName == "Ward 8 printer");
}

TEST_CASE("a PostgreSQL store is read with its pool, and printing leases have their own length") {
  auto text = wardprint::testsupport::replaceOnce(defaultText(), "path: ../var/wardprint.db",
                                                  "postgresql: \"host=db port=5432 dbname=wardprint\"\n  pool_size: 4");
  text += "\nprinting:\n  lease_seconds: 12\n  io_timeout_seconds: 4\n";
  const auto path = fs::temp_directory_path() / ("wardprint-config-test-pg-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << text;
  const auto config = loadConfig(path.string());
  fs::remove(path);
  CHECK(config.store.postgresql == "host=db port=5432 dbname=wardprint");
  CHECK(config.store.poolSize == 4);
  CHECK(config.store.path.empty());
  CHECK(config.printing.leaseSeconds == 12);
  CHECK(loadConfig(kDefaultConfig).printing.leaseSeconds == 30);
}

TEST_CASE("with a PostgreSQL store the lease must be at least three times a printer's I/O timeout") {
  struct Case {
    std::string what;
    bool postgres;
    std::string printing;  // the printing: section's body, a flow mapping
    std::string expected;  // "(no error)" when accepted
  };
  const std::string refused12 =
      "printing.lease_seconds: is 12 but must be at least 3 times printing.io_timeout_seconds (5), so at least 15, "
      "with a PostgreSQL store";
  const Case cases[] = {
      {"lease of 12 s against 5 s sends", true, "{ lease_seconds: 12, io_timeout_seconds: 5 }", refused12},
      {"lease of exactly three sends", true, "{ lease_seconds: 15, io_timeout_seconds: 5 }", "(no error)"},
      {"short lease against the default 10 s sends", true, "{ lease_seconds: 5 }",
       "printing.lease_seconds: is 5 but must be at least 3 times printing.io_timeout_seconds (10), so at least 30"},
      {"the defaults (30 s and 10 s)", true, "{}", "(no error)"},
      {"a lease of 3 s with 1 s sends, as the cluster tests run", true, "{ lease_seconds: 3, io_timeout_seconds: 1 }",
       "(no error)"},
      {"SQLite has no leases to check", false, "{ lease_seconds: 3, io_timeout_seconds: 10 }", "(no error)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto text = defaultText();
    if (c.postgres) {
      text = wardprint::testsupport::replaceOnce(text, "path: ../var/wardprint.db",
                                                 "postgresql: \"host=db port=5432 dbname=wardprint\"");
    }
    const auto error = loadError(text + "\nprinting: " + c.printing + "\n");
    CHECK_MESSAGE(error.find(c.expected) != std::string::npos, error);
    if (c.expected == "(no error)") CHECK(error == "(no error)");
  }
}

TEST_CASE("a bad configuration names the key and the reason") {
  struct Case {
    std::string what;
    std::string from, to, expected;
  };
  const Case cases[] = {
      {"unknown printer for a ward", "printer: ward-7-laser", "printer: ward-9-laser",
       "wards.ward-7.printer: unknown printer 'ward-9-laser'"},
      {"port out of range", "port: 8080", "port: 80800", "server.port: must be from 1 to 65535"},
      {"port not a number", "port: 8080", "port: eighty", "server.port: must be a whole number"},
      {"printer not IPP", "uri: ipp://127.0.0.1:8631", "uri: http://127.0.0.1:8631",
       "printers.ward-7-laser.uri: must start with ipp:// or ipps://"},
      {"bad sides", "sides: two-sided-long-edge", "sides: both", "printers.ward-7-laser.sides: must be one-sided"},
      {"unknown key", "retention_days: 90", "retention_dayz: 90", "store.retention_dayz: unknown key"},
      {"contact without a phone", "    phone: \"0114 271 5432\"\n", "", "contacts[0].phone: is required"},
      {"unknown opening days", "days: weekdays, open: \"08:00\"", "days: workdays, open: \"08:00\"",
       "contacts[0].hours.days: must be weekdays, every_day or a list of day names (monday, ...)"},
      {"a clock time in 12-hour form", "open: \"08:00\"", "open: \"8am\"",
       "contacts[0].hours.open: must be a 24-hour time like 08:00"},
      {"closing before opening", "close: \"18:00\"", "close: \"07:00\"", "contacts[0].hours.close: must be after open"},
      {"an unknown role", "    role: daytime", "    role: backup", "contacts[0].role: must be daytime or acute_oncology"},
      {"two daytime lines", "    hours: { days: weekdays, open: \"09:00\", close: \"17:00\" }\n",
       "    hours: { days: weekdays, open: \"09:00\", close: \"17:00\" }\n    role: daytime\n",
       "contacts[1].role: only one contact may be the daytime line"},
      {"a closed date that is not a date", "closed_dates: [2026-12-25,", "closed_dates: [Christmas,",
       "site.closed_dates[0]: must be a date like 2026-12-25"},
      {"gp_letter not a flag", "gp_letter: true", "gp_letter: sometimes", "site.gp_letter: must be true or false"},
      {"missing site name", "name: Example Teaching Hospital", "", "site.name: is required"},
      {"store.create not a yes/no", "create: true", "create: sometimes", "store.create: must be true or false"},
      {"both store backends", "path: ../var/wardprint.db", "path: ../var/wardprint.db\n  postgresql: \"dbname=w\"",
       "store: names both path (SQLite) and postgresql; choose one"},
      {"a pool for SQLite", "path: ../var/wardprint.db", "path: ../var/wardprint.db\n  pool_size: 4",
       "store.pool_size: is for store.postgresql only"},
      {"a pool of none", "path: ../var/wardprint.db", "postgresql: \"dbname=w\"\n  pool_size: 0",
       "store.pool_size: must be from 1 to 100"},
      {"purge fraction above 1", "create: true", "create: true\nretention: { max_purge_fraction: 2 }",
       "retention.max_purge_fraction: must be from 0 to 1"},
      {"a FHIR location on an unknown ward", "\"Ward 8\": ward-8", "\"Ward 8\": ward-9",
       "fhir.locations.Ward 8: \"ward-9\" is not a configured ward"},
      {"no hospital number system for FHIR", "hospital_number_system: https://trust.example.nhs.uk/Id/mrn", "",
       "fhir.hospital_number_system: is required"},
      {"a FHIR max age of 0", "max_age_hours: 48", "max_age_hours: 0", "fhir.max_age_hours: must be from 1 to 8760"},
      {"an unknown FHIR key", "max_age_hours: 48", "max_age: 48", "fhir.max_age: unknown key"},
      {"an empty printer name", "name: Ward 7 printer", "name: \"\"", "printers.ward-7-laser.name: must not be empty"},
      {"printer name not text", "name: Ward 7 printer", "name: [a, b]", "printers.ward-7-laser.name: must be a name"},
      {"stuck threshold of zero", "create: true", "create: true\nprinting: { stuck_after_seconds: 0 }",
       "printing.stuck_after_seconds: must be from 1 to 86400"},
      {"zero request timeout", "port: 8080", "port: 8080\n  request_timeout_seconds: 0",
       "server.request_timeout_seconds: must be from 1 to 600"},
      {"a log level that is no level", "create: true", "create: true\nlog: { level: verbose }",
       "log.level: must be error, warning, info or debug"},
      {"a trusted proxy that is a name", "port: 8080", "port: 8080\n  trusted_proxies: [127.0.0.1, proxy.local]",
       "server.trusted_proxies[1]: must be an IP address"},
      {"trusted proxies not a list", "port: 8080", "port: 8080\n  trusted_proxies: 127.0.0.1",
       "server.trusted_proxies: must be a list of IP addresses"},
      {"plain HTTP on every address", "host: 127.0.0.1", "host: 0.0.0.0",
       "server.host: '0.0.0.0' is reachable from other machines, so it needs server.tls"},
      {"a certificate that is not there", "port: 8080",
       "port: 8080\n  tls: { certificate: /nonexistent/tls.pem, private_key: /nonexistent/tls.key }",
       "server.tls.certificate: '/nonexistent/tls.pem' cannot be read (not found, or not a file)"},
      {"TLS without a key", "port: 8080", "port: 8080\n  tls: { certificate: " + kDefaultConfig + " }",
       "server.tls.private_key: is required"},
      {"an old TLS version", "port: 8080",
       "port: 8080\n  tls: { certificate: " + kDefaultConfig + ", private_key: " + kDefaultConfig +
           ", min_version: TLS1.0 }",
       "server.tls.min_version: must be TLS1.2 or TLS1.3"},
      {"an HL7 location on an unknown ward", "T12W: ward-8", "T12W: ward-9", "hl7.locations.T12W"},
      {"an unknown HL7 charset", "default_charset: \"8859/1\"", "default_charset: \"EBCDIC\"",
       "hl7.default_charset: must be"},
      {"an unknown HL7 key", "max_age_hours: 24", "max_age_hour: 24", "hl7.max_age_hour: unknown key"},
      {"plain MLLP on every address", "# mllp: { host: 127.0.0.1, port: 2575 }", "mllp: { host: 0.0.0.0 }",
       "hl7.mllp.host: '0.0.0.0' is reachable from other machines, so it needs hl7.mllp.tls"},
      {"an MLLP certificate that is not there", "# mllp: { host: 127.0.0.1, port: 2575 }",
       "mllp: { tls: { certificate: /nonexistent/tls.pem, private_key: /nonexistent/tls.key } }",
       "hl7.mllp.tls.certificate: '/nonexistent/tls.pem' cannot be read (not found, or not a file)"},
      {"an old TLS version for MLLP", "# mllp: { host: 127.0.0.1, port: 2575 }",
       "mllp: { tls: { certificate: " + kDefaultConfig + ", private_key: " + kDefaultConfig + ", min_version: TLS1.1 } }",
       "hl7.mllp.tls.min_version: must be TLS1.2 or TLS1.3"},
      {"an MLLP port out of range", "# mllp: { host: 127.0.0.1, port: 2575 }", "mllp: { port: 0 }",
       "hl7.mllp.port: must be from 1 to 65535"},
      {"an empty default procedure", "    fallback_printer: ward-7-laser\n",
       "    fallback_printer: ward-7-laser\n    default_procedure: \"\"\n",
       "wards.ward-8.default_procedure: must not be empty"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    const auto error = configError(c.from, c.to);
    CHECK_MESSAGE(error.find(c.expected) != std::string::npos, error);
  }
}

TEST_CASE("every part's problem is named at once, and a bad printer is no unknown printer for its ward") {
  auto text = defaultText();
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"port: 8080", "port: eighty"},
           {"sides: two-sided-long-edge", "sides: both"},
           {"name: Example Teaching Hospital", ""}}) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  }
  const auto path = fs::temp_directory_path() / ("wardprint-config-test-all-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << text;
  const auto reading = readConfigFile(path.string());
  fs::remove(path);
  REQUIRE(reading.problems.size() == 3);
  CHECK(reading.problems[0].find("server.port: must be a whole number") != std::string::npos);
  CHECK(reading.problems[1].find("site.name: is required") != std::string::npos);
  CHECK(reading.problems[2].find("printers.ward-7-laser.sides") != std::string::npos);
}

TEST_CASE("a missing configuration file is named") {
  CHECK_THROWS_WITH_AS(loadConfig("/nonexistent/wardprint.yaml"), "/nonexistent/wardprint.yaml: cannot be read (not found, or not a file)",
                       wardprint::util::ConfigError);
}

TEST_CASE("plain HTTP may listen on loopback, or elsewhere with allow_plaintext or TLS") {
  CHECK(configError("host: 127.0.0.1", "host: 0.0.0.0\n  allow_plaintext: true") == "(no error)");
  CHECK(configError("host: 127.0.0.1", "host: localhost") == "(no error)");
  CHECK(configError("host: 127.0.0.1", "host: ::1") == "(no error)");
  CHECK(configError("host: 127.0.0.1", "host: 10.1.2.3\n  tls: { certificate: " + kDefaultConfig +
                                           ", private_key: " + kDefaultConfig + " }") == "(no error)");
}

TEST_CASE("plain MLLP may listen on loopback, or elsewhere with allow_plaintext or TLS") {
  const std::string from = "# mllp: { host: 127.0.0.1, port: 2575 }";
  CHECK(configError(from, "mllp: { host: 127.0.0.1 }") == "(no error)");
  CHECK(configError(from, "mllp: { host: 0.0.0.0, allow_plaintext: true }") == "(no error)");
  CHECK(configError(from, "mllp: { host: 10.1.2.3, tls: { certificate: " + kDefaultConfig + ", private_key: " +
                              kDefaultConfig + ", client_ca: " + kDefaultConfig + " } }") == "(no error)");
}
