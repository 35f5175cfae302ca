#pragma once

#include <date/date.h>

#include <optional>
#include <string>
#include <vector>

namespace wardprint::hl7 {

// A discharge read from an ADT^A03: what wardprint needs to print (or to show a nurse).
// Optional fields are ones an ADT message may lack; the leaflet leaves their lines out.
// Holds patient data: never log it.
struct Discharge {
  std::string externalId;  // the intake's idempotency key; see externalId() in adt_mapping.h
  std::string source;      // MSH-3.1, the sending application
  std::optional<std::string> givenName;             // PID-5.2
  std::optional<std::string> familyName;            // PID-5.1
  std::string hospitalNumber;                       // PID-3.1 of the repetition chosen by config
  std::optional<std::string> nhsNumber;             // ten digits, check digit verified
  std::optional<date::year_month_day> dateOfBirth;  // PID-7
  std::optional<std::string> visitNumber;           // PV1-19.1
  date::sys_seconds dischargedAt;                   // PV1-45, else EVN-6, EVN-2, MSH-7
  std::string ward;                                 // configured ward id, from PV1-3.1
  std::optional<std::string> procedureCode;         // PR1-3.1 as sent
  std::optional<std::string> procedure;             // wardprint's name: "vertebroplasty"
  std::optional<date::sys_seconds> procedureAt;     // PR1-5
  std::vector<std::string> levels;                  // "T12", "L1", head to tail; may be empty
  std::optional<std::string> clinician;             // PR1-11: "Dr Ann Smith"
};

// An ADT^A13: cancel the discharge of this visit.
struct Cancellation {
  std::string source;                      // MSH-3.1
  std::string hospitalNumber;              // PID-3, chosen as for a discharge
  std::optional<std::string> visitNumber;  // PV1-19.1
  // The external id prefix every discharge of this visit shares (externalId() without its
  // time): the intake cancels the unsent job whose id starts with it.
  std::string visitKey;
  // The exact external id, when the A13 carries the discharge time in PV1-45.
  std::optional<std::string> externalId;
};

}  // namespace wardprint::hl7
