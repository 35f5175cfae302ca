#include "fhir/patient.h"

#include "events/nhs_number.h"
#include "events/timestamp.h"

namespace wardprint::fhir {
namespace {

Issue required(std::string diagnostics, std::string expression) {
  return Issue{Issue::Severity::kError, "required", std::move(diagnostics), std::move(expression)};
}

std::optional<Node> chosenName(const std::vector<Node>& names, Elements& elements) {
  for (const char* use : {"official", "usual"}) {
    for (const Node& name : names) {
      if (elements.string(name, "use") == use) return name;
    }
  }
  if (names.empty()) return std::nullopt;
  return names.front();
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += ' ';
    out += part;
  }
  return out;
}

// Reads the chosen HumanName into `out`; false when it has neither parts nor text.
bool readName(const Node& name, Elements& elements, Discharge& out) {
  const std::string given = joined(elements.strings(name, "given"));
  const std::string family = elements.string(name, "family").value_or("");
  if (!given.empty()) out.givenName = given;
  if (!family.empty()) out.familyName = family;
  if (out.givenName || out.familyName) return true;
  const std::string text = elements.string(name, "text").value_or("");
  if (text.empty()) return false;
  out.familyName = text;
  return true;
}

}  // namespace

std::optional<Issue> readPatient(const Node& patient, Elements& elements,
                                 const MappingConfig& config, Discharge& out,
                                 std::vector<std::string>& warnings) {
  for (const Node& identifier : elements.objects(patient, "identifier")) {
    const auto system = elements.string(identifier, "system");
    const auto value = elements.string(identifier, "value");
    if (!system || !value || value->empty()) continue;
    if (*system == config.hospitalNumberSystem && out.hospitalNumber.empty()) {
      out.hospitalNumber = *value;
    } else if (*system == kNhsNumberSystem && !out.nhsNumber) {
      const auto checked = events::checkNhsNumber(*value);
      if (checked.digits) {
        out.nhsNumber = checked.digits;
      } else {
        warnings.push_back(identifier.path + ": not a valid NHS number; left out");
      }
    }
  }
  if (out.hospitalNumber.empty()) {
    return required(
        "the Patient has no identifier with the hospital number system wardprint "
        "is configured for",
        patient.path + ".identifier");
  }
  const auto name = chosenName(elements.objects(patient, "name"), elements);
  if (!name || !readName(*name, elements, out)) {
    return required("the Patient has no name", patient.path + ".name");
  }
  if (const auto birthDate = elements.string(patient, "birthDate")) {
    out.dateOfBirth = events::parseIsoDate(*birthDate);
    if (!out.dateOfBirth) {
      warnings.push_back(patient.path + ".birthDate: not a full date; left out");
    }
  }
  return std::nullopt;
}

bool patientDeceased(const Node& patient, Elements& elements) {
  return elements.boolean(patient, "deceasedBoolean").value_or(false) ||
         elements.string(patient, "deceasedDateTime").has_value();
}

}  // namespace wardprint::fhir
