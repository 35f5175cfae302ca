#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "fhir/encounter_mapping.h"
#include "fhir/json_tree.h"

// Internal to the fhir module: the resources of one request, and references among them.
namespace wardprint::fhir {

// One resource of the request: a Bundle entry, or the posted Encounter itself.
struct Entry {
  Node resource;
  std::string resourceType;
  std::string fullUrl;  // "" when none
  std::string method;   // Bundle.entry.request.method of a transaction or batch, else ""
  // The entry's own elements (not its resource's) are not all FHIR R4's: see undefinedElements.
  std::optional<Refusal> refusal;
};

struct Request {
  Shape shape = Shape::kEncounter;
  std::vector<Entry> entries;
};

// Reads the request's shape and entries from the parsed body, checking what wardprint
// needs of the Bundle: a type it takes, entries with a resource and a resourceType, a
// request (POST or PUT) on every transaction or batch entry, a MessageHeader first in a
// message, a SubscriptionStatus (R4B) or Parameters (R4 backport) first in a history Bundle,
// and no element of the Bundle itself that FHIR R4 does not define.
// `endpoint` says which resource the URL takes. Returns the refusal (400 or 422) for the whole
// request otherwise.
std::variant<Request, Refusal> readRequest(const Node& root, Endpoint endpoint);

// Finds the resources references name, within the request only: never fetched.
class Resolver {
 public:
  explicit Resolver(const std::vector<Entry>& entries);
  // The resource `reference` names: "#id" among the contained resources of `container`;
  // otherwise an entry whose fullUrl is the reference (urn:uuid: or absolute), or whose
  // type and id are its last two segments ("Patient/123", "https://x/fhir/Patient/123").
  // A version suffix ("/_history/2") is ignored. nullopt when it is not in the request.
  std::optional<Node> resolve(const std::string& reference, const Node& container) const;

 private:
  std::map<std::string, Node> byFullUrl_;
  std::map<std::string, Node> byTypeAndId_;
};

}  // namespace wardprint::fhir
