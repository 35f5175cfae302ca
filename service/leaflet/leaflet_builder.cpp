#include "leaflet/leaflet_builder.h"

#include <algorithm>
#include <map>

#include "events/nhs_number.h"

namespace wardprint::leaflet {
namespace {

using Values = std::map<std::string, std::string>;

constexpr const char* kNoBreakSpace = "\u00A0";

// "0114 271 5432" with non-breaking spaces, so it is never split across lines.
std::string unbrokenPhone(const std::string& phone) {
  std::string out;
  for (const char c : phone) out += c == ' ' ? std::string(kNoBreakSpace) : std::string(1, c);
  return out;
}

// "middle back and lower back" for T12 and L1: each region once, head to tail.
std::string regionsText(const std::vector<std::string>& levels, const std::map<std::string, std::string>& regions) {
  std::vector<std::string> names;
  for (const auto& level : levels) {
    const auto found = regions.find(level);
    if (found != regions.end() && std::find(names.begin(), names.end(), found->second) == names.end()) {
      names.push_back(found->second);
    }
  }
  return joinedWithAnd(names);
}

date::year_month_day localDay(const Calendar& calendar, date::sys_seconds instant) {
  return date::year_month_day{date::floor<date::days>(calendar.toLocal(instant))};
}

const Contact* contactWithRole(const SiteDetails& site, ContactRole role) {
  for (const auto& contact : site.contacts) {
    if (contact.role == role) return &contact;
  }
  return nullptr;
}

std::string contactLabel(const Contact& contact) {
  return contact.hours ? contact.label + " (" + describeOpeningHours(*contact.hours) + ")" : contact.label;
}

// The daytime line's placeholders. Without a daytime line, the ward stands in for it.
// daytime.opens is set only when the line is shut from the discharge until after the rest
// period: the leaflet then says when it opens and which number to call meanwhile.
void addDaytimeLine(const SiteDetails& site, date::local_seconds discharged, date::local_seconds restEnds,
                    date::year year, Values& values) {
  const auto* daytime = contactWithRole(site, ContactRole::kDaytime);
  values["daytime.label"] = daytime ? daytime->label : site.wardName;
  values["daytime.phone"] = unbrokenPhone(daytime ? daytime->phone : site.wardPhone);
  values["daytime.hours"] = daytime && daytime->hours ? describeOpeningHours(*daytime->hours) : "at any time";
  values["daytime.opens"] = "";
  if (!daytime || !daytime->hours) return;
  const auto opens = nextOpening(*daytime->hours, site.closedDates, discharged);
  if (!opens) {
    values["daytime.opens"] = "further notice";
  } else if (*opens > restEnds) {
    values["daytime.opens"] = formatDateTime(*opens, year);
  }
}

std::string followUpTime(const events::FollowUp& followUp, const Calendar& calendar, date::year year) {
  if (followUp.at) return formatDateTime(calendar.toLocal(*followUp.at), year);
  if (followUp.day) return formatDate(*followUp.day, year);
  return "";
}

Values placeholderValues(const events::DischargeEvent& event, const Layout& layout,
                         const SiteDetails& site, const Calendar& calendar,
                         const std::string& documentId) {
  const auto& patient = event.patient;
  const auto discharged = calendar.toLocal(event.dischargedAt);
  const auto dischargeDay = localDay(calendar, event.dischargedAt);
  const auto year = dischargeDay.year();
  const auto* oncology = contactWithRole(site, ContactRole::kAcuteOncology);
  const auto followUp = event.followUp.value_or(events::FollowUp{});
  const bool sedationAdvice = event.procedure.anaesthesia != events::Anaesthesia::kLocal;
  Values values{
      {"patient.name", patient.givenName ? *patient.givenName + " " + patient.familyName
                                         : patient.familyName},
      {"patient.given_name", patient.givenName.value_or("")},
      {"patient.family_name", patient.familyName},
      {"patient.hospital_number", patient.hospitalNumber},
      {"patient.nhs_number", patient.nhsNumber ? events::formatNhsNumber(*patient.nhsNumber) : ""},
      {"patient.date_of_birth", patient.dateOfBirth ? formatBirthDate(*patient.dateOfBirth) : ""},
      {"procedure.levels", joinedWithAnd(event.procedure.levels)},
      {kProcedureRegions, regionsText(event.procedure.levels, layout.levelRegions)},
      {"procedure.date",
       event.procedure.performedAt ? formatLongDate(localDay(calendar, *event.procedure.performedAt)) : ""},
      {"procedure.clinician", event.procedure.clinician.value_or("")},
      {"discharge.date", formatLongDate(dischargeDay)},
      {"discharge.time", formatDateTime(discharged, year)},
      {"ward.name", site.wardName},
      {"ward.phone", unbrokenPhone(site.wardPhone)},
      {"site.name", site.siteName},
      {"acute_oncology.label", oncology ? oncology->label : ""},
      {"acute_oncology.phone", oncology ? unbrokenPhone(oncology->phone) : ""},
      {"follow_up.at", followUpTime(followUp, calendar, year)},
      {"follow_up.place", followUp.place.value_or("")},
      {"follow_up.with", followUp.with.value_or("")},
      {"note", event.notes.value_or("")},
      {"document.id", documentId},
      {"layout.id", layout.id},
      {"layout.version", std::to_string(layout.version)},
      // Conditions for `when`; their text is never printed.
      {"gp_letter", site.gpLetter ? "yes" : ""},
      {"sedation_advice", sedationAdvice ? "yes" : ""},
      {"follow_up", event.followUp ? "yes" : ""},
      {"blood_thinners", event.bloodThinners.empty() ? "" : "yes"},
  };
  auto restEnds = calendar.addHours(discharged, 24);
  for (const auto& deadline : layout.deadlines) {
    const auto due = calendar.addHours(discharged, deadline.hours) + date::days{deadline.days};
    if (deadline.name == "rest") restEnds = due;
    values["deadline." + deadline.name] =
        deadline.hours > 0 ? formatDateTime(due, year)
                           : formatDate(date::year_month_day{date::floor<date::days>(due)}, year);
  }
  addDaytimeLine(site, discharged, restEnds, year, values);
  return values;
}

std::vector<Values> bloodThinnerValues(const events::DischargeEvent& event, const Calendar& calendar) {
  const auto year = localDay(calendar, event.dischargedAt).year();
  std::vector<Values> out;
  for (const auto& medicine : event.bloodThinners) {
    out.push_back({{"blood_thinner.name", medicine.name},
                   {"blood_thinner.restart_on", formatDate(medicine.restartOn, year)},
                   {"blood_thinner.instructions", medicine.instructions.value_or("")}});
  }
  return out;
}

class Filler {
 public:
  explicit Filler(Values values) : values_(std::move(values)) {}

