#pragma once

// ADT messages for the HL7 tests, built from segments written here (not from any real feed).

#include <map>
#include <string>

namespace wardprint::hl7::samples {

// "NAME|f1|f2...": the given fields at their HL7 positions, the rest empty.
inline std::string segment(const std::string& name, const std::map<int, std::string>& fields) {
  std::string text = name;
  const int last = fields.empty() ? 0 : fields.rbegin()->first;
  for (int i = 1; i <= last; ++i) {
    text += '|';
    if (const auto found = fields.find(i); found != fields.end()) text += found->second;
  }
  return text;
}

// An ADT^A03 for a vertebroplasty on ward T11E; every part can be changed by a test.
struct Adt {
  std::string version = "2.5";
  std::string processingId = "P";
  std::string trigger = "A03";
  std::string messageType = "ADT";
  std::string controlId = "MSG00017";
  std::string acceptAck;  // MSH-15
  std::string appAck;     // MSH-16
  std::string charset;    // MSH-18
  std::string sentAt = "202612020835";
  std::string evn = "EVN|A03|202612020834";
  std::string pid3 = "RRV123456^^^RRV^MR~9434765919^^^NHS^NH";
  std::string pid5 = "Smith^Ann^^^^^L";
  std::string dob = "19480312";
  std::string died;       // PID-29
  std::string deathFlag;  // PID-30
  std::string location = "T11E^Bay 2^Bed 4^RRV";
  std::string visit = "V0001";
  std::string disposition;   // PV1-36
  std::string dischargedTo;  // PV1-37
  std::string dischargedAt = "202612020830";
  std::string pr1 =
      "PR1|1||V44.4^Percutaneous vertebroplasty T12 "
      "L1^OPCS4||202612011000||||||1234^Jones^Sam^^^Dr";
  std::string end = "\r";

  std::string text() const {
    std::string msh = "MSH|^~\\&|PAS|RRV|WARDPRINT|RRV|" + sentAt + "||" + messageType + '^' +
                      trigger + "|" + controlId + '|' + processingId + '|' + version;
    if (!acceptAck.empty() || !appAck.empty() || !charset.empty()) {
      msh += "|||" + acceptAck + '|' + appAck + "||" + charset;
    }
    std::string text = msh + end;
    if (!evn.empty()) text += evn + end;
    text +=
        segment("PID",
                {{1, "1"}, {3, pid3}, {5, pid5}, {7, dob}, {8, "F"}, {29, died}, {30, deathFlag}}) +
        end;
    text += segment("PV1", {{1, "1"},
                            {2, "I"},
                            {3, location},
                            {19, visit},
                            {36, disposition},
                            {37, dischargedTo},
                            {45, dischargedAt}}) +
            end;
    if (!pr1.empty()) text += pr1 + end;
    return text;
  }
};

}  // namespace wardprint::hl7::samples
