// Fuzzes the FHIR front half with arbitrary bytes as a request body, posted both to /fhir
// and to /fhir/Encounter: reading and mapping, then the answers built from the result, as
// the front door will call them. The headers promise no exceptions for bad input, so nothing
// is caught; it also checks that every decision is whole (a refusal with issues, a discharge
// with its key, ward and hospital number) and that every answer is JSON.

#include <Poco/JSON/Parser.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/answers.h"
#include "fhir/encounter_mapping.h"

namespace {

using namespace wardprint::fhir;

const MappingConfig& config() {
  static const MappingConfig kConfig = [] {
    MappingConfig config;
    config.hospitalNumberSystem = "https://trust.example.nhs.uk/Id/mrn";
    config.locations = {{"Ward 11 East", "ward-7"}, {"T12W", "ward-8"}};
    config.procedureCodes = {{"392010000", "vertebroplasty"}, {"V44.4", "vertebroplasty"}};
    config.maxBodyBytes = 64 * 1024;
    return config;
  }();
  return kConfig;
}

void mustBeJson(const std::string& text) {
  Poco::JSON::Parser parser;
  if (parser.parse(text).isEmpty()) std::abort();
}

void checkRefusal(const Refusal& refusal) {
  if (refusal.status < 400 || refusal.status > 499 || refusal.issues.empty()) std::abort();
  mustBeJson(operationOutcomeJson(refusal.issues));
}

void checkEncounter(const Mapped& mapped) {
  if ((mapped.kind == Mapped::Kind::kRefuse) != (mapped.refusal && !mapped.discharge)) std::abort();
  if ((mapped.kind == Mapped::Kind::kPrint) != (mapped.discharge && !mapped.reason)) std::abort();
  if (mapped.refusal) checkRefusal(*mapped.refusal);
  if (!mapped.discharge) return;
  const Discharge& d = *mapped.discharge;
  if (d.externalId.empty() || d.ward.empty() || d.hospitalNumber.empty()) std::abort();
  if (mapped.kind == Mapped::Kind::kPrint && !d.dischargedAt) std::abort();
}

void answer(std::string_view body, Endpoint endpoint) {
  const date::sys_seconds now = date::sys_days{date::year{2026} / 12 / 2};
  const Reading reading = readBody(body, endpoint, now, config(), {"vertebroplasty"});
  if (reading.refusal) checkRefusal(*reading.refusal);
  if (reading.refusal && reading.shape != Shape::kTransaction && !reading.entries.empty())
    std::abort();
  std::vector<EntryAnswer> answers;
  for (const EntryReading& entry : reading.entries) {
    if (entry.resourceType.empty()) std::abort();
    EntryAnswer answer;
    if (entry.encounter) {
      checkEncounter(*entry.encounter);
      if (entry.encounter->refusal) {
        answer.status = entry.encounter->refusal->status;
        answer.outcome = entry.encounter->refusal->issues;
      } else {
        answer.status = 201;
        answer.location = "v1/discharges/D-1";
      }
    }
    answers.push_back(answer);
  }
  mustBeJson(responseBundleJson(reading.shape, answers));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  answer(body, Endpoint::kBundle);
  answer(body, Endpoint::kEncounter);
  return 0;
}
