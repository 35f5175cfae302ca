#include "intake/leaflet_service.h"

#include <algorithm>

#include "events/event_parser.h"
#include "leaflet/document_id.h"
#include "leaflet/leaflet_builder.h"
#include "util/problems.h"
#include "util/utf8.h"

namespace wardprint::intake {
namespace {

// A made-up patient with the longest values the rules allow, and every optional section, for
// checkLayouts. Leaving on a Saturday afternoon keeps a weekday daytime line shut through the
// rest period, so the warning box carries its extra sentence too.
events::DischargeEvent sampleEvent(const leaflet::Layout& layout, const std::string& ward) {
  events::DischargeEvent event;
  event.eventId = "SAMPLE-" + layout.id;
  event.dischargedAt = date::sys_days{date::year{2026} / 11 / 21} + std::chrono::hours{14} +
                       std::chrono::minutes{30};
  event.ward = ward;
  event.patient = {std::string(40, 'W'), std::string(60, 'W'), "SAMPLE0001", "9434765919",
                   date::year{1948} / 3 / 2};
  event.procedure = {layout.procedure, {"T11", "T12", "L1", "L2", "L3"}, event.dischargedAt, std::string(60, 'W')};
  event.language = layout.language;
  event.largePrint = layout.largePrint;
  event.notes = std::string(200, 'W') + "\n" + std::string(799, 'W');
  event.procedure.anaesthesia = events::Anaesthesia::kGeneral;
  event.followUp = events::FollowUp{event.dischargedAt + date::days{14}, std::nullopt, std::string(100, 'W'),
                                    std::string(100, 'W')};
  for (int i = 0; i < 3; ++i) {
    event.bloodThinners.push_back({std::string(100, 'W'), date::year{2026} / 11 / 29,
                                   std::string(events::kMaxInstructionsLength, 'W')});
  }
  return event;
}

}  // namespace

LeafletSetup::LeafletSetup(settings::Config config)
    : config(std::move(config)),
      catalog(leaflet::LayoutCatalog::load(this->config.site.layoutsDir, this->config.site.fontDirs)),
      calendar(this->config.site.timeZone) {}

LeafletService::LeafletService(std::shared_ptr<const LeafletSetup> setup) : setup_(std::move(setup)) {}

LeafletService::LeafletService(settings::Config config)
    : LeafletService(std::make_shared<const LeafletSetup>(std::move(config))) {}

events::EventRules LeafletService::eventRules() const {
  events::EventRules rules;
  for (const auto& [id, ward] : config().wards) rules.wards.insert(id);
  for (const auto& [name, printer] : config().printers) rules.printers.insert(name);
  for (const auto& layout : catalog().layouts()) {
    const events::LayoutChoice choice{layout.procedure, layout.language, layout.largePrint};
    if (layout.draft && !config().site.allowDraftLayouts) {
      rules.draftLayouts[choice] = layout.id;
    } else {
      rules.layouts.insert(choice);
    }
  }
  rules.defaultLanguage = config().site.defaultLanguage;
  rules.timeZone = config().site.timeZone;
  return rules;
}

leaflet::SiteDetails LeafletService::siteDetails(const std::string& wardId) const {
  const auto& ward = config().wards.at(wardId);
  return {config().site.name, config().contacts, ward.name, ward.phone, config().site.closedDates,
          config().site.gpLetter};
}

RenderedLeaflet LeafletService::render(const events::DischargeEvent& event) {
  // The event parser refuses drafts already; this guards any other way in.
  const auto* layout = catalog().find({event.procedure.type, event.language, event.largePrint});
  if (layout && layout->draft && !config().site.allowDraftLayouts) {
    throw util::InvalidInput(util::Problems{{"language", "the layout " + layout->id + " is a draft, not yet reviewed"}});
  }
  return render(event, siteDetails(event.ward));
}

RenderedLeaflet LeafletService::render(const events::DischargeEvent& event, const leaflet::SiteDetails& site) {
  const events::LayoutChoice choice{event.procedure.type, event.language, event.largePrint};
  const auto* layout = catalog().find(choice);
  if (!layout) {
    throw util::InvalidInput(util::Problems{{"procedure.type", "no layout for this procedure, language and size"}});
  }
  const auto problems = undrawable(choice, events::printedTexts(event), event.patient.language);
  if (!problems.empty()) throw util::InvalidInput(problems);

  const auto documentId = leaflet::documentIdFor(event.eventId, layout->id);
  const auto leaflet = leaflet::buildLeaflet(event, *layout, site, setup_->calendar, documentId);
  return {documentId, layout->id, layout->version, renderer_.render(leaflet, *layout)};
}

util::Problems LeafletService::undrawable(const events::LayoutChoice& choice,
                                          const std::vector<events::PrintedText>& texts,
                                          const std::optional<std::string>& patientLanguage) {
  util::Problems problems;
  const auto* layout = catalog().find(choice);
  if (!layout) return problems;
  for (const auto& [field, text] : texts) {
    const auto missing = renderer_.undrawable(text, *layout, patientLanguage.value_or(layout->language));
    if (missing.empty()) continue;
    std::string list;
    for (const char32_t codePoint : missing) list += (list.empty() ? "" : ", ") + util::describeCodePoint(codePoint);
    problems.push_back({field, "has characters the leaflet fonts cannot print: " + list});
  }
  return problems;
}

LayoutCheck LeafletService::checkLayouts() {
  LayoutCheck check;
  if (config().wards.empty()) return {{}, {"no ward to render a sample leaflet for"}};
  const auto& ward = config().wards.begin()->first;
  // Every optional sentence of the warning box: a site without an acute oncology line gets
  // a made-up one for the check.
  auto site = siteDetails(ward);
  const bool hasOncology = std::any_of(site.contacts.begin(), site.contacts.end(), [](const leaflet::Contact& c) {
    return c.role == leaflet::ContactRole::kAcuteOncology;
  });
  if (!hasOncology) {
    site.contacts.push_back({"Acute oncology line", "0000 000 0000", std::nullopt, leaflet::ContactRole::kAcuteOncology});
  }
  site.gpLetter = true;
  for (const auto& layout : catalog().layouts()) {
    const auto name = layout.id + " v" + std::to_string(layout.version) + (layout.draft ? " (draft)" : "") + " (" + layout.sourcePath + ")";
    try {
      const auto rendered = render(sampleEvent(layout, ward), site);
      check.report.push_back(name + ": ok, " + std::to_string(rendered.pdf.size()) + " bytes with the longest sample");
    } catch (const std::exception& e) {
      check.problems.push_back(name + ": the longest sample does not lay out: " + e.what());
    }
  }
  return check;
}

}  // namespace wardprint::intake
