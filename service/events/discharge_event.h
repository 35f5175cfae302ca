#pragma once

#include <date/date.h>

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
  date::year_month_day dateOfBirth;
};

struct Procedure {
  std::string type;                 // "vertebroplasty", "kyphoplasty"
  std::vector<std::string> levels;  // "T12", "L1": in head-to-tail order
  date::sys_seconds performedAt;
  std::string clinician;
};

// A validated discharge: every field here has passed the rules in event_parser.h.
struct DischargeEvent {
  std::string eventId;
  date::sys_seconds dischargedAt;
  std::string ward;
  Patient patient;
  Procedure procedure;
  std::string language;
  bool largePrint = false;
  int copies = 1;
  std::optional<std::string> printer;
  std::optional<std::string> notes;
};

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
  std::string defaultLanguage = "en-GB";
};

}  // namespace wardprint::events
