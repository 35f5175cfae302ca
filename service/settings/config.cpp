#include "settings/config.h"

#include <arpa/inet.h>

#include <filesystem>
#include <set>

#include "settings/resources.h"
#include "auth/password_hash.h"
#include "events/timestamp.h"
#include "util/files.h"
#include "util/problems.h"
#include "yaml/yaml.h"

namespace YAML = wardprint::yaml;  // yaml-cpp's names, behind our one YAML reader

namespace wardprint::settings {
namespace {

namespace fs = std::filesystem;

class Reader {
 public:
  Reader(std::string file, fs::path baseDir) : file_(std::move(file)), baseDir_(std::move(baseDir)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& reason) const {
    throw util::ConfigError(file_ + ": " + key + ": " + reason);
  }

  void onlyKeys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& key) const {
    if (!map.IsMap()) fail(key, "must be a map");
    for (const auto& item : map) {
      const auto name = item.first.as<std::string>();
      if (!allowed.count(name)) fail(key + "." + name, "unknown key");
    }
  }

  template <typename T>
  T get(const YAML::Node& map, const std::string& name, const std::string& key, T fallback,
        const std::string& what) const {
    const auto node = map[name];
    if (!node) return fallback;
    if (!node.IsScalar()) fail(key, "must be " + what);
    try {
      return node.as<T>();
    } catch (const YAML::Exception&) {
      fail(key, "must be " + what);
    }
  }

  std::string text(const YAML::Node& map, const std::string& name, const std::string& key) const {
    if (!map[name]) fail(key, "is required");
    auto value = get<std::string>(map, name, key, "", "text");
    if (value.empty()) fail(key, "must not be empty");
    return value;
  }

