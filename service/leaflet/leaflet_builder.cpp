#include "leaflet/leaflet_builder.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "events/nhs_number.h"

namespace wardprint::leaflet {
namespace {

using Values = std::map<std::string, std::string>;

// "0114 271 5432" with non-breaking spaces, so it is never split across lines.
std::string unbrokenPhone(const std::string& phone) { return withNoBreakSpaces(phone); }

// "middle back and lower back" for T12 and L1: each region once, head to tail.
std::string regionsText(const std::vector<std::string>& levels, const Layout& layout) {
  const auto& regions = layout.levelRegions;
  std::vector<std::string> names;
  for (const auto& level : levels) {
    const auto found = regions.find(level);
    if (found != regions.end() && std::find(names.begin(), names.end(), found->second) == names.end()) {
      names.push_back(found->second);
    }
  }
  return joinedAsList(names, layout.words.listEnd);
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

std::string contactLabel(const Words& words, const Contact& contact) {
  if (!contact.hours) return contact.label;
  return fillPattern(words.contactWithHours, [&](const std::string& name, const std::string&) {
    return name == "label" ? contact.label : describeOpeningHours(words, *contact.hours);
  });
}

// A date-only value in every weekday form the language has: NAME, and NAME:FORM for the
// others, as a layout asks for them ("tan {deadline.lifting_earliest:soft}").
void addDate(Values& values, const Words& words, const std::string& name,
             const std::function<std::string(const std::string& form)>& format) {
  for (const auto& [form, names] : words.weekdays) {
    values[form == kPlainForm ? name : name + ":" + form] = format(form);
  }
}

// The daytime line's placeholders. Without a daytime line, the ward stands in for it.
// daytime.opens is set only when the line is shut from the discharge until after the rest
// period: the leaflet then says when it opens and which number to call meanwhile.
void addDaytimeLine(const Words& words, const SiteDetails& site, date::local_seconds discharged,
                    date::local_seconds restEnds, date::year year, Values& values) {
  const auto* daytime = contactWithRole(site, ContactRole::kDaytime);
  values["daytime.label"] = daytime ? daytime->label : site.wardName;
  values["daytime.phone"] = unbrokenPhone(daytime ? daytime->phone : site.wardPhone);
  values["daytime.hours"] = daytime && daytime->hours ? describeOpeningHours(words, *daytime->hours) : words.atAnyTime;
  values["daytime.opens"] = "";
  if (!daytime || !daytime->hours) return;
  const auto opens = nextOpening(*daytime->hours, site.closedDates, discharged);
  if (!opens) {
    values["daytime.opens"] = words.furtherNotice;
  } else if (*opens > restEnds) {
    values["daytime.opens"] = formatDateTime(words, *opens, year);
  }
}

std::string followUpTime(const Words& words, const events::FollowUp& followUp, const Calendar& calendar,
                         date::year year, const std::string& form) {
  if (followUp.at) return formatDateTime(words, calendar.toLocal(*followUp.at), year);
  if (followUp.day) return formatDate(words, *followUp.day, year, form);
  return "";
}

Values placeholderValues(const events::DischargeEvent& event, const Layout& layout,
                         const SiteDetails& site, const Calendar& calendar,
                         const std::string& documentId) {
  const auto& patient = event.patient;
  const auto& words = layout.words;
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
      {"patient.date_of_birth", patient.dateOfBirth ? formatBirthDate(words, *patient.dateOfBirth) : ""},
      {"procedure.levels", joinedAsList(event.procedure.levels, words.listEnd)},
      {kProcedureRegions, regionsText(event.procedure.levels, layout)},
      {"procedure.clinician", event.procedure.clinician.value_or("")},
      {"discharge.time", event.dischargeDayOnly ? formatDate(words, dischargeDay, year)
                                                : formatDateTime(words, discharged, year)},
      {"ward.name", site.wardName},
      {"ward.phone", unbrokenPhone(site.wardPhone)},
      {"site.name", site.siteName},
      {"acute_oncology.label", oncology ? oncology->label : ""},
      {"acute_oncology.phone", oncology ? unbrokenPhone(oncology->phone) : ""},
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
  addDate(values, words, "procedure.date", [&](const std::string& form) {
    const auto& performed = event.procedure.performedAt;
    return performed ? formatLongDate(words, localDay(calendar, *performed), form) : std::string();
  });
  addDate(values, words, "discharge.date",
          [&](const std::string& form) { return formatLongDate(words, dischargeDay, form); });
  addDate(values, words, "follow_up.at",
          [&](const std::string& form) { return followUpTime(words, followUp, calendar, year, form); });
  auto restEnds = calendar.addHours(discharged, 24);
  for (const auto& deadline : layout.deadlines) {
    if (event.dischargeDayOnly && deadline.hours > 0) {
      // The patient may have left late that day: a deadline in hours runs to the end of
      // the day it can fall on at the latest.
      const auto lastDay = date::local_days{dischargeDay} + date::days{(deadline.hours + 23) / 24 + deadline.days};
      if (deadline.name == "rest") restEnds = lastDay + date::days{1};
      addDate(values, words, "deadline." + deadline.name, [&](const std::string& form) {
        return formatEndOfDay(words, date::year_month_day{lastDay}, year, form);
      });
      continue;
    }
    const auto due = calendar.addHours(discharged, deadline.hours) + date::days{deadline.days};
    if (deadline.name == "rest") restEnds = due;
    addDate(values, words, "deadline." + deadline.name, [&](const std::string& form) {
      return deadline.hours > 0 ? formatDateTime(words, due, year)
                                : formatDate(words, date::year_month_day{date::floor<date::days>(due)}, year, form);
    });
  }
  addDaytimeLine(words, site, discharged, restEnds, year, values);
  return values;
}

std::vector<Values> bloodThinnerValues(const events::DischargeEvent& event, const Words& words,
                                       const Calendar& calendar) {
  const auto year = localDay(calendar, event.dischargedAt).year();
  std::vector<Values> out;
  for (const auto& medicine : event.bloodThinners) {
    Values values{{"blood_thinner.name", medicine.name},
                  {"blood_thinner.instructions", medicine.instructions.value_or("")}};
    addDate(values, words, "blood_thinner.restart_on",
            [&](const std::string& form) { return formatDate(words, medicine.restartOn, year, form); });
    out.push_back(std::move(values));
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
      auto found = values_.find(name);
      // A weekday form asked of a value that does not start with a weekday (a time): as it is.
      if (found == values_.end()) found = values_.find(name.substr(0, name.find(':')));
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
  const Words& words;
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
          filled.rows.push_back({{{contactLabel(context.words, contact), false}}, {{unbrokenPhone(contact.phone), true}}});
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

bool takesWeekdayForm(const std::string& name) {
  static const std::set<std::string> dated{"procedure.date", "discharge.date", "discharge.time", "follow_up.at",
                                           "daytime.opens",  "blood_thinner.restart_on"};
  return dated.count(name) > 0 || name.rfind("deadline.", 0) == 0;
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
  leaflet.faceLanguage = event.patient.language.value_or(layout.language);
  leaflet.createdAt = event.dischargedAt;
  leaflet.header = filler.fill(layout.header);
  leaflet.footer = filler.fill(layout.footer);
  const auto medicines = bloodThinnerValues(event, layout.words, calendar);
  leaflet.blocks = fillBlocks(filler, layout.content, FillContext{site, layout.words, medicines});
  return leaflet;
}

}  // namespace wardprint::leaflet
