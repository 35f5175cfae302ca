#include "fhir/encounter.h"

#include <vector>

namespace wardprint::fhir {
namespace {

std::optional<std::string> mapped(const std::optional<std::string>& key,
                                  const MappingConfig& config) {
  if (!key) return std::nullopt;
  const auto ward = config.locations.find(*key);
  if (ward == config.locations.end()) return std::nullopt;
  return ward->second;
}

std::optional<std::string> wardOfIdentifiers(const std::vector<Node>& identifiers,
                                             Elements& elements, const MappingConfig& config) {
  for (const Node& identifier : identifiers) {
    if (auto ward = mapped(elements.string(identifier, "value"), config)) return ward;
  }
  return std::nullopt;
}

// `concept` has a coding with `code` whose system is absent or contains `systemPart`.
bool coded(const Node& concept, Elements& elements, const std::string& code,
           const std::string& systemPart) {
  for (const Node& coding : elements.objects(concept, "coding")) {
    if (elements.string(coding, "code") != code) continue;
    const auto system = elements.string(coding, "system");
    if (!system || system->find(systemPart) != std::string::npos) return true;
  }
  return false;
}

bool dischargeMethodDied(const Node& host, Elements& elements) {
  for (const Node& extension : elements.objects(host, "extension")) {
    const auto url = elements.string(extension, "url");
    if (!url || url->find("DischargeMethod") == std::string::npos) continue;
    const auto value = elements.object(extension, "valueCodeableConcept");
    if (value && coded(*value, elements, "4", "DischargeMethod")) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> wardOf(const Node& encounter, const Resolver& resolver,
                                  Elements& elements, const MappingConfig& config) {
  const std::vector<Node> locations = elements.objects(encounter, "location");
  for (auto it = locations.rbegin(); it != locations.rend(); ++it) {
    const auto reference = elements.object(*it, "location");
    if (!reference) continue;
    if (const auto identifier = elements.object(*reference, "identifier")) {
      if (auto ward = wardOfIdentifiers({*identifier}, elements, config)) return ward;
    }
    if (const auto target = elements.string(*reference, "reference")) {
      if (const auto location = resolver.resolve(*target, encounter)) {
        const auto identifiers = elements.objects(*location, "identifier");
        if (auto ward = wardOfIdentifiers(identifiers, elements, config)) return ward;
      }
    }
    if (auto ward = mapped(elements.string(*reference, "display"), config)) return ward;
  }
  if (const auto provider = elements.object(encounter, "serviceProvider")) {
    return mapped(elements.string(*provider, "display"), config);
  }
  return std::nullopt;
}

bool encounterSaysDied(const Node& encounter, Elements& elements) {
  if (dischargeMethodDied(encounter, elements)) return true;
  const auto hospitalization = elements.object(encounter, "hospitalization");
  if (!hospitalization) return false;
  if (dischargeMethodDied(*hospitalization, elements)) return true;
  const auto disposition = elements.object(*hospitalization, "dischargeDisposition");
  return disposition && (coded(*disposition, elements, "79", "DischargeDestination") ||
                         coded(*disposition, elements, "exp", "discharge-disposition"));
}

bool knownStatus(const std::string& status) {
  static const char* const kStatuses[] = {"planned",     "arrived",          "triaged",
                                          "in-progress", "onleave",          "finished",
                                          "cancelled",   "entered-in-error", "unknown"};
  for (const char* known : kStatuses) {
    if (status == known) return true;
  }
  return false;
}

}  // namespace wardprint::fhir