  int number(const YAML::Node& map, const std::string& name, const std::string& key, int fallback, int min,
             int max) const {
    const auto value = get<int>(map, name, key, fallback, "a whole number");
    if (value < min || value > max) {
      fail(key, "must be from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return value;
  }

  const std::string& file() const { return file_; }

  std::string path(const std::string& value) const {
    return fs::absolute(baseDir_ / value).lexically_normal().string();
  }

 private:
  std::string file_;
  fs::path baseDir_;
};

// Reads each part of the configuration on its own, so that a bad part hides no other: the
// first problem of every part (each printer and ward is a part) is kept.
class Parts {
 public:
  explicit Parts(std::string path) : path_(std::move(path)) {}

  template <typename Read>
  void read(Read read) {
    try {
      read();
    } catch (const util::ConfigError& e) {
      problems_.insert(problems_.end(), e.problems().begin(), e.problems().end());
    } catch (const YAML::Exception& e) {
      // A value of the wrong kind where the checks do not look (a list as a key).
      problems_.push_back(path_ + ": " + e.msg + " (line " + std::to_string(e.mark.line + 1) + ")");
    }
  }
  std::vector<std::string> take() { return std::move(problems_); }

 private:
  std::string path_;
  std::vector<std::string> problems_;
};

// The keys of a map (the names of printers, the ids of wards), whether or not each entry is valid.
std::set<std::string> namesIn(const YAML::Node& node) {
  std::set<std::string> names;
  if (!node || !node.IsMap()) return names;
  for (const auto& item : node) {
    if (item.first.IsScalar()) names.insert(item.first.as<std::string>());
  }
  return names;
}

// An IPv4 or IPv6 address written as inet_ntop writes it, so that it compares equal to the
// address a connection comes from; nullopt when `text` is not an address.
std::optional<std::string> normalAddress(const std::string& text) {
  unsigned char bytes[sizeof(in6_addr)];
  char out[INET6_ADDRSTRLEN];
  for (const int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, text.c_str(), bytes) == 1 && inet_ntop(family, bytes, out, sizeof out)) return out;
  }
  return std::nullopt;
}

std::vector<std::string> readAddresses(const Reader& in, const YAML::Node& node, const std::string& key) {
  std::vector<std::string> addresses;
  if (!node) return addresses;
  if (!node.IsSequence()) in.fail(key, "must be a list of IP addresses");
  for (std::size_t i = 0; i < node.size(); ++i) {
    const auto address = normalAddress(node[i].IsScalar() ? node[i].as<std::string>() : "");
    if (!address) in.fail(key + "[" + std::to_string(i) + "]", "must be an IP address such as 127.0.0.1 or ::1");
    addresses.push_back(*address);
  }
  return addresses;
}

// Whether `host` is reached only from this machine.
bool isLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string readPemFile(const Reader& in, const YAML::Node& node, const std::string& name, const std::string& key) {
  const auto file = in.path(in.text(node, name, key));
  if (!util::isRegularFile(file)) in.fail(key, "'" + file + "' cannot be read (not found, or not a file)");
  return file;
}

// The TLS section `key` ("server.tls", "hl7.mllp.tls").
TlsConfig readTls(const Reader& in, const YAML::Node& node, const std::string& key) {
  in.onlyKeys(node, {"certificate", "private_key", "ca", "min_version", "client_ca"}, key);
  TlsConfig tls;
  tls.certificate = readPemFile(in, node, "certificate", key + ".certificate");
  tls.privateKey = readPemFile(in, node, "private_key", key + ".private_key");
  if (node["ca"]) tls.ca = readPemFile(in, node, "ca", key + ".ca");
  if (node["client_ca"]) tls.clientCa = readPemFile(in, node, "client_ca", key + ".client_ca");
  tls.minVersion = in.get<std::string>(node, "min_version", key + ".min_version", tls.minVersion, "text");
  if (tls.minVersion != "TLS1.2" && tls.minVersion != "TLS1.3") in.fail(key + ".min_version", "must be TLS1.2 or TLS1.3");
  return tls;
}

// Reads `section`.tls and `section`.allow_plaintext, and refuses clear text on an address
// other machines can reach unless allow_plaintext says so.
std::optional<TlsConfig> readTransport(const Reader& in, const YAML::Node& node, const std::string& section,
                                       const std::string& host, bool& allowPlaintext) {
  std::optional<TlsConfig> tls;
  if (node["tls"]) tls = readTls(in, node["tls"], section + ".tls");
  allowPlaintext = in.get<bool>(node, "allow_plaintext", section + ".allow_plaintext", false, "true or false");
  if (!tls && !allowPlaintext && !isLoopback(host)) {
    in.fail(section + ".host", "'" + host + "' is reachable from other machines, so it needs " + section +
                                   ".tls (or " + section + ".allow_plaintext: true, for a TLS proxy on a private network)");
  }
  return tls;
}

ServerConfig readServer(const Reader& in, const YAML::Node& node) {
  ServerConfig server;
  server.pageDir = resources().pageDir;
  if (!node) return server;
  in.onlyKeys(node, {"host", "port", "max_body_bytes", "threads", "max_connections", "page_dir", "request_timeout_seconds",
                     "max_connections_per_address", "trusted_proxies", "tls", "allow_plaintext"},
              "server");
  if (node["page_dir"]) server.pageDir = in.path(in.text(node, "page_dir", "server.page_dir"));
  server.host = in.get<std::string>(node, "host", "server.host", server.host, "a host name or address");
  server.port = in.number(node, "port", "server.port", server.port, 1, 65535);
  server.maxBodyBytes = static_cast<std::size_t>(
      in.number(node, "max_body_bytes", "server.max_body_bytes", 65536, 1024, 10 * 1024 * 1024));
  server.threads = in.number(node, "threads", "server.threads", server.threads, 1, 256);
  server.maxConnections =
      in.number(node, "max_connections", "server.max_connections", server.maxConnections, server.threads, 10000);
  // --- issue 9: faults ---
  server.requestTimeoutSeconds = in.number(node, "request_timeout_seconds", "server.request_timeout_seconds",
                                           server.requestTimeoutSeconds, 1, 600);
  server.maxConnectionsPerAddress = in.number(node, "max_connections_per_address", "server.max_connections_per_address",
                                              server.maxConnectionsPerAddress, 1, server.maxConnections);
  // --- issue 15: TLS ---
  server.tls = readTransport(in, node, "server", server.host, server.allowPlaintext);
  // --- issue 11: operations ---
  server.trustedProxies = readAddresses(in, node["trusted_proxies"], "server.trusted_proxies");
  return server;
}

StoreConfig readStore(const Reader& in, const YAML::Node& node) {
  StoreConfig store;
  if (!node) in.fail("store", "is required");
  in.onlyKeys(node, {"path", "postgresql", "pool_size", "retention_days", "create"}, "store");
  if (node["path"] && node["postgresql"]) {
    in.fail("store", "names both path (SQLite) and postgresql; choose one");
  }
  if (node["postgresql"]) {
    store.postgresql = in.text(node, "postgresql", "store.postgresql");
    store.poolSize = in.number(node, "pool_size", "store.pool_size", store.poolSize, 1, 100);
  } else {
    if (node["pool_size"]) in.fail("store.pool_size", "is for store.postgresql only");
    store.path = in.path(in.text(node, "path", "store.path"));
  }
  store.retentionDays = in.number(node, "retention_days", "store.retention_days", 90, 1, 3650);
  // --- issue 9: faults ---
  store.create = in.get<bool>(node, "create", "store.create", false, "true or false");
  return store;
}

// --- issue 9: faults ---
RetentionConfig readRetention(const Reader& in, const YAML::Node& node) {
  RetentionConfig retention;
  if (!node) return retention;
  in.onlyKeys(node, {"max_purge_fraction"}, "retention");
  retention.maxPurgeFraction = in.get<double>(node, "max_purge_fraction", "retention.max_purge_fraction",
                                              retention.maxPurgeFraction, "a number from 0 to 1");
  if (!(retention.maxPurgeFraction >= 0 && retention.maxPurgeFraction <= 1)) {
    in.fail("retention.max_purge_fraction", "must be from 0 to 1");
  }
  return retention;
}

// --- issue 11: operations ---
LogConfig readLog(const Reader& in, const YAML::Node& node) {
  LogConfig log;
  if (!node) return log;
  in.onlyKeys(node, {"level"}, "log");
  const auto word = in.get<std::string>(node, "level", "log.level", util::toString(log.level), "a word");
  const auto level = util::parseLogLevel(word);
  if (!level) in.fail("log.level", "must be error, warning, info or debug");
  log.level = *level;
  return log;
}

SiteConfig readSite(const Reader& in, const YAML::Node& node) {
  SiteConfig site;
  if (!node) in.fail("site", "is required");
  in.onlyKeys(node, {"name", "timezone", "default_language", "layouts_dir", "font_dirs", "closed_dates", "gp_letter",
                     "allow_draft_layouts"},
              "site");
  site.name = in.text(node, "name", "site.name");
  site.timeZone = in.get<std::string>(node, "timezone", "site.timezone", site.timeZone, "a time zone name");
  site.defaultLanguage =
      in.get<std::string>(node, "default_language", "site.default_language", site.defaultLanguage, "a language tag");
  site.layoutsDir =
      node["layouts_dir"] ? in.path(in.text(node, "layouts_dir", "site.layouts_dir")) : resources().layoutsDir;
  const auto fontDirs = node["font_dirs"];
  if (!fontDirs) {
    site.fontDirs = {"/usr/share/fonts/truetype/open-sans", "/usr/share/fonts/truetype/dejavu"};
  } else {
    if (!fontDirs.IsSequence()) in.fail("site.font_dirs", "must be a list of folders");
    for (const auto& dir : fontDirs) site.fontDirs.push_back(in.path(dir.as<std::string>()));
  }
  site.gpLetter = in.get<bool>(node, "gp_letter", "site.gp_letter", false, "true or false");
  site.allowDraftLayouts =
      in.get<bool>(node, "allow_draft_layouts", "site.allow_draft_layouts", false, "true or false");
  const auto closed = node["closed_dates"];
  if (closed && !closed.IsSequence()) in.fail("site.closed_dates", "must be a list of dates like 2026-12-25");
  for (std::size_t i = 0; closed && i < closed.size(); ++i) {
    const std::string key = "site.closed_dates[" + std::to_string(i) + "]";
    const auto day = events::parseIsoDate(closed[i].IsScalar() ? closed[i].as<std::string>() : "");
    if (!day) in.fail(key, "must be a date like 2026-12-25");
    site.closedDates.push_back(*day);
  }
  return site;
}

PrintingConfig readPrinting(const Reader& in, const YAML::Node& node) {
  PrintingConfig printing;
  if (!node) return printing;
  in.onlyKeys(node, {"max_attempts", "first_retry_seconds", "max_retry_seconds", "connect_timeout_ms",
                     "io_timeout_seconds", "status_interval_seconds", "job_timeout_seconds", "stuck_after_seconds",
                     "lease_seconds"},
              "printing");
  printing.maxAttempts = in.number(node, "max_attempts", "printing.max_attempts", printing.maxAttempts, 1, 100);
  printing.firstRetrySeconds =
      in.number(node, "first_retry_seconds", "printing.first_retry_seconds", printing.firstRetrySeconds, 0, 3600);
  printing.maxRetrySeconds =
      in.number(node, "max_retry_seconds", "printing.max_retry_seconds", printing.maxRetrySeconds, 1, 86400);
  printing.connectTimeoutMs =
      in.number(node, "connect_timeout_ms", "printing.connect_timeout_ms", printing.connectTimeoutMs, 100, 60000);
  printing.ioTimeoutSeconds =
      in.number(node, "io_timeout_seconds", "printing.io_timeout_seconds", printing.ioTimeoutSeconds, 1, 600);
  printing.statusIntervalSeconds = in.number(node, "status_interval_seconds", "printing.status_interval_seconds",
                                             printing.statusIntervalSeconds, 1, 3600);
  // --- issue 9: faults ---
  printing.jobTimeoutSeconds = in.number(node, "job_timeout_seconds", "printing.job_timeout_seconds",
                                         printing.jobTimeoutSeconds, 1, 86400);
  printing.stuckAfterSeconds = in.number(node, "stuck_after_seconds", "printing.stuck_after_seconds",
                                         printing.stuckAfterSeconds, 1, 86400);
  printing.leaseSeconds =
      in.number(node, "lease_seconds", "printing.lease_seconds", printing.leaseSeconds, 3, 3600);
  return printing;
}

// With PostgreSQL, a node cut off from the database stops sending to a printer two thirds
// into its lease, and a send already under way can last io_timeout_seconds: the lease must
// outlast a send by a margin, or another node could take the printer over mid-send. SQLite
// has no leases.
void checkLease(const Reader& in, const StoreConfig& store, const PrintingConfig& printing) {
  if (!store.postgresql || printing.leaseSeconds >= 3 * printing.ioTimeoutSeconds) return;
  in.fail("printing.lease_seconds",
          "is " + std::to_string(printing.leaseSeconds) + " but must be at least 3 times printing.io_timeout_seconds (" +
              std::to_string(printing.ioTimeoutSeconds) + "), so at least " +
              std::to_string(3 * printing.ioTimeoutSeconds) +
              ", with a PostgreSQL store: a lease must outlast a send to a printer by a margin "
              "(raise printing.lease_seconds or lower printing.io_timeout_seconds)");
}

// hours: {days: weekdays | every_day | [monday, ...], open: "08:00", close: "18:00"}
leaflet::OpeningHours readHours(const Reader& in, const YAML::Node& node, const std::string& key) {
  in.onlyKeys(node, {"days", "open", "close"}, key);
  const auto daysNode = node["days"];
  std::vector<std::string> names;
  if (daysNode && daysNode.IsScalar()) names.push_back(daysNode.as<std::string>());
  for (std::size_t i = 0; daysNode && daysNode.IsSequence() && i < daysNode.size(); ++i) {
    names.push_back(daysNode[i].IsScalar() ? daysNode[i].as<std::string>() : "");
  }
  const auto days = leaflet::parseOpeningDays(names);
  if (!days) in.fail(key + ".days", "must be weekdays, every_day or a list of day names (monday, ...)");
  const auto clock = [&](const std::string& name) {
    const auto value = leaflet::parseClock(in.text(node, name, key + "." + name));
    if (!value) in.fail(key + "." + name, "must be a 24-hour time like 08:00");
    return *value;
  };
  const leaflet::OpeningHours hours{*days, clock("open"), clock("close")};
  if (hours.close <= hours.open) in.fail(key + ".close", "must be after open");
  return hours;
}

std::vector<leaflet::Contact> readContacts(const Reader& in, const YAML::Node& node) {
  if (!node) return {};
  if (!node.IsSequence()) in.fail("contacts", "must be a list of {label, phone, hours, role}");
  std::vector<leaflet::Contact> contacts;
  std::set<std::string> roles;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string key = "contacts[" + std::to_string(i) + "]";
    in.onlyKeys(node[i], {"label", "phone", "hours", "role"}, key);
    leaflet::Contact contact{in.text(node[i], "label", key + ".label"), in.text(node[i], "phone", key + ".phone")};
    if (node[i]["hours"]) contact.hours = readHours(in, node[i]["hours"], key + ".hours");
    if (node[i]["role"]) {
      const auto role = in.text(node[i], "role", key + ".role");
      if (role == "daytime") {
        contact.role = leaflet::ContactRole::kDaytime;
      } else if (role == "acute_oncology") {
        contact.role = leaflet::ContactRole::kAcuteOncology;
      } else {
        in.fail(key + ".role", "must be daytime or acute_oncology");
      }
      if (!roles.insert(role).second) in.fail(key + ".role", "only one contact may be the " + role + " line");
    }
    contacts.push_back(contact);
  }
  return contacts;
}