  // This filler with more values (one medicine's, for a `for_each` block).
  Filler with(const Values& more) const {
    Values values = values_;
    for (const auto& [name, value] : more) values[name] = value;
    return Filler(std::move(values));
  }

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

// A row is left out when its value comes out empty, or when it has placeholders and none
// of them has a value (what the event did not say: never a label with nothing after it).
void addRows(const Filler& filler, const std::vector<std::pair<std::string, std::string>>& rows,
             LeafletBlock& block) {
  for (const auto& [label, value] : rows) {
    const auto names = placeholderNames(value);
    if (!names.empty() &&
        std::none_of(names.begin(), names.end(), [&](const std::string& name) { return filler.hasValue(name); })) {
      continue;
    }
    auto filledValue = filler.fill(value);
    if (!plainText(filledValue).empty()) block.rows.emplace_back(filler.fill(label), std::move(filledValue));
  }
}

// What filling blocks needs besides the placeholder values.
struct FillContext {
  const SiteDetails& site;
  const std::vector<Values>& bloodThinners;  // one set of values per medicine
};

std::vector<LeafletBlock> fillBlocks(const Filler& filler, const std::vector<Block>& blocks,
                                     const FillContext& context) {
  std::vector<LeafletBlock> out;
  for (const auto& block : blocks) {
    if (!block.forEach.empty()) {
      // A run of for_each blocks is repeated as one: each medicine's blocks stay together.
      if (&block != &blocks.front() && !(&block - 1)->forEach.empty()) continue;
      std::vector<Block> run;
      for (auto next = &block; next != blocks.data() + blocks.size() && !next->forEach.empty(); ++next) {
        run.push_back(*next);
        run.back().forEach.clear();
      }
      for (const auto& item : context.bloodThinners) {
        for (auto& filled : fillBlocks(filler.with(item), run, context)) out.push_back(std::move(filled));
      }
      continue;
    }
    if (!block.when.empty() && !filler.hasValue(block.when)) continue;
    LeafletBlock filled{block.kind, {}, {}, {}, block.emphasis};
    switch (block.kind) {
      case BlockKind::kParagraph:
        addParagraphs(filler.fill(block.texts[0]), out);
        continue;
      case BlockKind::kDetails:
        addRows(filler, block.rows, filled);
        break;
      case BlockKind::kContacts:
        for (const auto& contact : context.site.contacts) {
          filled.rows.push_back({{{contactLabel(contact), false}}, {{unbrokenPhone(contact.phone), true}}});
        }
        filled.rows.push_back({filler.fill(block.wardLabel), {{unbrokenPhone(context.site.wardPhone), true}}});
        addRows(filler, block.rows, filled);
        break;
      case BlockKind::kBox:
      case BlockKind::kGroup:
        filled.children = fillBlocks(filler, block.children, context);
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
      "patient.name",         "patient.given_name",   "patient.family_name", "patient.hospital_number",
      "patient.nhs_number",   "patient.date_of_birth", "procedure.levels",   kProcedureRegions,
      "procedure.date",       "procedure.clinician",  "discharge.date",      "discharge.time",
      "ward.name",            "ward.phone",           "site.name",           "daytime.label",
      "daytime.phone",        "daytime.hours",        "daytime.opens",       "acute_oncology.label",
      "acute_oncology.phone", "follow_up.at",         "follow_up.place",     "follow_up.with",
      "note",                 "document.id",          "layout.id",           "layout.version"};
  return names;
}

const std::vector<std::string>& bloodThinnerPlaceholders() {
  static const std::vector<std::string> names{"blood_thinner.name", "blood_thinner.restart_on",
                                              "blood_thinner.instructions"};
  return names;
}

const std::vector<std::string>& leafletConditions() {
  static const std::vector<std::string> names{"gp_letter", "sedation_advice", "follow_up", kForEachBloodThinners};
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
  const auto medicines = bloodThinnerValues(event, calendar);
  leaflet.blocks = fillBlocks(filler, layout.content, FillContext{site, medicines});
  return leaflet;
}

}  // namespace wardprint::leaflet
