#include "leaflet/layout_catalog.h"

#include <algorithm>
#include <filesystem>

#include "leaflet/layout_loader.h"
#include "util/files.h"
#include "util/problems.h"

namespace wardprint::leaflet {
namespace {

events::LayoutChoice choiceOf(const Layout& layout) {
  return {layout.procedure, layout.language, layout.largePrint};
}

}  // namespace

LayoutCatalog LayoutCatalog::load(const std::string& dir, const std::vector<std::string>& fontDirs) {
  namespace fs = std::filesystem;
  if (!util::isDirectory(dir)) throw util::ConfigError(dir + ": layouts folder not found");
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw util::ConfigError(dir + ": holds no *.yaml layouts");

  LayoutCatalog catalog;
  std::vector<std::string> problems;  // every file's, so that one bad layout hides no other
  for (const auto& file : files) {
    try {
      auto layout = loadLayout(file, fontDirs);
      if (const auto* other = catalog.find(choiceOf(layout))) {
        throw util::ConfigError(file + ": serves the same procedure, language and size as " + other->sourcePath);
      }
      catalog.layouts_.push_back(std::move(layout));
    } catch (const util::ConfigError& e) {
      problems.insert(problems.end(), e.problems().begin(), e.problems().end());
    }
  }
  if (!problems.empty()) throw util::ConfigError(problems);
  return catalog;
}

const Layout* LayoutCatalog::find(const events::LayoutChoice& choice) const {
  for (const auto& layout : layouts_) {
    const auto candidate = choiceOf(layout);
    if (!(candidate < choice) && !(choice < candidate)) return &layout;
  }
  return nullptr;
}

std::set<events::LayoutChoice> LayoutCatalog::choices() const {
  std::set<events::LayoutChoice> out;
  for (const auto& layout : layouts_) out.insert(choiceOf(layout));
  return out;
}

}  // namespace wardprint::leaflet