std::map<std::string, PrinterConfig> readPrinters(const Reader& in, const YAML::Node& node, Parts& parts) {
  if (!node || !node.IsMap() || node.size() == 0) in.fail("printers", "must name at least one printer");
  std::map<std::string, PrinterConfig> printers;
  for (const auto& item : node) parts.read([&] {
    const auto name = item.first.as<std::string>();
    const std::string key = "printers." + name;
    in.onlyKeys(item.second, {"uri", "media", "sides", "name", "location"}, key);
    PrinterConfig printer;
    printer.uri = in.text(item.second, "uri", key + ".uri");
    if (printer.uri.rfind("ipp://", 0) != 0 && printer.uri.rfind("ipps://", 0) != 0) {
      in.fail(key + ".uri", "must start with ipp:// or ipps://");
    }
    printer.media = in.get<std::string>(item.second, "media", key + ".media", printer.media, "a media name");
    printer.sides = in.get<std::string>(item.second, "sides", key + ".sides", printer.sides, "a sides value");
    if (printer.sides != "one-sided" && printer.sides != "two-sided-long-edge" &&
        printer.sides != "two-sided-short-edge") {
      in.fail(key + ".sides", "must be one-sided, two-sided-long-edge or two-sided-short-edge");
    }
    printer.displayName = in.get<std::string>(item.second, "name", key + ".name", name, "a name");
    if (printer.displayName.empty()) in.fail(key + ".name", "must not be empty");
    printer.location = in.get<std::string>(item.second, "location", key + ".location", "", "a place");
    printers.emplace(name, printer);
  });
  return printers;
}

