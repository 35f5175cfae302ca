#include "fhir/answers.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <doctest/doctest.h>

namespace wardprint::fhir {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr parsed(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Object::Ptr>();
}

std::vector<std::string> codesOf(const Array::Ptr& list) {
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < list->size(); ++i) {
    codes.push_back(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("code"));
  }
  return codes;
}

}  // namespace

TEST_CASE("an OperationOutcome carries each issue with its FHIRPath") {
  const auto outcome = parsed(operationOutcomeJson(
      {{Issue::Severity::kError, "required", "the Patient has no name", "Patient.name"},
       {Issue::Severity::kFatal, "too-long", "too large", ""}}));
  CHECK(outcome->getValue<std::string>("resourceType") == "OperationOutcome");
  const auto issues = outcome->getArray("issue");
  REQUIRE(issues->size() == 2);
  const auto first = issues->getObject(0);
  CHECK(first->getValue<std::string>("severity") == "error");
  CHECK(first->getValue<std::string>("code") == "required");
  CHECK(first->getValue<std::string>("diagnostics") == "the Patient has no name");
  REQUIRE(first->getArray("expression"));
  CHECK(first->getArray("expression")->getElement<std::string>(0) == "Patient.name");
  CHECK(issues->getObject(1)->getValue<std::string>("severity") == "fatal");
  CHECK_FALSE(issues->getObject(1)->has("expression"));
}

TEST_CASE("a response Bundle has one entry per answer, in order") {
  const std::vector<EntryAnswer> answers{
      {200, std::nullopt, {}},
      {201, std::string("v1/discharges/D-1"), {}},
      {422,
       std::nullopt,
       {{Issue::Severity::kError, "business-rule", "unknown ward",
         "Bundle.entry[2].resource.location"}}},
  };
  const struct {
    Shape shape;
    const char* type;
  } cases[] = {{Shape::kTransaction, "transaction-response"},
               {Shape::kBatch, "batch-response"},
               {Shape::kNotification, "batch-response"}};
  for (const auto& c : cases) {
    CAPTURE(c.type);
    const auto bundle = parsed(responseBundleJson(c.shape, answers));
    CHECK(bundle->getValue<std::string>("resourceType") == "Bundle");
    CHECK(bundle->getValue<std::string>("type") == c.type);
    const auto entries = bundle->getArray("entry");
    REQUIRE(entries->size() == 3);
    const auto response = [&](unsigned i) { return entries->getObject(i)->getObject("response"); };
    CHECK(response(0)->getValue<std::string>("status") == "200 OK");
    CHECK_FALSE(response(0)->has("location"));
    CHECK(response(1)->getValue<std::string>("status") == "201 Created");
    CHECK(response(1)->getValue<std::string>("location") == "v1/discharges/D-1");
    CHECK(response(2)->getValue<std::string>("status") == "422 Unprocessable Entity");
    CHECK(response(2)->getObject("outcome")->getArray("issue")->getObject(0)->getValue<std::string>(
              "code") == "business-rule");
  }
}

TEST_CASE("status lines read as HTTP names them") {
  const struct {
    int status;
    const char* line;
  } cases[] = {{200, "200 OK"},
               {201, "201 Created"},
               {400, "400 Bad Request"},
               {409, "409 Conflict"},
               {413, "413 Payload Too Large"},
               {422, "422 Unprocessable Entity"},
               {500, "500 Internal Server Error"},
               {418, "418"}};
  for (const auto& c : cases) CHECK(statusLine(c.status) == c.line);
}

TEST_CASE("the CapabilityStatement lists exactly what wardprint supports") {
  const auto statement = parsed(capabilityStatementJson("0.1.0", "2026-12-02"));
  CHECK(statement->getValue<std::string>("resourceType") == "CapabilityStatement");
  CHECK(statement->getValue<std::string>("status") == "active");
  CHECK(statement->getValue<std::string>("kind") == "instance");
  CHECK(statement->getValue<std::string>("date") == "2026-12-02");
  CHECK(statement->getValue<std::string>("fhirVersion") == "4.0.1");
  CHECK(statement->getObject("software")->getValue<std::string>("version") == "0.1.0");
  const auto formats = statement->getArray("format");
  REQUIRE(formats->size() == 1);
  CHECK(formats->getElement<std::string>(0) == "application/fhir+json");
  const auto rests = statement->getArray("rest");
  REQUIRE(rests->size() == 1);
  const auto rest = rests->getObject(0);
  CHECK(rest->getValue<std::string>("mode") == "server");
  const auto documentation = rest->getValue<std::string>("documentation");
  CHECK(documentation.find("an element FHIR R4 does not define is refused") != std::string::npos);
  CHECK(documentation.find("modifierExtension") != std::string::npos);
  CHECK(codesOf(rest->getArray("interaction")) == std::vector<std::string>{"transaction", "batch"});
  const auto resources = rest->getArray("resource");
  REQUIRE(resources->size() == 1);
  CHECK(resources->getObject(0)->getValue<std::string>("type") == "Encounter");
  CHECK(codesOf(resources->getObject(0)->getArray("interaction")) ==
        std::vector<std::string>{"create"});
}

}  // namespace wardprint::fhir
