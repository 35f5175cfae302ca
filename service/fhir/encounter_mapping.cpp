#include "fhir/encounter_mapping.h"

#include "fhir/datetime.h"
#include "fhir/defined_elements.h"
#include "fhir/encounter.h"
#include "fhir/patient.h"
#include "fhir/procedure.h"
#include "fhir/request.h"
#include "hl7/adt_mapping.h"

namespace wardprint::fhir {
namespace {

// What mapping one Encounter needs besides the Encounter itself.
struct Context {
  const std::vector<Entry>& entries;
  const Resolver& resolver;
  const MappingConfig& config;
  const date::time_zone& zone;
  date::sys_seconds now;
  const std::set<std::string>& proceduresWithLeaflets;
};

// Elements of the wrong type: the Encounter is invalid against the base specification.
Mapped invalid(const Elements& elements) {
  Mapped mapped;
  mapped.refusal = Refusal{400, elements.issues()};
  return mapped;
}

Mapped refused(const Elements& elements, int status, std::string code, std::string diagnostics,
               std::string expression) {
  // An element of the wrong type often explains the rest: it is the sender's first fix.
  if (!elements.issues().empty()) return invalid(elements);
  Mapped mapped;
  mapped.refusal = Refusal{status,
                           {Issue{Issue::Severity::kError, std::move(code), std::move(diagnostics),
                                  std::move(expression)}}};
  return mapped;
}

// A resource wardprint may not act on: an element FHIR R4 does not define, a modifier
// extension, or implicitRules, which wardprint cannot honour.
std::optional<Mapped> unusable(const Node& resource, const std::string& resourceType,
                              const Elements& elements) {
  if (auto refusal = undefinedElements(resource, resourceType)) {
    Mapped mapped;
    mapped.refusal = std::move(refusal);
    return mapped;
  }
  if (const auto element = findElement(resource, "implicitRules")) {
    return refused(elements, 422, "extension", "wardprint cannot honour this element", *element);
  }
  return std::nullopt;
}

bool sameResource(const std::optional<Node>& node, const Node& other) {
  return node && node->object.get() == other.object.get();
}

// The Encounter's Procedures: contained ones, then those in the request that name it as
// their encounter, or that name no encounter and have the same subject.
std::vector<Node> proceduresOf(const Node& encounter, const Node& patient, const Context& context,
                               Elements& elements) {
  std::vector<Node> out;
  for (const Node& contained : elements.objects(encounter, "contained")) {
    if (elements.string(contained, "resourceType") == "Procedure") out.push_back(contained);
  }
  for (const Entry& entry : context.entries) {
    if (entry.resourceType != "Procedure") continue;
    const Node& procedure = entry.resource;
    const auto reference = [&](const char* name) -> std::optional<Node> {
      const auto element = elements.object(procedure, name);
      const auto target = element ? elements.string(*element, "reference") : std::nullopt;
      return target ? context.resolver.resolve(*target, procedure) : std::nullopt;
    };
    if (procedure.object->has("encounter") ? sameResource(reference("encounter"), encounter)
                                           : sameResource(reference("subject"), patient)) {
      out.push_back(procedure);
    }
  }
  return out;
}

std::optional<std::string> encounterIdentifier(const Node& encounter, Elements& elements) {
  for (const Node& identifier : elements.objects(encounter, "identifier")) {
    const auto value = elements.string(identifier, "value");
    if (value && !value->empty())
      return elements.string(identifier, "system").value_or("") + '|' + *value;
  }
  return std::nullopt;
}

// The external id (see readBody), or nullopt when there is nothing to key the Encounter by.
std::optional<std::string> externalIdOf(const Discharge& discharge, const MappingConfig& config) {
  if (discharge.encounterIdentifier) return "fhir:" + *discharge.encounterIdentifier;
  const auto when = discharge.dischargedAt ? discharge.dischargedAt : discharge.startedAt;
  if (!when) return std::nullopt;
  return "fhir:patient:" + config.hospitalNumberSystem + '|' + discharge.hospitalNumber +
         '@' + keyText(*when);
}

std::optional<NotPrintedReason> notPrintedReason(const std::string& status, const Node& encounter,
                                                 const Node& patient, const Discharge& discharge,
                                                 const Context& context, Elements& elements) {
  if (status != "finished") return NotPrintedReason::kNotDischarged;
  if (encounterSaysDied(encounter, elements) || patientDeceased(patient, elements)) {
    return NotPrintedReason::kDied;
  }
  if (context.now - latestInstant(*discharge.dischargedAt, context.zone) > context.config.maxAge) {
    return NotPrintedReason::kTooOld;
  }
  if (!discharge.procedure || !context.proceduresWithLeaflets.count(*discharge.procedure)) {
    return NotPrintedReason::kNoLeaflet;
  }
  return std::nullopt;
}

Mapped mapEncounter(const Node& encounter, const Context& context) {
  Elements elements;
  Mapped mapped;
  Discharge discharge;
  if (auto refusal = unusable(encounter, "Encounter", elements)) return std::move(*refusal);
  const auto status = elements.string(encounter, "status");
  if (!status)
    return refused(elements, 400, "required", "an Encounter needs a status",
                   encounter.path + ".status");
  if (!knownStatus(*status)) {
    return refused(elements, 400, "value", "not an Encounter status", encounter.path + ".status");
  }
  const auto subject = elements.object(encounter, "subject");
  const auto reference = subject ? elements.string(*subject, "reference") : std::nullopt;
  const auto patient = reference ? context.resolver.resolve(*reference, encounter) : std::nullopt;
  if (!patient || elements.string(*patient, "resourceType") != "Patient") {
    return refused(elements, 422, "not-found",
                   "the Patient must be contained in the Encounter or be in the Bundle; "
                   "wardprint never fetches it",
                   encounter.path + ".subject");
  }
  if (auto refusal = unusable(*patient, "Patient", elements)) return std::move(*refusal);
  if (auto issue = readPatient(*patient, elements, context.config, discharge, mapped.warnings)) {
    return refused(elements, 422, issue->code, issue->diagnostics, issue->expression);
  }
  const auto ward = wardOf(encounter, context.resolver, elements, context.config);
  if (!ward) {
    return refused(elements, 422, "business-rule",
                   "no location or service provider of this Encounter is one wardprint serves",
                   encounter.path + ".location");
  }
  discharge.ward = *ward;
  const auto period = elements.object(encounter, "period");
  const std::string endPath = encounter.path + ".period.end";
  if (const auto end = period ? elements.string(*period, "end") : std::nullopt) {
    discharge.dischargedAt = parseTimeOrDay(*end, context.zone);
    if (!discharge.dischargedAt)
      return refused(elements, 400, "value", "not a date or date and time", endPath);
  } else if (*status == "finished") {
    return refused(elements, 422, "required",
                   "a finished Encounter needs period.end: the leaflet counts from the discharge",
                   endPath);
  }
  if (const auto start = period ? elements.string(*period, "start") : std::nullopt) {
    discharge.startedAt = parseTimeOrDay(*start, context.zone);
  }
  discharge.encounterIdentifier = encounterIdentifier(encounter, elements);
  if (const auto key = externalIdOf(discharge, context.config)) {
    discharge.externalId = *key;
  } else {
    return refused(elements, 422, "required",
                   "an Encounter without an identifier needs a period to recognise it again",
                   encounter.path + ".identifier");
  }
  const auto procedures = proceduresOf(encounter, *patient, context, elements);
  for (const Node& procedure : procedures) {
    if (auto refusal = unusable(procedure, "Procedure", elements)) return std::move(*refusal);
  }
  readProcedure(procedures, encounter, elements, context.config, context.zone, discharge,
                mapped.warnings);
  mapped.reason = notPrintedReason(*status, encounter, *patient, discharge, context, elements);
  if (!elements.issues().empty()) return invalid(elements);
  mapped.kind = mapped.reason ? Mapped::Kind::kNotPrinted : Mapped::Kind::kPrint;
  mapped.discharge = std::move(discharge);
  return mapped;
}

hl7::NotPrintedReason asHl7(NotPrintedReason reason) {
  switch (reason) {
    case NotPrintedReason::kDied:
      return hl7::NotPrintedReason::kDied;
    case NotPrintedReason::kTooOld:
      return hl7::NotPrintedReason::kTooOld;
    default:
      return hl7::NotPrintedReason::kNoLeaflet;
  }
}

}  // namespace

std::string_view reasonCode(NotPrintedReason reason) {
  if (reason == NotPrintedReason::kNotDischarged) return "not_discharged";
  return hl7::reasonCode(asHl7(reason));
}

std::string_view reasonText(NotPrintedReason reason) {
  if (reason == NotPrintedReason::kNotDischarged) {
    return "Not printed: the hospital system says this stay has not ended, or was cancelled.";
  }
  return hl7::reasonText(asHl7(reason));
}

Reading readBody(std::string_view body, Endpoint endpoint, date::sys_seconds now,
                 const MappingConfig& config, const std::set<std::string>& proceduresWithLeaflets) {
  const date::time_zone& zone = timeZoneOf(config);
  Reading reading;
  // Until the Bundle's type is read, a refusal answers like a transaction's: as a whole.
  reading.shape = endpoint == Endpoint::kEncounter ? Shape::kEncounter : Shape::kTransaction;
  auto parsed = parseBody(body, config.maxBodyBytes, config.maxDepth);
  if (auto* refusal = std::get_if<Refusal>(&parsed)) {
    reading.refusal = std::move(*refusal);
    return reading;
  }
  auto read = readRequest(std::get<Node>(parsed), endpoint);
  if (auto* refusal = std::get_if<Refusal>(&read)) {
    reading.refusal = std::move(*refusal);
    return reading;
  }
  const Request& request = std::get<Request>(read);
  reading.shape = request.shape;
  const Resolver resolver(request.entries);
  const Context context{request.entries, resolver, config, zone, now, proceduresWithLeaflets};
  for (const Entry& entry : request.entries) {
    EntryReading result{entry.resourceType, std::nullopt, entry.refusal};
    if (!result.refusal && entry.resourceType == "Encounter") {
      result.encounter = mapEncounter(entry.resource, context);
      result.refusal = result.encounter->refusal;
    } else if (!result.refusal) {
      result.refusal = undefinedElements(entry.resource, entry.resourceType);
    }
    if (result.refusal && reading.shape == Shape::kTransaction && !reading.refusal) {
      reading.refusal = result.refusal;
    }
    reading.entries.push_back(std::move(result));
  }
  return reading;
}

}  // namespace wardprint::fhir