std::map<std::string, WardConfig> readWards(const Reader& in, const YAML::Node& node,
                                            const std::set<std::string>& printers, Parts& parts) {
  if (!node || !node.IsMap() || node.size() == 0) in.fail("wards", "must name at least one ward");
  std::map<std::string, WardConfig> wards;
  for (const auto& item : node) parts.read([&] {
    const auto id = item.first.as<std::string>();
    const std::string key = "wards." + id;
    in.onlyKeys(item.second, {"name", "phone", "printer", "fallback_printer", "default_procedure"}, key);
    WardConfig ward;
    ward.name = in.text(item.second, "name", key + ".name");
    ward.phone = in.text(item.second, "phone", key + ".phone");
    ward.printer = in.text(item.second, "printer", key + ".printer");
    if (!printers.count(ward.printer)) in.fail(key + ".printer", "unknown printer '" + ward.printer + "'");
    if (item.second["fallback_printer"]) {
      ward.fallbackPrinter = in.text(item.second, "fallback_printer", key + ".fallback_printer");
      if (!printers.count(*ward.fallbackPrinter)) {
        in.fail(key + ".fallback_printer", "unknown printer '" + *ward.fallbackPrinter + "'");
      }
    }
    if (item.second["default_procedure"]) {
      ward.defaultProcedure = in.text(item.second, "default_procedure", key + ".default_procedure");
    }
    wards.emplace(id, ward);
  });
  return wards;
}

