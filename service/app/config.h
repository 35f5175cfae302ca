#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "leaflet/leaflet_builder.h"

namespace wardprint::app {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::size_t maxBodyBytes = 65536;
  int threads = 8;
};

struct StoreConfig {
  std::string path;  // absolute
  int retentionDays = 90;
};

struct SiteConfig {
  std::string name;
  std::string timeZone = "Europe/London";
  std::string defaultLanguage = "en-GB";
  std::string layoutsDir;              // absolute
  std::vector<std::string> fontDirs;   // absolute
};

struct PrinterConfig {
  std::string uri;  // ipp:// or ipps://
  std::string media = "iso_a4_210x297mm";
  std::string sides = "two-sided-long-edge";
};

struct PrintingConfig {
  int maxAttempts = 5;          // failed sends before a job fails or moves to the fallback printer
  int firstRetrySeconds = 2;    // doubles with each failure
  int maxRetrySeconds = 60;
  int connectTimeoutMs = 3000;  // to reach a printer
  int ioTimeoutSeconds = 10;    // for a printer to answer
  int statusIntervalSeconds = 30;  // how often printers are asked for their state
};

struct WardConfig {
  std::string name;
  std::string phone;
  std::string printer;
  std::optional<std::string> fallbackPrinter;
};

struct Config {
  std::string sourcePath;
  ServerConfig server;
  StoreConfig store;
  SiteConfig site;
  PrintingConfig printing;
  std::vector<leaflet::Contact> contacts;
  std::map<std::string, PrinterConfig> printers;
  std::map<std::string, WardConfig> wards;
};

// Reads the service configuration. Relative paths are taken relative to the file's folder.
// Throws util::ConfigError naming the file and key, e.g.
// "config/x.yaml: wards.ward-7.printer: unknown printer 'laser-9'".
Config loadConfig(const std::string& path);

}  // namespace wardprint::app
