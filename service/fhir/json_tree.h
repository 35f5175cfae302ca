#pragma once

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "fhir/outcome.h"

// Internal to the fhir module: the request's JSON, and typed reads of its elements.
namespace wardprint::fhir {

// A JSON object in the request and the FHIRPath that leads to it ("Bundle.entry[0].resource").
struct Node {
  Poco::JSON::Object::Ptr object;
  std::string path;
};

// The body as a JSON object (path ""), or why not: 413 when over maxBytes, 400 when nested
// deeper than maxDepth (checked before parsing, so deep input never reaches the parser), not
// JSON, or not an object. Never throws for bad input.
std::variant<Node, Refusal> parseBody(std::string_view body, std::size_t maxBytes,
                                      std::size_t maxDepth);

// Reads elements of nodes. An element of the wrong JSON type is an issue ("structure", 400)
// recorded here and read as missing; elements nobody asks for are never looked at, so
// unknown elements and extensions are tolerated.
class Elements {
 public:
  std::optional<std::string> string(const Node& node, const std::string& name);
  std::optional<bool> boolean(const Node& node, const std::string& name);
  std::optional<Node> object(const Node& node, const std::string& name);
  // An array of objects ("name": [{...}]), each with its path ("Patient.name[1]").
  std::vector<Node> objects(const Node& node, const std::string& name);
  // An array of strings ("given": ["Ann", "Marie"]).
  std::vector<std::string> strings(const Node& node, const std::string& name);

  const std::vector<Issue>& issues() const { return issues_; }

 private:
  void wrongType(const Node& node, const std::string& name, const char* expected);
  // The items of an array element, each with its path; an issue when it is not an array.
  std::vector<std::pair<Poco::Dynamic::Var, std::string>> items(const Node& node,
                                                                const std::string& name);
  std::vector<Issue> issues_;
};

// The FHIRPath of the first element named `name` at any depth of `node` (contained resources
// included) but outside its members named in `skipping`, or nullopt: used to find
// modifierExtension and implicitRules, which wardprint cannot honour.
std::optional<std::string> findElement(const Node& node, const std::string& name,
                                       const std::set<std::string>& skipping = {});

}  // namespace wardprint::fhir