std::set<std::string> readTextList(const Reader& in, const YAML::Node& node, const std::string& key) {
  if (!node.IsSequence()) in.fail(key, "must be a list");
  std::set<std::string> out;
  for (std::size_t i = 0; i < node.size(); ++i) {
    if (!node[i].IsScalar() || node[i].as<std::string>().empty()) in.fail(key, "must list words");
    out.insert(node[i].as<std::string>());
  }
  return out;
}

std::map<std::string, std::string> readTextMap(const Reader& in, const YAML::Node& node, const std::string& key) {
  if (!node.IsMap()) in.fail(key, "must be a map");
  std::map<std::string, std::string> out;
  for (const auto& item : node) {
    const auto name = item.first.as<std::string>();
    out[name] = in.text(node, name, key + "." + name);
  }
  return out;
}

void readMllp(const Reader& in, const YAML::Node& node, Hl7Config& hl7) {
  in.onlyKeys(node, {"host", "port", "tls", "allow_plaintext"}, "hl7.mllp");
  MllpConfig mllp;
  mllp.host = in.get<std::string>(node, "host", "hl7.mllp.host", mllp.host, "a host name or address");
  mllp.port = in.number(node, "port", "hl7.mllp.port", mllp.port, 1, 65535);
  mllp.tls = readTransport(in, node, "hl7.mllp", mllp.host, mllp.allowPlaintext);
  hl7.mllp = mllp;
}

