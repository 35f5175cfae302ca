#include "hl7/procedure.h"

#include <algorithm>
#include <cctype>

#include "hl7/datetime.h"

namespace wardprint::hl7 {
namespace {

constexpr std::size_t kPr1Code = 3, kPr1Description = 4, kPr1Time = 5, kPr1Surgeon = 11;
constexpr std::string_view kRegions = "CTLS";
constexpr int kRegionSize[] = {7, 12, 5, 5};

// "Dr Ann Smith" from an XCN (id^family^given^middle^suffix^prefix); "" without a family name.
std::string clinicianName(const Field& xcn) {
  if (xcn.component(2).empty()) return {};
  std::string name;
  for (const std::size_t part : {6, 3, 2}) {
    const std::string& text = xcn.component(part);
    if (text.empty()) continue;
    if (!name.empty()) name += ' ';
    name += text;
  }
  return name;
}

}  // namespace

std::vector<std::string> spinalLevels(std::string_view text) {
  std::vector<std::pair<int, int>> found;  // region index, number
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && !std::isalnum(static_cast<unsigned char>(text[pos]))) ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && std::isalnum(static_cast<unsigned char>(text[pos]))) ++pos;
    const std::string_view word = text.substr(start, pos - start);
    if (word.size() < 2 || word.size() > 3) continue;
    const auto region =
        kRegions.find(static_cast<char>(std::toupper(static_cast<unsigned char>(word[0]))));
    if (region == std::string_view::npos || word[1] == '0') continue;
    int number = 0;
    bool digits = true;
    for (const char c : word.substr(1)) {
      digits = digits && std::isdigit(static_cast<unsigned char>(c));
      number = number * 10 + (c - '0');
    }
    if (!digits || number > kRegionSize[region]) continue;
    const std::pair<int, int> level{static_cast<int>(region), number};
    if (std::find(found.begin(), found.end(), level) == found.end()) found.push_back(level);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> levels;
  for (const auto& [region, number] : found)
    levels.push_back(kRegions[region] + std::to_string(number));
  return levels;
}

void readProcedure(const Message& message, const MappingConfig& config, const date::time_zone& zone,
                   Discharge& out, std::vector<std::string>& warnings) {
  const std::vector<const Segment*> pr1s = message.segmentsNamed("PR1");
  const Segment* chosen = pr1s.empty() ? nullptr : pr1s.front();
  for (const Segment* pr1 : pr1s) {
    const auto known = config.procedureCodes.find(pr1->field(kPr1Code).text());
    if (known != config.procedureCodes.end()) {
      chosen = pr1;
      out.procedure = known->second;
      break;
    }
  }
  if (!out.procedure) {
    const auto fallback = config.defaultProcedures.find(out.ward);
    if (fallback != config.defaultProcedures.end()) out.procedure = fallback->second;
  }
  if (!chosen) return;

  if (const std::string& code = chosen->field(kPr1Code).text(); !code.empty())
    out.procedureCode = code;
  if (const std::string& time = chosen->field(kPr1Time).text(); !time.empty()) {
    out.procedureAt = parseDateTime(time, zone);
    if (!out.procedureAt)
      warnings.push_back("PR1-5: the procedure time is not a time, so it is left out");
  }
  out.levels = spinalLevels(chosen->field(kPr1Code).component(2) + ' ' +
                            chosen->field(kPr1Description).text());
  if (std::string name = clinicianName(chosen->field(kPr1Surgeon)); !name.empty())
    out.clinician = std::move(name);
}

}  // namespace wardprint::hl7
