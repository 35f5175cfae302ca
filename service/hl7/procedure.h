#pragma once

#include <date/tz.h>

#include <string>
#include <string_view>
#include <vector>

#include "hl7/discharge.h"
#include "hl7/mapping_config.h"
#include "hl7/message.h"

namespace wardprint::hl7 {

// Fills the procedure part of `out` (whose ward must already be set) from the PR1
// segments: the first PR1 whose PR1-3.1 is in config.procedureCodes gives the procedure,
// else the ward's default procedure, else none. The chosen PR1 (or the first) gives the
// code as sent, the time (PR1-5), the surgeon (PR1-11) and spinal levels named in its
// text. An unreadable PR1-5 is left out with a warning.
void readProcedure(const Message& message, const MappingConfig& config, const date::time_zone& zone,
                   Discharge& out, std::vector<std::string>& warnings);

// The spinal levels ("T12", "L1") named as words in free text, without repeats, in head-to-
// tail order: C1-C7, T1-T12, L1-L5, S1-S5. "t12" counts; "T13" and "XT12" do not.
std::vector<std::string> spinalLevels(std::string_view text);

}  // namespace wardprint::hl7