Hl7Config readHl7(const Reader& in, const YAML::Node& node, const Config& config) {
  Hl7Config hl7;
  auto& mapping = hl7.mapping;
  mapping.timezone = config.site.timeZone;
  for (const auto& [id, ward] : config.wards) {
    if (ward.defaultProcedure) mapping.defaultProcedures[id] = *ward.defaultProcedure;
  }
  if (node) {
    in.onlyKeys(node, {"mllp", "max_message_bytes", "idle_timeout_seconds", "processing_ids", "default_charset",
                       "timezone", "hospital_number", "locations", "procedure_codes", "died_dispositions",
                       "max_age_hours"},
                "hl7");
    if (node["mllp"]) readMllp(in, node["mllp"], hl7);
    hl7.maxMessageBytes = static_cast<std::size_t>(
        in.number(node, "max_message_bytes", "hl7.max_message_bytes", 1 << 20, 1024, 16 << 20));
    hl7.idleTimeoutSeconds = in.number(node, "idle_timeout_seconds", "hl7.idle_timeout_seconds", 300, 1, 86400);
    if (node["processing_ids"]) mapping.processingIds = readTextList(in, node["processing_ids"], "hl7.processing_ids");
    if (node["default_charset"]) {
      const auto charset = hl7::charsetFromName(in.text(node, "default_charset", "hl7.default_charset"));
      if (!charset) in.fail("hl7.default_charset", "must be \"8859/1\", \"UNICODE UTF-8\" or \"ASCII\"");
      mapping.defaultCharset = *charset;
    }
    if (node["timezone"]) mapping.timezone = in.text(node, "timezone", "hl7.timezone");
    if (const auto number = node["hospital_number"]) {
      in.onlyKeys(number, {"type", "assigning_authority"}, "hl7.hospital_number");
      mapping.hospitalNumber.type = in.get<std::string>(number, "type", "hl7.hospital_number.type", "", "text");
      mapping.hospitalNumber.assigningAuthority =
          in.get<std::string>(number, "assigning_authority", "hl7.hospital_number.assigning_authority", "", "text");
    }
    if (node["locations"]) mapping.locations = readTextMap(in, node["locations"], "hl7.locations");
    if (node["procedure_codes"]) {
      mapping.procedureCodes = readTextMap(in, node["procedure_codes"], "hl7.procedure_codes");
    }
    // Added to the defaults: a death is never printed for, whatever a site adds.
    if (node["died_dispositions"]) {
      for (const auto& word : readTextList(in, node["died_dispositions"], "hl7.died_dispositions")) {
        mapping.diedDispositions.insert(word);
      }
    }
    mapping.maxAge = std::chrono::hours(in.number(node, "max_age_hours", "hl7.max_age_hours", 24, 1, 24 * 365));
  }
  std::set<std::string> wards;
  for (const auto& item : config.wards) wards.insert(item.first);
  try {
    hl7::validateMappingConfig(mapping, wards);
  } catch (const util::ConfigError& error) {
    const std::string problem = error.what();  // "hl7.key: reason"
    const auto colon = problem.find(": ");
    if (colon == std::string::npos) in.fail("hl7", problem);
    in.fail(problem.substr(0, colon), problem.substr(colon + 2));
  }
  return hl7;
}

