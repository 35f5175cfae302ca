#include "fhir/answers.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <sstream>

namespace wardprint::fhir {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr newObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string text(const Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

const char* severityCode(Issue::Severity severity) {
  switch (severity) {
    case Issue::Severity::kFatal:
      return "fatal";
    case Issue::Severity::kError:
      return "error";
    case Issue::Severity::kWarning:
      return "warning";
    case Issue::Severity::kInformation:
      break;
  }
  return "information";
}

Object::Ptr operationOutcome(const std::vector<Issue>& issues) {
  Object::Ptr outcome = newObject();
  outcome->set("resourceType", "OperationOutcome");
  Array::Ptr list = new Array;
  for (const Issue& issue : issues) {
    Object::Ptr item = newObject();
    item->set("severity", severityCode(issue.severity));
    item->set("code", issue.code);
    item->set("diagnostics", issue.diagnostics);
    if (!issue.expression.empty()) {
      Array::Ptr expression = new Array;
      expression->add(issue.expression);
      item->set("expression", expression);
    }
    list->add(item);
  }
  outcome->set("issue", list);
  return outcome;
}

Array::Ptr codes(std::initializer_list<const char*> values) {
  Array::Ptr list = new Array;
  for (const char* value : values) {
    Object::Ptr item = newObject();
    item->set("code", value);
    list->add(item);
  }
  return list;
}

}  // namespace

std::string statusLine(int status) {
  static const std::map<int, const char*> kReasons{{200, "OK"},
                                                   {201, "Created"},
                                                   {400, "Bad Request"},
                                                   {401, "Unauthorized"},
                                                   {403, "Forbidden"},
                                                   {404, "Not Found"},
                                                   {409, "Conflict"},
                                                   {413, "Payload Too Large"},
                                                   {422, "Unprocessable Entity"},
                                                   {500, "Internal Server Error"},
                                                   {503, "Service Unavailable"}};
  const auto reason = kReasons.find(status);
  if (reason == kReasons.end()) return std::to_string(status);
  return std::to_string(status) + ' ' + reason->second;
}

std::string operationOutcomeJson(const std::vector<Issue>& issues) {
  return text(operationOutcome(issues));
}

std::string responseBundleJson(Shape shape, const std::vector<EntryAnswer>& answers) {
  Object::Ptr bundle = newObject();
  bundle->set("resourceType", "Bundle");
  bundle->set("type", shape == Shape::kTransaction ? "transaction-response" : "batch-response");
  Array::Ptr entries = new Array;
  for (const EntryAnswer& answer : answers) {
    Object::Ptr response = newObject();
    response->set("status", statusLine(answer.status));
    if (answer.location) response->set("location", *answer.location);
    if (!answer.outcome.empty()) response->set("outcome", operationOutcome(answer.outcome));
    Object::Ptr entry = newObject();
    entry->set("response", response);
    entries->add(entry);
  }
  bundle->set("entry", entries);
  return text(bundle);
}

std::string capabilityStatementJson(std::string_view softwareVersion, std::string_view date) {
  Object::Ptr statement = newObject();
  statement->set("resourceType", "CapabilityStatement");
  statement->set("status", "active");
  statement->set("date", std::string(date));
  statement->set("kind", "instance");
  Object::Ptr software = newObject();
  software->set("name", "wardprint");
  software->set("version", std::string(softwareVersion));
  statement->set("software", software);
  Object::Ptr implementation = newObject();
  implementation->set("description",
                      "wardprint: prints going-home leaflets for finished Encounters");
  statement->set("implementation", implementation);
  statement->set("fhirVersion", "4.0.1");
  Array::Ptr formats = new Array;
  formats->add("application/fhir+json");
  statement->set("format", formats);

  Object::Ptr encounter = newObject();
  encounter->set("type", "Encounter");
  encounter->set("interaction", codes({"create"}));
  encounter->set("documentation",
                 "POST /fhir/Encounter with the Patient contained. A finished Encounter with "
                 "period.end is printed once; others are recorded as not printed.");
  Array::Ptr resources = new Array;
  resources->add(encounter);

  Object::Ptr security = newObject();
  security->set("description", "A bearer API token, as for wardprint's JSON API.");
  Object::Ptr rest = newObject();
  rest->set("mode", "server");
  rest->set("documentation",
            "POST /fhir takes a Bundle of type transaction, batch, collection or message, or a "
            "subscription-notification history Bundle (R4B, or the R4 backport). Transaction and "
            "batch entries may be POST or PUT. "
            "References resolve within the request only; nothing is fetched. Only Encounters "
            "are acted on; Patient, Procedure and Location resources are read with them. "
            "Bundle, Encounter, Patient and Procedure are read strictly: an element FHIR R4 "
            "does not define is refused (400), and so is any modifierExtension (422); a "
            "transaction is then refused whole, a batch only in that entry.");
  rest->set("security", security);
  rest->set("resource", resources);
  rest->set("interaction", codes({"transaction", "batch"}));
  Array::Ptr rests = new Array;
  rests->add(rest);
  statement->set("rest", rests);
  return text(statement);
}

}  // namespace wardprint::fhir
