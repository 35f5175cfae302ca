// Fuzzes the layout loader: each input is written to fuzz.yaml in a private folder that
// also holds copies of the real layouts, so `extends:` can name one of them (or the input
// itself). A bad layout must end in util::ConfigError; anything else escaping is a bug, and
// so is a layout accepted with a size or spacing that is not a finite number.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz_files.h"
#include "leaflet/layout_loader.h"
#include "util/problems.h"

namespace {

namespace fs = std::filesystem;

// The folders config/wardprint.yaml has named (a folder that is missing does no harm).
const std::vector<std::string> kFontDirs{"/usr/share/fonts/truetype/liberation2",
                                         "/usr/share/fonts/truetype/open-sans",
                                         "/usr/share/fonts/truetype/dejavu"};

const fs::path& inputFile() {
  static const wardprint::fuzz::ScratchDir dir;
  static const fs::path file = [] {
    fs::copy(WARDPRINT_SOURCE_DIR "/layouts", dir.path(), fs::copy_options::recursive);
    return dir.path() / "fuzz.yaml";
  }();
  return file;
}

bool finite(const wardprint::leaflet::TextStyle& style) {
  return std::isfinite(style.size) && std::isfinite(style.leading) && std::isfinite(style.spaceBefore) &&
         std::isfinite(style.spaceAfter);
}

bool finite(const wardprint::leaflet::Layout& layout) {
  const auto& styles = layout.styles;
  return std::isfinite(layout.page.margin) && finite(styles.title) && finite(styles.heading) &&
         finite(styles.body) && finite(styles.margin);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wardprint::fuzz::writeInput(inputFile(), data, size);
  try {
    if (!finite(wardprint::leaflet::loadLayout(inputFile().string(), kFontDirs))) std::abort();
  } catch (const wardprint::util::ConfigError&) {
    // The documented outcome for a bad layout.
  }
  return 0;
}
