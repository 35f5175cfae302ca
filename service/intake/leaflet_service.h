#pragma once

#include <memory>
#include <string>
#include <vector>

#include "events/discharge_event.h"
#include "leaflet/calendar.h"
#include "leaflet/layout_catalog.h"
#include "pdf/pdf_renderer.h"
#include "settings/config.h"
#include "util/problems.h"

namespace wardprint::intake {

// A rendered leaflet and what identifies it.
struct RenderedLeaflet {
  std::string documentId;
  std::string layoutId;
  int layoutVersion = 0;
  std::string pdf;
};

// What checkLayouts found: a line per layout that lays out, a problem per layout that does not.
struct LayoutCheck {
  std::vector<std::string> report;
  std::vector<std::string> problems;
};

// What every renderer shares, loaded once per process and only read after: the
// configuration, every layout, the site's calendar. Thread-safe (const).
struct LeafletSetup {
  // Loads and checks every layout. Throws util::ConfigError.
  explicit LeafletSetup(settings::Config config);

  settings::Config config;
  leaflet::LayoutCatalog catalog;
  leaflet::Calendar calendar;
};

// Turns validated discharge events into PDF leaflets using the configured layouts.
// Not thread-safe (it owns one renderer); several may share one LeafletSetup.
class LeafletService {
 public:
  explicit LeafletService(std::shared_ptr<const LeafletSetup> setup);
  // With a setup of its own. Throws util::ConfigError.
  explicit LeafletService(settings::Config config);

  // What events may ask for under this configuration.
  events::EventRules eventRules() const;

  // Throws util::InvalidInput when a patient-supplied text has characters that no font of
  // the layout can draw (named per field), or the layout is a draft this site does not use;
  // pdf::RenderError when rendering fails.
  RenderedLeaflet render(const events::DischargeEvent& event);

  // A problem for each text with characters no font of the layout for `choice` can draw,
  // naming the field and the characters; none when there is no such layout. The patient's
  // language (else the layout's) picks the face where the characters alone do not say.
  util::Problems undrawable(const events::LayoutChoice& choice, const std::vector<events::PrintedText>& texts,
                            const std::optional<std::string>& patientLanguage = std::nullopt);

  // Renders a sample leaflet with every layout (for the first configured ward), to prove
  // they all lay out; a layout that fails does not stop the others.
  LayoutCheck checkLayouts();

  const leaflet::LayoutCatalog& catalog() const { return setup_->catalog; }
  const settings::Config& config() const { return setup_->config; }

 private:
  // The hospital's and the ward's details for a leaflet; the ward must be configured.
  leaflet::SiteDetails siteDetails(const std::string& wardId) const;
  RenderedLeaflet render(const events::DischargeEvent& event, const leaflet::SiteDetails& site);

  std::shared_ptr<const LeafletSetup> setup_;
  pdf::PdfRenderer renderer_;
};

}  // namespace wardprint::intake
