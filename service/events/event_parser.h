#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "events/discharge_event.h"
#include "util/problems.h"

namespace wardprint::events {

// The outcome of reading an event: the event when there are no problems, else every
// problem found (field and reason), so a ward system can fix them all at once. With
// problems, `texts` holds the printed texts that were read well and `layout` the layout
// asked for when it exists, so a caller can add the characters no font can draw.
struct ParsedEvent {
  std::optional<DischargeEvent> event;
  util::Problems problems;
  std::vector<PrintedText> texts;
  std::optional<LayoutChoice> layout;
};

// Vertebrae from head to tail, "C1" to "S5": the order levels are printed in.
const std::vector<std::string>& vertebralLevels();

// Parses a discharge event from JSON and checks it against the rules in DESIGN.md and
// against what `rules` says this deployment serves. Unknown fields are ignored; wrong
// types are problems. Never throws for bad input.
ParsedEvent parseDischargeEvent(std::string_view json, const EventRules& rules);

// Limits on free text, in characters (code points).
inline constexpr std::size_t kMaxNameLength = 100;
inline constexpr std::size_t kMaxNotesLength = 1000;
inline constexpr std::size_t kMaxInstructionsLength = 300;  // per blood thinner
inline constexpr std::size_t kMaxBloodThinners = 10;
inline constexpr int kMaxCopies = 5;
inline constexpr int kMaxAgeYears = 130;

}  // namespace wardprint::events
