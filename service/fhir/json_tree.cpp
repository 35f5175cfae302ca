#include "fhir/json_tree.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

namespace wardprint::fhir {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Refusal refusal(int status, std::string code, std::string diagnostics) {
  return Refusal{status,
                 {Issue{Issue::Severity::kFatal, std::move(code), std::move(diagnostics), ""}}};
}

// The deepest nesting of objects and arrays, stopping as soon as it passes `limit`.
std::size_t nestingDepth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0, deepest = 0;
  bool inString = false, escaped = false;
  for (const char c : text) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
    } else if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) break;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::string member(const Node& node, const std::string& name) {
  return node.path.empty() ? name : node.path + '.' + name;
}

std::optional<std::string> findIn(const Poco::Dynamic::Var& value, const std::string& path,
                                  const std::string& name) {
  if (value.type() == typeid(Object::Ptr)) {
    return findElement(Node{value.extract<Object::Ptr>(), path}, name);
  }
  if (value.type() == typeid(Array::Ptr)) {
    const Array::Ptr array = value.extract<Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (auto found = findIn(array->get(static_cast<unsigned>(i)),
                              path + '[' + std::to_string(i) + ']', name)) {
        return found;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::variant<Node, Refusal> parseBody(std::string_view body, std::size_t maxBytes,
                                      std::size_t maxDepth) {
  if (body.size() > maxBytes) {
    return refusal(
        413, "too-long",
        "the body is larger than wardprint takes (" + std::to_string(maxBytes) + " bytes)");
  }
  if (nestingDepth(body, maxDepth) > maxDepth) {
    return refusal(400, "too-long",
                   "the JSON is nested more than " + std::to_string(maxDepth) + " levels deep");
  }
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(maxDepth + 1);
    const Poco::Dynamic::Var parsed = parser.parse(std::string(body));
    if (parsed.type() != typeid(Object::Ptr)) {
      return refusal(400, "structure", "the body is not a JSON object");
    }
    return Node{parsed.extract<Object::Ptr>(), ""};
  } catch (const Poco::Exception&) {
    return refusal(400, "structure", "the body is not valid JSON");
  }
}

void Elements::wrongType(const Node& node, const std::string& name, const char* expected) {
  issues_.push_back({Issue::Severity::kError, "structure", std::string("must be ") + expected,
                     member(node, name)});
}

std::optional<std::string> Elements::string(const Node& node, const std::string& name) {
  if (!node.object->has(name)) return std::nullopt;
  const Poco::Dynamic::Var value = node.object->get(name);
  if (value.type() != typeid(std::string)) {
    wrongType(node, name, "a string");
    return std::nullopt;
  }
  return value.extract<std::string>();
}

std::optional<bool> Elements::boolean(const Node& node, const std::string& name) {
  if (!node.object->has(name)) return std::nullopt;
  const Poco::Dynamic::Var value = node.object->get(name);
  if (value.type() != typeid(bool)) {
    wrongType(node, name, "true or false");
    return std::nullopt;
  }
  return value.extract<bool>();
}

std::optional<Node> Elements::object(const Node& node, const std::string& name) {
  if (!node.object->has(name)) return std::nullopt;
  const Poco::Dynamic::Var value = node.object->get(name);
  if (value.type() != typeid(Object::Ptr)) {
    wrongType(node, name, "an object");
    return std::nullopt;
  }
  return Node{value.extract<Object::Ptr>(), member(node, name)};
}

std::vector<std::pair<Poco::Dynamic::Var, std::string>> Elements::items(const Node& node,
                                                                        const std::string& name) {
  std::vector<std::pair<Poco::Dynamic::Var, std::string>> out;
  if (!node.object->has(name)) return out;
  const Poco::Dynamic::Var value = node.object->get(name);
  if (value.type() != typeid(Array::Ptr)) {
    wrongType(node, name, "an array");
    return out;
  }
  const Array::Ptr array = value.extract<Array::Ptr>();
  for (std::size_t i = 0; i < array->size(); ++i) {
    out.emplace_back(array->get(static_cast<unsigned>(i)),
                     member(node, name) + '[' + std::to_string(i) + ']');
  }
  return out;
}

std::vector<Node> Elements::objects(const Node& node, const std::string& name) {
  std::vector<Node> out;
  for (const auto& [item, path] : items(node, name)) {
    if (item.type() == typeid(Object::Ptr)) {
      out.push_back(Node{item.extract<Object::Ptr>(), path});
    } else {
      issues_.push_back({Issue::Severity::kError, "structure", "must be an object", path});
    }
  }
  return out;
}

std::vector<std::string> Elements::strings(const Node& node, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& [item, path] : items(node, name)) {
    if (item.type() == typeid(std::string)) {
      out.push_back(item.extract<std::string>());
    } else {
      issues_.push_back({Issue::Severity::kError, "structure", "must be a string", path});
    }
  }
  return out;
}

std::optional<std::string> findElement(const Node& node, const std::string& name,
                                       const std::set<std::string>& skipping) {
  if (node.object->has(name)) return member(node, name);
  for (const auto& [key, value] : *node.object) {
    if (skipping.count(key)) continue;
    if (auto found = findIn(value, member(node, key), name)) return found;
  }
  return std::nullopt;
}

}  // namespace wardprint::fhir
