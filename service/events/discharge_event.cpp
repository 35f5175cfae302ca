#include "events/discharge_event.h"

namespace wardprint::events {
namespace {

const char* anaesthesiaName(Anaesthesia anaesthesia) {
  switch (anaesthesia) {
    case Anaesthesia::kLocal:
      return "local";
    case Anaesthesia::kSedation:
      return "sedation";
    case Anaesthesia::kGeneral:
      return "general";
  }
  return "?";
}

}  // namespace

std::vector<std::string> laterFieldsForDigest(const DischargeEvent& event) {
  const bool any =
      event.procedure.anaesthesia || event.followUp || !event.bloodThinners.empty() || event.patient.language;
  if (!any) return event.dischargeDayOnly ? std::vector<std::string>{"day-only"} : std::vector<std::string>{};
  // A marker no text field can hold (control characters are refused) stands for "absent".
  const std::string absent = "\x1e";
  std::vector<std::string> fields{"schema-2"};
  fields.push_back(event.procedure.anaesthesia ? anaesthesiaName(*event.procedure.anaesthesia) : absent);
  if (event.followUp) {
    const auto& followUp = *event.followUp;
    fields.push_back(followUp.at ? std::to_string(followUp.at->time_since_epoch().count()) : absent);
    fields.push_back(followUp.day ? date::format("%F", *followUp.day) : absent);
    fields.push_back(followUp.place.value_or(absent));
    fields.push_back(followUp.with.value_or(absent));
  } else {
    fields.push_back(absent + "no-follow-up");
  }
  fields.push_back(std::to_string(event.bloodThinners.size()));
  for (const auto& medicine : event.bloodThinners) {
    fields.push_back(medicine.name);
    fields.push_back(date::format("%F", medicine.restartOn));
    fields.push_back(medicine.instructions.value_or(absent));
  }
  // Added after schema 2: only when given, so earlier events keep their digests.
  if (event.patient.language) fields.push_back("patient.language=" + *event.patient.language);
  if (event.dischargeDayOnly) fields.push_back("day-only");
  return fields;
}

std::vector<PrintedText> printedTexts(const DischargeEvent& event) {
  std::vector<PrintedText> out;
  const auto add = [&](const std::string& field, const std::optional<std::string>& text) {
    if (text && !text->empty()) out.push_back({field, *text});
  };
  add("patient.given_name", event.patient.givenName);
  add("patient.family_name", event.patient.familyName);
  add("procedure.clinician", event.procedure.clinician);
  add("notes", event.notes);
  if (event.followUp) {
    add("follow_up.place", event.followUp->place);
    add("follow_up.with", event.followUp->with);
  }
  for (std::size_t i = 0; i < event.bloodThinners.size(); ++i) {
    const auto& medicine = event.bloodThinners[i];
    const std::string key = "blood_thinners[" + std::to_string(i) + "].";
    add(key + "name", medicine.name);
    add(key + "instructions", medicine.instructions);
  }
  return out;
}

}  // namespace wardprint::events
