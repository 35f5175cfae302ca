// Fuzzes the service configuration loader: each input is written to a file in a private
// folder and loaded. A bad configuration must end in util::ConfigError; anything else
// escaping is a bug.

#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "settings/config.h"
#include "fuzz_files.h"
#include "util/problems.h"

namespace {

const std::filesystem::path& inputFile() {
  static const wardprint::fuzz::ScratchDir dir;
  static const std::filesystem::path file = dir.path() / "wardprint.yaml";
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wardprint::fuzz::writeInput(inputFile(), data, size);
  try {
    wardprint::settings::loadConfig(inputFile().string());
  } catch (const wardprint::util::ConfigError&) {
    // The documented outcome for a bad configuration.
  }
  return 0;
}
