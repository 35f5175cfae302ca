#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/auth_config.h"
#include "fhir/mapping_config.h"
#include "hl7/mapping_config.h"
#include "leaflet/leaflet_builder.h"
#include "util/log.h"

namespace wardprint::settings {

// TLS for the HTTP API and the nurse page (server.tls), or for MLLP (hl7.mllp.tls). Paths
// are absolute.
struct TlsConfig {
  std::string certificate;  // PEM: the server's certificate
  std::string privateKey;   // PEM, unencrypted
  std::optional<std::string> ca;        // PEM: intermediate certificates sent with the server's
  std::string minVersion = "TLS1.2";    // "TLS1.2" or "TLS1.3"
  // PEM: the CAs whose client certificates are accepted. Over HTTP, a ward system presenting
  // one is signed in as the API token whose name is the certificate's common name (CN); over
  // MLLP, only clients presenting one may connect.
  std::optional<std::string> clientCa;
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::string pageDir;  // the nurse page's files; absolute
  int port = 8080;
  std::size_t maxBodyBytes = 65536;
  int threads = 8;             // threads kept ready for requests
  int maxConnections = 1024;   // connections served at once (one thread each, idle ones too)
  // --- issue 9: faults ---
  int requestTimeoutSeconds = 15;  // every request (head and body) must arrive within this
  int maxConnectionsPerAddress = 64;  // connections one client address may hold at once
  // --- issue 11: operations ---
  // Addresses of reverse proxies whose X-Forwarded-For is believed (in inet_ntop's form).
  std::vector<std::string> trustedProxies;
  // --- issue 15: TLS ---
  std::optional<TlsConfig> tls;  // absent: plain HTTP
  bool allowPlaintext = false;   // plain HTTP on an address other than loopback
};

// Where the store is: a SQLite file (path) for one daemon, or a PostgreSQL database
// (postgresql, a libpq connection string) that several daemons share. Exactly one is set.
struct StoreConfig {
  std::string path;  // absolute; empty when postgresql is set
  std::optional<std::string> postgresql;
  int poolSize = 8;  // PostgreSQL connections one daemon opens at most
  int retentionDays = 90;
  // --- issue 9: faults ---
  bool create = false;  // make a new store when the file is missing or empty
};

// --- issue 9: faults ---
struct RetentionConfig {
  double maxPurgeFraction = 0.2;  // one purge never deletes more than this share of the leaflets
};

struct SiteConfig {
  std::string name;
  std::string timeZone = "Europe/London";
  std::string defaultLanguage = "en-GB";
  std::string layoutsDir;              // absolute
  std::vector<std::string> fontDirs;   // absolute
  std::vector<date::year_month_day> closedDates;  // bank holidays: lines with opening hours are shut
  bool gpLetter = false;  // the patient's GP gets a letter (the leaflet says so)
  bool allowDraftLayouts = false;  // layouts with `status: draft` may print (demo and tests only)
};

struct PrinterConfig {
  std::string uri;  // ipp:// or ipps://
  std::string media = "iso_a4_210x297mm";
  std::string sides = "two-sided-long-edge";
  std::string displayName;  // what nurses read ("Ward 7 printer"); the config id when not given
  std::string location;     // where to find it ("Ward 7 nurses' station"); may be empty
};

struct PrintingConfig {
  int maxAttempts = 5;          // failed sends before a job fails or moves to the fallback printer
  int firstRetrySeconds = 2;    // doubles with each failure
  int maxRetrySeconds = 60;
  int connectTimeoutMs = 3000;  // to reach a printer
  int ioTimeoutSeconds = 10;    // for a printer to answer
  int statusIntervalSeconds = 30;  // how often printers are asked for their state
  // --- issue 9: faults ---
  int jobTimeoutSeconds = 300;  // a job in flight longer than this is cancelled or given up on its printer
  int stuckAfterSeconds = 120;  // the nurse page shows a job waiting at a stopped printer this long as stuck
  // --- issue 16: several daemons ---
  // A daemon drives a printer under a lease it renews; if it dies, another daemon takes
  // the printer over this long after the last renewal (PostgreSQL stores only, where it
  // must be at least 3 × ioTimeoutSeconds: a configuration with less is refused).
  int leaseSeconds = 30;
};

// --- issue 11: operations ---
struct LogConfig {
  util::LogLevel level = util::LogLevel::kInfo;
};

struct WardConfig {
  std::string name;
  std::string phone;
  std::string printer;
  std::optional<std::string> fallbackPrinter;
  std::optional<std::string> defaultProcedure;  // for HL7 discharges that name none
};

struct MllpConfig {
  std::string host = "127.0.0.1";
  int port = 2575;
  std::optional<TlsConfig> tls;  // absent: plain MLLP
  bool allowPlaintext = false;   // plain MLLP on an address other than loopback
};

// HL7 v2 (issue 12): the MLLP listener, when configured, and how messages map to discharges.
struct Hl7Config {
  std::optional<MllpConfig> mllp;  // absent: no MLLP listener (POST /v1/hl7 still answers)
  std::size_t maxMessageBytes = 1 << 20;
  int idleTimeoutSeconds = 300;
  hl7::MappingConfig mapping;  // its defaultProcedures come from wards.<id>.default_procedure
};

// Sign-in settings are the auth module's own types, named here with the rest.
using auth::ApiTokenConfig;
using auth::AuthConfig;
using auth::Role;
using auth::UserConfig;
using auth::toString;

struct Config {
  std::string sourcePath;
  ServerConfig server;
  StoreConfig store;
  RetentionConfig retention;  // issue 9
  SiteConfig site;
  PrintingConfig printing;
  std::vector<leaflet::Contact> contacts;
  std::map<std::string, PrinterConfig> printers;
  std::map<std::string, WardConfig> wards;
  std::optional<AuthConfig> auth;  // absent: no sign-in needed (development only)
  LogConfig log;  // issue 11
  // The FHIR front door's mapping; absent: /fhir takes nothing. Its time zone is the site's.
  std::optional<fhir::MappingConfig> fhir;
  Hl7Config hl7;
};

// A configuration read as far as it goes: a part with a problem keeps its defaults.
struct ConfigReading {
  Config config;
  std::vector<std::string> problems;  // every problem found, each naming the file and key
};

// Reads the service configuration, naming every problem instead of stopping at the first
// (each part's first: a section, a printer, a ward).
ConfigReading readConfigFile(const std::string& path);

// Reads the service configuration. Relative paths are taken relative to the file's folder.
// Throws util::ConfigError naming every problem, each with the file and key, e.g.
// "config/x.yaml: wards.ward-7.printer: unknown printer 'laser-9'".
Config loadConfig(const std::string& path);

}  // namespace wardprint::settings
