#include "fhir/procedure.h"

#include <Poco/String.h>

#include <optional>

#include "fhir/datetime.h"
#include "hl7/procedure.h"

namespace wardprint::fhir {
namespace {

constexpr const char* kSnomedSystem = "http://snomed.info/sct";

bool procedureCodeSystem(const std::string& system) {
  return system == kSnomedSystem || Poco::toLower(system).find("opcs") != std::string::npos;
}

// The first SNOMED CT or OPCS-4 code of `concept` that config maps, or nullopt.
std::optional<std::string> mappedCode(const Node& concept, Elements& elements,
                                      const MappingConfig& config) {
  for (const Node& coding : elements.objects(concept, "coding")) {
    const auto code = elements.string(coding, "code");
    if (!code || !procedureCodeSystem(elements.string(coding, "system").value_or(""))) continue;
    if (config.procedureCodes.count(*code)) return code;
  }
  return std::nullopt;
}

std::optional<std::string> firstCode(const Node& concept, Elements& elements) {
  for (const Node& coding : elements.objects(concept, "coding")) {
    if (auto code = elements.string(coding, "code")) return code;
  }
  return std::nullopt;
}

// Every code, display and text of the body sites, for the levels they name.
std::string bodySiteWords(const Node& procedure, Elements& elements) {
  std::string words;
  for (const Node& site : elements.objects(procedure, "bodySite")) {
    words += ' ' + elements.string(site, "text").value_or("");
    for (const Node& coding : elements.objects(site, "coding")) {
      words += ' ' + elements.string(coding, "code").value_or("");
      words += ' ' + elements.string(coding, "display").value_or("");
    }
  }
  return words;
}

void readPerformed(const Node& procedure, Elements& elements, const date::time_zone& zone,
                   Discharge& out, std::vector<std::string>& warnings) {
  std::string path = procedure.path + ".performedDateTime";
  auto text = elements.string(procedure, "performedDateTime");
  if (!text) {
    if (const auto period = elements.object(procedure, "performedPeriod")) {
      path = period->path + ".start";
      text = elements.string(*period, "start");
    }
  }
  if (!text) return;
  out.procedureAt = parseTimeOrDay(*text, zone);
  if (!out.procedureAt) warnings.push_back(path + ": not a date or time; left out");
}

}  // namespace

void readProcedure(const std::vector<Node>& procedures, const Node& encounter, Elements& elements,
                   const MappingConfig& config, const date::time_zone& zone, Discharge& out,
                   std::vector<std::string>& warnings) {
  std::optional<Node> chosen;
  std::optional<std::string> mapped;
  for (const Node& procedure : procedures) {
    const auto status = elements.string(procedure, "status");
    if (status == "not-done" || status == "entered-in-error") continue;
    const auto code = elements.object(procedure, "code");
    if (!chosen) {
      chosen = procedure;
      if (code) out.procedureCode = firstCode(*code, elements);
    }
    if (code && (mapped = mappedCode(*code, elements, config))) {
      chosen = procedure;
      break;
    }
  }
  for (const Node& reason : elements.objects(encounter, "reasonCode")) {
    if (mapped) break;
    mapped = mappedCode(reason, elements, config);
  }
  if (mapped) {
    out.procedureCode = mapped;
    out.procedure = config.procedureCodes.at(*mapped);
  }
  if (!chosen) return;
  readPerformed(*chosen, elements, zone, out, warnings);
  out.levels = hl7::spinalLevels(bodySiteWords(*chosen, elements));
  const auto performers = elements.objects(*chosen, "performer");
  if (!performers.empty()) {
    if (const auto actor = elements.object(performers.front(), "actor")) {
      out.clinician = elements.string(*actor, "display");
    }
  }
}

}  // namespace wardprint::fhir
