#include "settings/resources.h"

#include <filesystem>
#include <system_error>

namespace wardprint::settings {
namespace fs = std::filesystem;

namespace {

bool isInside(const fs::path& path, const fs::path& folder) {
  const auto relative = path.lexically_normal().lexically_relative(folder.lexically_normal());
  return !relative.empty() && *relative.begin() != "..";
}

std::string executableDir() {
  std::error_code error;
  const auto executable = fs::read_symlink("/proc/self/exe", error);
  return error ? std::string() : executable.parent_path().string();
}

}  // namespace

Resources resourcesFor(const std::string& executableDir, const std::string& buildDir, const std::string& sourceDir,
                       const std::string& dataDir, const std::string& configDir) {
  if (!executableDir.empty() && isInside(executableDir, buildDir)) {
    const fs::path source(sourceDir);
    return {(source / "service/http/page").string(), (source / "layouts").string(),
            (source / "config/wardprint.yaml").string()};
  }
  const fs::path data(dataDir);
  return {(data / "page").string(), (data / "layouts").string(), (fs::path(configDir) / "wardprint.yaml").string()};
}

const Resources& resources() {
  static const Resources found = resourcesFor(executableDir(), WARDPRINT_BUILD_DIR, WARDPRINT_SOURCE_TREE,
                                              WARDPRINT_DATA_DIR, WARDPRINT_CONFIG_DIR);
  return found;
}

}  // namespace wardprint::settings
