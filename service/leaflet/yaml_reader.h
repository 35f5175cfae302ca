#pragma once

// For the YAML loaders of service/leaflet only (layouts and their words), through the one
// YAML reader (service/yaml).

#include <set>
#include <string>

#include "util/problems.h"
#include "yaml/yaml.h"

namespace wardprint::leaflet {

namespace YAML = wardprint::yaml;  // yaml-cpp's names, behind our one YAML reader

// The file's YAML. Throws util::ConfigError naming the file (and the line) when it cannot be
// read or parsed.
inline YAML::Node loadYamlFile(const std::string& path) {
  try {
    return YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw util::ConfigError(path + ": cannot be read");
  } catch (const YAML::Exception& e) {
    throw util::ConfigError(path + ": not valid YAML: " + e.msg + " (line " + std::to_string(e.mark.line + 1) + ")");
  }
}

// Reads typed values from a layout or words file, turning every failure into a ConfigError
// that names the file, the key and the line.
class YamlReader {
 public:
  explicit YamlReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& key, const YAML::Node& node,
                         const std::string& reason) const {
    std::string where = file_ + ": " + key + ": " + reason;
    if (node && node.Mark().line >= 0) where += " (line " + std::to_string(node.Mark().line + 1) + ")";
    throw util::ConfigError(where);
  }

  YAML::Node required(const YAML::Node& parent, const std::string& name, const std::string& key) const {
    const auto node = parent[name];
    if (!node) fail(key, parent, "is required");
    return node;
  }

  template <typename T>
  T as(const YAML::Node& node, const std::string& key, const std::string& what) const {
    if (!node.IsScalar()) fail(key, node, "must be " + what);
    try {
      return node.as<T>();
    } catch (const YAML::Exception&) {
      fail(key, node, "must be " + what);
    }
  }

  std::string string(const YAML::Node& parent, const std::string& name, const std::string& key) const {
    return as<std::string>(required(parent, name, key), key, "text");
  }

  double number(const YAML::Node& node, const std::string& key, double min, double max) const {
    const auto value = as<double>(node, key, "a number");
    if (!(value >= min && value <= max)) {  // also refuses NaN
      fail(key, node, "must be from " + trimmed(min) + " to " + trimmed(max));
    }
    return value;
  }

  void onlyKeys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& key) const {
    if (!map.IsMap()) fail(key, map, "must be a map");
    for (const auto& item : map) {
      const auto name = item.first.as<std::string>();
      if (!allowed.count(name)) fail(key.empty() ? name : key + "." + name, item.first, "unknown key");
    }
  }

  const std::string& file() const { return file_; }

 private:
  static std::string trimmed(double value) {
    auto text = std::to_string(value);
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
    return text;
  }

  std::string file_;
};

}  // namespace wardprint::leaflet
