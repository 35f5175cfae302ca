#include "fhir/request.h"

#include <Poco/JSON/Array.h>

#include "fhir/defined_elements.h"

namespace wardprint::fhir {
namespace {

Refusal refuse(int status, std::string code, std::string diagnostics, std::string expression) {
  return Refusal{status,
                 {Issue{Issue::Severity::kError, std::move(code), std::move(diagnostics),
                        std::move(expression)}}};
}

std::optional<std::string> stringIn(const Node& node, const std::string& name) {
  if (!node.object->has(name)) return std::nullopt;
  const Poco::Dynamic::Var value = node.object->get(name);
  if (value.type() != typeid(std::string)) return std::nullopt;
  return value.extract<std::string>();
}

std::optional<Shape> bundleShape(const std::string& type) {
  static const std::map<std::string, Shape> kShapes{{"transaction", Shape::kTransaction},
                                                    {"batch", Shape::kBatch},
                                                    {"collection", Shape::kCollection},
                                                    {"message", Shape::kMessage},
                                                    {"history", Shape::kNotification}};
  const auto found = kShapes.find(type);
  if (found == kShapes.end()) return std::nullopt;
  return found->second;
}

// What the first entry of a Bundle of this shape must be, in words, or "" for anything.
std::string requiredFirst(Shape shape) {
  if (shape == Shape::kMessage) return "MessageHeader";
  // R4B's notification starts with a SubscriptionStatus; the R4 backport's with a Parameters.
  if (shape == Shape::kNotification) return "SubscriptionStatus or Parameters";
  return "";
}

bool firstEntryFits(Shape shape, const std::vector<Entry>& entries) {
  const std::string required = requiredFirst(shape);
  if (required.empty()) return true;
  if (entries.empty()) return false;
  const std::string& type = entries.front().resourceType;
  if (shape == Shape::kNotification) return type == "SubscriptionStatus" || type == "Parameters";
  return type == required;
}

std::variant<Request, Refusal> readBundle(const Node& bundle) {
  if (auto refusal = undefinedElements(bundle, "Bundle")) return std::move(*refusal);
  Elements elements;
  Request request;
  const auto type = elements.string(bundle, "type");
  if (!type) {
    if (!elements.issues().empty()) return Refusal{400, elements.issues()};
    return refuse(400, "required", "a Bundle needs a type", "Bundle.type");
  }
  const auto shape = bundleShape(*type);
  if (!shape) {
    return refuse(422, "not-supported",
                  "wardprint takes transaction, batch, collection and message Bundles, and "
                  "history Bundles that are subscription notifications",
                  "Bundle.type");
  }
  request.shape = *shape;
  const bool needsRequest = *shape == Shape::kTransaction || *shape == Shape::kBatch;
  for (const Node& node : elements.objects(bundle, "entry")) {
    Entry entry;
    const auto resource = elements.object(node, "resource");
    if (!resource) {
      if (!elements.issues().empty()) break;
      return refuse(400, "required", "every entry needs a resource", node.path);
    }
    entry.resource = *resource;
    entry.resourceType = elements.string(*resource, "resourceType").value_or("");
    if (entry.resourceType.empty()) {
      if (!elements.issues().empty()) break;
      return refuse(400, "required", "every resource needs a resourceType", resource->path);
    }
    entry.fullUrl = elements.string(node, "fullUrl").value_or("");
    // An entry whose own elements are refused is answered with that, whatever its request.
    entry.refusal = undefinedElements(node, "Bundle.entry");
    if (needsRequest && !entry.refusal) {
      const auto call = elements.object(node, "request");
      if (call) entry.method = elements.string(*call, "method").value_or("");
      if (entry.method != "POST" && entry.method != "PUT") {
        if (!elements.issues().empty()) break;
        return refuse(422, "not-supported",
                      "each entry of a transaction or batch must be a POST or a PUT",
                      node.path + ".request.method");
      }
    }
    request.entries.push_back(std::move(entry));
  }
  if (!elements.issues().empty()) return Refusal{400, elements.issues()};
  if (!firstEntryFits(*shape, request.entries)) {
    return refuse(*shape == Shape::kMessage ? 400 : 422, "invalid",
                  "the first entry of this Bundle must be a " + requiredFirst(*shape),
                  "Bundle.entry[0]");
  }
  return request;
}

}  // namespace

std::variant<Request, Refusal> readRequest(const Node& root, Endpoint endpoint) {
  const std::string expected = endpoint == Endpoint::kEncounter ? "Encounter" : "Bundle";
  const auto type = stringIn(root, "resourceType");
  if (!type) return refuse(400, "structure", "the body is not a FHIR resource", "resourceType");
  if (*type != expected) {
    return refuse(400, "not-supported", "this URL takes a " + expected + " resource",
                  "resourceType");
  }
  const Node resource{root.object, expected};
  if (endpoint == Endpoint::kBundle) return readBundle(resource);
  Request request;
  request.entries.push_back(Entry{resource, expected, "", "", std::nullopt});
  return request;
}

Resolver::Resolver(const std::vector<Entry>& entries) {
  for (const Entry& entry : entries) {
    if (!entry.fullUrl.empty()) byFullUrl_.emplace(entry.fullUrl, entry.resource);
    if (const auto id = stringIn(entry.resource, "id")) {
      byTypeAndId_.emplace(entry.resourceType + '/' + *id, entry.resource);
    }
  }
}

std::optional<Node> Resolver::resolve(const std::string& reference, const Node& container) const {
  if (!reference.empty() && reference[0] == '#') {
    const Poco::Dynamic::Var contained = container.object->has("contained")
                                             ? container.object->get("contained")
                                             : Poco::Dynamic::Var();
    if (contained.type() != typeid(Poco::JSON::Array::Ptr)) return std::nullopt;
    const auto array = contained.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
      const auto item = array->getObject(static_cast<unsigned>(i));
      if (!item) continue;
      const Node node{item, container.path + ".contained[" + std::to_string(i) + ']'};
      if (stringIn(node, "id") == reference.substr(1)) return node;
    }
    return std::nullopt;
  }
  if (const auto found = byFullUrl_.find(reference); found != byFullUrl_.end()) {
    return found->second;
  }
  std::string path = reference;
  if (const auto history = path.find("/_history/"); history != std::string::npos) {
    path.erase(history);
  }
  const auto idSlash = path.rfind('/');
  if (idSlash == std::string::npos || idSlash == 0) return std::nullopt;
  const auto typeSlash = path.rfind('/', idSlash - 1);
  const std::string key = typeSlash == std::string::npos ? path : path.substr(typeSlash + 1);
  if (const auto found = byTypeAndId_.find(key); found != byTypeAndId_.end()) return found->second;
  return std::nullopt;
}

}  // namespace wardprint::fhir
