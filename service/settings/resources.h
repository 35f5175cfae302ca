#pragma once

#include <string>

namespace wardprint::settings {

// Where wardprint's own files are: the nurse page, the layouts and the default
// configuration. An installed executable finds them under <prefix>/share/wardprint and
// <sysconfdir>/wardprint; one run from its build folder finds them in the source tree.
// So a configuration copied to any folder serves the page and finds the layouts without
// naming them (server.page_dir and site.layouts_dir still override).
struct Resources {
  std::string pageDir;
  std::string layoutsDir;
  std::string defaultConfig;
};

// The resources for the running executable, worked out once. Thread-safe.
const Resources& resources();

// The choice itself, for tests: `executableDir` inside `buildDir` means a build folder.
Resources resourcesFor(const std::string& executableDir, const std::string& buildDir, const std::string& sourceDir,
                       const std::string& dataDir, const std::string& configDir);

}  // namespace wardprint::settings
