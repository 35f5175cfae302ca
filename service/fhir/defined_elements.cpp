#include "fhir/defined_elements.h"

#include <Poco/JSON/Array.h>

#include <map>
#include <set>

namespace wardprint::fhir {
namespace {

using Names = std::set<std::string>;

// One element list of FHIR R4 (hl7.org/fhir/R4), choice types ([x]) spelt out.
struct Definition {
  Names elements;
  // Elements that are objects with an element list of their own.
  std::map<std::string, std::string> parts;
  // Elements the caller checks on their own, so not searched here for modifierExtension.
  Names separately;
};

Names joined(Names base, const Names& own) {
  base.insert(own.begin(), own.end());
  return base;
}

const Names kResource{"resourceType", "id", "meta", "implicitRules", "language"};
const Names kDomainResource =
    joined(kResource, {"text", "contained", "extension", "modifierExtension"});
const Names kBackboneElement{"id", "extension", "modifierExtension"};

const std::map<std::string, Definition>& definitions() {
  static const std::map<std::string, Definition> kDefinitions{
      {"Bundle",
       {joined(kResource,
               {"identifier", "type", "timestamp", "total", "link", "entry", "signature"}),
        {},
        {"entry"}}},
      {"Bundle.entry",
       {joined(kBackboneElement,
               {"link", "fullUrl", "resource", "search", "request", "response"}),
        {{"request", "Bundle.entry.request"}, {"response", "Bundle.entry.response"}},
        {"resource"}}},
      {"Bundle.entry.request",
       {joined(kBackboneElement,
               {"method", "url", "ifNoneMatch", "ifModifiedSince", "ifMatch", "ifNoneExist"}),
        {},
        {}}},
      {"Bundle.entry.response",
       {joined(kBackboneElement, {"status", "location", "etag", "lastModified", "outcome"}),
        {},
        {}}},
      {"Encounter",
       {joined(kDomainResource,
               {"identifier", "status", "statusHistory", "class", "classHistory", "type",
                "serviceType", "priority", "subject", "episodeOfCare", "basedOn", "participant",
                "appointment", "period", "length", "reasonCode", "reasonReference", "diagnosis",
                "account", "hospitalization", "location", "serviceProvider", "partOf"}),
        {},
        {}}},
      {"Patient",
       {joined(kDomainResource,
               {"identifier", "active", "name", "telecom", "gender", "birthDate",
                "deceasedBoolean", "deceasedDateTime", "address", "maritalStatus",
                "multipleBirthBoolean", "multipleBirthInteger", "photo", "contact",
                "communication", "generalPractitioner", "managingOrganization", "link"}),
        {},
        {}}},
      {"Procedure",
       {joined(kDomainResource,
               {"identifier", "instantiatesCanonical", "instantiatesUri", "basedOn", "partOf",
                "status", "statusReason", "category", "code", "subject", "encounter",
                "performedDateTime", "performedPeriod", "performedString", "performedAge",
                "performedRange", "recorder", "asserter", "performer", "location",
                "reasonCode", "reasonReference", "bodySite", "outcome", "report",
                "complication", "complicationDetail", "followUp", "note", "focalDevice",
                "usedReference", "usedCode"}),
        {},
        {}}},
  };
  return kDefinitions;
}

std::string member(const Node& node, const std::string& name) {
  return node.path.empty() ? name : node.path + '.' + name;
}

Refusal refusal(int status, std::string code, std::string diagnostics, std::string expression) {
  return Refusal{status,
                 {Issue{Issue::Severity::kError, std::move(code), std::move(diagnostics),
                        std::move(expression)}}};
}

// "_birthDate" carries the id and extensions of the primitive birthDate.
bool defines(const Definition& definition, const std::string& name) {
  if (definition.elements.count(name)) return true;
  return name.size() > 1 && name[0] == '_' && definition.elements.count(name.substr(1));
}

std::optional<Poco::JSON::Object::Ptr> objectIn(const Node& node, const std::string& name) {
  const Poco::Dynamic::Var value = node.object->get(name);
  if (value.type() != typeid(Poco::JSON::Object::Ptr)) return std::nullopt;
  return value.extract<Poco::JSON::Object::Ptr>();
}

std::optional<Refusal> undefinedNames(const Node& node, const std::string& name);

// The contained resources of the types defined here; others are not wardprint's to check.
std::optional<Refusal> undefinedInContained(const Node& resource) {
  const Poco::Dynamic::Var value = resource.object->get("contained");
  if (value.type() != typeid(Poco::JSON::Array::Ptr)) return std::nullopt;
  const auto array = value.extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto item = array->getObject(static_cast<unsigned>(i));
    if (!item) continue;
    const Node contained{item, member(resource, "contained") + '[' + std::to_string(i) + ']'};
    const Poco::Dynamic::Var type = item->get("resourceType");
    if (type.type() != typeid(std::string)) continue;
    if (auto found = undefinedNames(contained, type.extract<std::string>())) return found;
  }
  return std::nullopt;
}

// Element names only: the first that `name`'s definition (or a part's) does not define.
std::optional<Refusal> undefinedNames(const Node& node, const std::string& name) {
  const auto found = definitions().find(name);
  if (found == definitions().end()) return std::nullopt;
  const Definition& definition = found->second;
  for (const auto& [element, value] : *node.object) {
    if (!defines(definition, element)) {
      return refusal(400, "structure",
                     "'" + element + "' is not an element of " + name + " in FHIR R4",
                     member(node, element));
    }
  }
  for (const auto& [element, part] : definition.parts) {
    if (!node.object->has(element)) continue;
    if (const auto object = objectIn(node, element)) {
      if (auto refused = undefinedNames(Node{*object, member(node, element)}, part)) {
        return refused;
      }
    }
  }
  if (node.object->has("contained")) return undefinedInContained(node);
  return std::nullopt;
}

}  // namespace

std::optional<Refusal> undefinedElements(const Node& node, const std::string& definition) {
  const auto found = definitions().find(definition);
  if (found == definitions().end()) return std::nullopt;
  if (auto refused = undefinedNames(node, definition)) return refused;
  if (const auto modifier = findElement(node, "modifierExtension", found->second.separately)) {
    return refusal(422, "not-supported",
                   "wardprint understands no modifier extension, so it may not process this "
                   "resource",
                   *modifier);
  }
  return std::nullopt;
}

}  // namespace wardprint::fhir
