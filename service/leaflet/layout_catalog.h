#pragma once

#include <set>
#include <string>
#include <vector>

#include "events/discharge_event.h"
#include "leaflet/layout.h"

namespace wardprint::leaflet {

// Every layout in a folder, found by procedure, language and print size.
class LayoutCatalog {
 public:
  // Loads and checks every *.yaml in `dir`. Throws util::ConfigError naming every bad
  // layout (and two layouts for the same procedure, language and size), or a folder with none.
  static LayoutCatalog load(const std::string& dir, const std::vector<std::string>& fontDirs);

  // Returns nullptr when no layout serves that choice.
  const Layout* find(const events::LayoutChoice& choice) const;
  std::set<events::LayoutChoice> choices() const;
  const std::vector<Layout>& layouts() const { return layouts_; }

 private:
  std::vector<Layout> layouts_;
};

}  // namespace wardprint::leaflet
