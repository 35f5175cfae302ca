// wardprint-bench render: renders one discharge event many times on one thread and prints
// each figure as a `name=value` line, then the same figures for a non-Latin family name
// (prefixed `nonlatin_`) and for a mixed-script Arabic and Chinese name set through the
// shaping path (prefixed `mixed_`). Measures only; it asserts nothing about the figures.
//
//   wardprint-bench render [--event FILE] [--config FILE] [--iterations N] [--warmup N]

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "settings/config.h"
#include "intake/leaflet_service.h"
#include "settings/resources.h"
#include "events/event_parser.h"
#include "util/files.h"
#include "util/problems.h"

namespace {

using namespace wardprint;
using Clock = std::chrono::steady_clock;

constexpr int kExitUsage = 64;
constexpr const char* kUsage =
    "usage: wardprint-bench render [--event FILE] [--config FILE] [--iterations N] [--warmup N]\n"
    "  Renders the event (default tests/data/discharge-vertebroplasty.json) N times\n"
    "  (default 2000, after 50 warm-up renders) and prints name=value figures.\n";

// A Greek family name: drawn through a different single-byte encoding (CP1253) than the
// sample's Latin one, so its cost shows next to the Latin figures.
constexpr const char* kNonLatinFamilyName = "Παπαδοπούλου";

// A name in two scripts that need shaping (Arabic joining, right to left; Chinese from the
// CJK collection): its glyphs are drawn as outlines with the text laid over invisibly.
constexpr const char* kMixedGivenName = "محمد";
constexpr const char* kMixedFamilyName = "张伟";

// The sample event, found beside the default config of the source tree (<source>/config/…).
std::string sampleEventPath() {
  const auto sourceDir = std::filesystem::path(wardprint::settings::resources().defaultConfig).parent_path().parent_path();
  return (sourceDir / "tests" / "data" / "discharge-vertebroplasty.json").string();
}

struct Options {
  std::string event = sampleEventPath();
  std::string config = wardprint::settings::resources().defaultConfig;
  int iterations = 2000;
  int warmup = 50;
};

struct Figures {
  double rendersPerSecond = 0;
  double p50Ms = 0;
  double p99Ms = 0;
  std::size_t pdfBytes = 0;
  double rssMb = 0;
};

// Returns false when the arguments are not `render` followed by known "--name value" pairs.
bool parseOptions(const std::vector<std::string>& args, Options& options) {
  if (args.empty() || args[0] != "render" || args.size() % 2 == 0) return false;
  try {
    for (std::size_t i = 1; i + 1 < args.size(); i += 2) {
      const auto& name = args[i];
      const auto& value = args[i + 1];
      if (name == "--event") {
        options.event = value;
      } else if (name == "--config") {
        options.config = value;
      } else if (name == "--iterations") {
        options.iterations = std::stoi(value);
      } else if (name == "--warmup") {
        options.warmup = std::stoi(value);
      } else {
        return false;
      }
    }
  } catch (const std::logic_error&) {  // stoi: not a number
    return false;
  }
  return options.iterations > 0 && options.warmup >= 0;
}

// Peak resident set of this process so far (ru_maxrss is in KiB on Linux).
double peakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// Nearest-rank percentile of sorted durations.
double percentileMs(const std::vector<double>& sortedMs, double percent) {
  const auto rank =
      static_cast<std::size_t>(std::ceil(percent / 100.0 * static_cast<double>(sortedMs.size())));
  return sortedMs[std::clamp<std::size_t>(rank, 1, sortedMs.size()) - 1];
}

Figures measure(intake::LeafletService& service, const events::DischargeEvent& event,
                const Options& options) {
  for (int i = 0; i < options.warmup; ++i) service.render(event);

  std::vector<double> durationsMs;
  durationsMs.reserve(static_cast<std::size_t>(options.iterations));
  std::size_t pdfBytes = 0;
  const auto started = Clock::now();
  for (int i = 0; i < options.iterations; ++i) {
    const auto before = Clock::now();
    pdfBytes = service.render(event).pdf.size();
    durationsMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - before).count());
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  std::sort(durationsMs.begin(), durationsMs.end());
  return {options.iterations / seconds, percentileMs(durationsMs, 50),
          percentileMs(durationsMs, 99), pdfBytes, peakRssMb()};
}

void print(const std::string& prefix, const Figures& figures) {
  std::printf("%srender_per_s=%.1f\n", prefix.c_str(), figures.rendersPerSecond);
  std::printf("%srender_p50_ms=%.3f\n", prefix.c_str(), figures.p50Ms);
  std::printf("%srender_p99_ms=%.3f\n", prefix.c_str(), figures.p99Ms);
  std::printf("%spdf_bytes=%zu\n", prefix.c_str(), figures.pdfBytes);
  std::printf("%srss_mb=%.1f\n", prefix.c_str(), figures.rssMb);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parseOptions({argv + 1, argv + argc}, options)) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  try {
    intake::LeafletService service(settings::loadConfig(options.config));
    const auto parsed = events::parseDischargeEvent(util::readFile(options.event), service.eventRules());
    if (!parsed.event) {
      std::cerr << options.event << ": event refused:\n" << util::describe(parsed.problems);
      return 1;
    }
    auto event = *parsed.event;
    const auto latin = measure(service, event, options);
    event.patient.familyName = kNonLatinFamilyName;
    const auto nonLatin = measure(service, event, options);
    event.patient.givenName = kMixedGivenName;
    event.patient.familyName = kMixedFamilyName;
    const auto mixed = measure(service, event, options);

    print("", latin);
    print("nonlatin_", nonLatin);
    print("mixed_", mixed);
    std::printf(
        "# %d renders each (after %d warm-up) of %s on one thread; nonlatin_ uses family name %s;"
        " mixed_ uses the name %s %s\n",
        options.iterations, options.warmup, options.event.c_str(), kNonLatinFamilyName, kMixedGivenName,
        kMixedFamilyName);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "wardprint-bench: " << e.what() << "\n";
    return 1;
  }
}