Role readRole(const Reader& in, const YAML::Node& map, const std::string& key, bool forToken) {
  const auto text = in.text(map, "role", key);
  if (!forToken && text == "nurse") return Role::kNurse;
  if (!forToken && text == "admin") return Role::kAdmin;
  if (forToken && text == "ward-system") return Role::kWardSystem;
  in.fail(key, forToken ? "must be ward-system" : "must be nurse or admin");
}

std::vector<std::string> readWardList(const Reader& in, const YAML::Node& node, const std::string& key,
                                      const std::set<std::string>& wards) {
  if (!node || !node.IsSequence()) in.fail(key, "must be a list of ward ids");
  std::vector<std::string> out;
  for (const auto& item : node) {
    const auto ward = item.as<std::string>();
    if (!wards.count(ward)) in.fail(key, "unknown ward '" + ward + "'");
    out.push_back(ward);
  }
  return out;
}

std::optional<AuthConfig> readAuth(const Reader& in, const YAML::Node& node, const std::set<std::string>& wards) {
  if (!node) return std::nullopt;
  in.onlyKeys(node, {"session_idle_minutes", "max_login_failures", "lockout_seconds", "users", "api_tokens"}, "auth");
  AuthConfig auth;
  auth.sessionIdleMinutes =
      in.number(node, "session_idle_minutes", "auth.session_idle_minutes", auth.sessionIdleMinutes, 1, 24 * 60);
  auth.maxLoginFailures = in.number(node, "max_login_failures", "auth.max_login_failures", auth.maxLoginFailures, 1, 100);
  auth.lockoutSeconds = in.number(node, "lockout_seconds", "auth.lockout_seconds", auth.lockoutSeconds, 1, 86400);
  const auto users = node["users"];
  if (users && !users.IsSequence()) in.fail("auth.users", "must be a list");
  for (std::size_t i = 0; users && i < users.size(); ++i) {
    const std::string key = "auth.users[" + std::to_string(i) + "]";
    in.onlyKeys(users[i], {"name", "password_hash", "role", "wards"}, key);
    UserConfig user;
    user.name = in.text(users[i], "name", key + ".name");
    user.passwordHash = in.text(users[i], "password_hash", key + ".password_hash");
    if (const auto problem = auth::checkPasswordHash(user.passwordHash)) in.fail(key + ".password_hash", *problem);
    user.role = readRole(in, users[i], key + ".role", false);
    user.wards = readWardList(in, users[i]["wards"], key + ".wards", wards);
    auth.users.push_back(user);
  }
  const auto tokens = node["api_tokens"];
  if (tokens && !tokens.IsSequence()) in.fail("auth.api_tokens", "must be a list");
  for (std::size_t i = 0; tokens && i < tokens.size(); ++i) {
    const std::string key = "auth.api_tokens[" + std::to_string(i) + "]";
    in.onlyKeys(tokens[i], {"name", "sha256", "role", "wards"}, key);
    ApiTokenConfig token;
    token.name = in.text(tokens[i], "name", key + ".name");
    token.sha256 = in.text(tokens[i], "sha256", key + ".sha256");
    if (token.sha256.size() != 64 || token.sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
      in.fail(key + ".sha256", "must be 64 lower-case hex digits (sha256sum of the token)");
    }
    token.role = readRole(in, tokens[i], key + ".role", true);
    if (tokens[i]["wards"]) token.wards = readWardList(in, tokens[i]["wards"], key + ".wards", wards);
    auth.apiTokens.push_back(token);
  }
  return auth;
}

// A map of names to non-empty names (fhir.locations: location -> ward id).
std::map<std::string, std::string> readNameMap(const Reader& in, const YAML::Node& node, const std::string& key) {
  std::map<std::string, std::string> out;
  if (!node) return out;
  if (!node.IsMap()) in.fail(key, "must be a map");
  for (const auto& item : node) {
    const auto name = item.first.as<std::string>();
    if (!item.second.IsScalar() || item.second.as<std::string>().empty()) in.fail(key + "." + name, "must be a name");
    out.emplace(name, item.second.as<std::string>());
  }
  return out;
}

