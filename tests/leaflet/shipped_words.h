#pragma once

#include <map>
#include <string>

#include "leaflet/words.h"

namespace wardprint::leaflet {

// The shipped layouts/words/LANGUAGE.yaml, loaded once per test program.
inline const Words& shippedWords(const std::string& language) {
  static std::map<std::string, Words> loaded;
  auto found = loaded.find(language);
  if (found == loaded.end()) {
    found = loaded.emplace(language, loadWords(WARDPRINT_SOURCE_DIR "/layouts/words/" + language + ".yaml")).first;
  }
  return found->second;
}

}  // namespace wardprint::leaflet
