#include "leaflet/leaflet_builder.h"

#include <map>

#include "events/nhs_number.h"

namespace wardprint::leaflet {
namespace {

using Values = std::map<std::string, std::string>;

std::string levelsText(const std::vector<std::string>& levels) {
  std::string out;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (i > 0) out += i + 1 == levels.size() ? " and " : ", ";
    out += levels[i];
  }
  return out;
}

date::year_month_day localDay(const Calendar& calendar, date::sys_seconds instant) {
  return date::year_month_day{date::floor<date::days>(calendar.toLocal(instant))};
}

Values placeholderValues(const events::DischargeEvent& event, const Layout& layout,
                         const SiteDetails& site, const Calendar& calendar,
                         const std::string& documentId) {
  const auto& patient = event.patient;
  const auto discharged = calendar.toLocal(event.dischargedAt);
  const auto dischargeDay = localDay(calendar, event.dischargedAt);
  Values values{
      {"patient.name", patient.givenName ? *patient.givenName + " " + patient.familyName
                                         : patient.familyName},
      {"patient.given_name", patient.givenName.value_or("")},
      {"patient.family_name", patient.familyName},
      {"patient.hospital_number", patient.hospitalNumber},
      {"patient.nhs_number", patient.nhsNumber ? events::formatNhsNumber(*patient.nhsNumber) : ""},
      {"patient.date_of_birth", formatBirthDate(patient.dateOfBirth)},
      {"procedure.levels", levelsText(event.procedure.levels)},
      {"procedure.date", formatLongDate(localDay(calendar, event.procedure.performedAt))},
      {"procedure.clinician", event.procedure.clinician},
      {"discharge.date", formatLongDate(dischargeDay)},
      {"discharge.time", formatDateTime(discharged, dischargeDay.year())},
      {"ward.name", site.wardName},
      {"ward.phone", site.wardPhone},
      {"site.name", site.siteName},
      {"note", event.notes.value_or("")},
      {"document.id", documentId},
      {"layout.id", layout.id},
      {"layout.version", std::to_string(layout.version)},
  };
  for (const auto& deadline : layout.deadlines) {
    const auto due = calendar.addHours(discharged, deadline.hours) + date::days{deadline.days};
    values["deadline." + deadline.name] =
        deadline.hours > 0
            ? formatDateTime(due, dischargeDay.year())
            : formatDate(date::year_month_day{date::floor<date::days>(due)}, dischargeDay.year());
  }
  return values;
}

class Filler {
 public:
  explicit Filler(Values values) : values_(std::move(values)) {}

  // Page numbers are left as they are for pagination to fill in.
  RichText fill(const std::string& text) const {
    return substitutePlaceholders(*parseEmphasis(text), [this](const std::string& name) {
      const auto found = values_.find(name);
      return found != values_.end() ? found->second : "{" + name + "}";
    });
  }

  bool hasValue(const std::string& name) const {
    const auto found = values_.find(name);
    return found != values_.end() && !found->second.empty();
  }

 private:
  Values values_;
};

// A paragraph with line breaks in it (a clinician's note) becomes one paragraph per line.
void addParagraphs(const RichText& text, std::vector<LeafletBlock>& out) {
  LeafletBlock paragraph{BlockKind::kParagraph, {RichText{}}, {}, {}};
  for (const auto& span : text) {
    std::size_t start = 0;
    while (true) {
      const auto end = span.text.find('\n', start);
      const auto piece = span.text.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!piece.empty()) paragraph.texts[0].push_back({piece, span.bold});
      if (end == std::string::npos) break;
      if (!paragraph.texts[0].empty()) out.push_back(paragraph);
      paragraph.texts[0].clear();
      start = end + 1;
    }
  }
  if (!paragraph.texts[0].empty()) out.push_back(paragraph);
}

void addRows(const Filler& filler, const std::vector<std::pair<std::string, std::string>>& rows,
             LeafletBlock& block) {
  for (const auto& [label, value] : rows) {
    auto filledValue = filler.fill(value);
    if (!plainText(filledValue).empty()) block.rows.emplace_back(filler.fill(label), std::move(filledValue));
  }
}

std::vector<LeafletBlock> fillBlocks(const Filler& filler, const std::vector<Block>& blocks,
                                     const SiteDetails& site) {
  std::vector<LeafletBlock> out;
  for (const auto& block : blocks) {
    if (!block.when.empty() && !filler.hasValue(block.when)) continue;
    LeafletBlock filled{block.kind, {}, {}, {}};
    switch (block.kind) {
      case BlockKind::kParagraph:
        addParagraphs(filler.fill(block.texts[0]), out);
        continue;
      case BlockKind::kDetails:
        addRows(filler, block.rows, filled);
        break;
      case BlockKind::kContacts:
        for (const auto& contact : site.contacts) {
          filled.rows.push_back({{{contact.label, false}}, {{contact.phone, true}}});
        }
        filled.rows.push_back({filler.fill(block.wardLabel), {{site.wardPhone, true}}});
        addRows(filler, block.rows, filled);
        break;
      case BlockKind::kBox:
        filled.children = fillBlocks(filler, block.children, site);
        [[fallthrough]];
      default:
        for (const auto& text : block.texts) filled.texts.push_back(filler.fill(text));
    }
    out.push_back(std::move(filled));
  }
  return out;
}

}  // namespace

const std::vector<std::string>& leafletPlaceholders() {
  static const std::vector<std::string> names{
      "patient.name",    "patient.given_name",   "patient.family_name", "patient.hospital_number",
      "patient.nhs_number", "patient.date_of_birth", "procedure.levels", "procedure.date",
      "procedure.clinician", "discharge.date",   "discharge.time",      "ward.name",
      "ward.phone",      "site.name",            "note",                "document.id",
      "layout.id",       "layout.version"};
  return names;
}

Leaflet buildLeaflet(const events::DischargeEvent& event, const Layout& layout,
                     const SiteDetails& site, const Calendar& calendar,
                     const std::string& documentId) {
  const Filler filler(placeholderValues(event, layout, site, calendar, documentId));
  Leaflet leaflet;
  leaflet.documentId = documentId;
  leaflet.title = layout.title;
  leaflet.createdAt = event.dischargedAt;
  leaflet.header = filler.fill(layout.header);
  leaflet.footer = filler.fill(layout.footer);
  leaflet.blocks = fillBlocks(filler, layout.content, site);
  return leaflet;
}

}  // namespace wardprint::leaflet
