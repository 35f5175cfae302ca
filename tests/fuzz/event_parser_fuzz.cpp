// Fuzzes the discharge event parser and validator with arbitrary bytes as the request body.
// The header promises it never throws for bad input, so nothing is caught here; it also
// checks that the result is either an event or at least one problem, never both.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "events/event_parser.h"

namespace {

using wardprint::events::EventRules;

const EventRules& rules() {
  static const EventRules kRules = [] {
    EventRules rules;
    rules.wards = {"ward-7", "ward-8"};
    rules.printers = {"ward-7-laser", "ward-8-laser"};
    for (const char* procedure : {"vertebroplasty", "kyphoplasty"}) {
      for (bool largePrint : {false, true}) rules.layouts.insert({procedure, "en-GB", largePrint});
    }
    return rules;
  }();
  return kRules;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const auto parsed = wardprint::events::parseDischargeEvent(json, rules());
  if (parsed.event.has_value() == !parsed.problems.empty()) std::abort();
  if (parsed.event) {
    const auto& event = *parsed.event;
    const bool sane = !event.eventId.empty() && rules().wards.count(event.ward) &&
                      event.copies >= 1 && event.copies <= wardprint::events::kMaxCopies &&
                      !event.procedure.levels.empty() && event.procedure.performedAt <= event.dischargedAt;
    if (!sane) std::abort();
  }
  return 0;
}
