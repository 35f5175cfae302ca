#pragma once

#include <date/date.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace wardprint::events {

struct Patient {
  std::optional<std::string> givenName;  // some people have only one name
  std::string familyName;
  std::string hospitalNumber;
  std::optional<std::string> nhsNumber;  // ten digits, check digit verified
  // Optional here (an HL7 or FHIR message may lack it); the JSON API requires it.
  std::optional<date::year_month_day> dateOfBirth;
  // The patient's own language (BCP 47: "ja", "zh-CN"), when the sender knows it: it picks
  // the face for characters that alone don't say (Han: Japanese, Chinese or Korean shapes).
  std::optional<std::string> language = std::nullopt;
};

// How the patient was kept comfortable. Absent when the sender did not say.
enum class Anaesthesia { kLocal, kSedation, kGeneral };

// Levels, time and clinician may be missing from an HL7 or FHIR message (the leaflet then
// leaves their lines out); the JSON API requires them.
struct Procedure {
  std::string type;                 // "vertebroplasty", "kyphoplasty"
  std::vector<std::string> levels;  // "T12", "L1": in head-to-tail order; may be empty
  std::optional<date::sys_seconds> performedAt;
  std::optional<std::string> clinician;
  std::optional<Anaesthesia> anaesthesia = std::nullopt;
};

// A follow-up appointment; at least one of its parts is given.
struct FollowUp {
  std::optional<date::sys_seconds> at;        // a date and time (RFC 3339)...
  std::optional<date::year_month_day> day;    // ...or only a date; never both
  std::optional<std::string> place;
  std::optional<std::string> with;
};

// A blood thinner stopped before the procedure, and when to start it again.
struct BloodThinner {
  std::string name;
  date::year_month_day restartOn;            // not before the discharge date
  std::optional<std::string> instructions;   // at most kMaxInstructionsLength characters
};

// A validated discharge: every field here has passed the rules in event_parser.h.
struct DischargeEvent {
  std::string eventId;
  date::sys_seconds dischargedAt;
  // Only the day of the discharge is known (FHIR allows a bare date): dischargedAt is then
  // the start of that day in the hospital's time zone, and the leaflet counts its deadlines
  // in whole days ("until the end of Tuesday 24 November"), never from that midnight.
  bool dischargeDayOnly = false;
  std::string ward;
  Patient patient;
  Procedure procedure;
  std::string language;
  bool largePrint = false;
  int copies = 1;
  std::optional<std::string> printer;
  std::optional<std::string> notes;
  std::optional<FollowUp> followUp = std::nullopt;
  std::vector<BloodThinner> bloodThinners = {};  // empty: none given
};

// The optional fields added in layout schema 2 (anaesthesia, follow-up, blood thinners) as
// canonical text, for the event digest, and a day-only discharge's mark. Empty when the event
// gives none of them, so an event without them keeps the digest it had before they existed.
std::vector<std::string> laterFieldsForDigest(const DischargeEvent& event);

// A free text the leaflet prints, with its field's name in the JSON event.
struct PrintedText {
  std::string field;  // "patient.given_name", "blood_thinners[0].name"
  std::string text;
};

// The event's free texts that the leaflet prints (names, clinician, notes, follow-up, blood
// thinners), so the fonts can be checked before rendering. Empty texts are left out.
std::vector<PrintedText> printedTexts(const DischargeEvent& event);

// Which layout an event asks for.
struct LayoutChoice {
  std::string procedure;
  std::string language;
  bool largePrint = false;

  bool operator<(const LayoutChoice& other) const {
    return std::tie(procedure, language, largePrint) <
           std::tie(other.procedure, other.language, other.largePrint);
  }
};

// What this deployment can serve; an event naming anything else is refused.
struct EventRules {
  std::set<std::string> wards;
  std::set<std::string> printers;
  std::set<LayoutChoice> layouts;
  // Layouts not yet reviewed (`status: draft`) that this site does not use, by choice: the
  // layout's id. An event asking for one is refused, naming it.
  std::map<LayoutChoice, std::string> draftLayouts;
  std::string defaultLanguage = "en-GB";
  std::string timeZone = "Europe/London";  // where "the discharge date" is counted
};

}  // namespace wardprint::events
