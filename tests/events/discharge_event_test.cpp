#include "events/discharge_event.h"

#include <doctest/doctest.h>

using namespace wardprint::events;

TEST_CASE("the later fields' digest text is empty without them and changes with each of them") {
  DischargeEvent event;
  CHECK(laterFieldsForDigest(event).empty());  // older events keep their digest

  std::vector<std::vector<std::string>> seen;
  const auto differs = [&](const DischargeEvent& changed) {
    const auto fields = laterFieldsForDigest(changed);
    CHECK_FALSE(fields.empty());
    for (const auto& earlier : seen) CHECK(earlier != fields);
    seen.push_back(fields);
  };
  event.procedure.anaesthesia = Anaesthesia::kLocal;
  differs(event);
  event.procedure.anaesthesia = Anaesthesia::kGeneral;
  differs(event);
  event.followUp = FollowUp{std::nullopt, date::year{2026} / 12 / 8, std::nullopt, std::nullopt};
  differs(event);
  event.followUp->place = "Clinic";
  differs(event);
  event.bloodThinners.push_back({"Warfarin", date::year{2026} / 11 / 23, std::nullopt});
  differs(event);
  event.bloodThinners[0].restartOn = date::year{2026} / 11 / 24;
  differs(event);
  event.bloodThinners[0].instructions = "3 mg";
  differs(event);
  event.patient.language = "ja";
  differs(event);
  event.patient.language = "zh-CN";
  differs(event);
}
