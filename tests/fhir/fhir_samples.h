#pragma once

// FHIR R4 examples for the fhir tests, written for wardprint: a finished Encounter after a
// vertebroplasty, its Patient and its Procedure, as JSON text. Each part is a field, so a
// test changes one thing ("end": a bare date) and keeps the rest valid.

#include <string>
#include <vector>

namespace wardprint::fhir::samples {

inline const std::string kHospitalNumberSystem = "https://trust.example.nhs.uk/Id/mrn";

struct Sample {
  // The Encounter's own elements, as JSON text; "" leaves an element out.
  std::string status = "finished";
  std::string identifier =
      R"([{"system":"https://trust.example.nhs.uk/Id/encounter","value":"ENC-1"}])";
  std::string end = "2026-12-02T08:30:00Z";
  std::string location = R"([{"location":{"display":"Ward 11 East"}}])";
  std::string hospitalization;  // an object, e.g. a dischargeDisposition
  std::string reasonCode;       // an array of CodeableConcepts
  std::string extra;            // more members, each followed by a comma
  // The Patient's.
  std::string name = R"([{"use":"official","family":"Smith","given":["Ann","Marie"]}])";
  std::string nhsNumber = "9434765919";
  std::string birthDate = "1948-03-12";
  std::string patientExtra;  // more members, each followed by a comma
  // The Procedure's code; "" for no Procedure at all.
  std::string procedureCode =
      R"({"coding":[{"system":"http://snomed.info/sct","code":"392010000"}]})";

  std::string patient(const std::string& id) const {
    std::string identifiers =
        R"([{"system":")" + kHospitalNumberSystem + R"(","value":"RRV123456"})";
    if (!nhsNumber.empty()) {
      identifiers +=
          R"(,{"system":"https://fhir.nhs.uk/Id/nhs-number","value":")" + nhsNumber + "\"}";
    }
    identifiers += ']';
    return R"({"resourceType":"Patient","id":")" + id + "\"," + patientExtra + R"("identifier":)" +
           identifiers + field("name", name) +
           (birthDate.empty() ? "" : R"(,"birthDate":")" + birthDate + '"') + '}';
  }

  std::string procedure(const std::string& id, const std::string& encounterReference) const {
    return R"({"resourceType":"Procedure","id":")" + id + R"(","status":"completed",)" +
           R"("encounter":{"reference":")" + encounterReference + R"("},)" +
           R"("subject":{"reference":"#unused"},"code":)" + procedureCode +
           R"(,"performedDateTime":"2026-12-01T10:00:00Z",)" +
           R"("bodySite":[{"coding":[{"system":"http://snomed.info/sct","code":"0",)" +
           R"("display":"T12 vertebra"}],"text":"T12 and L1"}],)" +
           R"("performer":[{"actor":{"display":"Dr Sam Jones"}}]})";
  }

  // The Encounter with `subject` as its Patient reference; `contained` is put in its
  // contained list as is (resources separated by commas), "" for none.
  std::string encounter(const std::string& subject, const std::string& contained = "") const {
    std::string json = R"({"resourceType":"Encounter","id":"enc1",)" + extra;
    if (!contained.empty()) json += R"("contained":[)" + contained + "],";
    json += R"("class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"})";
    json += quoted("status", status) + field("identifier", identifier) +
            R"(,"subject":{"reference":")" + subject + "\"}";
    json += R"(,"period":{"start":"2026-12-01T08:00:00Z")" + quoted("end", end) + '}';
    json += field("location", location) + field("hospitalization", hospitalization) +
            field("reasonCode", reasonCode) + '}';
    return json;
  }

  // A plain Encounter with its Patient (and Procedure, if any) contained.
  std::string plainEncounter() const {
    std::string contained = patient("pat");
    if (!procedureCode.empty()) contained += ',' + procedure("proc", "#");
    return encounter("#pat", contained);
  }

 private:
  static std::string field(const char* name, const std::string& json) {
    return json.empty() ? "" : std::string(",\"") + name + "\":" + json;
  }
  static std::string quoted(const char* name, const std::string& text) {
    return text.empty() ? "" : std::string(",\"") + name + "\":\"" + text + '"';
  }
};

// One Bundle entry: its fullUrl ("" for none), resource and request method ("" for none).
struct BundleEntry {
  std::string fullUrl;
  std::string resource;
  std::string method;
};

inline std::string bundle(const std::string& type, const std::vector<BundleEntry>& entries) {
  std::string json = R"({"resourceType":"Bundle","type":")" + type + R"(","entry":[)";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const BundleEntry& entry = entries[i];
    if (i > 0) json += ',';
    json += '{';
    if (!entry.fullUrl.empty()) json += R"("fullUrl":")" + entry.fullUrl + "\",";
    json += R"("resource":)" + entry.resource;
    if (!entry.method.empty()) {
      json += R"(,"request":{"method":")" + entry.method + R"(","url":"Encounter"})";
    }
    json += '}';
  }
  return json + "]}";
}

// A Bundle holding the sample's Patient, Encounter and Procedure, referring to each other
// by urn:uuid fullUrls.
inline std::string uuidBundle(const Sample& sample, const std::string& type,
                              const std::string& method = "") {
  const std::string patientUrl = "urn:uuid:2b0e7f4a-0c2d-4f7e-9a51-7d1f0c6e4a01";
  const std::string encounterUrl = "urn:uuid:9c4d2e1b-5a6f-4b3c-8d7e-1f2a3b4c5d02";
  return bundle(type, {{patientUrl, sample.patient("p1"), method},
                       {encounterUrl, sample.encounter(patientUrl), method},
                       {"urn:uuid:4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a703",
                        sample.procedure("pr1", encounterUrl), method}});
}

}  // namespace wardprint::fhir::samples
