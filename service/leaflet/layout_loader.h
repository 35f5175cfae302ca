#pragma once

#include <string>
#include <vector>

#include "leaflet/layout.h"

namespace wardprint::leaflet {

// Loads and checks one layout file. A layout may say `extends: OTHER.yaml` (a file beside
// it): its keys then override the other's, maps merged key by key, lists replaced whole.
// Font file names are looked up in `fontDirs` (absolute paths are used as they are).
// Throws util::ConfigError naming the file, the key and the reason, e.g.
// "layouts/x.yaml: styles.body.size: must be at least 16 in a large-print layout (line 12)".
Layout loadLayout(const std::string& path, const std::vector<std::string>& fontDirs);

// Smallest body text sizes, in points, from clear-print guidance.
inline constexpr double kMinBodySize = 12;
inline constexpr double kMinLargePrintBodySize = 16;

}  // namespace wardprint::leaflet