std::optional<fhir::MappingConfig> readFhir(const Reader& in, const YAML::Node& node, const SiteConfig& site,
                                            const std::set<std::string>& wards) {
  if (!node) return std::nullopt;
  in.onlyKeys(node, {"hospital_number_system", "locations", "procedure_codes", "max_age_hours", "max_body_bytes",
                     "max_depth"},
              "fhir");
  fhir::MappingConfig fhir;
  fhir.timezone = site.timeZone;
  fhir.hospitalNumberSystem = in.text(node, "hospital_number_system", "fhir.hospital_number_system");
  fhir.locations = readNameMap(in, node["locations"], "fhir.locations");
  if (fhir.locations.empty()) in.fail("fhir.locations", "must map at least one location to a ward");
  fhir.procedureCodes = readNameMap(in, node["procedure_codes"], "fhir.procedure_codes");
  fhir.maxAge = std::chrono::hours{in.number(node, "max_age_hours", "fhir.max_age_hours", 24, 1, 24 * 365)};
  fhir.maxBodyBytes = static_cast<std::size_t>(
      in.number(node, "max_body_bytes", "fhir.max_body_bytes", 1 << 20, 1024, 16 * 1024 * 1024));
  fhir.maxDepth = static_cast<std::size_t>(in.number(node, "max_depth", "fhir.max_depth", 64, 8, 1000));
  try {
    fhir::validateMappingConfig(fhir, wards);
  } catch (const util::ConfigError& e) {
    // The module names the key; the file is ours to add.
    std::vector<std::string> named;
    for (const auto& problem : e.problems()) named.push_back(in.file() + ": " + problem);
    throw util::ConfigError(std::move(named));
  }
  return fhir;
}

ConfigReading readConfig(const YAML::Node& root, const std::string& path) {
  const Reader in(path, fs::path(path).parent_path());
  Parts parts(path);
  ConfigReading out;
  auto& config = out.config;
  config.sourcePath = path;
  parts.read([&] {
    in.onlyKeys(root, {"server", "store", "retention", "site", "printing", "contacts", "printers", "wards", "auth", "fhir", "hl7", "log"},
                "(top level)");
  });
  parts.read([&] { config.server = readServer(in, root["server"]); });
  parts.read([&] { config.store = readStore(in, root["store"]); });
  parts.read([&] { config.retention = readRetention(in, root["retention"]); });  // issue 9
  parts.read([&] { config.log = readLog(in, root["log"]); });  // issue 11
  parts.read([&] { config.site = readSite(in, root["site"]); });
  parts.read([&] { config.printing = readPrinting(in, root["printing"]); });
  parts.read([&] { checkLease(in, config.store, config.printing); });
  parts.read([&] { config.contacts = readContacts(in, root["contacts"]); });
  parts.read([&] { config.printers = readPrinters(in, root["printers"], parts); });
  parts.read([&] { config.wards = readWards(in, root["wards"], namesIn(root["printers"]), parts); });
  parts.read([&] { config.auth = readAuth(in, root["auth"], namesIn(root["wards"])); });
  parts.read([&] { config.fhir = readFhir(in, root["fhir"], config.site, namesIn(root["wards"])); });
  parts.read([&] { config.hl7 = readHl7(in, root["hl7"], config); });
  out.problems = parts.take();
  return out;
}


}  // namespace


ConfigReading readConfigFile(const std::string& path) {
  if (!util::isRegularFile(path)) return {{}, {path + ": cannot be read (not found, or not a file)"}};
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return {{}, {path + ": cannot be read"}};
  } catch (const YAML::Exception& e) {
    return {{}, {path + ": not valid YAML: " + e.msg + " (line " + std::to_string(e.mark.line + 1) + ")"}};
  }
  return readConfig(root, path);
}

Config loadConfig(const std::string& path) {
  auto reading = readConfigFile(path);
  if (!reading.problems.empty()) throw util::ConfigError(std::move(reading.problems));
  return std::move(reading.config);
}


}  // namespace wardprint::settings
