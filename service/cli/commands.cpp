#include "cli/commands.h"

#include <algorithm>
#include <map>
#include <istream>
#include <ostream>

#include "settings/config.h"
#include "wiring/config_check.h"
#include "intake/leaflet_service.h"
#include "settings/resources.h"
#include "auth/password_hash.h"
#include "events/event_parser.h"
#include "store/job_store.h"
#include "store/store_backup.h"
#include "store/store_lock.h"
#include "util/clock.h"
#include "util/files.h"
#include "util/problems.h"

namespace wardprint::cli {
namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  wardprint render --event EVENT.json --out LEAFLET.pdf [--config FILE]\n"
    "      Renders the leaflet for one discharge event. A refused event prints each\n"
    "      problem as 'field: reason' and exits 2 without writing anything.\n"
    "  wardprint check-layouts [--config FILE]\n"
    "      Loads every layout and renders a sample leaflet with each.\n"
    "  wardprint check-config [--config FILE] [--offline]\n"
    "      Checks the configuration as the daemon would load it (its TLS files too), asks\n"
    "      each printer for its attributes (not with --offline), then the layouts as\n"
    "      check-layouts does. Exits 0 when all is well, 1 naming every problem.\n"
    "  wardprint init-store [--config FILE | --store PATH]\n"
    "      Makes the configured store (store.path, or PATH) if it is missing or empty; an\n"
    "      existing store is checked and brought up to date. Run once when installing.\n"
    "  wardprint backup [--config FILE | --store PATH] --out FILE\n"
    "      Copies the store to FILE while the daemon runs (one consistent moment), checks\n"
    "      the copy and says what it holds. Run it as the user that owns the store.\n"
    "  wardprint restore [--config FILE | --store PATH] --from FILE\n"
    "      Checks the backup FILE and puts it back as the store, only where there is no\n"
    "      store yet (move a damaged one aside first), with the daemon stopped.\n"
    "  wardprint purge [--config FILE] [--force yes]\n"
    "      Removes leaflets past store.retention_days now, with the daemon stopped.\n"
    "      --force yes removes them even when they are more than retention.max_purge_fraction\n"
    "      of the store (after checking the system clock).\n"
    "  wardprint hash-password\n"
    "      Reads a password on standard input and prints its hash for auth.users in the\n"
    "      configuration (PBKDF2-SHA256).\n"
    "  wardprint --help\n";

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "--name value" pairs after the command word.
std::map<std::string, std::string> readOptions(const std::vector<std::string>& args,
                                               const std::vector<std::string>& allowed) {
  std::map<std::string, std::string> options;
  for (std::size_t i = 1; i < args.size(); i += 2) {
    if (std::find(allowed.begin(), allowed.end(), args[i]) == allowed.end()) {
      throw UsageError("unknown option '" + args[i] + "'");
    }
    if (i + 1 >= args.size()) throw UsageError(args[i] + " needs a value");
    options[args[i]] = args[i + 1];
  }
  return options;
}

std::string required(const std::map<std::string, std::string>& options, const std::string& name) {
  const auto found = options.find(name);
  if (found == options.end()) throw UsageError(name + " is required");
  return found->second;
}

std::string configPath(const std::map<std::string, std::string>& options) {
  const auto found = options.find("--config");
  return found == options.end() ? settings::resources().defaultConfig : found->second;
}

int render(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto options = readOptions(args, {"--event", "--out", "--config"});
  const auto eventPath = required(options, "--event");
  const auto outPath = required(options, "--out");
  intake::LeafletService service(settings::loadConfig(configPath(options)));
  const auto parsed = events::parseDischargeEvent(util::readFile(eventPath), service.eventRules());
  if (!parsed.event) {
    err << eventPath << ": event refused:\n" << util::describe(parsed.problems);
    return kExitInvalidEvent;
  }
  const auto leaflet = service.render(*parsed.event);
  util::writeFileAtomically(outPath, leaflet.pdf);
  out << outPath << ": " << leaflet.pdf.size() << " bytes, document " << leaflet.documentId << ", layout "
      << leaflet.layoutId << " v" << leaflet.layoutVersion << "\n";
  return kExitOk;
}

// Prints what was checked, then every problem; kExitFailure when there is one.
int report(const std::vector<std::string>& lines, const std::vector<std::string>& problems, std::ostream& out,
           std::ostream& err) {
  for (const auto& line : lines) out << line << "\n";
  for (const auto& problem : problems) err << "wardprint: " << problem << "\n";
  return problems.empty() ? kExitOk : kExitFailure;
}

int checkLayouts(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  const auto options = readOptions(args, {"--config"});
  intake::LeafletService service(settings::loadConfig(configPath(options)));
  const auto check = service.checkLayouts();
  return report(check.report, check.problems, out, err);
}

int checkConfig(std::vector<std::string> args, std::ostream& out, std::ostream& err) {
  const auto offline = std::find(args.begin(), args.end(), "--offline");
  const auto network = offline == args.end() ? wiring::Network::kAskPrinters : wiring::Network::kOffline;
  if (offline != args.end()) args.erase(offline);
  const auto options = readOptions(args, {"--config"});
  const auto check = wiring::checkConfiguration(configPath(options), network);
  return report(check.report, check.problems, out, err);
}

// The configuration's SQLite file. The store commands work on SQLite only: a PostgreSQL
// store is made and upgraded by its daemons, purged by them, and backed up with the
// trust's PostgreSQL tools.
std::string sqlitePath(const settings::Config& config) {
  if (config.store.postgresql) {
    throw std::runtime_error("store.postgresql: this command works on a SQLite store (store.path); a PostgreSQL "
                             "store is set up and purged by its daemons and backed up with PostgreSQL's own tools");
  }
  return config.store.path;
}

// --store PATH, else the configuration's store.path. An installation makes its store
// before the operator has named printers and wards, so the configuration cannot load yet.
std::string storePath(const std::map<std::string, std::string>& options) {
  if (options.count("--store") && options.count("--config")) throw UsageError("give --config or --store, not both");
  return options.count("--store") ? options.at("--store") : sqlitePath(settings::loadConfig(configPath(options)));
}

std::string describe(const store::CopySummary& copy) {
  return std::to_string(copy.leaflets) + " leaflets, " + std::to_string(copy.events) + " events, schema " +
         std::to_string(copy.schemaVersion) + ", " + std::to_string(copy.bytes) + " bytes, integrity check ok";
}

int initStore(const std::vector<std::string>& args, std::ostream& out) {
  const auto path = storePath(readOptions(args, {"--config", "--store"}));
  const store::StoreLock lock(path);  // never under a running daemon
  const auto store = store::JobStore::open(path, true);
  if (const auto damage = store->checkIntegrity()) throw std::runtime_error(path + ": " + *damage);
  out << path << ": store ready (" << store->documentCount() << " leaflets)\n";
  return kExitOk;
}

int backup(const std::vector<std::string>& args, std::ostream& out) {
  const auto options = readOptions(args, {"--config", "--store", "--out"});
  const auto outPath = required(options, "--out");
  const auto path = storePath(options);
  const auto copy = store::backupStore(path, outPath);
  out << "backed up " << path << " to " << outPath << ": " << describe(copy) << "\n";
  return kExitOk;
}

int restore(const std::vector<std::string>& args, std::ostream& out) {
  const auto options = readOptions(args, {"--config", "--store", "--from"});
  const auto fromPath = required(options, "--from");
  const auto path = storePath(options);
  const auto copy = store::restoreStore(fromPath, path);
  out << "restored " << fromPath << " as " << path << ": " << describe(copy);
  if (copy.upgradedTo != 0) out << "; brought up to schema " << copy.upgradedTo;
  out << ". Start the daemon when ready.\n";
  return kExitOk;
}

int purge(const std::vector<std::string>& args, std::ostream& out) {
  const auto options = readOptions(args, {"--config", "--force"});
  const auto force = options.count("--force") ? options.at("--force") : "no";
  if (force != "yes" && force != "no") throw UsageError("--force takes yes or no");
  const auto config = settings::loadConfig(configPath(options));
  const auto path = sqlitePath(config);
  const store::StoreLock lock(path);
  const auto store = store::JobStore::open(path);
  const auto now = util::systemClock().wallMillis();
  const auto result = store->purge(now - config.store.retentionDays * 24LL * 3600 * 1000,
                                   config.retention.maxPurgeFraction, force == "yes", now);
  out << path << ": " << result.eligible << " of " << result.total << " leaflets past retention; "
      << (result.refused ? "none removed: more than retention.max_purge_fraction (use --force yes)"
                         : std::to_string(result.removed) + " removed")
      << "\n";
  return result.refused ? kExitFailure : kExitOk;
}

int hashPassword(const std::vector<std::string>& args, std::istream& in, std::ostream& out) {
  if (args.size() != 1) throw UsageError("hash-password takes no options");
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.size() < 8) throw UsageError("the password must have at least 8 characters");
  out << auth::hashPassword(password) << "\n";
  return kExitOk;
}

}  // namespace

int runCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err) {
  try {
    if (args.empty()) throw UsageError("a command is required");
    if (args[0] == "--help" || args[0] == "help") {
      out << kUsage << "The configuration defaults to " << settings::resources().defaultConfig << ".\n";
      return kExitOk;
    }
    if (args[0] == "render") return render(args, out, err);
    if (args[0] == "check-layouts") return checkLayouts(args, out, err);
    if (args[0] == "check-config") return checkConfig(args, out, err);
    if (args[0] == "hash-password") return hashPassword(args, in, out);
    if (args[0] == "init-store") return initStore(args, out);
    if (args[0] == "purge") return purge(args, out);
    if (args[0] == "backup") return backup(args, out);
    if (args[0] == "restore") return restore(args, out);
    throw UsageError("unknown command '" + args[0] + "'");
  } catch (const UsageError& e) {
    err << "wardprint: " << e.what() << "\n" << kUsage;
    return kExitUsage;
  } catch (const util::InvalidInput& e) {
    err << "event refused:\n" << e.what();
    return kExitInvalidEvent;
  } catch (const std::exception& e) {
    err << "wardprint: " << e.what() << "\n";
    return kExitFailure;
  }
}

}  // namespace wardprint::cli
